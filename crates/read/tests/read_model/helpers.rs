//! Builds logs of stored events from domain events, as the store would deliver them: increasing
//! positions, per-case sequences, metadata with the actor, and a recorded-at clock that moves a
//! minute per event unless a test sets it. The domain-event builders are in `events.rs`,
//! re-exported here so a test needs one import.

use guanjia_domain::rating_links::{RatingLinkEvent, RatingLinks};
use std::collections::HashMap;

pub use crate::events::*;

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};
use cqrs_es::{Aggregate, DomainEvent};
use guanjia_domain::calendar::WorkCalendar;
use guanjia_domain::case::{CaseEvent, EnterpriseCase};
use guanjia_domain::catalog::{CatalogEvent, ServiceCatalog};
use guanjia_domain::clock::china_offset;
use guanjia_domain::periods::{PeriodEvent, ReportingPeriods};
use guanjia_domain::values::{CaseNumber, DivisionCode, Uscc};
use guanjia_read::{KpiConfig, ReadModel};
use guanjia_store::{EventMetadata, LogPosition, StoredEvent};

/// A log under construction.
pub struct Log {
    pub events: Vec<StoredEvent>,
    sequences: HashMap<String, u64>,
    clock: DateTime<Utc>,
    actor: (String, String),
}

impl Log {
    pub fn new() -> Self {
        Self {
            events: Vec::new(),
            sequences: HashMap::new(),
            clock: bj("2024-01-01 09:00"),
            actor: ("li".to_owned(), "steward".to_owned()),
        }
    }

    /// The following events are recorded from this Beijing time on.
    pub fn at(&mut self, beijing: &str) -> &mut Self {
        self.clock = bj(beijing);
        self
    }

    /// The following events are recorded by this user in this role.
    pub fn by(&mut self, actor: &str, role: &str) -> &mut Self {
        self.actor = (actor.to_owned(), role.to_owned());
        self
    }

    fn push(
        &mut self,
        aggregate_type: &str,
        id: &str,
        event_type: String,
        payload: serde_json::Value,
    ) -> StoredEvent {
        let sequence = self
            .sequences
            .entry(format!("{aggregate_type}/{id}"))
            .or_insert(0);
        *sequence += 1;
        let position = LogPosition::from_parts(0, self.events.len() as u64 + 1);
        let event = StoredEvent {
            position,
            aggregate_type: aggregate_type.to_owned(),
            aggregate_id: id.to_owned(),
            sequence: *sequence,
            event_type,
            event_version: "1".to_owned(),
            payload,
            metadata: EventMetadata {
                actor_id: self.actor.0.clone(),
                actor_role: self.actor.1.clone(),
                correlation_id: format!("corr-{}", self.events.len()),
                causation_id: format!("req-{}", self.events.len()),
                request_id: format!("req-{}", self.events.len()),
                channel: "test".to_owned(),
            },
            recorded_at: self.clock,
            erased_fields: Vec::new(),
        };
        self.clock += Duration::minutes(1);
        self.events.push(event.clone());
        event
    }

    /// Appends a case event.
    pub fn case(&mut self, id: &str, event: CaseEvent) -> StoredEvent {
        let payload = serde_json::to_value(&event).expect("case events serialise");
        self.push(EnterpriseCase::TYPE, id, event.event_type(), payload)
    }

    /// Appends several case events of one case.
    pub fn case_all(&mut self, id: &str, events: impl IntoIterator<Item = CaseEvent>) {
        for event in events {
            self.case(id, event);
        }
    }

    /// Appends a catalog event.
    pub fn catalog(&mut self, event: CatalogEvent) -> StoredEvent {
        let payload = serde_json::to_value(&event).expect("catalog events serialise");
        self.push(ServiceCatalog::TYPE, "default", event.event_type(), payload)
    }

    /// Appends an event of a division's reporting periods (封账).
    pub fn periods(&mut self, division: &str, event: PeriodEvent) -> StoredEvent {
        let payload = serde_json::to_value(&event).expect("period events serialise");
        self.push(
            ReportingPeriods::TYPE,
            division,
            event.event_type(),
            payload,
        )
    }

    /// Appends an event of a case's rating links (stream id: the case id).
    pub fn rating_links(&mut self, case_id: &str, event: RatingLinkEvent) -> StoredEvent {
        let payload = serde_json::to_value(&event).expect("rating link events serialise");
        self.push(RatingLinks::TYPE, case_id, event.event_type(), payload)
    }

    /// A read model with the whole log applied.
    pub fn model(&self) -> ReadModel {
        let mut model = empty_model();
        model.apply_all(&self.events).expect("the log applies");
        model
    }
}

pub fn empty_model() -> ReadModel {
    ReadModel::new(WorkCalendar::china(), KpiConfig::default())
}

pub fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test dates are valid")
}

/// A Beijing local time "YYYY-MM-DD HH:MM" as an instant.
pub fn bj(text: &str) -> DateTime<Utc> {
    let local = NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").expect("valid time");
    china_offset()
        .from_local_datetime(&local)
        .single()
        .expect("unambiguous")
        .with_timezone(&Utc)
}

pub fn number(text: &str) -> CaseNumber {
    CaseNumber::parse(text).expect("valid case number")
}

/// A valid USCC made from a serial.
pub fn uscc(serial: u32) -> Uscc {
    Uscc::with_check_character(&format!("91610902MA{serial:07}")).expect("valid USCC")
}

pub fn division(code: &str) -> DivisionCode {
    DivisionCode::parse(code).expect("valid division code")
}

/// Hengkou town (恒口镇) and another town of the same district.
pub const HENGKOU: &str = "610902100000";
pub const OTHER_TOWN: &str = "610902101000";
