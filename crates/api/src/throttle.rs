//! Rate limits in front of sign-in, the public rating links and the public catalog pages (issue 7, "hardened input"), so
//! that passwords cannot be guessed quickly and the public pages cannot be flooded.
//!
//! Each limit is a `governor` GCRA limiter — a token bucket that refills continuously, with no
//! background task — keyed by a string: the username, the client address, the link token.
//! "`n` per minute" is a burst of `n`, then one more every `60/n` seconds; `0` turns a limit
//! off. Buckets live in memory on each node: behind a load balancer with N nodes a client gets
//! up to N times the limit, which is still a limit, and no shared store is needed.
//!
//! The clock is the monotonic one, not the injected [`Clock`](guanjia_domain::clock::Clock): a
//! limit is about real elapsed time, and a step of the wall clock must neither lock everyone
//! out nor refill every bucket.
//!
//! Client addresses: the TCP peer, or — only when the operator names the header a reverse
//! proxy in front of the server sets ([`RateLimits::client_ip_header`]) — the last address in
//! that header, the one the proxy itself appended. Trusting such a header by default would let
//! every client choose its own key. IPv6 clients are keyed by their /64, which one subscriber
//! usually holds whole.

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, HeaderName};
use axum::Extension;
use governor::clock::{Clock as _, MonotonicClock};
use governor::middleware::NoOpMiddleware;
use governor::state::keyed::HashMapStateStore;
use governor::{Quota, RateLimiter};

use crate::error::ApiError;

/// Longest key kept (a username or token longer than this is cut): bounds the memory of a key.
const KEY_MAX: usize = 600;
/// Keys a limit holds before it first drops the buckets that have refilled.
const KEYS_BEFORE_SWEEP: usize = 10_000;

/// How many requests per minute each limit allows (see the module documentation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimits {
    /// Sign-in attempts per username. Default 5.
    pub login_per_user: u32,
    /// Sign-in attempts per client address. Default 20.
    pub login_per_ip: u32,
    /// Requests to the public rating routes per client address. Default 30.
    pub rating_per_ip: u32,
    /// Requests to the public rating routes per link. Default 10.
    pub rating_per_link: u32,
    /// Requests to the public catalog, guide and bundle pages and their read API per client
    /// address. Default 120: a person reads a few pages a minute, a WeChat or terminal
    /// backend should cache (the answers carry ETags) rather than poll.
    pub public_per_ip: u32,
    /// 办不成事 reports submitted per client address. Default 3: a person reports a few
    /// things, a script is held back (no third-party captcha on a closed network).
    pub report_per_ip: u32,
    /// Lookups of a report's progress, and of a case's (办件进度: lookups by case number and
    /// openings of a progress link), per client address, each wrong guess included. Default 10.
    pub follow_per_ip: u32,
    /// The header in which a trusted reverse proxy passes the client's address (e.g.
    /// `x-forwarded-for`). `None`, the default, keys on the TCP peer.
    pub client_ip_header: Option<String>,
}

impl Default for RateLimits {
    fn default() -> Self {
        Self {
            login_per_user: 5,
            login_per_ip: 20,
            rating_per_ip: 30,
            rating_per_link: 10,
            public_per_ip: 120,
            report_per_ip: 3,
            follow_per_ip: 10,
            client_ip_header: None,
        }
    }
}

impl RateLimits {
    /// Every limit off (tests that sign in many times a minute).
    pub fn unlimited() -> Self {
        Self {
            login_per_user: 0,
            login_per_ip: 0,
            rating_per_ip: 0,
            rating_per_link: 0,
            public_per_ip: 0,
            report_per_ip: 0,
            follow_per_ip: 0,
            client_ip_header: None,
        }
    }
}

/// The client address of a request, as far as the server can tell; put into the GraphQL
/// request data by the HTTP handlers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ClientIp(pub Option<IpAddr>);

/// The TCP peer, when the server was started with connect info.
pub type Peer = Option<Extension<ConnectInfo<SocketAddr>>>;

/// The limiters of one process.
#[derive(Debug)]
pub struct Throttle {
    login_user: Bucket,
    login_ip: Bucket,
    rating_ip: Bucket,
    rating_link: Bucket,
    public_ip: Bucket,
    report_ip: Bucket,
    follow_ip: Bucket,
    client_ip_header: Option<HeaderName>,
}

impl Throttle {
    /// The limiters for `limits`; fails on a header name that is not one.
    pub fn new(limits: &RateLimits) -> Result<Self, ApiError> {
        let client_ip_header = match &limits.client_ip_header {
            None => None,
            Some(name) => Some(header_name(name).map_err(ApiError::internal)?),
        };
        Ok(Self {
            login_user: Bucket::per_minute("login_per_user", limits.login_per_user),
            login_ip: Bucket::per_minute("login_per_ip", limits.login_per_ip),
            rating_ip: Bucket::per_minute("rating_per_ip", limits.rating_per_ip),
            rating_link: Bucket::per_minute("rating_per_link", limits.rating_per_link),
            public_ip: Bucket::per_minute("public_per_ip", limits.public_per_ip),
            report_ip: Bucket::per_minute("report_per_ip", limits.report_per_ip),
            follow_ip: Bucket::per_minute("follow_per_ip", limits.follow_per_ip),
            client_ip_header,
        })
    }

