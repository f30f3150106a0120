//! The HTTP load: writers sending `addNote` to their own case, readers reading cases, search
//! and the dashboard; each on a keep-alive connection of its own, until a deadline. Every
//! request's latency and outcome is kept.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::json;

use crate::client::{connection, error_code, graphql, World};
use crate::report::Outcomes;

const NOTE: &str = "mutation($c: ID!, $k: String) { addNote(caseId: $c, clientKey: $k, \
                    input: {text: \"现场走访：企业反映用地手续进展，已约定下周复核材料。\"}) \
                    { position caughtUp } }";

const READS: [&str; 3] = [
    // As the case page shows a case: its newest notes, not the thousands a writer's case gathers.
    "query($c: ID!) { case(id: $c) { name state noteCount notes(last: 20) { noteNo text } } }",
    "query { cases(filter: {name: \"压测\"}, first: 10) { totalCount } }",
    "query { dashboard { division period { badRatings bundlesUsed } now { itemsOverdue } } }",
];

/// Writers only (`readers` readers beside them when above 0); the writers' outcomes.
pub async fn writes(world: &Arc<World>, length: Duration, readers: usize) -> Outcomes {
    let deadline = Instant::now() + length;
    let writers: Vec<_> = (0..world.cases.len())
        .map(|n| tokio::spawn(write_loop(Arc::clone(world), n, deadline)))
        .collect();
    let readers: Vec<_> = (0..readers)
        .map(|n| tokio::spawn(read_loop(Arc::clone(world), n, deadline)))
        .collect();
    let mut outcomes = Outcomes::default();
    for task in writers {
        if let Ok(part) = task.await {
            outcomes.merge(part);
        }
    }
    for task in readers {
        let _ = task.await;
    }
    outcomes.seconds = length.as_secs_f64();
    outcomes
}

/// As many readers as writers at once: (writes, reads).
pub async fn mixed(world: &Arc<World>, length: Duration) -> (Outcomes, Outcomes) {
    let deadline = Instant::now() + length;
    let writers: Vec<_> = (0..world.cases.len())
        .map(|n| tokio::spawn(write_loop(Arc::clone(world), n, deadline)))
        .collect();
    let readers: Vec<_> = (0..world.cases.len())
        .map(|n| tokio::spawn(read_loop(Arc::clone(world), n, deadline)))
        .collect();
    let (mut writes, mut reads) = (Outcomes::default(), Outcomes::default());
    for task in writers {
        if let Ok(part) = task.await {
            writes.merge(part);
        }
    }
    for task in readers {
        if let Ok(part) = task.await {
            reads.merge(part);
        }
    }
    writes.seconds = length.as_secs_f64();
    reads.seconds = length.as_secs_f64();
    (writes, reads)
}

async fn write_loop(world: Arc<World>, n: usize, deadline: Instant) -> Outcomes {
    let client = connection();
    let case = &world.cases[n];
    let mut outcomes = Outcomes::default();
    while Instant::now() < deadline {
        let key = uuid::Uuid::new_v4().to_string();
        let started = Instant::now();
        let answer = graphql(
            &client,
            &world.base,
            Some(&world.token),
            NOTE,
            json!({"c": case, "k": key}),
        )
        .await;
        let took = started.elapsed();
        match answer {
            Ok(answer) => match error_code(&answer) {
                None => {
                    world.acknowledge();
                    outcomes.ok(took);
                }
                Some(code) => outcomes.error(took, code),
            },
            Err(error) => outcomes.error(took, format!("transport: {error}")),
        }
    }
    outcomes
}

async fn read_loop(world: Arc<World>, n: usize, deadline: Instant) -> Outcomes {
    let client = connection();
    let case = &world.cases[n % world.cases.len()];
    let mut outcomes = Outcomes::default();
    let mut turn = n;
    while Instant::now() < deadline {
        let query = READS[turn % READS.len()];
        turn += 1;
        let started = Instant::now();
        let answer = graphql(
            &client,
            &world.base,
            Some(&world.token),
            query,
            json!({"c": case}),
        )
        .await;
        let took = started.elapsed();
        match answer {
            Ok(answer) => match error_code(&answer) {
                None => outcomes.ok(took),
                Some(code) => outcomes.error(took, code),
            },
            Err(error) => outcomes.error(took, format!("transport: {error}")),
        }
    }
    outcomes
}
