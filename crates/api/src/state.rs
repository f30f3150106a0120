//! What every resolver and handler shares: the store, sign-in, the clock, the limits, the live
//! read model and the shutdown signal. Built once per process by [`AppState::build`] (or per
//! test).
//!
//! The read model is replayed from the log while the state is built, so a node answers its
//! first query with everything committed before it started; it then follows the log in the
//! background until the shutdown token fires.

use guanjia_domain::case::late::LateEntryPolicy;
use std::sync::Arc;

use guanjia_app::App;
use guanjia_domain::clock::{Clock, SystemClock};
use guanjia_read::follower::FollowOptions;
use guanjia_read::{LiveReadModel, ReadError, ReadModel};
use guanjia_store::Store;
use tokio_util::sync::CancellationToken;

use crate::auth::{bootstrap_admin, signing_key, Auth, BootstrapAdmin, UserDirectory};
use crate::config::{AppConfig, AuthConfig, Limits};
use crate::error::ApiError;
use crate::StartError;

/// Shared by every request; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    /// The use cases (`guanjia-app`): every command goes through them.
    pub app: App,
    pub auth: Arc<Auth>,
    /// "Now" for token expiry, the aggregates' services and the read model's `today`.
    pub clock: Arc<dyn Clock>,
    pub limits: Limits,
    /// When a step is a late entry (补录): the configured days, by the configured calendar.
    pub late_entries: LateEntryPolicy,
    /// This node's read model: queries read it, mutations wait on it for their own events.
    pub read: LiveReadModel,
    /// Issues and checks the public rating links (`crate::rating_link`).
    pub rating_links: Arc<crate::rating_link::RatingLinks>,
    /// Signs and checks the enterprise's 办件进度 links (`crate::progress_link`); they point
    /// at the rating links' base address.
    pub progress_links: Arc<crate::progress_link::ProgressSigner>,
    /// The rate limits of sign-in and the rating links (`crate::throttle`).
    pub throttle: Arc<crate::throttle::Throttle>,
    /// What the chain keeper last did (`crate::chain_keeper`).
    pub chain: crate::chain_keeper::SharedStatus,
    /// Cancelled at shutdown: subscriptions, the read model's follower and other background
    /// tasks end when it fires.
    pub shutdown: CancellationToken,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("store", &self.store)
            .field("limits", &self.limits)
            .field("read_position", &self.read.position())
            .finish_non_exhaustive()
    }
}

impl AppState {
    /// Loads the user directory from `store`, sets up sign-in, creates the bootstrap admin on
    /// an empty system (returned so the caller can print a generated password once), and
    /// replays the log into the read model with `config.calendar` and `config.kpi`.
    pub async fn build(
        store: Store,
        config: &AppConfig,
        clock: Arc<dyn Clock>,
    ) -> Result<(Self, Option<BootstrapAdmin>), StartError> {
        let database_url = config.database_url.expose();
        let key = signing_key(config.auth.token_secret.as_ref(), database_url)?;
        let directory = UserDirectory::load(store.clone()).await?;
        let signer = Auth::new(store.clone(), directory, &config.auth, &key, clock.clone()).await?;
        let bootstrap = bootstrap_admin(&store, &signer, &config.auth, clock.clone()).await?;
        let model = ReadModel::new(config.calendar.clone(), config.kpi.clone());
        let options = FollowOptions {
            snapshot: config.snapshot.clone(),
            snapshot_every: config.snapshot_every,
            ..FollowOptions::default()
        };
        let read = LiveReadModel::start_with(store.clone(), model, options)
            .await
            .map_err(start_error)?;
        let shutdown = CancellationToken::new();
        stop_at_shutdown(&read, &shutdown);
        let chain = crate::chain_keeper::start(
            &store,
            &read,
            config.anchors.clone(),
            config.anchor_every,
            &shutdown,
        );
        let auth = Arc::new(signer);
        let late_entries = LateEntryPolicy {
            days: config.late_entry_days,
            calendar: Arc::new(config.calendar.clone()),
        };
        let app = App::new(store.clone(), clock.clone(), auth.clone())
            .with_late_entries(late_entries.clone())
            .with_complaint_sign_off(config.complaint_sign_off)
            .with_report_division(report_division(config)?);
        let state = Self {
            store,
            app,
            auth,
            clock,
            limits: config.limits.clone(),
            late_entries,
            read,
            rating_links: Arc::new(crate::rating_link::RatingLinks::new(
                &key,
                config.public_base_url.as_deref(),
                config.listen,
            )?),
            progress_links: Arc::new(crate::progress_link::ProgressSigner::new(&key)?),
            throttle: Arc::new(crate::throttle::Throttle::new(&config.limits.rate)?),
            chain,
            shutdown,
        };
        Ok((state, bootstrap))
    }

    /// [`Self::build`] with the default calendar and KPI configuration.
    pub async fn open(
        store: Store,
        database_url: &str,
        auth: &AuthConfig,
        limits: Limits,
        clock: Arc<dyn Clock>,
    ) -> Result<(Self, Option<BootstrapAdmin>), StartError> {
        let mut config = AppConfig::new(database_url);
        config.auth = auth.clone();
        config.limits = limits;
        Self::build(store, &config, clock).await
    }

    /// [`Self::open`] with the system clock.
    pub async fn open_with_system_clock(
        store: Store,
        database_url: &str,
        auth: &AuthConfig,
        limits: Limits,
    ) -> Result<(Self, Option<BootstrapAdmin>), StartError> {
        Self::open(store, database_url, auth, limits, Arc::new(SystemClock)).await
    }
}

/// The follower has no cancellation of its own: a watcher task stops it when the token fires,
/// so that shutdown does not wait on (or race with) a page being applied.
fn stop_at_shutdown(read: &LiveReadModel, shutdown: &CancellationToken) {
    let (read, shutdown) = (read.clone(), shutdown.clone());
    tokio::spawn(async move {
        shutdown.cancelled().await;
        read.stop();
        tracing::debug!("the read model stopped following the log");
    });
}

fn start_error(error: ReadError) -> StartError {
    match error {
        ReadError::Store(store) => StartError::Store(store),
        other => StartError::Setup(format!("the read model could not be built: {other}")),
    }
}

impl From<ApiError> for StartError {
    fn from(error: ApiError) -> Self {
        match error {
            ApiError::Internal { detail } => Self::Setup(detail),
            other => Self::Setup(other.to_string()),
        }
    }
}

/// The division that receives 办不成事 reports from the public: the zone's top division, the
/// one the bootstrap admin runs (`admin_division`), whose window refers reports onwards.
fn report_division(config: &AppConfig) -> Result<guanjia_domain::values::DivisionCode, StartError> {
    guanjia_domain::values::DivisionCode::parse(&config.auth.admin_division)
        .map_err(|error| StartError::Setup(format!("admin_division: {error}")))
}