    /// One sign-in attempt for `username` from `client`, or `RATE_LIMITED`. Checked before
    /// the password, so a flood costs no hashing.
    pub fn login(&self, username: &str, client: Option<IpAddr>) -> Result<(), ApiError> {
        if let Some(ip) = client {
            self.login_ip.check(&ip_key(ip))?;
        }
        self.login_user.check(&username.trim().to_lowercase())
    }

    /// One request to a public rating route for the link `token` from `client`.
    pub fn rating(&self, token: &str, client: Option<IpAddr>) -> Result<(), ApiError> {
        if let Some(ip) = client {
            self.rating_ip.check(&ip_key(ip))?;
        }
        self.rating_link.check(token)
    }

    /// One request to the public catalog pages or their read API from `client`. A request
    /// whose address is unknown (no connect info) is let through: there is no key to hold.
    pub fn public(&self, client: Option<IpAddr>) -> Result<(), ApiError> {
        match client {
            Some(ip) => self.public_ip.check(&ip_key(ip)),
            None => Ok(()),
        }
    }

    /// One 办不成事 report submitted from `client`. A client without a known address shares
    /// one bucket with the others, so a flood without addresses is limited too.
    pub fn report(&self, client: Option<IpAddr>) -> Result<(), ApiError> {
        self.report_ip
            .check(&client.map_or_else(String::new, ip_key))
    }

    /// One lookup of a report's (or a case's) progress from `client`.
    pub fn follow(&self, client: Option<IpAddr>) -> Result<(), ApiError> {
        self.follow_ip
            .check(&client.map_or_else(String::new, ip_key))
    }

    /// The client address of a request (see the module documentation).
    pub fn client_ip(&self, peer: &Peer, headers: &HeaderMap) -> ClientIp {
        let forwarded = self.client_ip_header.as_ref().and_then(|name| {
            let last = headers.get_all(name).iter().next_back()?.to_str().ok()?;
            parse_address(last.rsplit(',').next()?.trim())
        });
        ClientIp(forwarded.or_else(|| peer.as_ref().map(|Extension(ConnectInfo(a))| a.ip())))
    }
}

/// The header named by `client_ip_header`, checked; else why not, for the operator.
pub fn header_name(name: &str) -> Result<HeaderName, String> {
    HeaderName::try_from(name.trim().to_ascii_lowercase())
        .map_err(|_| format!("client_ip_header {name:?} is not a header name"))
}

/// A keyed limiter with every type spelled out, so that no feature of `governor` enabled
/// elsewhere can change its clock or store.
type Limiter = RateLimiter<
    String,
    HashMapStateStore<String>,
    MonotonicClock,
    NoOpMiddleware<std::time::Instant>,
>;

/// One limit, keyed.
struct Bucket {
    name: &'static str,
    limiter: Option<Limiter>,
    /// The number of keys at which the next sweep of refilled buckets happens; doubles with
    /// the keys that are still busy, so a flood of new keys costs no sweep per request.
    sweep_at: AtomicUsize,
}

impl std::fmt::Debug for Bucket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bucket")
            .field("name", &self.name)
            .field("on", &self.limiter.is_some())
            .finish()
    }
}

impl Bucket {
    fn per_minute(name: &'static str, per_minute: u32) -> Self {
        let limiter = NonZeroU32::new(per_minute)
            .map(|n| RateLimiter::hashmap_with_clock(Quota::per_minute(n), MonotonicClock));
        Self {
            name,
            limiter,
            sweep_at: AtomicUsize::new(KEYS_BEFORE_SWEEP),
        }
    }

    fn check(&self, key: &str) -> Result<(), ApiError> {
        let Some(limiter) = &self.limiter else {
            return Ok(());
        };
        if limiter.len() >= self.sweep_at.load(Ordering::Relaxed) {
            limiter.retain_recent();
            limiter.shrink_to_fit();
            let next = (2 * limiter.len()).max(KEYS_BEFORE_SWEEP);
            self.sweep_at.store(next, Ordering::Relaxed);
        }
        let key: String = key.chars().take(KEY_MAX).collect();
        limiter.check_key(&key).map_err(|not_until| {
            let wait = not_until.wait_time_from(MonotonicClock.now());
            // Rounded up: a client that waits this long is let through.
            let retry_after_secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            tracing::warn!(limit = self.name, retry_after_secs, "rate limited");
            ApiError::RateLimited {
                retry_after_secs: retry_after_secs.max(1),
            }
        })
    }
}

/// The bucket key of an address: IPv4 as is, IPv6 by its /64 (IPv4-mapped ones as IPv4).
fn ip_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

/// An address as proxies write it: `1.2.3.4`, `1.2.3.4:567`, `::1`, `[::1]:567`.
fn parse_address(text: &str) -> Option<IpAddr> {
    text.parse::<IpAddr>()
        .ok()
        .or_else(|| text.parse::<SocketAddr>().ok().map(|a| a.ip()))
}

#[cfg(test)]
mod tests;
