//! What every use case needs, built once per process: the event log, the services of the
//! aggregates (the clock) and where people's accounts are looked up.

use std::sync::Arc;

use std::future::Future;
use std::pin::Pin;

use guanjia_domain::case::late::LateEntryPolicy;
use guanjia_domain::case::CaseServices;
use guanjia_domain::clock::Clock;
use guanjia_domain::user::{Account, Username};
use guanjia_store::{Store, StoreError};

/// What [`People::account`] answers, later.
pub type AccountLookup<'a> =
    Pin<Box<dyn Future<Output = Result<Option<Account>, StoreError>> + Send + 'a>>;

/// Where the layer reads a person's account as it is now (the api's sign-in keeps a briefly
/// cached copy of every user's stream; a test may read the stream itself). A boxed future, so
/// that the layer can hold any of them behind one pointer.
pub trait People: Send + Sync {
    /// The current account of `username`; `None` when there is no such user (or it cannot be
    /// read whole, which must not let anyone act as them).
    fn account<'a>(&'a self, username: &'a Username) -> AccountLookup<'a>;
}

/// The accounts read from each user's stream in the log, uncached.
#[derive(Debug, Clone)]
pub struct PeopleInLog(pub Store);

impl People for PeopleInLog {
    fn account<'a>(&'a self, username: &'a Username) -> AccountLookup<'a> {
        Box::pin(async move {
            let user = self
                .0
                .load::<guanjia_domain::user::User>(username.as_str())
                .await?;
            Ok(user.state.account().cloned())
        })
    }
}

/// The application layer: one method per use case (`cases`), each authorising the actor,
/// checking the rules that cross aggregates and running the commands. Cheap to clone.
#[derive(Clone)]
pub struct App {
    store: Store,
    services: CaseServices,
    people: Arc<dyn People>,
    /// Whether a 办不成事 complaint needs a leader's sign-off to be resolved (default on).
    complaint_sign_off: bool,
    /// The division that receives 办不成事 reports from the public (`reports.rs`); none: the
    /// service takes no reports.
    pub(crate) report_division: Option<guanjia_domain::values::DivisionCode>,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("store", &self.store)
            .finish_non_exhaustive()
    }
}

impl App {
    /// The use cases over `store`, deciding with `clock` and looking people up in `people`.
    pub fn new(store: Store, clock: Arc<dyn Clock>, people: Arc<dyn People>) -> Self {
        Self {
            store,
            services: CaseServices::new(clock),
            people,
            complaint_sign_off: true,
            report_division: None,
        }
    }

    /// The same use cases with the leader's sign-off of complaint answers required or not
    /// (`complaint_sign_off` in the configuration; on by default).
    pub fn with_complaint_sign_off(mut self, required: bool) -> Self {
        self.complaint_sign_off = required;
        self
    }

    /// The division that receives reports from the public, if any.
    pub fn report_division(&self) -> Option<&guanjia_domain::values::DivisionCode> {
        self.report_division.as_ref()
    }

    /// Whether resolving a 办不成事 complaint needs a leader's sign-off.
    pub fn complaint_sign_off(&self) -> bool {
        self.complaint_sign_off
    }

    /// The same use cases deciding late entries (补录) by `policy` rather than the default.
    pub fn with_late_entries(mut self, policy: LateEntryPolicy) -> Self {
        self.services.late_entries = policy;
        self
    }

    /// The event log the use cases write to.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The services the case aggregate decides with.
    pub fn services(&self) -> &CaseServices {
        &self.services
    }

    pub(crate) fn people(&self) -> &dyn People {
        self.people.as_ref()
    }
}
