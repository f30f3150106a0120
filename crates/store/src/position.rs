//! A place in the global log: what a reader keeps as its checkpoint and what a command returns
//! so that the following read can wait for it (read-your-writes).
//!
//! On PostgreSQL a position is the pair (inserting transaction id, global_position), because the
//! log is read in that order (see `docs/event-log.md`: a bare `global_position` is assigned
//! before commit and transactions commit out of order). On SQLite there is one writer at a time,
//! so `global_position` alone is commit order and the transaction part is always 0. Outside this
//! crate the position is opaque: compare it, print it, parse it back, nothing else.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::StoreError;

/// A position in the global log, totally ordered. Printed as an opaque string such as
/// `"743-1021"` and parsed back by [`FromStr`]; serialised (serde) as that same string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LogPosition {
    // Field order matters: the derived `Ord` compares the transaction first.
    transaction_id: u64,
    global_position: u64,
}

impl LogPosition {
    /// Before the first event: reading after it reads the whole log.
    pub const START: Self = Self {
        transaction_id: 0,
        global_position: 0,
    };

    /// Builds a position from its parts. Meant for the store itself and for tests that compare
    /// with raw SQL; other code should treat positions as opaque.
    pub const fn from_parts(transaction_id: u64, global_position: u64) -> Self {
        Self {
            transaction_id,
            global_position,
        }
    }

    /// The parts (transaction id, global_position), for diagnostics and tests.
    pub const fn parts(&self) -> (u64, u64) {
        (self.transaction_id, self.global_position)
    }
}

impl fmt::Display for LogPosition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.transaction_id, self.global_position)
    }
}

impl FromStr for LogPosition {
    type Err = StoreError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let invalid = || StoreError::decode(format!("not a log position: {text:?}"));
        let (transaction, global) = text.split_once('-').ok_or_else(invalid)?;
        // `u64::from_str` accepts a leading '+'; a position has exactly one spelling.
        let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
        if !digits(transaction) || !digits(global) {
            return Err(invalid());
        }
        Ok(Self {
            transaction_id: transaction.parse().map_err(|_| invalid())?,
            global_position: global.parse().map_err(|_| invalid())?,
        })
    }
}

impl Serialize for LogPosition {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for LogPosition {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_by_transaction_then_position() {
        let early_tx_late_insert = LogPosition::from_parts(10, 99);
        let late_tx_early_insert = LogPosition::from_parts(11, 5);
        assert!(LogPosition::START < early_tx_late_insert);
        assert!(early_tx_late_insert < late_tx_early_insert);
    }

    #[test]
    fn prints_and_parses_back() -> Result<(), StoreError> {
        let position = LogPosition::from_parts(743, 1021);
        assert_eq!(position.to_string(), "743-1021");
        assert_eq!("743-1021".parse::<LogPosition>()?, position);
        assert_eq!(
            LogPosition::START.to_string().parse::<LogPosition>()?,
            LogPosition::START
        );
        Ok(())
    }

    #[test]
    fn refuses_anything_else() {
        for text in [
            "",
            "7",
            "-7",
            "7-",
            "+7-1",
            "7-1-2",
            "a-1",
            " 7-1",
            "99999999999999999999-1",
        ] {
            assert!(text.parse::<LogPosition>().is_err(), "{text:?}");
        }
    }

    #[test]
    fn serialises_as_the_opaque_string() -> Result<(), serde_json::Error> {
        let position = LogPosition::from_parts(0, 42);
        assert_eq!(serde_json::to_string(&position)?, "\"0-42\"");
        assert_eq!(serde_json::from_str::<LogPosition>("\"0-42\"")?, position);
        Ok(())
    }
}
