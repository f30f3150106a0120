//! Where the server meets its users' network (issue 15, defect 5): the public base URL of the
//! rating links and the header a trusted proxy puts the client's address in, from a flag, the
//! environment or the file, with the operations-per-connection cap beside them.

use super::{resolve, resolve_with};
use crate::cli::ServeArgs;
use crate::settings::Source;

#[test]
fn the_public_url_and_the_proxy_header_come_from_a_flag_the_environment_or_the_file(
) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let config = dir.path().join("guanjia.toml");
    std::fs::write(
        &config,
        "public_base_url = \"https://file.example.gov.cn\"\nclient_ip_header = \"x-real-ip\"\n\
         max_subscriptions = 20\n",
    )?;
    let config = config.display().to_string();

    let file = resolve(&[("GUANJIA_CONFIG", &config)])?;
    let app = file.app_config()?;
    assert_eq!(
        app.public_base_url.as_deref(),
        Some("https://file.example.gov.cn")
    );
    assert_eq!(
        app.limits.rate.client_ip_header.as_deref(),
        Some("x-real-ip")
    );
    assert_eq!(app.limits.max_subscriptions, 20);
    assert_eq!(file.public_base_url.map(|s| s.source), Some(Source::File));

    let env = resolve(&[
        ("GUANJIA_CONFIG", &config),
        ("GUANJIA_PUBLIC_BASE_URL", "https://env.example.gov.cn/pj"),
        ("GUANJIA_CLIENT_IP_HEADER", "X-Forwarded-For"),
    ])?;
    let app = env.app_config()?;
    assert_eq!(
        app.public_base_url.as_deref(),
        Some("https://env.example.gov.cn/pj")
    );
    assert_eq!(
        app.limits.rate.client_ip_header.as_deref(),
        Some("X-Forwarded-For")
    );

    let flags = ServeArgs {
        public_base_url: Some("https://flag.example.gov.cn".to_owned()),
        client_ip_header: Some("x-client-ip".to_owned()),
        ..ServeArgs::default()
    };
    let flag = resolve_with(flags, &[("GUANJIA_CONFIG", &config)])?;
    let listing = flag.listing();
    assert!(
        listing.contains("public_base_url = \"https://flag.example.gov.cn\"  # flag\n"),
        "{listing}"
    );
    assert!(
        listing.contains("client_ip_header = \"x-client-ip\"  # flag\n"),
        "{listing}"
    );
    let app = flag.app_config()?;
    assert_eq!(
        app.public_base_url.as_deref(),
        Some("https://flag.example.gov.cn")
    );
    assert_eq!(
        app.limits.rate.client_ip_header.as_deref(),
        Some("x-client-ip")
    );
    Ok(())
}

#[test]
fn without_them_links_follow_the_listen_address_and_limits_the_tcp_peer() -> anyhow::Result<()> {
    let settings = resolve(&[])?;
    let app = settings.app_config()?;
    assert_eq!(app.public_base_url, None);
    assert_eq!(app.limits.rate.client_ip_header, None);
    assert_eq!(app.limits.max_subscriptions, 50);
    let listing = settings.listing();
    assert!(
        listing.contains("# public_base_url is unset: http://<listen>\n"),
        "{listing}"
    );
    assert!(
        listing.contains("# client_ip_header is unset: the TCP peer\n"),
        "{listing}"
    );
    Ok(())
}

#[test]
fn a_bad_public_url_or_proxy_header_is_refused_naming_the_setting() {
    for (name, value, named) in [
        (
            "GUANJIA_PUBLIC_BASE_URL",
            "pj.example.gov.cn",
            "public_base_url",
        ),
        (
            "GUANJIA_PUBLIC_BASE_URL",
            "https://pj.example.gov.cn/?x=1",
            "public_base_url",
        ),
        (
            "GUANJIA_CLIENT_IP_HEADER",
            "x forwarded for",
            "client_ip_header",
        ),
        ("GUANJIA_MAX_SUBSCRIPTIONS", "0", "max_subscriptions"),
    ] {
        let error = resolve(&[(name, value)])
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(error.contains(named), "{name}={value}: {error}");
    }
}
