//! Which case holds an enterprise (by USCC): at most one open case per enterprise.
//!
//! A claim is taken before a case is registered (or reopened, or given this USCC) and released
//! when the case closes or moves to another USCC. Between the claim and the case's own event a
//! process may die; the claim is then "stale", and a later claimant may take it over — at once
//! when the holder is closed or no longer has this USCC, and only after a lease when the holder
//! was never registered (it may still be on its way).

use chrono::{DateTime, Duration, Utc};
use cqrs_es::event_sink::EventSink;
use cqrs_es::{Aggregate, DomainEvent};
use serde::{Deserialize, Serialize};

use crate::case::CaseServices;
use crate::error::DomainError;

/// How long a claim by a case that has not been registered yet is protected.
pub const CLAIM_LEASE_SECONDS: i64 = 60;

/// The holder of one USCC (stream id: the USCC).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnterpriseRegistry {
    holder: Option<(String, DateTime<Utc>)>,
}

/// What the caller found when it looked at the current holder's case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum HolderStatus {
    /// The holder is an open case with this USCC: the claim must fail.
    Open,
    /// The holder is closed or has another USCC now: its release was lost.
    NoLongerHolding,
    /// The holder has no events: its registration failed, or is still under way.
    NotRegistered,
}

/// What the caller saw when it looked at a holder's case. It only counts for that holder: if
/// the holder changed in between, the claim is judged as if the caller had not looked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckedHolder {
    pub case_id: String,
    pub status: HolderStatus,
}

/// A command to the registry of one USCC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum RegistryCommand {
    Claim {
        case_id: String,
        checked_holder: Option<CheckedHolder>,
    },
    Release {
        case_id: String,
    },
}

/// What happened to the claim on one USCC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum RegistryEvent {
    EnterpriseClaimed {
        case_id: String,
        replaced: Option<String>,
        claimed_at: DateTime<Utc>,
    },
    EnterpriseReleased {
        case_id: String,
        released_at: DateTime<Utc>,
    },
}

impl DomainEvent for RegistryEvent {
    fn event_type(&self) -> String {
        match self {
            Self::EnterpriseClaimed { .. } => "EnterpriseClaimed",
            Self::EnterpriseReleased { .. } => "EnterpriseReleased",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1".to_owned()
    }
}

impl EnterpriseRegistry {
    /// The case that holds the enterprise now, if any.
    pub fn holder(&self) -> Option<&str> {
        self.holder.as_ref().map(|(id, _)| id.as_str())
    }
}

impl Aggregate for EnterpriseRegistry {
    const TYPE: &'static str = "enterprise_registry";
    type Command = RegistryCommand;
    type Event = RegistryEvent;
    type Error = DomainError;
    type Services = CaseServices;

    async fn handle(
        &mut self,
        command: Self::Command,
        services: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        let now = services.clock.now();
        let event = match command {
            RegistryCommand::Claim {
                case_id,
                checked_holder,
            } => {
                let replaced = match &self.holder {
                    None => None,
                    Some((holder, _)) if *holder == case_id => return Ok(()),
                    Some((holder, claimed_at)) => {
                        let lease_over =
                            now - *claimed_at >= Duration::seconds(CLAIM_LEASE_SECONDS);
                        let holder_status = checked_holder
                            .filter(|checked| checked.case_id == *holder)
                            .map(|checked| checked.status);
                        match holder_status {
                            Some(HolderStatus::NoLongerHolding) => Some(holder.clone()),
                            Some(HolderStatus::NotRegistered) if lease_over => Some(holder.clone()),
                            Some(HolderStatus::NotRegistered) => {
                                return Err(DomainError::not_allowed(
                                    "another registration of this enterprise is under way: try again in a minute",
                                ));
                            }
                            Some(HolderStatus::Open) | None => {
                                return Err(DomainError::AlreadyExists(format!(
                                    "the enterprise already has an open case ({holder})"
                                )));
                            }
                        }
                    }
                };
                RegistryEvent::EnterpriseClaimed {
                    case_id,
                    replaced,
                    claimed_at: now,
                }
            }
            RegistryCommand::Release { case_id } => {
                if self.holder() != Some(case_id.as_str()) {
                    return Ok(());
                }
                RegistryEvent::EnterpriseReleased {
                    case_id,
                    released_at: now,
                }
            }
        };
        sink.write(event, self).await;
        Ok(())
    }

