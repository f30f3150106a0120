//! What every resolver and handler shares: the store, sign-in, the clock, the limits and the
//! shutdown signal. Built once per process by [`AppState::open`] (or per test).

use std::sync::Arc;

use guanjia_domain::clock::{Clock, SystemClock};
use guanjia_store::Store;
use tokio_util::sync::CancellationToken;

use crate::auth::{bootstrap_admin, signing_key, Auth, BootstrapAdmin, UserDirectory};
use crate::config::{AuthConfig, Limits};
use crate::error::ApiError;
use crate::StartError;

/// Shared by every request; cheap to clone.
#[derive(Debug, Clone)]
pub struct AppState {
    pub store: Store,
    pub auth: Arc<Auth>,
    /// "Now" for token expiry and the aggregates' services.
    pub clock: Arc<dyn Clock>,
    pub limits: Limits,
    /// Cancelled at shutdown: subscriptions and background tasks end when it fires.
    pub shutdown: CancellationToken,
}

impl AppState {
    /// Loads the user directory from `store`, sets up sign-in, and creates the bootstrap admin
    /// on an empty system (returned so the caller can print a generated password once).
    pub async fn open(
        store: Store,
        database_url: &str,
        auth: &AuthConfig,
        limits: Limits,
        clock: Arc<dyn Clock>,
    ) -> Result<(Self, Option<BootstrapAdmin>), StartError> {
        let key = signing_key(auth.token_secret.as_ref(), database_url)?;
        let directory = UserDirectory::load(store.clone()).await?;
        let signer = Auth::new(directory, auth, &key, clock.clone()).await?;
        let bootstrap = bootstrap_admin(&store, &signer, auth, clock.clone()).await?;
        let state = Self {
            store,
            auth: Arc::new(signer),
            clock,
            limits,
            shutdown: CancellationToken::new(),
        };
        Ok((state, bootstrap))
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

impl From<ApiError> for StartError {
    fn from(error: ApiError) -> Self {
        match error {
            ApiError::Internal { detail } => Self::Setup(detail),
            other => Self::Setup(other.to_string()),
        }
    }
}
