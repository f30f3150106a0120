//! The generated cases as rows of the event log, in log order: the catalog first, then every
//! case event of every case interleaved by the time it was recorded, as a district's log is.
//! Personal fields are sealed as the store seals them (`seal.rs`), with their keys beside.

use chrono::{DateTime, Utc};
use cqrs_es::{Aggregate, DomainEvent};
use guanjia_domain::case::EnterpriseCase;
use guanjia_domain::catalog::{CatalogEvent, ServiceCatalog, DEFAULT_CATALOG_ID};

use crate::generate::{mix, Generator};
use crate::seal::Sealer;

/// `case` of a catalog row.
const CATALOG: u32 = u32::MAX;

/// One row of the `events` table, before it is written.
pub struct Row {
    pub at: DateTime<Utc>,
    /// Index of the case ([`Log::ids`]), or [`CATALOG`].
    pub case: u32,
    pub sequence: u32,
    pub event_type: &'static str,
    /// The serialised domain event.
    pub payload: String,
    /// Index into [`Generator::actors`].
    pub actor: u32,
}

/// The whole log of a data set.
pub struct Log {
    pub rows: Vec<Row>,
    /// Case ids by case index.
    pub ids: Vec<String>,
    /// Cases with at least one event (all of them unless "today" is very early).
    pub cases: usize,
    /// The personal-data keys: subject and key, for `personal_keys`.
    pub keys: Vec<(String, [u8; 32])>,
    /// Bytes of all payloads, for the report.
    pub payload_bytes: usize,
}

impl Log {
    /// Generates every case (on all cores) and orders the events as the log would hold them.
    pub fn generate(generator: &Generator) -> anyhow::Result<Self> {
        let threads = std::thread::available_parallelism().map_or(1, usize::from);
        let total = generator.cases;
        let chunk = total.div_ceil(threads);
        let parts: Vec<anyhow::Result<Part>> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads)
                .map(|t| {
                    let range = (t * chunk).min(total)..((t + 1) * chunk).min(total);
                    scope.spawn(move || generate_range(generator, range))
                })
                .collect();
            handles
                .into_iter()
                .map(|handle| {
                    handle
                        .join()
                        .unwrap_or_else(|_| Err(anyhow::anyhow!("a generator thread panicked")))
                })
                .collect()
        });
        let mut rows = Vec::new();
        let mut ids = Vec::with_capacity(total);
        let mut keys = Vec::new();
        for part in parts {
            let part = part?;
            rows.extend(part.rows);
            ids.extend(part.ids);
            keys.extend(part.keys);
        }
        rows.sort_unstable_by_key(|row| (row.at, row.case, row.sequence));
        let cases = rows
            .iter()
            .filter(|row| row.sequence == 1 && row.case != CATALOG)
            .count();

        let mut log = Vec::with_capacity(rows.len() + 20);
        let at = generator.catalog_at();
        for (index, event) in generator.catalog_events().into_iter().enumerate() {
            anyhow::ensure!(catalog_type(&event) == event.event_type());
            log.push(Row {
                at,
                case: CATALOG,
                sequence: u32::try_from(index + 1)?,
                event_type: catalog_type(&event),
                payload: serde_json::to_string(&event)?,
                actor: generator.catalog_actor(),
            });
        }
        log.extend(rows);
        let payload_bytes = log.iter().map(|row| row.payload.len()).sum();
        Ok(Self {
            rows: log,
            ids,
            cases,
            keys,
            payload_bytes,
        })
    }

    pub fn aggregate_type(&self, row: &Row) -> &'static str {
        if row.case == CATALOG {
            ServiceCatalog::TYPE
        } else {
            EnterpriseCase::TYPE
        }
    }

    pub fn aggregate_id<'a>(&'a self, row: &Row) -> &'a str {
        if row.case == CATALOG {
            DEFAULT_CATALOG_ID
        } else {
            &self.ids[row.case as usize]
        }
    }

    /// The metadata column: the actor, one request id per event (each event is a command of
    /// its own here) and the store's `command_events` bookkeeping of a first event.
    pub fn metadata(&self, generator: &Generator, row: &Row) -> String {
        let actor = &generator.actors[row.actor as usize];
        let r = mix(u64::from(row.case), u64::from(row.sequence));
        let request = format!(
            "{:08x}-{:04x}-7{:03x}-{:04x}-{:012x}",
            r >> 32,
            (r >> 16) & 0xffff,
            r & 0x0fff,
            0x8000 | ((r >> 48) & 0x3fff),
            r.rotate_left(17) & 0xffff_ffff_ffff
        );
        format!(
            "{{\"actor_id\":\"{}\",\"actor_role\":\"{}\",\"correlation_id\":\"{request}\",\
             \"causation_id\":\"{request}\",\"request_id\":\"{request}\",\"channel\":\"{}\",\
             \"command_events\":\"1\"}}",
            actor.id, actor.role, actor.channel
        )
    }
}

/// What one generator thread made.
struct Part {
    rows: Vec<Row>,
    ids: Vec<String>,
    keys: Vec<(String, [u8; 32])>,
}

fn generate_range(generator: &Generator, range: std::ops::Range<usize>) -> anyhow::Result<Part> {
    let mut rows = Vec::with_capacity(range.len() * 24);
    let mut ids = Vec::with_capacity(range.len());
    let mut keys = Vec::new();
    for i in range {
        let case = generator.case(i)?;
        let index = u32::try_from(i)?;
        let mut sealer = Sealer::new(&case.id, index, mix(generator.seed ^ 0x4B45_5953, i as u64));
        for (n, timed) in case.events.into_iter().enumerate() {
            let mut payload = serde_json::to_value(&timed.event)?;
            sealer.seal(&mut payload)?;
            rows.push(Row {
                at: timed.at,
                case: index,
                sequence: u32::try_from(n + 1)?,
                event_type: timed.event.name(),
                payload: serde_json::to_string(&payload)?,
                actor: timed.actor,
            });
        }
        keys.extend(sealer.keys);
        ids.push(case.id);
    }
    Ok(Part { rows, ids, keys })
}

fn catalog_type(event: &CatalogEvent) -> &'static str {
    match event {
        CatalogEvent::ItemPublished { .. } => "ItemPublished",
        CatalogEvent::ItemRevised { .. } => "ItemRevised",
        CatalogEvent::ItemRetired { .. } => "ItemRetired",
        CatalogEvent::BundleDefined { .. } => "BundleDefined",
        CatalogEvent::BundleRevised { .. } => "BundleRevised",
        CatalogEvent::BundleRetired { .. } => "BundleRetired",
    }
}
