//! The limiter: bursts, independent keys, limits turned off, and whose address counts.

use axum::http::HeaderValue;

use super::*;

fn limits(per_minute: u32) -> RateLimits {
    RateLimits {
        login_per_user: per_minute,
        login_per_ip: per_minute * 10,
        rating_per_ip: per_minute * 10,
        rating_per_link: per_minute,
        public_per_ip: 0,
        report_per_ip: per_minute,
        follow_per_ip: per_minute,
        client_ip_header: None,
    }
}

fn peer(address: &str) -> Peer {
    address
        .parse::<SocketAddr>()
        .ok()
        .map(|a| Extension(ConnectInfo(a)))
}

#[test]
fn a_burst_of_n_passes_and_the_next_is_refused_with_a_retry_time() {
    let throttle = Throttle::new(&limits(3)).expect("valid limits");
    for _ in 0..3 {
        assert_eq!(throttle.login("li.ming", None), Ok(()));
    }
    match throttle.login("LI.MING ", None) {
        Err(ApiError::RateLimited { retry_after_secs }) => {
            // One attempt every 20 s comes back.
            assert!((1..=20).contains(&retry_after_secs), "{retry_after_secs}");
        }
        other => panic!("expected RateLimited, got {other:?}"),
    }
    // Another user has a bucket of their own.
    assert_eq!(throttle.login("chen.jun", None), Ok(()));
}

#[test]
fn the_address_limit_holds_across_usernames() {
    let throttle = Throttle::new(&RateLimits {
        login_per_ip: 2,
        ..RateLimits::default()
    })
    .expect("valid limits");
    let ip = "10.1.2.3".parse().ok();
    assert_eq!(throttle.login("a.user", ip), Ok(()));
    assert_eq!(throttle.login("b.user", ip), Ok(()));
    assert!(matches!(
        throttle.login("c.user", ip),
        Err(ApiError::RateLimited { .. })
    ));
    assert_eq!(throttle.login("c.user", "10.1.2.4".parse().ok()), Ok(()));
}

#[test]
fn zero_turns_a_limit_off() {
    let throttle = Throttle::new(&RateLimits::unlimited()).expect("valid limits");
    for _ in 0..100 {
        assert_eq!(throttle.rating("r1.x.y", "127.0.0.1".parse().ok()), Ok(()));
    }
}

#[test]
fn ipv6_clients_share_the_bucket_of_their_64() {
    let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().expect("ip");
    let b: IpAddr = "2001:db8:1:2:bbbb::9".parse().expect("ip");
    assert_eq!(ip_key(a), ip_key(b));
    let mapped: IpAddr = "::ffff:10.0.0.1".parse().expect("ip");
    assert_eq!(ip_key(mapped), "10.0.0.1");
}

#[test]
fn a_forwarded_address_counts_only_when_the_operator_trusts_the_header() {
    let mut headers = HeaderMap::new();
    headers.insert(
        "x-forwarded-for",
        HeaderValue::from_static("6.6.6.6, 203.0.113.7:4711"),
    );
    let direct = Throttle::new(&RateLimits::default()).expect("valid limits");
    assert_eq!(
        direct.client_ip(&peer("192.0.2.1:5000"), &headers),
        ClientIp("192.0.2.1".parse().ok())
    );
    let proxied = Throttle::new(&RateLimits {
        client_ip_header: Some("X-Forwarded-For".to_owned()),
        ..RateLimits::default()
    })
    .expect("valid limits");
    // The last entry is the proxy's; the client wrote the ones before it.
    assert_eq!(
        proxied.client_ip(&peer("192.0.2.1:5000"), &headers),
        ClientIp("203.0.113.7".parse().ok())
    );
    headers.insert("x-forwarded-for", HeaderValue::from_static("1.1.1.1, junk"));
    assert_eq!(
        proxied.client_ip(&peer("192.0.2.1:5000"), &headers),
        ClientIp("192.0.2.1".parse().ok())
    );
    assert_eq!(proxied.client_ip(&None, &HeaderMap::new()), ClientIp(None));
    assert!(Throttle::new(&RateLimits {
        client_ip_header: Some("bad header".to_owned()),
        ..RateLimits::default()
    })
    .is_err());
}

#[test]
fn refilled_buckets_are_swept_once_many_keys_are_held() {
    let bucket = Bucket::per_minute("test", 1);
    for n in 0..KEYS_BEFORE_SWEEP + 5 {
        let _ = bucket.check(&format!("key-{n}"));
    }
    // Every bucket is still busy (one request a minute), so the sweep kept them and moved
    // the next sweep further out instead of sweeping on every request.
    assert!(bucket.sweep_at.load(Ordering::Relaxed) > KEYS_BEFORE_SWEEP);
}

#[test]
fn the_public_pages_are_limited_per_address_and_unknown_addresses_pass() {
    let throttle = Throttle::new(&RateLimits {
        public_per_ip: 2,
        ..RateLimits::unlimited()
    })
    .expect("valid limits");
    let one: IpAddr = "10.0.0.1".parse().expect("an address");
    let other: IpAddr = "10.0.0.2".parse().expect("an address");
    assert_eq!(throttle.public(Some(one)), Ok(()));
    assert_eq!(throttle.public(Some(one)), Ok(()));
    assert!(matches!(
        throttle.public(Some(one)),
        Err(ApiError::RateLimited { .. })
    ));
    assert_eq!(throttle.public(Some(other)), Ok(()), "another address");
    assert_eq!(throttle.public(None), Ok(()), "no key to hold");
}
