//! Each distinct query text parsed once.
//!
//! Clients send the same few query texts again and again (the pages' and the apps' fixed
//! operations, with variables). Parsing one is the costliest step of a small query after
//! executing it (`perf` of the HTTP bench, docs/benchmarks.md), and the handler needs the
//! parsed operation before it runs (its type decides where it runs, its root fields label the
//! metrics). So documents are kept by their text, the most recently used few hundred, and a
//! request gets a copy: async-graphql then executes the document it is given
//! (`Request::set_parsed_query`) and still passes it through every extension's `parse_query`,
//! so the checks there (`graphql/input_text.rs`) run on every request.
//!
//! A text that does not parse is not kept: async-graphql parses it again and answers its own
//! `GRAPHQL_PARSE_FAILED`, as without the cache. Long texts are not kept either, so that the
//! memory held stays small whatever clients send.

use std::sync::Mutex;

use async_graphql::parser::types::ExecutableDocument;
use hashlink::LruCache;

/// Distinct query texts kept.
const KEPT: usize = 512;
/// Texts longer than this are parsed each time.
const LONGEST_KEPT: usize = 16 * 1024;

/// Parsed documents by their query text.
pub(super) struct ParsedQueries {
    kept: Mutex<LruCache<String, ExecutableDocument>>,
}

impl Default for ParsedQueries {
    fn default() -> Self {
        Self {
            kept: Mutex::new(LruCache::new(KEPT)),
        }
    }
}

impl ParsedQueries {
    /// The document of `query`; `None` when it does not parse.
    pub fn parse(&self, query: &str) -> Option<ExecutableDocument> {
        if let Some(document) = self.lock().get(query) {
            return Some(document.clone());
        }
        let document = async_graphql::parser::parse_query(query).ok()?;
        if query.len() <= LONGEST_KEPT {
            self.lock().insert(query.to_owned(), document.clone());
        }
        Some(document)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, LruCache<String, ExecutableDocument>> {
        // A panic while the map was held leaves a usable map: at worst one entry is missing.
        self.kept
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.lock().len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_is_kept_once_and_its_copy_equals_a_fresh_parse() {
        let parsed = ParsedQueries::default();
        let query = "query($c: ID!) { case(id: $c) { name } }";
        parsed.parse(query).expect("parses");
        let copy = parsed.parse(query).expect("parses");
        assert_eq!(parsed.len(), 1);
        let fresh = async_graphql::parser::parse_query(query).expect("parses");
        assert_eq!(format!("{copy:?}"), format!("{fresh:?}"));
    }

    #[test]
    fn a_text_that_does_not_parse_is_not_kept() {
        let parsed = ParsedQueries::default();
        assert!(parsed.parse("query { case(id: ").is_none());
        assert_eq!(parsed.len(), 0);
    }

    #[test]
    fn a_long_text_is_parsed_but_not_kept() {
        let parsed = ParsedQueries::default();
        let padding = " ".repeat(LONGEST_KEPT);
        assert!(parsed
            .parse(&format!("{{ __typename {padding}}}"))
            .is_some());
        assert_eq!(parsed.len(), 0);
    }

    #[test]
    fn at_most_the_most_recent_texts_are_kept() {
        let parsed = ParsedQueries::default();
        for n in 0..KEPT + 10 {
            parsed.parse(&format!("{{ __typename # {n}\n}}"));
        }
        assert_eq!(parsed.len(), KEPT);
    }
}
