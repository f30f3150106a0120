//! Public rating links (好差评 by QR code and SMS, issue 7 item 3): a steward issues a
//! one-time, expiring link for a conducted visit or a concluded service item; the enterprise
//! contact opens it without an account, sees what is being rated, and submits one rating.
//!
//! - `token.rs`: the signed link token and why it can never pass for a bearer token.
//! - `issue.rs`: who may issue a link and for what (the `issueRatingLink` mutation's logic).
//! - `subject.rs`: whether a target can be rated, and what the page shows about it — the
//!   enterprise and the visit or item, never personal data.
//! - `submit.rs`: opening a link and recording its rating; `refusal.rs`: every refusal, with
//!   its HTTP status and messages.
//! - `routes.rs`: `GET`/`POST /rate/{token}`, `GET /rate/{token}/qr.svg` and `/qr.png`.
//! - `page.rs` (with `page.html`): the self-contained mobile page; `qr.rs`: the QR codes.
//!
//! On the record (issue 18): issuing a link appends `RatingLinkIssued` to the case's
//! `rating_links` stream (link id: the token's nonce; the issuer in the metadata), so links can
//! be listed and revoked, and a revoked one is refused at once on every node. A link signed
//! before links were recorded has no record and is taken until it expires.
//!
//! One-time without a table of used links: the rating is the use. The case aggregate accepts
//! one rating per visit or item (一次一评、一事一评) and refuses a second, in the same
//! optimistic-concurrency append as every other command, so of two submissions racing with
//! one link exactly one is recorded and the other is told the link was used. A link therefore
//! needs no state of its own, works on every node behind a load balancer, and survives a
//! restore from backup. The price: once a target is rated (through any channel) all its links
//! are spent, which is the rule anyway.

mod issue;
mod page;
pub mod qr;
mod refusal;
mod routes;
mod subject;
mod submit;
mod token;

use std::net::SocketAddr;
use std::sync::RwLock;

use guanjia_domain::case::model::Channel;
use guanjia_domain::rating_links::RatingLinkChannel;
use serde::{Deserialize, Serialize};

pub use issue::{issue_link, IssuedLink, LinkRequest, DEFAULT_TTL_HOURS, MAX_TTL_HOURS};
pub use routes::router;
pub use token::{derived_mac, Link, LinkError, LinkSigner};

use crate::config::Secret;
use crate::error::ApiError;

/// `EventMetadata::actor_id` of a rating given through a link: the contact has no account.
pub const ACTOR_ID: &str = "enterprise-contact";
/// `EventMetadata::actor_role` of such a rating.
pub const ACTOR_ROLE: &str = "enterprise_contact";
/// `EventMetadata::channel` of such a rating.
pub const CHANNEL: &str = "rating_link";

/// How a link reaches the enterprise: printed or shown as a QR code, or sent by SMS. Stored
/// as the rating's channel (二维码 / 短信).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkChannel {
    QrCode,
    Sms,
}

impl From<LinkChannel> for RatingLinkChannel {
    fn from(channel: LinkChannel) -> Self {
        match channel {
            LinkChannel::QrCode => Self::QrCode,
            LinkChannel::Sms => Self::Sms,
        }
    }
}

impl From<LinkChannel> for Channel {
    fn from(channel: LinkChannel) -> Self {
        match channel {
            LinkChannel::QrCode => Self::QrCode,
            LinkChannel::Sms => Self::Sms,
        }
    }
}

/// Issues and checks links, and knows the public address they point at.
#[derive(Debug)]
pub struct RatingLinks {
    signer: LinkSigner,
    /// Where links point, without a trailing slash.
    base_url: RwLock<String>,
}

impl RatingLinks {
    /// Links signed with a key derived from `signing_key`, pointing at `public_base_url`, or at
    /// `http://<listen>` when none is configured.
    pub fn new(
        signing_key: &Secret,
        public_base_url: Option<&str>,
        listen: SocketAddr,
    ) -> Result<Self, ApiError> {
        Ok(Self {
            signer: LinkSigner::new(signing_key)?,
            base_url: RwLock::new(base_url(public_base_url, listen)?),
        })
    }

