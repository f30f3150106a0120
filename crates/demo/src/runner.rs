//! The demo's hands: a store, a clock moved to each step's date (so "not in the future" rules
//! hold while history is written after the fact), and shorthands for the usual commands.

use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use guanjia_app::cases::{self, CaseRegistration};
use guanjia_domain::case::commands::{PersonInput, RatingInput};
use guanjia_domain::case::model::{Channel, DimensionSet, HandlingMode, RatingTarget};
use guanjia_domain::case::{CaseCommand, CaseServices};
use guanjia_domain::catalog::{CatalogItemFacts, ServiceCatalog, DEFAULT_CATALOG_ID};
use guanjia_domain::clock::{china_offset, FixedClock};
use guanjia_store::{CommandContext, Committed, EventMetadata, Store};

use crate::DemoError;

/// Runs demo commands against a store with a movable clock.
pub(crate) struct Runner<'a> {
    pub store: &'a Store,
    clock: FixedClock,
    pub services: CaseServices,
    catalog: ServiceCatalog,
    requests: u64,
    pub commands: u64,
}

impl<'a> Runner<'a> {
    pub fn new(store: &'a Store, start: NaiveDate) -> Self {
        let clock = FixedClock::at(instant(start, 10));
        let services = CaseServices::new(Arc::new(clock.clone()));
        Self {
            store,
            clock,
            services,
            catalog: ServiceCatalog::default(),
            requests: 0,
            commands: 0,
        }
    }

    /// Moves the clock to 10:00 Beijing time on `date`.
    pub fn at(&self, date: NaiveDate) {
        self.clock.set(instant(date, 10));
    }

    /// A fresh context: the demo acts as the system, on the `demo` channel.
    pub fn context(&mut self) -> CommandContext {
        self.requests += 1;
        let id = format!("demo-{:06}", self.requests);
        CommandContext::new(EventMetadata {
            actor_id: "demo".to_owned(),
            actor_role: "system".to_owned(),
            correlation_id: id.clone(),
            causation_id: id.clone(),
            request_id: id,
            channel: "demo".to_owned(),
        })
    }

    pub async fn refresh_catalog(&mut self) -> Result<(), DemoError> {
        self.catalog = self
            .store
            .load::<ServiceCatalog>(DEFAULT_CATALOG_ID)
            .await?
            .state;
        Ok(())
    }

    pub fn facts(&self, code: &str) -> Result<CatalogItemFacts, DemoError> {
        self.catalog
            .current_item(code)
            .ok_or_else(|| DemoError::Data(format!("catalog item {code} is missing")))
    }

    pub async fn register(
        &mut self,
        on: NaiveDate,
        registration: CaseRegistration,
    ) -> Result<String, DemoError> {
        self.at(on);
        let context = self.context();
        // The demo loads data on the system's behalf: no actor is checked, the rules across
        // cases are kept (guanjia_app::cases).
        let case =
            cases::register_unchecked(self.store, registration, &self.services, context).await?;
        self.commands += 1;
        Ok(case.case_id)
    }

    /// Runs `command` on `case_id` with the clock at `on`.
    pub async fn run(
        &mut self,
        on: NaiveDate,
        case_id: &str,
        command: CaseCommand,
    ) -> Result<Committed, DemoError> {
        self.at(on);
        let context = self.context();
        self.commands += 1;
        Ok(cases::run_unchecked(self.store, case_id, command, &self.services, context).await?)
    }

    pub async fn request(
        &mut self,
        on: NaiveDate,
        case_id: &str,
        code: &str,
    ) -> Result<(), DemoError> {
        let catalog = self.facts(code)?;
        let command = CaseCommand::RequestServiceItem {
            catalog,
            mode: HandlingMode::Proxy,
            requested_on: Some(on),
        };
        self.run(on, case_id, command).await.map(drop)
    }

    pub async fn rate(
        &mut self,
        on: NaiveDate,
        case_id: &str,
        target: RatingTarget,
        level: u8,
        channel: Channel,
    ) -> Result<(), DemoError> {
        let command = CaseCommand::Rate {
            target,
            rating: rating(level, channel, on),
        };
        self.run(on, case_id, command).await.map(drop)
    }
}

/// A rating as an enterprise contact gives it: offline dimensions scored like the overall level.
pub(crate) fn rating(level: u8, channel: Channel, on: NaiveDate) -> RatingInput {
    RatingInput {
        level,
        dimension_set: DimensionSet::Offline2019,
        dimensions: ["efficiency", "quality", "attitude"]
            .iter()
            .map(|d| ((*d).to_owned(), level))
            .collect(),
        channel,
        comment: None,
        rater: PersonInput::default(),
        rated_at: Some(instant(on, 9)),
        recorded_by: None,
    }
}

/// `hour`:00 Beijing time on `date`, as a UTC instant.
pub(crate) fn instant(date: NaiveDate, hour: u32) -> DateTime<Utc> {
    let local = date.and_time(NaiveTime::from_hms_opt(hour, 0, 0).unwrap_or(NaiveTime::MIN));
    (local - Duration::seconds(i64::from(china_offset().local_minus_utc()))).and_utc()
}
