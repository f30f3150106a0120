//! What several commands share: opening the store, the metadata of commands sent from the
//! command line and the actor they run as in the application layer, today's date in Beijing,
//! and new passwords.

use std::io::BufRead;

use std::sync::Arc;

use anyhow::{bail, Context};
use chrono::{NaiveDate, Utc};
use guanjia_api::Secret;
use guanjia_app::{Actor, App, PeopleInLog};
use guanjia_domain::clock::{china_date, SystemClock};
use guanjia_domain::user::{Role, Username};
use guanjia_domain::values::DivisionCode;
use guanjia_store::{CommandContext, EventMetadata, Store};
use rand::Rng;

use crate::settings::Settings;

/// Characters of a generated password: no look-alikes (0/O, 1/l/I), easy to type from a screen.
const ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";
const GENERATED_LENGTH: usize = 20;

/// Opens (and migrates) the configured store.
pub async fn open_store(settings: &Settings) -> anyhow::Result<Store> {
    Store::open(&settings.database_url.value, settings.store_options())
        .await
        .map_err(|error| {
            let detail = error
                .detail()
                .map(|d| format!(" ({d})"))
                .unwrap_or_default();
            anyhow::anyhow!("cannot open the database: {error}{detail}")
        })
}

/// The metadata of a command typed at the command line. The actor is the operating-system
/// user, so the audit trail says who ran it on the server; `channel` is `cli`.
pub fn cli_context() -> CommandContext {
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "unknown".to_owned());
    let id = uuid::Uuid::now_v7().to_string();
    CommandContext::new(EventMetadata {
        actor_id: format!("cli:{user}"),
        actor_role: "system".to_owned(),
        correlation_id: id.clone(),
        causation_id: id.clone(),
        request_id: id,
        channel: "cli".to_owned(),
    })
}

/// The application layer over `store`, on the system clock, for the commands that run use
/// cases (`catalog import`).
pub fn app(store: &Store) -> App {
    App::new(
        store.clone(),
        Arc::new(SystemClock),
        Arc::new(PeopleInLog(store.clone())),
    )
}

/// Who an operator's command runs as in the application layer: an admin of the configured
/// district (`admin_division`, the bootstrap admin's). Whoever runs the binary on the server
/// holds the database itself, so the layer's checks grant them no more than they have; the log
/// still records the operating-system user ([`cli_context`]).
pub fn operator(settings: &Settings) -> anyhow::Result<Actor> {
    let division = &settings.admin_division.value;
    Ok(Actor {
        username: Username::parse("operator")?,
        role: Role::Admin,
        division: DivisionCode::parse(division)
            .with_context(|| format!("admin_division {division} is not a division code"))?,
    })
}

/// Today's date in Beijing: business dates are Beijing local dates.
pub fn today() -> NaiveDate {
    china_date(Utc::now())
}

/// A new random password (20 characters, about 115 bits).
pub fn generate_password() -> Secret {
    let mut rng = rand::rngs::OsRng;
    let password: String = (0..GENERATED_LENGTH)
        .map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]))
        .collect();
    Secret::new(password)
}

/// The first line of stdin, without its line ending: a password piped in by a script.
pub fn password_from_stdin() -> anyhow::Result<Secret> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("cannot read the password from stdin")?;
    let password = line.trim_end_matches(['\r', '\n']);
    if password.is_empty() {
        bail!("stdin held no password");
    }
    Ok(Secret::new(password))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_passwords_are_long_and_differ() {
        let (a, b) = (generate_password(), generate_password());
        assert_eq!(a.expose().len(), GENERATED_LENGTH);
        assert_ne!(a, b);
    }
}
