//! Prometheus metrics: the recorder, the HTTP and GraphQL series, and the log/read-model
//! position gauges that `/metrics` and `/readyz` refresh.
//!
//! The `metrics` facade is global, so the Prometheus recorder is installed once per process
//! ([`install`]); every [`Application`](super::Application) renders from it. The binary adds
//! the command series (recorded by the store) and `guanjia_events_appended_total`.
//! docs/operations.md explains each series.
//!
//! Operation labels come from the root fields of the operation, not from the client's
//! operation name: root fields are bounded by the schema, operation names are not, and an
//! unbounded label would let any client grow the registry without limit.

use std::sync::OnceLock;
use std::time::Duration;

use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, OperationType, Selection,
};
use guanjia_store::LogPosition;
use metrics::{counter, describe_counter, describe_gauge, describe_histogram, gauge, histogram};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

/// Buckets of every `*_duration_seconds` histogram: 1 ms to 30 s.
const BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

/// A node whose read model is further behind the log than this is not ready (`/readyz` 503):
/// it would answer reads with data that old. Start-up replay is the usual cause.
pub const READY_MAX_LAG_EVENTS: u64 = 1000;

static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// Installs the Prometheus recorder once per process and returns its handle; `None` when
/// another recorder was installed first (then `/metrics` answers 404 and says why in the log).
pub fn install() -> Option<PrometheusHandle> {
    HANDLE
        .get_or_init(|| {
            let builder = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("duration_seconds".into()), BUCKETS)
                .ok()?;
            match builder.install_recorder() {
                Ok(handle) => {
                    describe();
                    Some(handle)
                }
                Err(error) => {
                    tracing::warn!(%error, "cannot install the Prometheus recorder; /metrics is off");
                    None
                }
            }
        })
        .clone()
}

fn describe() {
    describe_counter!(
        "guanjia_http_requests_total",
        "HTTP requests by route and status"
    );
    describe_histogram!(
        "guanjia_http_request_duration_seconds",
        metrics::Unit::Seconds,
        "HTTP request time by route"
    );
    describe_counter!(
        "guanjia_graphql_requests_total",
        "GraphQL root fields requested, by operation, type and error code (OK without error)"
    );
    describe_histogram!(
        "guanjia_graphql_request_duration_seconds",
        metrics::Unit::Seconds,
        "GraphQL request time by operation and type; for mutations, the command latency seen by clients"
    );
    describe_gauge!(
        "guanjia_log_head_position",
        "Global position of the last event in the log, at the last /metrics or /readyz"
    );
    describe_gauge!(
        "guanjia_read_model_position",
        "Global position of the last event the read model applied"
    );
    describe_gauge!(
        "guanjia_read_model_lag_events",
        "Events in the log that the read model has not applied yet (approximate on PostgreSQL)"
    );
    describe_gauge!(
        "guanjia_store_up",
        "1 when the store answered the last check, else 0"
    );
}

/// Counts one HTTP request. `route` is one of the server's routes or `other`.
pub(super) fn http_request(route: &'static str, status: u16, elapsed: Duration) {
    let status = status.to_string();
    counter!("guanjia_http_requests_total", "route" => route, "status" => status).increment(1);
    histogram!("guanjia_http_request_duration_seconds", "route" => route)
        .record(elapsed.as_secs_f64());
}

/// The type and root fields of the operation a request runs, for labels. A query that does
/// not parse has no fields; the caller labels it `invalid`.
pub(super) fn operation_of(
    document: Option<&ExecutableDocument>,
    name: Option<&str>,
) -> (&'static str, Vec<String>) {
    let Some(document) = document else {
        return ("unknown", Vec::new());
    };
    let operation = match (&document.operations, name) {
        (DocumentOperations::Single(op), _) => Some(op),
        (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name),
        // A named operation without `operationName`: the only one, if there is one.
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => ops.values().next(),
        (DocumentOperations::Multiple(_), None) => None,
    };
    let Some(operation) = operation else {
        return ("unknown", Vec::new());
    };
    let kind = match operation.node.ty {
        OperationType::Query => "query",
        OperationType::Mutation => "mutation",
        OperationType::Subscription => "subscription",
    };
    let fields = operation
        .node
        .selection_set
        .node
        .items
        .iter()
        .map(|selection| match &selection.node {
            Selection::Field(field) => field.node.name.node.to_string(),
            Selection::FragmentSpread(_) | Selection::InlineFragment(_) => "fragment".to_owned(),
        })
        .collect();
    (kind, fields)
}

/// Counts one GraphQL request: once per root field and error code. `fields` must come from a
/// request that passed validation (else the caller passes `["invalid"]`), so every label
/// value is a field of the schema.
pub(super) fn graphql_request(
    kind: &'static str,
    fields: &[String],
    codes: &[String],
    took: Duration,
) {
    let ok = [String::from("OK")];
    let codes = if codes.is_empty() { &ok[..] } else { codes };
    for field in fields {
        for code in codes {
            counter!("guanjia_graphql_requests_total",
                "operation" => field.clone(), "type" => kind, "code" => code.clone())
            .increment(1);
        }
        histogram!("guanjia_graphql_request_duration_seconds",
            "operation" => field.clone(), "type" => kind)
        .record(took.as_secs_f64());
    }
}

/// Events between the read model and the head. Positions are opaque, but their global part
/// counts events (exactly on SQLite; on PostgreSQL a rolled-back insert leaves a gap), and a
/// model behind the head is at least one event behind even when the parts say otherwise.
pub(super) fn lag(head: LogPosition, model: LogPosition) -> u64 {
    if model >= head {
        return 0;
    }
    head.parts().1.saturating_sub(model.parts().1).max(1)
}

/// Sets the store, head, read-model position and lag gauges after a check of the store.
pub(super) fn observe(head: Option<LogPosition>, model: LogPosition, following: bool) {
    gauge!("guanjia_store_up").set(if head.is_some() { 1.0 } else { 0.0 });
    gauge!("guanjia_read_model_position").set(model.parts().1 as f64);
    gauge!("guanjia_read_model_following").set(if following { 1.0 } else { 0.0 });
    if let Some(head) = head {
        gauge!("guanjia_log_head_position").set(head.parts().1 as f64);
        gauge!("guanjia_read_model_lag_events").set(lag(head, model) as f64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The labels of `query` as the handler computes them: from its parsed document.
    fn labels(query: &str, name: Option<&str>) -> (&'static str, Vec<String>) {
        let document = async_graphql::parser::parse_query(query).ok();
        operation_of(document.as_ref(), name)
    }

    #[test]
    fn operations_are_labelled_by_root_field() {
        let (kind, fields) = labels(
            "mutation M { login(username: \"a\") { token } me { username } }",
            None,
        );
        assert_eq!(
            (kind, fields),
            ("mutation", vec!["login".to_owned(), "me".to_owned()])
        );
        let (kind, fields) = labels(
            "query A { me { username } } query B { users { role } }",
            Some("B"),
        );
        assert_eq!((kind, fields), ("query", vec!["users".to_owned()]));
        assert_eq!(labels("{ broken", None), ("unknown", Vec::new()));
    }

    #[test]
    fn lag_counts_events_behind_the_head() {
        let at = |g| LogPosition::from_parts(0, g);
        assert_eq!(lag(at(10), at(10)), 0);
        assert_eq!(lag(at(10), at(4)), 6);
        // PostgreSQL: a later transaction may hold a smaller global position.
        assert_eq!(
            lag(LogPosition::from_parts(9, 3), LogPosition::from_parts(8, 7)),
            1
        );
    }
}
