//! Command metrics from the store's tracing: every command runs inside the store's `execute`
//! span (fields `aggregate_type`, …), and each optimistic-lock conflict is a debug event in it
//! ("optimistic lock conflict"), followed by "command gave up after repeated conflicts" when
//! the attempts run out. This layer times the span and counts those events:
//!
//! - `guanjia_command_duration_seconds{aggregate_type}`: load, decide, append, retries included;
//! - `guanjia_command_conflicts_total{aggregate_type}`: every conflict met;
//! - `guanjia_command_retries_total{aggregate_type}`: conflicts followed by another attempt;
//! - `guanjia_command_gave_up_total{aggregate_type}`: commands answered with CONFLICT.
//!
//! The messages are the store's (crates/store/src/execute.rs); the metrics test catches a
//! rename by looking for the series after traffic.

use std::time::Instant;

use cqrs_es::Aggregate;
use metrics::{counter, describe_counter, describe_histogram, histogram};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id};
use tracing::{Event, Subscriber};
use tracing_subscriber::layer::Context;
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::Layer;

const CONFLICT: &str = "optimistic lock conflict";
const GAVE_UP: &str = "command gave up after repeated conflicts";

/// The aggregate types of the domain, registered at zero.
pub(super) fn aggregate_types() -> [&'static str; 5] {
    use guanjia_domain::registry::{CaseNumberBook, EnterpriseRegistry};
    [
        guanjia_domain::case::EnterpriseCase::TYPE,
        guanjia_domain::catalog::ServiceCatalog::TYPE,
        guanjia_domain::user::User::TYPE,
        EnterpriseRegistry::TYPE,
        CaseNumberBook::TYPE,
    ]
}

/// Describes the series and registers them at zero for every aggregate type.
pub fn describe() {
    describe_histogram!(
        "guanjia_command_duration_seconds",
        metrics::Unit::Seconds,
        "Time to run one command in the store: load, decide, append, retries included"
    );
    describe_counter!(
        "guanjia_command_conflicts_total",
        "Optimistic-lock conflicts met by commands"
    );
    describe_counter!(
        "guanjia_command_retries_total",
        "Conflicts after which the command was decided again"
    );
    describe_counter!(
        "guanjia_command_gave_up_total",
        "Commands that ran out of attempts (answered CONFLICT)"
    );
    for kind in aggregate_types() {
        for name in [
            "guanjia_command_conflicts_total",
            "guanjia_command_retries_total",
            "guanjia_command_gave_up_total",
        ] {
            counter!(name, "aggregate_type" => kind).absolute(0);
        }
    }
}

/// The tracing layer (see the module documentation).
pub struct CommandMetrics;

/// What the layer keeps on an `execute` span.
struct Timing {
    started: Instant,
    aggregate_type: String,
    conflicts: u64,
    gave_up: bool,
}

impl<S> Layer<S> for CommandMetrics
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        if attrs.metadata().name() != "execute" {
            return;
        }
        let mut visitor = FieldText::new("aggregate_type");
        attrs.record(&mut visitor);
        if let Some(span) = ctx.span(id) {
            span.extensions_mut().insert(Timing {
                started: Instant::now(),
                aggregate_type: visitor.value.unwrap_or_else(|| "unknown".to_owned()),
                conflicts: 0,
                gave_up: false,
            });
        }
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        let mut visitor = FieldText::new("message");
        event.record(&mut visitor);
        let (conflict, gave_up) = match visitor.value.as_deref() {
            Some(CONFLICT) => (true, false),
            Some(GAVE_UP) => (false, true),
            _ => return,
        };
        let Some(scope) = ctx.event_scope(event) else {
            return;
        };
        for span in scope {
            if let Some(timing) = span.extensions_mut().get_mut::<Timing>() {
                timing.conflicts += u64::from(conflict);
                timing.gave_up |= gave_up;
                return;
            }
        }
    }

    fn on_close(&self, id: Id, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(&id) else {
            return;
        };
        let Some(timing) = span.extensions_mut().remove::<Timing>() else {
            return;
        };
        let kind = timing.aggregate_type;
        histogram!("guanjia_command_duration_seconds", "aggregate_type" => kind.clone())
            .record(timing.started.elapsed().as_secs_f64());
        if timing.conflicts > 0 {
            // The last conflict of a command that gave up was not retried.
            let retries = timing.conflicts - u64::from(timing.gave_up);
            counter!("guanjia_command_conflicts_total", "aggregate_type" => kind.clone())
                .increment(timing.conflicts);
            counter!("guanjia_command_retries_total", "aggregate_type" => kind.clone())
                .increment(retries);
        }
        if timing.gave_up {
            counter!("guanjia_command_gave_up_total", "aggregate_type" => kind).increment(1);
        }
    }
}

/// Reads one field of a span or event as text.
struct FieldText {
    name: &'static str,
    value: Option<String>,
}

impl FieldText {
    fn new(name: &'static str) -> Self {
        Self { name, value: None }
    }
}

impl Visit for FieldText {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == self.name {
            self.value = Some(value.to_owned());
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == self.name {
            self.value = Some(format!("{value:?}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use metrics_util::debugging::{DebugValue, DebuggingRecorder};
    use tracing_subscriber::layer::SubscriberExt;

    use super::*;

    /// The counters of a command that met `conflicts` conflicts, and gave up or not.
    fn counted(conflicts: u32, gave_up: bool) -> Vec<(String, u64)> {
        let recorder = DebuggingRecorder::new();
        let snapshotter = recorder.snapshotter();
        let subscriber = tracing_subscriber::registry().with(CommandMetrics);
        metrics::with_local_recorder(&recorder, || {
            tracing::subscriber::with_default(subscriber, || {
                let span = tracing::info_span!("execute", aggregate_type = "user");
                let _entered = span.enter();
                for attempt in 1..=conflicts {
                    tracing::debug!(attempt, "optimistic lock conflict");
                }
                if gave_up {
                    tracing::warn!(
                        attempts = conflicts,
                        "command gave up after repeated conflicts"
                    );
                }
            });
        });
        let mut counters: Vec<(String, u64)> = snapshotter
            .snapshot()
            .into_vec()
            .into_iter()
            .filter_map(|(key, _, _, value)| match value {
                DebugValue::Counter(n) => Some((key.key().name().to_owned(), n)),
                DebugValue::Histogram(samples) => {
                    Some((key.key().name().to_owned(), samples.len() as u64))
                }
                DebugValue::Gauge(_) => None,
            })
            .collect();
        counters.sort();
        counters
    }

    #[test]
    fn conflicts_retries_and_give_ups_are_counted_per_command() {
        let name = |n: &str| n.to_owned();
        assert_eq!(
            counted(2, false),
            [
                (name("guanjia_command_conflicts_total"), 2),
                (name("guanjia_command_duration_seconds"), 1),
                (name("guanjia_command_retries_total"), 2),
            ]
        );
        assert_eq!(
            counted(5, true),
            [
                (name("guanjia_command_conflicts_total"), 5),
                (name("guanjia_command_duration_seconds"), 1),
                (name("guanjia_command_gave_up_total"), 1),
                (name("guanjia_command_retries_total"), 4),
            ]
        );
        assert_eq!(
            counted(0, false),
            [(name("guanjia_command_duration_seconds"), 1)]
        );
    }
}
