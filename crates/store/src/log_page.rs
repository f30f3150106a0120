//! Pages of the global log for readers, and what an unreadable row means for them.
//!
//! The backends hand out rows with either their event or why it does not decode. Here:
//! - a quarantined row (an administrator put it aside, on the record: `quarantine.rs`) is left
//!   out of every page — readers pass it, its quarantine event tells the story;
//! - an unreadable row that is not quarantined ends the page before it, and a page that would
//!   start with it is [`StoreError::Unreadable`], naming its position. Readers stop there, keep
//!   what they have, and look again later: nothing is ever skipped silently.

use std::collections::BTreeSet;

use futures_util::{Stream, StreamExt, TryStreamExt};
use serde_json::value::RawValue;

use crate::backend::LogRow;
use crate::{EventHeader, LogPosition, Payload, Store, StoreError, StoredEvent};

/// Turns rows into a page (see the module documentation); empty when every row was
/// quarantined.
pub(crate) fn page<P>(
    rows: Vec<LogRow<P>>,
    quarantined: &BTreeSet<LogPosition>,
) -> Result<Vec<StoredEvent<P>>, StoreError> {
    let mut events = Vec::with_capacity(rows.len());
    for (position, row) in rows {
        if quarantined.contains(&position) {
            continue;
        }
        match row {
            Ok(event) => events.push(event),
            Err(_) if !events.is_empty() => break,
            Err(error) => return Err(unreadable(position, error)),
        }
    }
    Ok(events)
}

/// The error that names an unreadable row.
fn unreadable(position: LogPosition, error: StoreError) -> StoreError {
    match error {
        StoreError::Unreadable { .. } => error,
        other => StoreError::unreadable(
            position,
            other.detail().unwrap_or_else(|| other.to_string()),
        ),
    }
}

impl Store {
    /// Reads pages until one holds an event (or the log is exhausted), so that a run of
    /// quarantined rows cannot stall a reader.
    pub(crate) async fn read_page<P, F, Fut>(
        &self,
        mut after: LogPosition,
        read: F,
    ) -> Result<Vec<StoredEvent<P>>, StoreError>
    where
        F: Fn(LogPosition) -> Fut,
        Fut: std::future::Future<Output = Result<Vec<LogRow<P>>, StoreError>>,
    {
        let mut refreshed = false;
        loop {
            let rows = read(after).await?;
            let Some(last) = rows.last().map(|(position, _)| *position) else {
                return Ok(Vec::new());
            };
            let quarantined = self.quarantined();
            match page(rows, &quarantined) {
                Ok(events) if events.is_empty() => after = last,
                Ok(events) => return Ok(events),
                // Perhaps quarantined meanwhile on another node: look once before reporting.
                Err(StoreError::Unreadable { .. }) if !refreshed => {
                    refreshed = true;
                    self.refresh_quarantine().await?;
                }
                Err(error) => return Err(error),
            }
        }
    }

    /// Up to `limit` events after `after`, in global order, with their metadata.
    ///
    /// Reading again from the position of the last event returned never skips an event, on
    /// either backend, however transactions interleave; an event committed later always comes
    /// after every position already returned. On PostgreSQL an event is delivered once every
    /// transaction that may still append an event before it has ended (docs/event-log.md).
    ///
    /// Personal fields come unsealed; those whose key was erased are null and listed in
    /// [`StoredEvent::erased_fields`] (`personal.rs`). A row that cannot be read ends the page
    /// before it; alone it is [`StoreError::Unreadable`].
    pub async fn read_after(
        &self,
        after: LogPosition,
        limit: usize,
    ) -> Result<Vec<StoredEvent>, StoreError> {
        let mut events = self
            .read_page(after, |after| self.db().read_after(after, limit))
            .await?;
        self.unseal_events(&mut events).await?;
        Ok(events)
    }

    /// As [`Self::read_after`], only the events of one aggregate type (the user directory reads
    /// users this way). The last event's position is where to read on from.
    pub async fn read_type_after(
        &self,
        aggregate_type: &str,
        after: LogPosition,
        limit: usize,
    ) -> Result<Vec<StoredEvent>, StoreError> {
        let mut events = self
            .read_page(after, |after| {
                self.db().read_type_after(aggregate_type, after, limit)
            })
            .await?;
        self.unseal_events(&mut events).await?;
        Ok(events)
    }

    /// [`Self::read_after`] for read models: the same events in the same order, each payload
    /// left as the JSON text the database returned ([`Payload::Text`]) unless it held sealed
    /// personal data, which is unsealed as in `read_after` ([`Payload::Tree`]). A projection
    /// then parses each payload once, into its own event type.
    pub async fn read_payloads_after(
        &self,
        after: LogPosition,
        limit: usize,
    ) -> Result<Vec<StoredEvent<Payload>>, StoreError> {
        let events = self
            .read_page(after, |after| self.db().read_text_after(after, limit))
            .await?;
        self.unseal_text_events(events).await
    }

    /// Every event after `after` that the reader may see now, as [`Self::read_payloads_after`]
    /// gives them, in pages of `page_size`: for a start-up replay. One query streams the whole
    /// log, so the database keeps sending while the caller decodes, unseals and applies,
    /// instead of waiting for the next page's query. Events committed while it runs are not in
    /// it; read them afterwards with `read_payloads_after` from the last position. The stream
    /// ends with [`StoreError::Unreadable`] at the first unreadable row that is not quarantined.
    pub fn stream_payloads_after(
        &self,
        after: LogPosition,
        page_size: usize,
    ) -> impl Stream<Item = Result<Vec<StoredEvent<Payload>>, StoreError>> + '_ {
        let quarantined = self.quarantined();
        self.db()
            .stream_text_after(after)
            .try_filter(move |(position, _)| std::future::ready(!quarantined.contains(position)))
            .and_then(|(position, row)| {
                std::future::ready(row.map_err(|e| unreadable(position, e)))
            })
            .try_chunks(page_size.max(1))
            // The events before an error come as a page of their own, then the error.
            .flat_map(|chunk| {
                let items: Vec<Result<Vec<StoredEvent<Box<RawValue>>>, StoreError>> = match chunk {
                    Ok(page) => vec![Ok(page)],
                    Err(futures_util::stream::TryChunksError(page, error)) => {
                        let mut items = Vec::new();
                        if !page.is_empty() {
                            items.push(Ok(page));
                        }
                        items.push(Err(error));
                        items
                    }
                };
                futures_util::stream::iter(items)
            })
            .and_then(move |page| self.unseal_text_events(page))
    }

    /// Positions and kinds of the events after `after`, nothing else (for counting what is
    /// appended). Quarantined rows are left out; every row has a readable header.
    pub async fn read_headers_after(
        &self,
        after: LogPosition,
        limit: usize,
    ) -> Result<Vec<EventHeader>, StoreError> {
        let quarantined = self.quarantined();
        let mut headers = self.db().headers_after(after, limit).await?;
        headers.retain(|header| !quarantined.contains(&header.position));
        Ok(headers)
    }
}
