//! Given–when–then tests of the user aggregate: every command, every refusal. The fixtures are
//! a town steward of 恒口镇 and the hashes an api layer would have made.

mod access;
mod create;
mod credentials;

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use cqrs_es::test::TestFramework;

use super::{PasswordHash, Role, User, UserCommand, UserEvent, UserServices, Username};
use crate::clock::FixedClock;
use crate::testing::SnapshotChecked;
use crate::values::DivisionCode;

const HASH_1: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdDE$aGFzaDE";
const HASH_2: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdDI$aGFzaDI";
/// 恒口镇 of the 汉滨区 district.
const TOWN: &str = "610902100000";
const DISTRICT: &str = "610902000000";

fn users() -> TestFramework<SnapshotChecked<User>> {
    let start = Utc
        .with_ymd_and_hms(2024, 3, 15, 2, 0, 0)
        .single()
        .expect("a valid instant");
    TestFramework::with(UserServices {
        clock: Arc::new(FixedClock::at(start)),
    })
}

fn hash(phc: &str) -> PasswordHash {
    PasswordHash::parse(phc).expect("a valid PHC string")
}

fn division(code: &str) -> DivisionCode {
    DivisionCode::parse(code).expect("a valid division code")
}

fn create_command() -> UserCommand {
    UserCommand::CreateUser {
        username: "li.ming".to_owned(),
        display_name: "李明".to_owned(),
        role: Role::Steward,
        division: TOWN.to_owned(),
        password_hash: HASH_1.to_owned(),
    }
}

fn created() -> UserEvent {
    UserEvent::UserCreated {
        username: Username::parse("li.ming").expect("a valid username"),
        display_name: "李明".to_owned(),
        role: Role::Steward,
        division: division(TOWN),
        password_hash: hash(HASH_1),
    }
}

fn disabled() -> Vec<UserEvent> {
    vec![
        created(),
        UserEvent::UserDisabled {
            reason: "调离".to_owned(),
        },
        UserEvent::TokensRevoked { generation: 1 },
    ]
}

/// The state after replaying `events`.
fn replayed(events: Vec<UserEvent>) -> User {
    use cqrs_es::Aggregate;
    let mut user = User::default();
    for event in events {
        user.apply(event);
    }
    user
}