    fn apply(&mut self, event: Self::Event) {
        match event {
            RegistryEvent::EnterpriseClaimed {
                case_id,
                claimed_at,
                ..
            } => {
                self.holder = Some((case_id, claimed_at));
            }
            RegistryEvent::EnterpriseReleased { .. } => self.holder = None,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use chrono::TimeZone;
    use cqrs_es::test::TestFramework;

    use super::*;
    use crate::clock::FixedClock;
    use crate::testing::SnapshotChecked;

    fn at(seconds: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 3, 15, 2, 0, 0)
            .single()
            .expect("valid")
            + Duration::seconds(seconds)
    }

    fn registry(now: i64) -> TestFramework<SnapshotChecked<EnterpriseRegistry>> {
        TestFramework::with(CaseServices::new(Arc::new(FixedClock::at(at(now)))))
    }

    fn claimed(case_id: &str, replaced: Option<&str>, when: i64) -> RegistryEvent {
        RegistryEvent::EnterpriseClaimed {
            case_id: case_id.to_owned(),
            replaced: replaced.map(str::to_owned),
            claimed_at: at(when),
        }
    }

    /// A claim by `case_id` that saw holder "a" in `status`.
    fn claim(case_id: &str, status: Option<HolderStatus>) -> RegistryCommand {
        RegistryCommand::Claim {
            case_id: case_id.to_owned(),
            checked_holder: status.map(|status| CheckedHolder {
                case_id: "a".to_owned(),
                status,
            }),
        }
    }

    #[test]
    fn a_free_enterprise_is_claimed() {
        registry(0)
            .given_no_previous_events()
            .when(claim("a", None))
            .then_expect_events(vec![claimed("a", None, 0)]);
    }

    #[test]
    fn claiming_again_for_the_same_case_records_nothing() {
        registry(5)
            .given(vec![claimed("a", None, 0)])
            .when(claim("a", None))
            .then_expect_events(vec![]);
    }

    #[test]
    fn an_open_holder_keeps_the_enterprise() {
        let refused =
            DomainError::AlreadyExists("the enterprise already has an open case (a)".to_owned());
        registry(5)
            .given(vec![claimed("a", None, 0)])
            .when(claim("b", None))
            .then_expect_error(refused.clone());
        registry(5)
            .given(vec![claimed("a", None, 0)])
            .when(claim("b", Some(HolderStatus::Open)))
            .then_expect_error(refused);
    }

    #[test]
    fn a_holder_that_no_longer_holds_is_replaced_at_once() {
        registry(5)
            .given(vec![claimed("a", None, 0)])
            .when(claim("b", Some(HolderStatus::NoLongerHolding)))
            .then_expect_events(vec![claimed("b", Some("a"), 5)]);
    }

    #[test]
    fn an_unregistered_holder_is_replaced_only_after_the_lease() {
        registry(CLAIM_LEASE_SECONDS - 1)
            .given(vec![claimed("a", None, 0)])
            .when(claim("b", Some(HolderStatus::NotRegistered)))
            .then_expect_error(DomainError::not_allowed(
                "another registration of this enterprise is under way: try again in a minute",
            ));
        registry(CLAIM_LEASE_SECONDS)
            .given(vec![claimed("a", None, 0)])
            .when(claim("b", Some(HolderStatus::NotRegistered)))
            .then_expect_events(vec![claimed("b", Some("a"), CLAIM_LEASE_SECONDS)]);
    }

    #[test]
    fn a_check_of_another_holder_does_not_count() {
        let mut given = vec![claimed("a", None, 0)];
        given.push(RegistryEvent::EnterpriseReleased {
            case_id: "a".to_owned(),
            released_at: at(1),
        });
        given.push(claimed("c", None, 2));
        registry(5)
            .given(given)
            .when(claim("b", Some(HolderStatus::NoLongerHolding)))
            .then_expect_error(DomainError::AlreadyExists(
                "the enterprise already has an open case (c)".to_owned(),
            ));
    }

    #[test]
    fn only_the_holder_releases() {
        let released = RegistryEvent::EnterpriseReleased {
            case_id: "a".to_owned(),
            released_at: at(9),
        };
        registry(9)
            .given(vec![claimed("a", None, 0)])
            .when(RegistryCommand::Release {
                case_id: "a".to_owned(),
            })
            .then_expect_events(vec![released]);
        registry(9)
            .given(vec![claimed("a", None, 0)])
            .when(RegistryCommand::Release {
                case_id: "b".to_owned(),
            })
            .then_expect_events(vec![]);
    }
}
