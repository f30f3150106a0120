//! The people of the authorisation and administration matrices (unit tests only): one way to
//! name a division and an actor for both.

use guanjia_domain::user::{Role, Username};
use guanjia_domain::values::DivisionCode;

use crate::Actor;

/// `s` as a division code; the tests' codes are valid.
pub fn code(s: &str) -> DivisionCode {
    DivisionCode::parse(s).expect("valid division")
}

/// `name` acting as `role` in `division`.
pub fn actor(name: &str, role: Role, division: &str) -> Actor {
    Actor {
        username: Username::parse(name).expect("valid username"),
        role,
        division: code(division),
    }
}