    /// The server is bound to `address` (the real port when 0 was asked for): links point at
    /// `public_base_url` when it is configured, else at that address.
    pub fn serve_at(
        &self,
        public_base_url: Option<&str>,
        address: SocketAddr,
    ) -> Result<(), ApiError> {
        let url = base_url(public_base_url, address)?;
        if public_base_url.is_none() && address.ip().is_unspecified() {
            tracing::warn!(
                %address,
                "rating links point at an unspecified address; set public_base_url to the \
                 address phones reach this server at"
            );
        }
        *self.base_url.write().unwrap_or_else(|p| p.into_inner()) = url;
        Ok(())
    }

    /// The base every link URL starts with, without a trailing slash.
    pub fn base_url(&self) -> String {
        self.base_url
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// The page URL of a token.
    pub fn url_of(&self, token: &str) -> String {
        format!("{}/rate/{token}", self.base_url())
    }

    /// The signer.
    pub fn signer(&self) -> &LinkSigner {
        &self.signer
    }
}

fn base_url(configured: Option<&str>, listen: SocketAddr) -> Result<String, ApiError> {
    match configured {
        Some(url) => checked_base_url(url).map_err(ApiError::internal),
        None => Ok(format!("http://{listen}")),
    }
}

/// A public base URL as configured (`public_base_url`), checked: `http(s)://host[:port][/path]`,
/// returned without a trailing slash; else why not, for the operator.
pub fn checked_base_url(url: &str) -> Result<String, String> {
    let url = url.trim().trim_end_matches('/');
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    let fine = rest.is_some_and(|rest| {
        !rest.is_empty()
            && !rest.starts_with('/')
            && rest
                .bytes()
                .all(|b| b.is_ascii_graphic() && !b"?#\"'<>\\".contains(&b))
    });
    if fine {
        Ok(url.to_owned())
    } else {
        Err(format!(
            "public_base_url {url:?} must look like https://host[:port][/path]"
        ))
    }
}

/// A request path fit for the log: the token of a rating or progress link is replaced, so the
/// log holds no live links (`/rate/<link>/qr.svg`, `/progress/<link>`).
pub fn loggable_path(path: &str) -> std::borrow::Cow<'_, str> {
    for prefix in ["/rate/", "/progress/"] {
        if let Some(rest) = path.strip_prefix(prefix) {
            let tail = rest.find('/').map_or("", |at| &rest[at..]);
            return std::borrow::Cow::Owned(format!("{prefix}<link>{tail}"));
        }
    }
    std::borrow::Cow::Borrowed(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_base_url_is_configured_or_follows_the_listen_address() -> Result<(), ApiError> {
        let key = Secret::new("0123456789abcdef0123456789abcdef");
        let listen = SocketAddr::from(([127, 0, 0, 1], 0));
        let bound = SocketAddr::from(([127, 0, 0, 1], 8123));
        let links = RatingLinks::new(&key, None, listen)?;
        links.serve_at(None, bound)?;
        assert_eq!(links.url_of("t"), "http://127.0.0.1:8123/rate/t");
        links.serve_at(Some("https://pj.example.gov.cn/guanjia/"), bound)?;
        assert_eq!(links.base_url(), "https://pj.example.gov.cn/guanjia");
        for bad in [
            "ftp://x",
            "https://",
            "pj.example.gov.cn",
            "https://a b",
            "https://x?y",
        ] {
            assert!(RatingLinks::new(&key, Some(bad), listen).is_err(), "{bad}");
        }
        Ok(())
    }

    #[test]
    fn the_log_sees_no_link_tokens() {
        assert_eq!(loggable_path("/rate/r1.abc.def"), "/rate/<link>");
        assert_eq!(
            loggable_path("/rate/r1.abc.def/qr.png"),
            "/rate/<link>/qr.png"
        );
        assert_eq!(
            loggable_path("/progress/p1.abc.def/qr.svg"),
            "/progress/<link>/qr.svg"
        );
        assert_eq!(loggable_path("/progress"), "/progress");
        assert_eq!(loggable_path("/graphql"), "/graphql");
    }
}
