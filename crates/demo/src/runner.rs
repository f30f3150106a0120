//! The demo's hands: the application layer over the store, with a clock moved to each step's
//! date (so "not in the future" rules hold while history is written after the fact), and each
//! step taken by the demo person who would take it (`cast.rs`) through the use case of the
//! same name (`steps.rs`), checked like anyone's: a steward of the town registers, the district
//! leader puts people on teams and closes 2023, the admin publishes the catalog, the first of
//! the team whose division holds the case does the work, and the enterprise rates through a
//! link the team issued.
//!
//! Some steps of the demo's history no demo person may take, and go on the trusted path
//! ([`Runner::trusted`], `guanjia_app::testing`) so that the data stays as it was told:
//! - putting someone on a team whose division does not hold the case: the village agents on
//!   town cases, and town stewards leading cases of another town (the layer refuses them,
//!   `out_of_scope`);
//! - then every step of the team's work on a case whose team holds no one who may open it:
//!   the whole life of about a third of the cases, ratings through links included (only the
//!   team issues a link);
//! - follow-up ratings (追评), which come from the enterprise by SMS: no link carries one,
//!   and staff may not enter a rating as the enterprise's.
//!
//! [`crate::DemoReport::trusted`] counts them (435 of 1,271 commands in the demo's tests).
//! Teams drawn inside their people's divisions would leave only the follow-ups.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use guanjia_app::cases::rating_link_record::NewRatingLink;
use guanjia_app::testing::run_unchecked;
use guanjia_app::{Actor, App, CaseRegistration};
use guanjia_domain::case::commands::{PersonInput, RatingInput};
use guanjia_domain::case::model::{Channel, DimensionSet, HandlingMode, RatingTarget};
use guanjia_domain::case::{CaseCommand, CaseServices};
use guanjia_domain::catalog::{CatalogItemFacts, ServiceCatalog, DEFAULT_CATALOG_ID};
use guanjia_domain::clock::{china_offset, FixedClock};
use guanjia_domain::rating_links::RatingLinkChannel;
use guanjia_domain::values::DivisionCode;
use guanjia_store::{CommandContext, Committed, EventMetadata, Store};

use crate::cast::{self, DemoPeople};
use crate::people::LEADER;
use crate::{steps, DemoError};

/// Who rates through a public rating link, as the api's link page records them.
const LINK_RATER: (&str, &str) = ("enterprise-contact", "enterprise_contact");

/// Runs demo steps against a store with a movable clock.
pub(crate) struct Runner<'a> {
    pub store: &'a Store,
    pub app: App,
    clock: FixedClock,
    services: CaseServices,
    catalog: ServiceCatalog,
    /// Each case's division and team (lead first), as the demo built them.
    teams: HashMap<String, Team>,
    requests: u64,
    pub commands: u64,
    /// How many steps went on the trusted path.
    pub trusted: u64,
}

struct Team {
    division: DivisionCode,
    people: Vec<String>,
}

impl<'a> Runner<'a> {
    pub fn new(store: &'a Store, start: NaiveDate) -> Self {
        let clock = FixedClock::at(instant(start, 10));
        let services = CaseServices::new(Arc::new(clock.clone()));
        // The demo's complaints were answered by their teams, without a leader's sign-off:
        // its district runs without one, so that the history stays as it was told.
        let app = App::new(store.clone(), services.clock.clone(), Arc::new(DemoPeople))
            .with_complaint_sign_off(false);
        Self {
            store,
            app,
            clock,
            services,
            catalog: ServiceCatalog::default(),
            teams: HashMap::new(),
            requests: 0,
            commands: 0,
            trusted: 0,
        }
    }

    /// Moves the clock to 10:00 Beijing time on `date`.
    pub fn at(&self, date: NaiveDate) {
        self.clock.set(instant(date, 10));
    }

    /// A fresh context for a step by `actor_id` in `role`, on the `demo` channel.
    pub fn context(&mut self, (actor_id, role): (&str, &str)) -> CommandContext {
        self.requests += 1;
        let id = format!("demo-{:06}", self.requests);
        CommandContext::new(EventMetadata {
            actor_id: actor_id.to_owned(),
            actor_role: role.to_owned(),
            correlation_id: id.clone(),
            causation_id: id.clone(),
            request_id: id,
            channel: "demo".to_owned(),
        })
    }

