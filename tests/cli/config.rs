//! Configuration: flag > environment > file > default, unknown keys refused, secrets hidden.

use crate::helpers::{write, Guanjia};

/// The value and source `guanjia config` shows for `key`.
fn shown(listing: &str, key: &str) -> (String, String) {
    let line = listing
        .lines()
        .find(|line| line.starts_with(&format!("{key} = ")))
        .unwrap_or_else(|| panic!("no {key} in\n{listing}"));
    let (value, source) = line[key.len() + 3..]
        .split_once("  # ")
        .expect("value  # source");
    (value.to_owned(), source.to_owned())
}

#[test]
fn a_flag_beats_the_environment_which_beats_the_file_which_beats_the_default() {
    let mut guanjia = Guanjia::new();
    let file = write(
        guanjia.dir.path(),
        "guanjia.toml",
        "listen = \"127.0.0.1:7001\"\nmax_body_bytes = 1000\nlog_format = \"json\"\n",
    );
    let config = |guanjia: &Guanjia, extra: &[&str]| {
        let mut args = vec!["--config", file.as_str(), "config"];
        args.extend_from_slice(extra);
        guanjia.run(&args).ok().stdout
    };
    guanjia
        .env
        .push(("GUANJIA_LISTEN".into(), "127.0.0.1:7002".into()));

    let listing = config(&guanjia, &["--listen", "127.0.0.1:7003"]);
    assert_eq!(
        shown(&listing, "listen"),
        ("\"127.0.0.1:7003\"".into(), "flag".into())
    );
    let listing = config(&guanjia, &[]);
    assert_eq!(
        shown(&listing, "listen"),
        ("\"127.0.0.1:7002\"".into(), "env GUANJIA_LISTEN".into())
    );
    assert_eq!(
        shown(&listing, "max_body_bytes"),
        ("1000".into(), "file".into())
    );
    assert_eq!(
        shown(&listing, "log_format"),
        ("\"json\"".into(), "file".into())
    );
    assert_eq!(
        shown(&listing, "max_query_depth"),
        ("12".into(), "default".into())
    );
    guanjia.env.retain(|(name, _)| name != "GUANJIA_LISTEN");
    let listing = config(&guanjia, &[]);
    assert_eq!(
        shown(&listing, "listen"),
        ("\"127.0.0.1:7001\"".into(), "file".into())
    );
    let listing = guanjia.run(&["config"]).ok().stdout;
    assert_eq!(
        shown(&listing, "listen"),
        ("\"127.0.0.1:8080\"".into(), "default".into())
    );
}

#[test]
fn the_config_file_also_comes_from_guanjia_config() {
    let mut guanjia = Guanjia::new();
    let file = write(guanjia.dir.path(), "g.toml", "token_ttl_hours = 3\n");
    guanjia.env.push(("GUANJIA_CONFIG".into(), file));
    let listing = guanjia.run(&["config"]).ok().stdout;
    assert_eq!(
        shown(&listing, "token_ttl_hours"),
        ("3".into(), "file".into())
    );
}

#[test]
fn an_unknown_key_is_an_error_naming_it() {
    let guanjia = Guanjia::new();
    let file = write(
        guanjia.dir.path(),
        "bad.toml",
        "listen = \"127.0.0.1:1\"\ndatabse_url = \"x\"\n",
    );
    let ran = guanjia.run(&["--config", &file, "config"]);
    assert_eq!(ran.code, Some(1));
    assert!(ran.stderr.contains("databse_url"), "{}", ran.stderr);
    assert!(ran.stderr.contains("line 2"), "{}", ran.stderr);
    // Any command refuses it, not only `config`.
    assert_eq!(guanjia.run(&["--config", &file, "replay"]).code, Some(1));
}

#[test]
fn a_bad_environment_value_is_named() {
    let mut guanjia = Guanjia::new();
    guanjia
        .env
        .push(("GUANJIA_MAX_BODY_BYTES".into(), "lots".into()));
    let ran = guanjia.run(&["config"]);
    assert_eq!(ran.code, Some(1));
    assert!(
        ran.stderr.contains("GUANJIA_MAX_BODY_BYTES"),
        "{}",
        ran.stderr
    );
}

#[test]
fn secrets_are_never_printed() {
    let mut guanjia = Guanjia::new();
    guanjia.env.push((
        "GUANJIA_TOKEN_SECRET".into(),
        "token-secret-0123456789abcdef-0123456789".into(),
    ));
    guanjia.url = "postgres://guanjia:hunter2@db.example/guanjia".into();
    let file = write(
        guanjia.dir.path(),
        "s.toml",
        "demo_password = \"file-demo-password\"\n",
    );
    let ran = guanjia.run(&["--config", &file, "config"]).ok();
    for secret in [
        "token-secret-0123",
        "hunter2",
        "admin-password-for-tests",
        "demo-password-for-tests",
        "file-demo",
    ] {
        assert!(
            !ran.stdout.contains(secret),
            "{secret} printed:\n{}",
            ran.stdout
        );
        assert!(
            !ran.stderr.contains(secret),
            "{secret} logged:\n{}",
            ran.stderr
        );
    }
    assert!(
        ran.stdout
            .contains("# token_secret = <set>  # env GUANJIA_TOKEN_SECRET"),
        "{}",
        ran.stdout
    );
    assert!(
        ran.stdout
            .contains("# demo_password = <set>  # env GUANJIA_DEMO_PASSWORD"),
        "{}",
        ran.stdout
    );
    assert!(
        ran.stdout
            .contains("postgres://guanjia:<hidden>@db.example/guanjia"),
        "{}",
        ran.stdout
    );
    // PostgreSQL: no demo unless asked.
    assert!(
        ran.stdout.contains("load_demo is automatic: no"),
        "{}",
        ran.stdout
    );
}

#[test]
fn a_calendar_file_extends_the_working_days_and_a_bad_one_is_refused() {
    let guanjia = Guanjia::new();
    let good = write(
        guanjia.dir.path(),
        "cal.toml",
        "[[year]]\nyear = 2027\nsource = \"test\"\nholidays = [\"2027-01-01\"]\n",
    );
    let ran = guanjia.run(&["--calendar-file", &good, "replay"]).ok();
    assert!(
        ran.stdout.contains("Working-day calendar: 2004–2027"),
        "{}",
        ran.stdout
    );
    let bad = write(
        guanjia.dir.path(),
        "bad-cal.toml",
        "[[year]]\nyear = 2027\n",
    );
    let ran = guanjia.run(&["--calendar-file", &bad, "replay"]);
    assert_eq!(ran.code, Some(1));
    assert!(ran.stderr.contains("calendar file"), "{}", ran.stderr);
}
