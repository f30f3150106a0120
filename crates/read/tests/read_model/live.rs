//! What the tests that run a live read model over a real store share: the command services
//! (a fixed clock), the acting steward, and how long to wait for a follower.

use std::sync::Arc;
use std::time::Duration;

use chrono::{TimeZone, Utc};
use guanjia_domain::case::CaseServices;
use guanjia_domain::clock::FixedClock;
use guanjia_store::{CommandContext, EventMetadata};

/// How long a test waits for a follower to catch up (PostgreSQL may hold it behind other tests'
/// open transactions).
pub const PATIENCE: Duration = Duration::from_secs(60);

/// Command services with the clock fixed at 2024-03-15 10:00 in Beijing.
pub fn services() -> CaseServices {
    let now = Utc
        .with_ymd_and_hms(2024, 3, 15, 2, 0, 0)
        .single()
        .expect("valid instant");
    CaseServices::new(Arc::new(FixedClock::at(now)))
}

/// Steward li, acting.
pub fn context() -> CommandContext {
    CommandContext::new(EventMetadata {
        actor_id: "li".to_owned(),
        actor_role: "steward".to_owned(),
        ..EventMetadata::default()
    })
}
