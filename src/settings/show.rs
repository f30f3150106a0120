//! The listing of the `config` command: every key with its effective value and its source.
//!
//! The listing is valid TOML (sources are comments), so `guanjia config > guanjia.toml` gives
//! a starting file. Secrets never appear: they are comment lines saying `<set>` or `<unset>`,
//! and a password inside the database URL is replaced by `<hidden>`.

use std::fmt::Write as _;

use toml::Value;

use super::redact::hide_password;
use super::{Settings, Source, Sourced};

/// One line of the listing.
struct Line {
    key: &'static str,
    /// `None` for a key that no layer sets and that has no default.
    value: Option<Value>,
    /// Where the value came from; without a value, why there is none (`unset`).
    note: String,
}

impl Settings {
    /// The listing, one line per key.
    pub fn listing(&self) -> String {
        let mut out = String::from(
            "# The effective configuration: flags > environment (GUANJIA_*) > file > defaults.\n",
        );
        match &self.config_file {
            Some(path) => {
                let _ = writeln!(out, "# configuration file: {}", path.display());
            }
            None => out.push_str("# configuration file: none (--config FILE or GUANJIA_CONFIG)\n"),
        }
        for line in self.lines() {
            let note = &line.note;
            match line.value {
                Some(value) => {
                    let _ = writeln!(out, "{} = {value}  # {note}", line.key);
                }
                None => {
                    let _ = writeln!(out, "# {} is {note}", line.key);
                }
            }
        }
        for (key, secret) in [
            ("token_secret", &self.token_secret),
            ("admin_password", &self.admin_password),
            ("demo_password", &self.demo_password),
            ("chain_anchor_url", &self.chain_anchor_url),
        ] {
            let _ = match secret {
                Some(found) => writeln!(out, "# {key} = <set>  # {}", found.source),
                None => writeln!(out, "# {key} = <unset>"),
            };
        }
        if self.load_demo.is_none() {
            let _ = writeln!(
                out,
                "# load_demo is automatic: {} for this database (SQLite yes, PostgreSQL no)",
                if self.loads_demo() { "yes" } else { "no" }
            );
        }
        out
    }

