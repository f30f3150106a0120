//! `guanjia user`: accounts managed directly in the store, for the operator of the server (the
//! first admin lost their password, a steward left). Every change goes through the user
//! aggregate, so it is in the audit trail like a change made over GraphQL; a running server
//! picks it up by following the log.

use std::sync::Arc;

use anyhow::{bail, Context};
use guanjia_api::auth::{check_new_password, Passwords, UserDirectory};
use guanjia_api::{PasswordCost, Secret};
use guanjia_domain::clock::SystemClock;
use guanjia_domain::user::{User, UserCommand, UserServices, Username};
use guanjia_domain::DomainError;
use guanjia_store::{Store, StoreError};

use super::support::{cli_context, generate_password, open_store, password_from_stdin};
use crate::cli::UserAction;
use crate::settings::Settings;

/// Runs one `user` action.
pub async fn run(settings: &Settings, action: UserAction) -> anyhow::Result<()> {
    let store = open_store(settings).await?;
    let outcome = act(&store, action).await;
    store.close().await;
    outcome
}

async fn act(store: &Store, action: UserAction) -> anyhow::Result<()> {
    match action {
        UserAction::Add {
            username,
            role,
            division,
            name,
            password_stdin,
        } => {
            let username = parse(&username)?;
            let (password, generated) = new_password(password_stdin)?;
            let command = UserCommand::CreateUser {
                username: username.to_string(),
                display_name: name,
                role,
                division,
                password_hash: hash(&password).await?,
            };
            execute(store, &username, command).await?;
            println!("Created the {role} {username}.");
            print_password(&password, generated);
        }
        UserAction::List => list(store).await?,
        UserAction::Disable { username, reason } => {
            let username = parse(&username)?;
            execute(store, &username, UserCommand::Disable { reason }).await?;
            println!("Disabled {username}; their tokens are revoked.");
        }
        UserAction::Enable { username } => {
            let username = parse(&username)?;
            execute(store, &username, UserCommand::Enable).await?;
            println!("Enabled {username}.");
        }
        UserAction::ResetPassword {
            username,
            password_stdin,
        } => {
            let username = parse(&username)?;
            let (password, generated) = new_password(password_stdin)?;
            let command = UserCommand::ResetPassword {
                password_hash: hash(&password).await?,
            };
            execute(store, &username, command).await?;
            println!("Reset the password of {username}; their tokens are revoked.");
            print_password(&password, generated);
        }
    }
    Ok(())
}

async fn list(store: &Store) -> anyhow::Result<()> {
    let directory = UserDirectory::load(store.clone()).await?;
    let accounts = directory.all();
    if accounts.is_empty() {
        println!("No accounts yet: `guanjia serve` creates the first admin.");
        return Ok(());
    }
    println!(
        "{:<24} {:<8} {:<12} {:<10} name",
        "username", "role", "division", "status"
    );
    for account in accounts {
        let status = if account.is_active() {
            "active"
        } else {
            "disabled"
        };
        println!(
            "{:<24} {:<8} {:<12} {:<10} {}",
            account.username, account.role, account.division, status, account.display_name
        );
    }
    Ok(())
}

fn parse(username: &str) -> anyhow::Result<Username> {
    Username::parse(username).with_context(|| format!("{username:?} is not a valid username"))
}

fn new_password(from_stdin: bool) -> anyhow::Result<(Secret, bool)> {
    let password = match from_stdin {
        true => password_from_stdin()?,
        false => generate_password(),
    };
    check_new_password("password", &password)?;
    Ok((password, !from_stdin))
}

/// Hashes at the production cost: the server verifies with the cost stored in the hash.
async fn hash(password: &Secret) -> anyhow::Result<String> {
    Ok(Passwords::new(PasswordCost::default())?
        .hash(password)
        .await?)
}

async fn execute(store: &Store, username: &Username, command: UserCommand) -> anyhow::Result<()> {
    let services = UserServices {
        clock: Arc::new(SystemClock),
    };
    match store
        .execute::<User>(username.as_str(), command, &services, cli_context())
        .await
    {
        Ok(_) => Ok(()),
        Err(StoreError::Rejected(DomainError::NotFound { .. })) => {
            bail!("there is no user {username} (`guanjia user list` shows them)")
        }
        Err(StoreError::Rejected(refused)) => bail!("refused: {refused}"),
        Err(error) => {
            let detail = error.detail().unwrap_or_default();
            Err(anyhow::anyhow!("{error} {detail}").context("the change was not saved"))
        }
    }
}

fn print_password(password: &Secret, generated: bool) {
    if generated {
        println!(
            "  password: {}\n  (shown only this once)",
            password.expose()
        );
    }
}
