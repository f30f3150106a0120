//! The everyday tasks of docs/api.md are true: every GraphQL example of its section
//! [`TASKS`] runs, in order, as the user its first line names (`# as wang.lei`), with the JSON
//! block after it as variables, against a demo server, and answers without error.
//!
//! The guide's dates are written as if today were [`GUIDE_TODAY`]; they are shifted by the
//! same number of days to the real today, so "not in the future" and "not before the previous
//! step" hold whenever the test runs. `<caseId>` is the case the guide registers, and
//! `<the demo password>` the demo accounts' password.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate, Utc};
use guanjia_domain::clock::china_date;

use crate::helpers::{Guanjia, DEMO_PASSWORD};

const GUIDE_TODAY: &str = "2026-11-27";

/// The heading of the section of docs/api.md whose examples run; it ends at the next `## `.
const TASKS: &str = "## Everyday tasks in GraphQL";

/// The text of the [`TASKS`] section.
fn tasks_section(api_guide: &str) -> &str {
    let start = api_guide
        .find(&format!("\n{TASKS}\n"))
        .unwrap_or_else(|| panic!("docs/api.md has no section {TASKS:?}"));
    let body = &api_guide[start + 1..];
    let end = body[TASKS.len()..]
        .find("\n## ")
        .map_or(body.len(), |end| end + TASKS.len());
    &body[..end]
}

/// One example: who runs it, the query, its variables.
struct Example {
    user: String,
    query: String,
    variables: String,
}

fn examples(guide: &str) -> Vec<Example> {
    let mut examples: Vec<Example> = Vec::new();
    let mut lines = guide.lines();
    while let Some(line) = lines.next() {
        let kind = match line.trim() {
            "```graphql" => "graphql",
            "```json" => "json",
            _ => continue,
        };
        let block: Vec<&str> = lines.by_ref().take_while(|l| l.trim() != "```").collect();
        let text = block.join("\n");
        match kind {
            "graphql" => {
                let user = block
                    .first()
                    .and_then(|l| l.trim().strip_prefix("# as "))
                    .unwrap_or_else(|| panic!("an example without `# as USER`:\n{text}"))
                    .to_owned();
                examples.push(Example {
                    user,
                    query: text,
                    variables: "{}".into(),
                });
            }
            _ => {
                if let Some(last) = examples.last_mut() {
                    last.variables = text;
                }
            }
        }
    }
    examples
}

/// Every `YYYY-MM-DD` in `text` moved by `days`.
fn shift_dates(text: &str, days: i64) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    while at < text.len() {
        let candidate = text.get(at..at + 10);
        let date = candidate
            .filter(|c| c.as_bytes()[4] == b'-' && c.as_bytes()[7] == b'-')
            .and_then(|c| NaiveDate::parse_from_str(c, "%Y-%m-%d").ok())
            .filter(|_| at == 0 || !bytes[at - 1].is_ascii_digit());
        match date {
            Some(date) => {
                out.push_str(&(date + Duration::days(days)).format("%Y-%m-%d").to_string());
                at += 10;
            }
            None => {
                let next = text[at..].chars().next().map_or(1, char::len_utf8);
                out.push_str(&text[at..at + next]);
                at += next;
            }
        }
    }
    out
}

#[tokio::test]
async fn every_everyday_task_of_the_api_guide_runs_as_written() {
    let guide = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/api.md"))
        .expect("the API guide");
    let examples = examples(tasks_section(&guide));
    assert!(
        examples.len() >= 15,
        "the guide's examples were found: {}",
        examples.len()
    );
    let guide_today = NaiveDate::parse_from_str(GUIDE_TODAY, "%Y-%m-%d").expect("a date");
    let offset = (china_date(Utc::now()) - guide_today).num_days();

    let guanjia = Guanjia::with_demo();
    let server = guanjia.serve(&[]);
    let mut tokens: HashMap<String, String> = HashMap::new();
    let mut case_id = String::new();
    for example in &examples {
        // The dashboard examples name fixed demo years; only the walkthrough's dates move.
        let fixed_years = example.query.contains("dashboard(");
        let days = if fixed_years { 0 } else { offset };
        let query = shift_dates(&example.query, days);
        let variables = shift_dates(&example.variables, days)
            .replace("<caseId>", &case_id)
            .replace("<the demo password>", DEMO_PASSWORD);
        let variables: serde_json::Value = serde_json::from_str(&variables)
            .unwrap_or_else(|e| panic!("variables of\n{query}\nare not JSON: {e}"));
        let token = match example.user.as_str() {
            "anyone" => None,
            user => {
                if !tokens.contains_key(user) {
                    tokens.insert(user.to_owned(), server.login(user, DEMO_PASSWORD).await);
                }
                tokens.get(user).cloned()
            }
        };
        let answer = server
            .graphql_with(&query, &variables, token.as_deref())
            .await;
        assert!(
            answer.get("errors").is_none(),
            "{query}\n{variables}\n→ {answer}"
        );
        if let Some(id) = answer["data"]["registerCase"]["caseId"].as_str() {
            case_id = id.to_owned();
        }
    }
    assert!(!case_id.is_empty(), "the guide registers a case");
}

#[test]
fn dates_shift_and_nothing_else_changes() {
    assert_eq!(
        shift_dates(
            "signedOn: \"2026-11-23\", at \"2026-11-24T09:30:00+08:00\" 12026-11-24",
            7
        ),
        "signedOn: \"2026-11-30\", at \"2026-12-01T09:30:00+08:00\" 12026-11-24"
    );
    assert_eq!(shift_dates("恒口 2023-0001", 3), "恒口 2023-0001");
}
