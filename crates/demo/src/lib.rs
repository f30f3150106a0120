//! guanjia-demo: the demo data set, written through the same commands a steward team would send.
//!
//! - `story2023`: the Hengkou demonstration zone's 2023 as reported — 12 enterprises signed,
//!   9 on-site visits, 13 service items, all rated good, one complaint.
//! - `generated`: 2024 and 2025 from a fixed seed, then a little current work relative to the
//!   chosen "today".
//! - `catalog`, `people`: the catalog items with their guides (before and after the
//!   reform) and the 13 bundles, and the district–town–village team.
//!   `catalog` is public so that the read model's benchmark (crates/read/benches) publishes
//!   the same catalog rather than a copy of it.
//! - `runner`: the application layer over the store, a movable clock and step shorthands;
//!   each step is taken by the demo person who would take it (`cast`), through the use case of
//!   the same name (`steps`), checked like anyone's. The few steps no demo person may take go
//!   on a trusted path, counted in [`DemoReport::trusted`] (`runner.rs` says which and why).

mod cast;
pub mod catalog;
mod generated;
pub mod people;
mod runner;
mod steps;
mod story2023;

use chrono::NaiveDate;
use guanjia_app::AppError;
use guanjia_domain::catalog::CatalogCommand;
use guanjia_store::{LogPosition, Store, StoreError};
use rand::rngs::StdRng;
use rand::SeedableRng;
use thiserror::Error;

use runner::Runner;

/// The seed of the generated years: the same seed gives the same data.
pub const DEFAULT_SEED: u64 = 2023;

/// Why the demo could not be loaded.
#[derive(Debug, Error)]
pub enum DemoError {
    /// The demo only goes into an empty store, so that its figures are exactly the report's.
    #[error("the store already holds events: load the demo into an empty database")]
    NotEmpty,
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A step went through the application layer and was refused or failed there.
    #[error(transparent)]
    App(#[from] AppError),
    /// The demo's own data broke a rule: a bug in this crate.
    #[error("demo data: {0}")]
    Data(String),
}

/// What was loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoReport {
    pub cases: usize,
    pub commands: u64,
    /// How many of the commands no demo person may send, and so went on the trusted path.
    pub trusted: u64,
    pub position: LogPosition,
}

/// Loads the demo into an empty store. `today` anchors the "current" work (open items, coming
/// visits); everything before it is history from 2023 to 2025.
pub async fn load(store: &Store, today: NaiveDate, seed: u64) -> Result<DemoReport, DemoError> {
    if store.head().await? != LogPosition::START {
        return Err(DemoError::NotEmpty);
    }
    let start = NaiveDate::from_ymd_opt(2023, 1, 2).unwrap_or(NaiveDate::MIN);
    let mut runner = Runner::new(store, start);
    publish_catalog(&mut runner).await?;
    let mut cases = story2023::write(&mut runner).await?.len();
    close_2023(&mut runner).await?;
    let mut rng = StdRng::seed_from_u64(seed);
    let year_2024 = generated::year(&mut runner, &mut rng, 2024, 20).await?;
    let year_2025 = generated::year(&mut runner, &mut rng, 2025, 28).await?;
    generated::closures(&mut runner, &mut rng, &year_2024).await?;
    generated::current(&mut runner, &year_2025, today).await?;
    cases += year_2024.len() + year_2025.len();
    let position = store.head().await?;
    let (commands, trusted) = (runner.commands, runner.trusted);
    tracing::info!(cases, commands, trusted, %position, "demo data loaded");
    Ok(DemoReport {
        cases,
        commands,
        trusted,
        position,
    })
}

/// The day the district's leader closes (封账) 2023, its figures reported: from then on the
/// reported 12 signed / 9 visits / 13 items cannot move without a leader's approval.
pub const CLOSED_2023_ON: (i32, u32, u32) = (2024, 1, 10);

async fn close_2023(runner: &mut Runner<'_>) -> Result<(), DemoError> {
    let (y, m, d) = CLOSED_2023_ON;
    runner.at(NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN));
    let leader = cast::actor(people::LEADER.0)?;
    let context = runner.context_of(&leader);
    runner
        .app
        .close_period(&leader, people::DISTRICT, "2023", context)
        .await?;
    runner.commands += 1;
    Ok(())
}

/// Publishes the catalog as the admin the server creates (of the district, by default).
async fn publish_catalog(runner: &mut Runner<'_>) -> Result<(), DemoError> {
    let admin = cast::actor(people::ADMIN)?;
    // Each item's guide from before the reform, then today's (catalog/mod.rs).
    let commands = catalog::first_versions()
        .into_iter()
        .map(|spec| CatalogCommand::PublishItem { spec })
        .chain(
            catalog::items()
                .into_iter()
                .map(|spec| CatalogCommand::ReviseItem { spec }),
        )
        .chain(
            catalog::bundles()
                .into_iter()
                .map(|spec| CatalogCommand::DefineBundle { spec }),
        );
    for command in commands {
        let context = runner.context_of(&admin);
        runner.app.change_catalog(&admin, command, context).await?;
        runner.commands += 1;
    }
    runner.refresh_catalog().await
}
