//! The store's metrics, recorded where things happen (`execute.rs`) through the `metrics`
//! facade; the process installs a recorder (the binary: Prometheus at `/metrics`).
//!
//! - `guanjia_command_duration_seconds{aggregate_type}`: load, decide, append, retries
//!   included;
//! - `guanjia_command_conflicts_total{aggregate_type}`: every optimistic-lock conflict met;
//! - `guanjia_command_retries_total{aggregate_type}`: conflicts followed by another attempt;
//! - `guanjia_command_gave_up_total{aggregate_type}`: commands answered with CONFLICT.

use metrics::{counter, describe_counter, describe_histogram};

/// The counters, registered at zero per aggregate type by [`describe`].
const COUNTERS: [&str; 3] = [
    "guanjia_command_conflicts_total",
    "guanjia_command_retries_total",
    "guanjia_command_gave_up_total",
];

/// Describes the series and registers the counters at zero for every aggregate type, so that
/// rates work from the start.
pub fn describe(aggregate_types: &[&'static str]) {
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
    for kind in aggregate_types {
        for name in COUNTERS {
            counter!(name, "aggregate_type" => *kind).absolute(0);
        }
    }
}
