//! The accounts of a fresh system: the bootstrap admin and one account per person of the demo
//! (its stewards and village agents, the district leader and the auditor), so that a newcomer
//! can sign in as each role after one command.
//!
//! Accounts are created through the user aggregate, exactly as the api creates its bootstrap
//! admin, with passwords hashed by the api's [`Passwords`].

use std::sync::Arc;

use anyhow::Context;
use guanjia_api::auth::{
    bootstrap_admin, check_new_password, Auth, BootstrapAdmin, Passwords, UserDirectory,
};
use guanjia_api::{AuthConfig, Secret};
use guanjia_demo::people::{AGENTS, AUDITOR, DISTRICT, LEADER, STEWARDS};
use guanjia_domain::clock::SystemClock;
use guanjia_domain::user::{Role, User, UserCommand, UserServices};
use guanjia_domain::DomainError;
use guanjia_store::{CommandContext, EventMetadata, Store, StoreError};

use super::support::generate_password;

/// One demo account.
#[derive(Debug, Clone)]
pub struct DemoAccount {
    pub username: &'static str,
    pub name: &'static str,
    pub role: Role,
    pub division: &'static str,
}

/// The people of the demo, leader and auditor first (the roles a newcomer tries first).
pub fn demo_accounts() -> Vec<DemoAccount> {
    let person = |(username, name): (&'static str, &'static str), role| DemoAccount {
        username,
        name,
        role,
        division: DISTRICT,
    };
    let mut accounts = vec![person(LEADER, Role::Leader), person(AUDITOR, Role::Auditor)];
    accounts.extend(STEWARDS.iter().chain(AGENTS).map(|steward| DemoAccount {
        username: steward.id,
        name: steward.name,
        role: Role::Steward,
        division: steward.division,
    }));
    accounts
}

/// The demo accounts' password: the configured one (checked), else a generated one; the flag
/// says it was generated, so it must be printed once.
pub fn demo_password(configured: Option<&Secret>) -> anyhow::Result<(Secret, bool)> {
    match configured {
        Some(password) => {
            check_new_password("GUANJIA_DEMO_PASSWORD", password)?;
            Ok((password.clone(), false))
        }
        None => Ok((generate_password(), true)),
    }
}

/// Creates the demo accounts that do not exist yet; returns the ones created.
pub async fn create_demo_accounts(
    store: &Store,
    passwords: &Passwords,
    password: &Secret,
) -> anyhow::Result<Vec<DemoAccount>> {
    let services = UserServices {
        clock: Arc::new(SystemClock),
    };
    // One hash for all: they share the password, and each hash costs tens of milliseconds.
    let hash = passwords.hash(password).await?;
    let mut created = Vec::new();
    for account in demo_accounts() {
        let command = UserCommand::CreateUser {
            username: account.username.to_owned(),
            display_name: account.name.to_owned(),
            role: account.role,
            division: account.division.to_owned(),
            password_hash: hash.clone(),
        };
        match store
            .execute::<User>(account.username, command, &services, demo_context())
            .await
        {
            Ok(_) => created.push(account),
            Err(StoreError::Rejected(DomainError::AlreadyExists(_))) => {}
            Err(error) => {
                return Err(error).with_context(|| {
                    format!("cannot create the demo account {}", account.username)
                })
            }
        }
    }
    Ok(created)
}

/// Creates the bootstrap admin when the store has no user, as `serve` would on its first start.
/// The token key is a throwaway: no token is issued here.
pub async fn bootstrap(
    store: &Store,
    auth_config: &AuthConfig,
) -> anyhow::Result<Option<BootstrapAdmin>> {
    let directory = UserDirectory::load(store.clone()).await?;
    let key = Secret::new(generate_password().expose().repeat(2));
    let clock = Arc::new(SystemClock);
    let auth = Auth::new(store.clone(), directory, auth_config, &key, clock.clone()).await?;
    Ok(bootstrap_admin(store, &auth, auth_config, clock).await?)
}

fn demo_context() -> CommandContext {
    let id = uuid::Uuid::now_v7().to_string();
    CommandContext::new(EventMetadata {
        actor_id: "system".to_owned(),
        actor_role: "system".to_owned(),
        correlation_id: id.clone(),
        causation_id: id.clone(),
        request_id: id,
        channel: "demo".to_owned(),
    })
}

/// Prints the admin created on this start and its password, once.
pub fn print_admin(admin: &BootstrapAdmin) {
    println!("Created the first admin account: {}", admin.username);
    match &admin.generated_password {
        Some(password) => println!(
            "  password: {}\n  (shown only this once; sign in and change it with changeMyPassword)",
            password.expose()
        ),
        None => println!("  password: the one in GUANJIA_ADMIN_PASSWORD"),
    }
}

/// Prints the demo accounts created and their password, once.
pub fn print_demo_accounts(accounts: &[DemoAccount], password: &Secret, generated: bool) {
    if accounts.is_empty() {
        return;
    }
    println!("Demo accounts, one per person of the demo district:");
    for account in accounts {
        println!(
            "  {:<10} {:<8} division {}  {}",
            account.username,
            account.role.as_str(),
            account.division,
            account.name
        );
    }
    if generated {
        println!(
            "  password (all of them): {}\n  (shown only this once; set GUANJIA_DEMO_PASSWORD to choose it)",
            password.expose()
        );
    } else {
        println!("  password (all of them): the one in GUANJIA_DEMO_PASSWORD");
    }
}
