//! Logs and the binary's own metrics.
//!
//! Logs go to stderr (stdout carries what the user asked for), as text or as one JSON object
//! per line. In JSON every line of a request carries the request span — `request_id`,
//! `method`, `path`, `actor` — so a log collector can tie a line to the events the request
//! appended (their metadata holds the same request id).
//!
//! - the command series (latency, conflicts, retries) are recorded by the store itself
//!   (`guanjia_store::metrics`); this module only installs the recorder and describes them;
//! - `appended.rs`: `guanjia_events_appended_total`, counted by following the log.

mod appended;

use std::io::IsTerminal;

use anyhow::Context;
use tracing_subscriber::filter::EnvFilter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::Layer;

pub use appended::count_appended_events;

use crate::settings::{LogFormat, Settings};

/// Installs the log subscriber: the configured format and filter.
pub fn init(settings: &Settings) -> anyhow::Result<()> {
    let filter = EnvFilter::try_new(&settings.log_level.value).with_context(|| {
        format!(
            "log_level {:?} is not a valid filter",
            settings.log_level.value
        )
    })?;
    let fmt = match settings.log_format.value {
        LogFormat::Text => tracing_subscriber::fmt::layer()
            // Colour codes only for a terminal: in a file or a journal they are noise.
            .with_ansi(std::io::stderr().is_terminal())
            .with_writer(std::io::stderr)
            .with_filter(filter)
            .boxed(),
        LogFormat::Json => tracing_subscriber::fmt::layer()
            .json()
            .with_current_span(true)
            .with_span_list(true)
            .with_writer(std::io::stderr)
            .with_filter(filter)
            .boxed(),
    };
    tracing_subscriber::registry()
        .with(fmt)
        .try_init()
        .context("cannot install the log subscriber")
}

/// Installs the Prometheus recorder (shared with the api's `/metrics`) and describes the
/// binary's series, with every known aggregate type at zero so rates work from the start.
pub fn init_metrics() {
    if guanjia_api::server::metrics::install().is_some() {
        guanjia_store::metrics::describe(&guanjia_domain::aggregates::TYPES);
        appended::describe();
    }
}
