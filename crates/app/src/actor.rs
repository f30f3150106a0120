//! Who is asking: the signed-in person every use case is decided for. The front doors
//! authenticate (a bearer token, a session cookie) and hand the layer an [`Actor`].

use guanjia_domain::user::{Account, Role, Username};
use guanjia_domain::values::DivisionCode;

/// The signed-in user of a request, as their account is now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub username: Username,
    pub role: Role,
    /// The scope of what the actor may see and do.
    pub division: DivisionCode,
}

impl From<&Account> for Actor {
    fn from(account: &Account) -> Self {
        Self {
            username: account.username.clone(),
            role: account.role,
            division: account.division.clone(),
        }
    }
}
