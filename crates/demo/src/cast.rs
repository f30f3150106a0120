//! The demo's people as the application layer sees them: each an [`Actor`] with the role and
//! division of the account the server creates for them (`people.rs`), looked up by
//! [`DemoPeople`] while the demo loads (the accounts themselves come after, with passwords), and
//! who of them takes which step.

use guanjia_app::{AccountLookup, Actor, People};
use guanjia_domain::user::{Account, PasswordHash, Role, Username};
use guanjia_domain::values::DivisionCode;

use crate::people::{ADMIN, AGENTS, AUDITOR, DISTRICT, LEADER, STEWARDS};
use crate::DemoError;

/// One demo person: username, display name, role, division.
type Person = (&'static str, &'static str, Role, &'static str);

/// Every person of the demo, the admin the server creates on its first start included.
fn everyone() -> impl Iterator<Item = Person> {
    [
        (ADMIN, "管理员", Role::Admin, DISTRICT),
        (LEADER.0, LEADER.1, Role::Leader, DISTRICT),
        (AUDITOR.0, AUDITOR.1, Role::Auditor, DISTRICT),
    ]
    .into_iter()
    .chain(
        STEWARDS
            .iter()
            .chain(AGENTS)
            .map(|s| (s.id, s.name, Role::Steward, s.division)),
    )
}

/// The demo person `username` as an actor.
pub(crate) fn actor(username: &str) -> Result<Actor, DemoError> {
    let (id, _, role, division) = everyone()
        .find(|person| person.0 == username)
        .ok_or_else(|| DemoError::Data(format!("no demo person {username}")))?;
    Ok(Actor {
        username: parse_username(id)?,
        role,
        division: division_code(division)?,
    })
}

/// Whether the demo person `username` works in a division that holds `division`.
pub(crate) fn holds(username: &str, division: &DivisionCode) -> bool {
    everyone().any(|(id, _, _, own)| {
        id == username && DivisionCode::parse(own).is_ok_and(|own| own.contains(division))
    })
}

/// Who registers a case in `division`: the steward whose division is the narrowest that holds
/// it (the town's steward, else the district's).
pub(crate) fn registrar(division: &DivisionCode) -> Result<Actor, DemoError> {
    let steward = STEWARDS
        .iter()
        .filter(|s| holds(s.id, division))
        .max_by_key(|s| s.division.trim_end_matches('0').len())
        .ok_or_else(|| DemoError::Data(format!("no demo steward holds {division}")))?;
    actor(steward.id)
}

pub(crate) fn division_code(code: &str) -> Result<DivisionCode, DemoError> {
    DivisionCode::parse(code).map_err(|e| DemoError::Data(format!("division {code}: {e}")))
}

fn parse_username(name: &str) -> Result<Username, DemoError> {
    Username::parse(name).map_err(|e| DemoError::Data(format!("username {name}: {e}")))
}

/// The demo's accounts as they will be, for the layer's checks of the people a step puts on a
/// team. They hold no password: the demo signs no one in.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DemoPeople;

impl People for DemoPeople {
    fn account<'a>(&'a self, username: &'a Username) -> AccountLookup<'a> {
        let account = everyone()
            .find(|person| person.0 == username.as_str())
            .and_then(|(_, name, role, division)| {
                Some(Account {
                    username: username.clone(),
                    display_name: name.to_owned(),
                    role,
                    division: DivisionCode::parse(division).ok()?,
                    password_hash: PasswordHash::parse("$demo$no-password").ok()?,
                    disabled: None,
                    token_generation: 0,
                })
            });
        Box::pin(async move { Ok(account) })
    }
}
