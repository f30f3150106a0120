//! 办件进度 links (issue 19): the team issues a revocable, expiring link (and its QR code)
//! through which the enterprise follows its own case without an account. The rules — who
//! issues and revokes, whether a link is live, what is recorded when it is opened — are the
//! application layer's (`guanjia_app::cases::progress_links`, `guanjia_app::progress`); this
//! module signs the token that carries the case and the link id ([`token`]) and hands out the
//! addresses. The public page at `/progress/{token}` is the web crate's.
//!
//! Why a signed token rather than the link id alone: the link ids are in the log (every
//! auditor reads them) and in the team's list; only the server's key turns one into a link.

mod address;
mod token;

pub use address::{address, address_of, issue, ProgressLinkAddress};
pub use token::{ProgressSigner, ProgressToken, TokenError, KEY_LABEL};

/// The path of the public page of a token, and of the lookup form.
pub const PATH: &str = "/progress";
