//! `guanjia serve`, and `guanjia demo`, which prepares a database the way the first start does.
//!
//! The first start on an empty database, in order: check the port (so a port already taken
//! fails before minutes of demo loading), load the demo into the still-empty store (the demo
//! refuses a store that holds anything, and the bootstrap admin is an event), build the
//! application (which creates the admin), create the demo accounts, then print where to go.

use anyhow::Context;
use guanjia_api::auth::{check_new_password, Passwords};
use guanjia_api::{shutdown_signal, Application, StartError};
use guanjia_demo::DemoReport;
use guanjia_store::{LogPosition, Store};

use super::accounts::{self, bootstrap, create_demo_accounts, demo_password};
use super::support::{open_store, today};
use crate::cli::DemoArgs;
use crate::settings::Settings;
use crate::telemetry;

/// Runs the server until Ctrl-C or SIGTERM.
pub async fn serve(settings: &Settings) -> anyhow::Result<()> {
    // Fail on bad settings (calendar file included) before anything is written.
    let config = settings.app_config()?;
    if let Some(password) = &config.auth.admin_password {
        check_new_password("GUANJIA_ADMIN_PASSWORD", password)?;
    }
    let (password, generated) = demo_password(settings.demo_password.as_ref().map(|s| &s.value))?;
    let years = config.calendar.published_years();
    let (first, last) = (years.first().copied(), years.last().copied());
    tracing::debug!(
        first = first.unwrap_or_default(),
        last = last.unwrap_or_default(),
        "working-day calendar ready"
    );
    check_port(config.listen).await?;

    let demo = match settings.loads_demo() {
        true => load_demo_if_empty(settings).await?,
        false => None,
    };
    telemetry::init_metrics();
    let pages_config = config.clone();
    let mut app = Application::build(config).await?;
    // The pages for people, at `/` beside the API (crates/web).
    let web = guanjia_web::Web::new(app.state().clone(), &pages_config)?;
    app.merge_routes(web.router());
    let address = app.address();
    let admin = app.take_bootstrap_admin();
    let created = match &demo {
        Some(_) => {
            let store = &app.state().store;
            let made = create_demo_accounts(store, app.state().auth.passwords(), &password).await?;
            app.state().auth.directory().refresh().await?;
            made
        }
        None => Vec::new(),
    };

    println!("Guanjia is listening on http://{address}");
    println!("  pages (sign in): http://{address}/");
    println!("  query console: http://{address}/graphql");
    println!("  health: http://{address}/readyz   metrics: http://{address}/metrics");
    if let Some(admin) = &admin {
        accounts::print_admin(admin);
    }
    if let Some(report) = &demo {
        print_demo_report(report);
        accounts::print_demo_accounts(&created, &password, generated);
    }
    if admin.is_some() || demo.is_some() {
        println!(
            "Next: open http://{address}/ and sign in as wang.lei (steward) or zhang.wei \
             (leader); the query console takes `mutation {{ login(username: \"zhang.wei\", \
             password: \"…\") {{ token }} }}` (docs/user-guide.md)."
        );
    }
    println!("Press Ctrl-C to stop.");

    let state = app.state();
    tokio::spawn(telemetry::count_appended_events(
        state.store.clone(),
        state.shutdown.clone(),
    ));
    app.run_until_stopped(shutdown_signal())
        .await
        .context("the server stopped with an error")
}

/// `guanjia demo`: the demo, the admin and the demo accounts, into an empty database.
pub async fn demo(settings: &Settings, args: &DemoArgs) -> anyhow::Result<()> {
    let (password, generated) = demo_password(settings.demo_password.as_ref().map(|s| &s.value))?;
    let store = open_store(settings).await?;
    let outcome: anyhow::Result<()> = async {
        println!("Loading the demo data (Hengkou demonstration zone, 2023–2025)…");
        let report =
            guanjia_demo::load(&store, args.today.unwrap_or_else(today), args.seed).await?;
        print_demo_report(&report);
        let auth = settings.app_config()?.auth;
        if let Some(admin) = bootstrap(&store, &auth).await? {
            accounts::print_admin(&admin);
        }
        let passwords = Passwords::new(auth.password_cost)?;
        let created = create_demo_accounts(&store, &passwords, &password).await?;
        accounts::print_demo_accounts(&created, &password, generated);
        Ok(())
    }
    .await;
    store.close().await;
    outcome
}

/// Loads the demo when the store holds no event at all; `None` when it holds some.
async fn load_demo_if_empty(settings: &Settings) -> anyhow::Result<Option<DemoReport>> {
    let store: Store = open_store(settings).await?;
    let outcome: anyhow::Result<Option<DemoReport>> = async {
        if store.head().await? != LogPosition::START {
            return Ok(None);
        }
        println!("Empty database: loading the demo data (Hengkou demonstration zone, 2023–2025)…");
        println!("  (start with --no-demo, or set GUANJIA_LOAD_DEMO=false, for an empty service)");
        Ok(Some(
            guanjia_demo::load(&store, today(), guanjia_demo::DEFAULT_SEED).await?,
        ))
    }
    .await;
    store.close().await;
    outcome
}

fn print_demo_report(report: &DemoReport) {
    println!(
        "Loaded the demo data: {} cases from {} commands, up to log position {}.",
        report.cases, report.commands, report.position
    );
}

/// Fails with the server's own message when the port is taken. Port 0 always binds.
async fn check_port(address: std::net::SocketAddr) -> anyhow::Result<()> {
    if address.port() == 0 {
        return Ok(());
    }
    match tokio::net::TcpListener::bind(address).await {
        Ok(_) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::AddrInUse => {
            Err(StartError::AddressInUse(address).into())
        }
        Err(source) => Err(StartError::Bind { address, source }.into()),
    }
}