    fn lines(&self) -> Vec<Line> {
        let string = |s: &Sourced<String>| line_of(s, Value::String(s.value.clone()));
        let int = |value: u64, source: &Source| Line {
            key: "",
            value: Some(Value::Integer(i64::try_from(value).unwrap_or(i64::MAX))),
            note: source.to_string(),
        };
        let mut lines = vec![
            Line {
                key: "database_url",
                value: Some(Value::String(hide_password(&self.database_url.value))),
                note: self.database_url.source.to_string(),
            },
            keyed(
                "listen",
                line_of(&self.listen, Value::String(self.listen.value.to_string())),
            ),
            keyed(
                "log_format",
                line_of(
                    &self.log_format,
                    Value::String(format!("{:?}", self.log_format.value).to_lowercase()),
                ),
            ),
            keyed("log_level", string(&self.log_level)),
            Line {
                key: "calendar_file",
                value: self
                    .calendar_file
                    .as_ref()
                    .map(|f| Value::String(f.value.display().to_string())),
                note: self
                    .calendar_file
                    .as_ref()
                    .map_or_else(|| "unset".to_owned(), |f| f.source.to_string()),
            },
            self.snapshot_file_line(),
            optional(
                "public_base_url",
                self.public_base_url.as_ref(),
                "http://<listen>",
            ),
            optional(
                "client_ip_header",
                self.client_ip_header.as_ref(),
                "the TCP peer",
            ),
            self.anchor_file_line(),
        ];
        if let Some(choice) = &self.load_demo {
            lines.push(keyed(
                "load_demo",
                line_of(choice, Value::Boolean(choice.value)),
            ));
        }
        lines.push(keyed(
            "complaint_sign_off",
            line_of(
                &self.complaint_sign_off,
                Value::Boolean(self.complaint_sign_off.value),
            ),
        ));
        let numbers: [(&'static str, u64, &Source); 15] = [
            (
                "chain_anchor_secs",
                self.chain_anchor_secs.value,
                &self.chain_anchor_secs.source,
            ),
            (
                "request_timeout_secs",
                self.request_timeout_secs.value,
                &self.request_timeout_secs.source,
            ),
            (
                "max_body_bytes",
                self.max_body_bytes.value as u64,
                &self.max_body_bytes.source,
            ),
            (
                "max_query_depth",
                self.max_query_depth.value as u64,
                &self.max_query_depth.source,
            ),
            (
                "max_query_complexity",
                self.max_query_complexity.value as u64,
                &self.max_query_complexity.source,
            ),
            (
                "token_ttl_hours",
                self.token_ttl_hours.value,
                &self.token_ttl_hours.source,
            ),
            (
                "max_subscriptions",
                self.max_subscriptions.value as u64,
                &self.max_subscriptions.source,
            ),
            (
                "shutdown_grace_secs",
                self.shutdown_grace_secs.value,
                &self.shutdown_grace_secs.source,
            ),
            (
                "max_connections",
                self.max_connections.value.into(),
                &self.max_connections.source,
            ),
            (
                "poll_interval_ms",
                self.poll_interval_ms.value,
                &self.poll_interval_ms.source,
            ),
            (
                "snapshot_every",
                self.snapshot_every.value,
                &self.snapshot_every.source,
            ),
            (
                "warning_percent",
                self.warning_percent.value.into(),
                &self.warning_percent.source,
            ),
            (
                "call_back_days",
                self.call_back_days.value.into(),
                &self.call_back_days.source,
            ),
            (
                "rectification_days",
                self.rectification_days.value.into(),
                &self.rectification_days.source,
            ),
            (
                "late_entry_days",
                self.late_entry_days.value.into(),
                &self.late_entry_days.source,
            ),
        ];
        for (key, value, source) in numbers {
            lines.push(keyed(key, int(value, source)));
        }
        lines.push(keyed("admin_division", string(&self.admin_division)));
        let levels = self
            .good_rating_levels
            .value
            .iter()
            .map(|l| Value::Integer(i64::from(*l)))
            .collect();
        lines.push(keyed(
            "good_rating_levels",
            line_of(&self.good_rating_levels, Value::Array(levels)),
        ));
        lines
    }

    /// The anchor file in effect, or that it is off.
    fn anchor_file_line(&self) -> Line {
        let key = "chain_anchor_file";
        match self.anchor_file_sourced() {
            Some(found) => Line {
                key,
                value: Some(Value::String(found.value.display().to_string())),
                note: match found.source {
                    Source::Default => "default".to_owned(),
                    other => other.to_string(),
                },
            },
            None => Line {
                key,
                value: Some(Value::String("off".to_owned())),
                note: self
                    .chain_anchor_file
                    .as_ref()
                    .map_or_else(String::new, |set| set.source.to_string()),
            },
        }
    }

    /// The snapshot path in effect, which may be a default worked out from the database URL,
    /// or why there is none.
    fn snapshot_file_line(&self) -> Line {
        let key = "snapshot_file";
        if let Some(found) = self.snapshot_file_sourced() {
            let note = match found.source {
                Source::Default => "default (beside the SQLite database)".to_owned(),
                other => other.to_string(),
            };
            return Line {
                key,
                value: Some(Value::String(found.value.display().to_string())),
                note,
            };
        }
        let note = match (&self.snapshot_file, self.snapshot_every.value) {
            (Some(set), 0) => format!(
                "off: snapshot_every = 0 (the {} value {} is not used)",
                set.source,
                set.value.display()
            ),
            (None, 0) => "off: snapshot_every = 0".to_owned(),
            _ => {
                "unset: every start replays the whole log (with PostgreSQL, set one path per node)"
                    .to_owned()
            }
        };
        Line {
            key,
            value: None,
            note,
        }
    }
}

fn line_of<T>(sourced: &Sourced<T>, value: Value) -> Line {
    Line {
        key: "",
        value: Some(value),
        note: sourced.source.to_string(),
    }
}

/// A string setting without a default: its value and source, or `unset` and what applies.
fn optional(key: &'static str, found: Option<&Sourced<String>>, otherwise: &str) -> Line {
    Line {
        key,
        value: found.map(|s| Value::String(s.value.clone())),
        note: found.map_or_else(|| format!("unset: {otherwise}"), |s| s.source.to_string()),
    }
}

fn keyed(key: &'static str, line: Line) -> Line {
    Line { key, ..line }
}
