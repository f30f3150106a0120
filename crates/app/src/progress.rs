//! 办件进度, the public side: an enterprise opens the progress of its own case without an
//! account — through a link its team issued (`cases/progress_links.rs`), or by quoting its
//! case number, USCC and the last four digits of its registered contact phone.
//!
//! This layer decides whether the case may be shown and records that it was: every successful
//! opening appends a `PersonalDataRead` to the access log (a new stream per request, so it
//! never conflicts), with the front door's metadata (actor `enterprise-contact`), so the audit
//! desk's "who looked at this case" lists the enterprise's own looks too. What the page shows
//! is the front door's view of the read model, limited to what is not personal.
//!
//! A link is checked against the log (the case's `ProgressLinks` stream), not a read model, so
//! a revocation holds at once on every node. A wrong case number, USCC or phone digits all
//! read the same (`NOT_FOUND`), as for 办不成事 reports (`crate::reports::follow_report`):
//! a guess tells nothing. The front door rate-limits both ways in.

use guanjia_domain::access::{AccessCommand, AccessLog};
use guanjia_domain::case::EnterpriseCase;
use guanjia_domain::progress::{OpenRefusal, ProgressLinks};
use guanjia_domain::registry::CaseNumberBook;
use guanjia_domain::values::{CaseNumber, Uscc};
use guanjia_store::{CommandContext, Committed};

use crate::{App, AppError};

/// The access log's stream prefix (and the metadata's actor id the front doors use) of a
/// look by the enterprise itself: it has no account.
pub const ENTERPRISE_ACTOR: &str = "enterprise-contact";
/// What the access log records as read: the case's progress (items, visits, state).
pub const PROGRESS_FIELD: &str = "case.progress";

/// A case the enterprise may see, and the access-log record of its look.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgressAccess {
    pub case_id: String,
    pub recorded: Committed,
}

/// How the enterprise came in, for the access log's purpose.
enum Way<'a> {
    Link(&'a str),
    Lookup,
}

impl App {
    /// The case a progress link (`case_id`, `link_id`, from its verified token) opens, if the
    /// link is live; the look is recorded. `Ok(Err(_))` says why a genuine-looking link opens
    /// nothing: unknown, revoked or expired.
    pub async fn open_progress_link(
        &self,
        case_id: &str,
        link_id: &str,
        context: CommandContext,
    ) -> Result<Result<ProgressAccess, OpenRefusal>, AppError> {
        let links = self.store().load::<ProgressLinks>(case_id).await?.state;
        let now = self.services().clock.now();
        if let Err(refusal) = links.open(link_id, now) {
            return Ok(Err(refusal));
        }
        let recorded = self
            .record_look(case_id, Way::Link(link_id), context)
            .await?;
        Ok(Ok(ProgressAccess {
            case_id: case_id.to_owned(),
            recorded,
        }))
    }

    /// The case numbered `case_number` whose enterprise has the USCC `uscc` and a contact
    /// phone ending in `last_four`; the look is recorded. Malformed input is `BAD_USER_INPUT`
    /// naming the field; every mismatch is the same `NOT_FOUND`.
    pub async fn look_up_progress(
        &self,
        case_number: &str,
        uscc: &str,
        last_four: &str,
        context: CommandContext,
    ) -> Result<ProgressAccess, AppError> {
        let number = CaseNumber::parse(case_number)
            .map_err(|e| AppError::bad_input("caseNumber", "format", format!("case number {e}")))?;
        let uscc = Uscc::parse(uscc)
            .map_err(|e| AppError::bad_input("uscc", "format", format!("USCC {e}")))?;
        let last_four = last_four.trim();
        if last_four.len() != 4 || !last_four.bytes().all(|b| b.is_ascii_digit()) {
            return Err(AppError::bad_input(
                "phoneLastFour",
                "format",
                "the last four digits of the enterprise's registered contact phone",
            ));
        }
        let book = self
            .store()
            .load::<CaseNumberBook>(&number.year().to_string())
            .await?
            .state;
        let Some(case_id) = book.case_of(number).map(str::to_owned) else {
            return Err(not_found());
        };
        let case = self.store().load::<EnterpriseCase>(&case_id).await?.state;
        let matches = case.enterprise.as_ref().is_some_and(|enterprise| {
            enterprise.uscc.as_ref() == Some(&uscc)
                && enterprise
                    .contact_phone
                    .as_ref()
                    .is_some_and(|phone| phone.as_str().ends_with(last_four))
        });
        if !matches {
            return Err(not_found());
        }
        let recorded = self.record_look(&case_id, Way::Lookup, context).await?;
        Ok(ProgressAccess { case_id, recorded })
    }

    /// One `PersonalDataRead` of the case's progress, in a stream of its own.
    async fn record_look(
        &self,
        case_id: &str,
        way: Way<'_>,
        context: CommandContext,
    ) -> Result<Committed, AppError> {
        let purpose = match way {
            Way::Link(link_id) => format!("办件进度 (progress link {link_id})"),
            Way::Lookup => "办件进度 (case number, USCC and phone lookup)".to_owned(),
        };
        let command = AccessCommand::RecordRead {
            case_id: case_id.to_owned(),
            fields: vec![PROGRESS_FIELD.to_owned()],
            purpose,
        };
        let stream = format!("{ENTERPRISE_ACTOR}/{}", uuid::Uuid::now_v7());
        Ok(self
            .store()
            .execute::<AccessLog>(&stream, command, self.services(), context)
            .await?)
    }
}

fn not_found() -> AppError {
    AppError::NotFound {
        what: "case".to_owned(),
    }
}
