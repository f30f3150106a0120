//! The values of the user aggregate: a checked [`Username`], the four [`Role`]s of domain.md and
//! a [`PasswordHash`] that never prints itself.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::ValueError;
use crate::values::text::half_width;

/// Shortest username, in characters.
pub const USERNAME_MIN: usize = 3;
/// Longest username, in characters.
pub const USERNAME_MAX: usize = 32;
/// Longest stored password hash: a PHC string of argon2id is about 100 characters; the bound
/// only keeps a broken caller from bloating the log.
pub const PASSWORD_HASH_MAX: usize = 512;

const USERNAME_ALLOWED: &str = "lowercase letters a-z, digits 0-9, '_', '.' and '-'";

/// A login name: 3–32 characters from `[a-z0-9_.-]`.
///
/// Parsing trims, maps full-width characters to ASCII and lowercases ASCII letters, so that
/// `Admin` typed on a phone that capitalises the first letter is the same user as `admin`:
/// a username is an identifier, not a display text (that is the display name).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Username(String);

impl Username {
    /// Parses and normalises a username (see the type's documentation).
    pub fn parse(input: &str) -> Result<Self, ValueError> {
        let name = half_width(input).trim().to_ascii_lowercase();
        let length = name.chars().count();
        if length == 0 {
            return Err(ValueError::Empty);
        }
        if length > USERNAME_MAX {
            return Err(ValueError::TooLong {
                max: USERNAME_MAX,
                actual: length,
            });
        }
        if length < USERNAME_MIN {
            return Err(ValueError::OutOfRange {
                min: USERNAME_MIN as i64,
                max: USERNAME_MAX as i64,
                actual: length as i64,
            });
        }
        let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || "_.-".contains(c);
        if let Some((index, found)) = name.chars().enumerate().find(|(_, c)| !allowed(*c)) {
            return Err(ValueError::BadCharacter {
                position: index + 1,
                found,
                allowed: USERNAME_ALLOWED,
            });
        }
        Ok(Self(name))
    }

    /// The normalised name; also the id of the user's event stream.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Username {
    type Error = ValueError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Username> for String {
    fn from(value: Username) -> Self {
        value.0
    }
}

/// What a user may do (domain.md, "Who uses it"); the scope is the user's division code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Works on the cases whose team they are on; reads the cases in their division.
    Steward,
    /// Reads everything in their division subtree, sees dashboards, assigns stewards.
    Leader,
    /// Reads the full event history and actor records in their division; verifies the log.
    Auditor,
    /// Manages users, the catalog, the calendar and the configuration.
    Admin,
    /// A display in the service hall (大屏): sees its division's dashboard figures, read-only,
    /// with no case and no personal data. An admin issues one per screen and revokes it.
    Display,
}

impl Role {
    /// The name stored in event metadata (`actor_role`) and shown in logs.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Steward => "steward",
            Self::Leader => "leader",
            Self::Auditor => "auditor",
            Self::Admin => "admin",
            Self::Display => "display",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A password hash in PHC string format (`$argon2id$v=19$…`), made by the api layer.
///
/// The domain only checks the shape; it never sees a password. `Debug` hides the value so that
/// a logged command or event does not carry material for an offline attack.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PasswordHash(String);

impl PasswordHash {
    /// Accepts a PHC string: starts with `$`, no whitespace, at most [`PASSWORD_HASH_MAX`].
    pub fn parse(phc: &str) -> Result<Self, ValueError> {
        if phc.is_empty() {
            return Err(ValueError::Empty);
        }
        let actual = phc.chars().count();
        if actual > PASSWORD_HASH_MAX {
            return Err(ValueError::TooLong {
                max: PASSWORD_HASH_MAX,
                actual,
            });
        }
        if !phc.starts_with('$') {
            return Err(ValueError::Rule(
                "must be a PHC string starting with '$'".to_owned(),
            ));
        }
        if let Some((index, found)) = phc.chars().enumerate().find(|(_, c)| c.is_whitespace()) {
            return Err(ValueError::BadCharacter {
                position: index + 1,
                found,
                allowed: "no whitespace in a PHC string",
            });
        }
        Ok(Self(phc.to_owned()))
    }

    /// The PHC string, for verifying a password.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PasswordHash(<hidden>)")
    }
}

impl TryFrom<String> for PasswordHash {
    type Error = ValueError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<PasswordHash> for String {
    fn from(value: PasswordHash) -> Self {
        value.0
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a failing test should stop loudly
mod tests {
    use super::*;

    #[test]
    fn usernames_are_normalised_to_lowercase_ascii() {
        assert_eq!(Username::parse("  Admin ").unwrap().as_str(), "admin");
        assert_eq!(
            Username::parse("ｌｉ．ｍｉｎｇ").unwrap().as_str(),
            "li.ming"
        );
        assert_eq!(
            Username::parse("wang_2023-a").unwrap().as_str(),
            "wang_2023-a"
        );
    }

    #[test]
    fn usernames_break_each_rule_by_name() {
        let err = |s: &str| Username::parse(s).unwrap_err();
        assert_eq!(err("  "), ValueError::Empty);
        assert_eq!(
            err("ab"),
            ValueError::OutOfRange {
                min: 3,
                max: 32,
                actual: 2
            }
        );
        assert_eq!(
            err(&"a".repeat(33)),
            ValueError::TooLong {
                max: 32,
                actual: 33
            }
        );
        assert_eq!(
            err("li ming"),
            ValueError::BadCharacter {
                position: 3,
                found: ' ',
                allowed: USERNAME_ALLOWED
            }
        );
        assert!(matches!(
            err("李明明"),
            ValueError::BadCharacter { position: 1, .. }
        ));
    }

    #[test]
    fn password_hashes_never_print() {
        let hash = PasswordHash::parse("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA").unwrap();
        assert_eq!(format!("{hash:?}"), "PasswordHash(<hidden>)");
        assert_eq!(PasswordHash::parse(""), Err(ValueError::Empty));
        assert!(PasswordHash::parse("hunter2").is_err());
        assert!(PasswordHash::parse("$argon2id $x").is_err());
    }

    #[test]
    fn values_round_trip_through_json_as_strings() {
        let name = Username::parse("li.ming").unwrap();
        assert_eq!(serde_json::to_string(&name).unwrap(), "\"li.ming\"");
        assert!(serde_json::from_str::<Username>("\"LI MING\"").is_err());
        assert_eq!(serde_json::to_string(&Role::Leader).unwrap(), "\"leader\"");
    }
}