    /// A fresh context for a step by `actor`.
    pub fn context_of(&mut self, actor: &Actor) -> CommandContext {
        self.context((actor.username.as_str(), actor.role.as_str()))
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

    /// Registers a case on `on`, as the steward of its town (or of the district).
    pub async fn register(
        &mut self,
        on: NaiveDate,
        registration: CaseRegistration,
    ) -> Result<String, DemoError> {
        self.at(on);
        let division = cast::division_code(&registration.enterprise.division)?;
        let registrar = cast::registrar(&division)?;
        let context = self.context_of(&registrar);
        let case = self
            .app
            .register_case(&registrar, registration, context)
            .await?;
        self.commands += 1;
        let team = Team {
            division,
            people: Vec::new(),
        };
        self.teams.insert(case.case_id.clone(), team);
        Ok(case.case_id)
    }

    /// Runs `command` on `case_id` with the clock at `on`, as whoever takes the step.
    pub async fn run(
        &mut self,
        on: NaiveDate,
        case_id: &str,
        command: CaseCommand,
    ) -> Result<Committed, DemoError> {
        self.at(on);
        self.commands += 1;
        let Some(actor) = self.actor_for(case_id, &command)? else {
            return self.trusted(case_id, command).await;
        };
        let context = self.context_of(&actor);
        let on_case = self.app.on_case(&actor, case_id, context);
        let outcome = steps::send(on_case, command.clone()).await?;
        self.joined(case_id, &command);
        Ok(outcome.committed)
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

    /// The enterprise rates `target` through a public link that someone of the team issued.
    pub async fn rate(
        &mut self,
        on: NaiveDate,
        case_id: &str,
        target: RatingTarget,
        level: u8,
        channel: Channel,
    ) -> Result<(), DemoError> {
        self.at(on);
        self.commands += 1;
        let rating = rating(level, channel, on);
        let Some(issuer) = self.worker(case_id)? else {
            let command = CaseCommand::Rate { target, rating };
            return self.trusted(case_id, command).await.map(drop);
        };
        // The link goes on the record as the pages issue it, valid the default 72 hours.
        let link_id = format!("demo-link-{:05}", self.commands);
        let link = NewRatingLink {
            case_id: case_id.to_owned(),
            target,
            link_id: link_id.clone(),
            channel: match channel {
                Channel::Sms => RatingLinkChannel::Sms,
                _ => RatingLinkChannel::QrCode,
            },
            expires_at: instant(on, 8) + Duration::hours(72),
        };
        // Issued at 08:00, before the rating the contact gives through it.
        self.clock.set(instant(on, 8));
        let issued = self.context_of(&issuer);
        self.app.record_rating_link(&issuer, link, issued).await?;
        self.at(on);
        let context = self.context(LINK_RATER);
        self.app
            .rate_through_link(case_id, &link_id, target, rating, context)
            .await?;
        Ok(())
    }

    /// Who takes `command` on `case_id`; `None` when no demo person may.
    fn actor_for(&self, case_id: &str, command: &CaseCommand) -> Result<Option<Actor>, DemoError> {
        let named = match command {
            CaseCommand::AssignLeadSteward { steward, .. } => steward,
            CaseCommand::AddTeamMember { user_id, .. } => user_id,
            // A follow-up rating (追评) comes from the enterprise by SMS; no link carries one
            // yet, and staff may not enter a rating as the enterprise's.
            CaseCommand::RateFollowUp { .. } => return Ok(None),
            _ => return self.worker(case_id),
        };
        // A leader puts people on teams; the demo's teams also hold people whose division does
        // not hold the case (village agents on town cases), which the layer refuses.
        let team = self.team(case_id)?;
        if cast::holds(named, &team.division) {
            Ok(Some(cast::actor(LEADER.0)?))
        } else {
            Ok(None)
        }
    }

    /// The first of the case's team who may work on it: whose division holds the case.
    fn worker(&self, case_id: &str) -> Result<Option<Actor>, DemoError> {
        let team = self.team(case_id)?;
        team.people
            .iter()
            .find(|person| cast::holds(person, &team.division))
            .map(|person| cast::actor(person))
            .transpose()
    }

    fn team(&self, case_id: &str) -> Result<&Team, DemoError> {
        self.teams
            .get(case_id)
            .ok_or_else(|| DemoError::Data(format!("case {case_id} was not registered here")))
    }

    /// Notes who a step put on the team.
    fn joined(&mut self, case_id: &str, command: &CaseCommand) {
        let Some(team) = self.teams.get_mut(case_id) else {
            return;
        };
        match command {
            CaseCommand::AssignLeadSteward { steward, .. } => {
                team.people.retain(|p| p != steward);
                team.people.insert(0, steward.clone());
            }
            CaseCommand::AddTeamMember { user_id, .. } => team.people.push(user_id.clone()),
            _ => {}
        }
    }

    /// The trusted path: a step no demo person may take, sent as the system (the way the
    /// whole demo was loaded before the layer checked it), with the rules across cases kept.
    async fn trusted(
        &mut self,
        case_id: &str,
        command: CaseCommand,
    ) -> Result<Committed, DemoError> {
        let context = self.context(("demo", "system"));
        let store = self.store;
        let committed =
            run_unchecked(store, case_id, command.clone(), &self.services, context).await?;
        self.joined(case_id, &command);
        self.trusted += 1;
        Ok(committed)
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
