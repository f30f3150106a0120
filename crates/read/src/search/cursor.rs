//! Sorting and paging of case lists with stable, opaque cursors.
//!
//! A cursor carries the sort key and the id of the last case of a page, not an offset: the next
//! page starts strictly after that (key, id) pair, so cases registered or renamed between two
//! requests neither shift a page nor appear twice. The id breaks ties, so the order is total.
//! The cursor is hex-encoded JSON: opaque to clients, and a cursor made for another sort order
//! is refused rather than misread.

use chrono::NaiveDate;
use guanjia_domain::values::CaseNumber;
use serde::{Deserialize, Serialize};

use crate::ReadError;

/// Cases per page when the caller does not say.
pub const DEFAULT_PAGE_SIZE: usize = 20;
/// The most cases one page may hold.
pub const MAX_PAGE_SIZE: usize = 100;

/// The order of a case list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SortBy {
    /// By case number (year, then serial).
    #[default]
    CaseNumber,
    /// By registration date.
    RegisteredOn,
    /// By enterprise name, in Unicode code-point order (no pinyin collation).
    Name,
}

/// One page of a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// The cursor after each item, in the order of `items`: pass one as `after` to continue
    /// after that item (Relay's cursor per edge). The last one is `next_cursor` when there is
    /// a next page.
    pub cursors: Vec<String>,
    /// Pass as `after` to get the next page; `None` on the last page.
    pub next_cursor: Option<String>,
    /// How many items match in all (every page together).
    pub total: usize,
}

/// The value a list is sorted by; `S` is `&str` while sorting (no name is copied) and
/// `String` in a decoded cursor.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum SortKey<S> {
    Number(CaseNumber),
    Date(NaiveDate),
    Name(S),
}

impl SortKey<String> {
    /// The key with its name borrowed, to compare with the keys being sorted.
    pub fn borrowed(&self) -> SortKey<&str> {
        match self {
            Self::Number(number) => SortKey::Number(*number),
            Self::Date(date) => SortKey::Date(*date),
            Self::Name(name) => SortKey::Name(name),
        }
    }
}

/// A decoded cursor: the last (key, id) of the previous page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Cursor {
    pub key: SortKey<String>,
    pub id: String,
}

#[derive(Serialize, Deserialize)]
struct CursorData {
    sort: SortBy,
    descending: bool,
    key: String,
    id: String,
}

/// The page size asked for, checked against the limits.
pub(crate) fn page_size(first: Option<usize>) -> Result<usize, ReadError> {
    match first.unwrap_or(DEFAULT_PAGE_SIZE) {
        0 => Err(ReadError::invalid("first", "must be at least 1")),
        n if n > MAX_PAGE_SIZE => Err(ReadError::invalid(
            "first",
            format!("must be at most {MAX_PAGE_SIZE}, got {n}"),
        )),
        n => Ok(n),
    }
}

/// The cursor after the case with this key and id.
pub(crate) fn encode(sort: SortBy, descending: bool, key: &SortKey<&str>, id: &str) -> String {
    let key = match key {
        SortKey::Number(number) => number.to_string(),
        SortKey::Date(date) => date.format("%Y-%m-%d").to_string(),
        SortKey::Name(name) => (*name).to_owned(),
    };
    let data = CursorData {
        sort,
        descending,
        key,
        id: id.to_owned(),
    };
    let json = serde_json::to_vec(&data).unwrap_or_default();
    hex::encode(json)
}

/// Reads a cursor back, refusing one made for another order.
pub(crate) fn decode(text: &str, sort: SortBy, descending: bool) -> Result<Cursor, ReadError> {
    let invalid = |why: &str| ReadError::InvalidCursor(why.to_owned());
    let bytes = hex::decode(text).map_err(|_| invalid("not a cursor of this service"))?;
    let data: CursorData =
        serde_json::from_slice(&bytes).map_err(|_| invalid("not a cursor of this service"))?;
    if data.sort != sort || data.descending != descending {
        return Err(invalid("the cursor belongs to another sort order"));
    }
    let key = match sort {
        SortBy::CaseNumber => CaseNumber::parse(&data.key)
            .map(SortKey::Number)
            .map_err(|_| invalid("bad case number"))?,
        SortBy::RegisteredOn => NaiveDate::parse_from_str(&data.key, "%Y-%m-%d")
            .map(SortKey::Date)
            .map_err(|_| invalid("bad date"))?,
        SortBy::Name => SortKey::Name(data.key),
    };
    Ok(Cursor { key, id: data.id })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_round_trips_and_is_bound_to_its_order() {
        let key = SortKey::Name("安康恒口新材料有限公司".to_owned());
        let text = encode(SortBy::Name, false, &key.borrowed(), "case-1");
        let cursor = decode(&text, SortBy::Name, false).expect("valid cursor");
        assert_eq!(
            cursor,
            Cursor {
                key,
                id: "case-1".to_owned()
            }
        );
        assert!(decode(&text, SortBy::Name, true).is_err());
        assert!(decode(&text, SortBy::CaseNumber, false).is_err());
        assert!(decode("zz", SortBy::Name, false).is_err());
        assert!(decode("abc", SortBy::Name, false).is_err());
    }

    #[test]
    fn page_sizes_have_a_default_and_a_maximum() {
        assert_eq!(page_size(None).ok(), Some(DEFAULT_PAGE_SIZE));
        assert_eq!(page_size(Some(MAX_PAGE_SIZE)).ok(), Some(MAX_PAGE_SIZE));
        assert!(page_size(Some(0)).is_err());
        assert!(page_size(Some(MAX_PAGE_SIZE + 1)).is_err());
    }
}
