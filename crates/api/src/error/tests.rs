//! One test per mapping of `ApiError` to `extensions`.

use async_graphql::Value;

use super::*;

fn ext(error: &ApiError, key: &str) -> Option<Value> {
    error.extensions().get(key).cloned()
}

fn string(value: &str) -> Option<Value> {
    Some(Value::String(value.to_owned()))
}

#[test]
fn a_malformed_field_is_bad_user_input_with_field_and_rule() {
    let error = ApiError::from(StoreError::Rejected(DomainError::invalid(
        "promised_limit_days",
        ValueError::OutOfRange {
            min: 0,
            max: 20,
            actual: 25,
        },
    )));
    assert_eq!(ext(&error, "code"), string("BAD_USER_INPUT"));
    assert_eq!(ext(&error, "field"), string("promisedLimitDays"));
    assert_eq!(ext(&error, "rule"), string("out_of_range"));
    assert_eq!(
        error.to_string(),
        "promised_limit_days: must be between 0 and 20, got 25"
    );
}

#[test]
fn a_broken_state_rule_is_bad_user_input_with_the_message() {
    for domain in [
        DomainError::not_allowed("case 2024-0007 is closed"),
        DomainError::AlreadyExists("user li.ming already exists".to_owned()),
    ] {
        let error = ApiError::from(StoreError::Rejected(domain.clone()));
        assert_eq!(ext(&error, "code"), string("BAD_USER_INPUT"));
        assert_eq!(ext(&error, "field"), None);
        assert_eq!(error.to_string(), domain.to_string());
    }
}

#[test]
fn a_missing_thing_is_not_found() {
    let error = ApiError::from(DomainError::NotFound {
        what: "visit 7".to_owned(),
    });
    assert_eq!(ext(&error, "code"), string("NOT_FOUND"));
    assert_eq!(error.to_string(), "visit 7 not found");
    let api = ApiError::NotFound {
        what: "catalog item X".to_owned(),
    };
    assert_eq!(ext(&api, "code"), string("NOT_FOUND"));
}

#[test]
fn a_conflict_is_retryable() {
    let error = ApiError::from(StoreError::Conflict { attempts: 5 });
    assert_eq!(ext(&error, "code"), string("CONFLICT"));
    assert_eq!(ext(&error, "retryable"), Some(Value::Boolean(true)));
}

#[test]
fn authentication_and_authorization_have_their_codes() {
    let unauthenticated = ApiError::Unauthenticated("sign in first".to_owned());
    assert_eq!(ext(&unauthenticated, "code"), string("UNAUTHENTICATED"));
    let forbidden = ApiError::Forbidden("only an admin may do this".to_owned());
    assert_eq!(ext(&forbidden, "code"), string("FORBIDDEN"));
    assert_eq!(forbidden.to_string(), "only an admin may do this");
}

fn cause(text: &str) -> std::io::Error {
    std::io::Error::other(text.to_owned())
}

#[test]
fn a_database_that_is_away_is_retryable_and_says_so() {
    let error = ApiError::from(StoreError::Unavailable {
        source: std::sync::Arc::new(cause("connection refused by 10.0.0.5")),
    });
    assert_eq!(ext(&error, "code"), string("SERVICE_UNAVAILABLE"));
    assert_eq!(
        ext(&error, "retryable"),
        Some(async_graphql::Value::Boolean(true))
    );
    assert!(!error.to_string().contains("10.0.0.5"));
}

#[test]
fn an_unreadable_event_names_its_position() {
    let error = ApiError::from(StoreError::Unreadable {
        position: "0-42".parse().expect("a position"),
        reason: "metadata: invalid type: integer `5`".to_owned(),
    });
    assert_eq!(ext(&error, "code"), string("UNREADABLE_HISTORY"));
    assert_eq!(ext(&error, "position"), string("0-42"));
    assert!(error.to_string().contains("0-42"));
    assert!(!error.to_string().contains("integer"));
}

#[test]
fn a_reused_client_key_names_the_field() {
    let error = ApiError::from(StoreError::KeyReused {
        key: "k-1".to_owned(),
    });
    assert_eq!(ext(&error, "code"), string("BAD_USER_INPUT"));
    assert_eq!(ext(&error, "field"), string("clientKey"));
    assert_eq!(ext(&error, "rule"), string("reused"));
}

#[test]
fn database_failures_are_internal_with_a_generic_message() {
    for store in [
        StoreError::Database {
            source: std::sync::Arc::new(cause(
                "relation events does not exist at 10.0.0.5:5432 (password=secret)",
            )),
        },
        StoreError::Decode {
            detail: "enterprise_case/42 event 3".to_owned(),
        },
        StoreError::Migration {
            source: std::sync::Arc::new(cause("checksum")),
        },
    ] {
        let error = ApiError::from(store);
        assert_eq!(ext(&error, "code"), string("INTERNAL_SERVER_ERROR"));
        assert_eq!(error.to_string(), "internal server error");
        let server = error.into_server_error();
        assert_eq!(server.message, "internal server error");
        assert!(!format!("{:?}", server.extensions).contains("10.0.0.5"));
    }
}

#[test]
fn an_unrecorded_read_of_personal_data_is_a_retryable_server_error() {
    let error = ApiError::AccessNotRecorded;
    assert_eq!(ext(&error, "code"), string("INTERNAL_SERVER_ERROR"));
    assert_eq!(ext(&error, "retryable"), Some(Value::Boolean(true)));
    assert!(error.to_string().contains("withheld"));
}

#[test]
fn a_timeout_is_request_timeout_and_retryable() {
    let error = ApiError::Timeout { millis: 30_000 };
    assert_eq!(ext(&error, "code"), string("REQUEST_TIMEOUT"));
    assert_eq!(ext(&error, "retryable"), Some(Value::Boolean(true)));
    assert!(error.to_string().contains("clientKey"));
}

#[test]
fn a_rate_limit_is_rate_limited_retryable_with_the_wait() {
    let error = ApiError::RateLimited {
        retry_after_secs: 12,
    };
    assert_eq!(ext(&error, "code"), string("RATE_LIMITED"));
    assert_eq!(ext(&error, "retryable"), Some(Value::Boolean(true)));
    assert_eq!(ext(&error, "retryAfter"), Some(Value::from(12)));
    assert_eq!(error.to_string(), "too many requests; try again in 12 s");
}

#[test]
fn an_api_input_error_keeps_its_field_and_rule() {
    let error = ApiError::bad_input("newPassword", "too_short", "at least 10 characters");
    assert_eq!(ext(&error, "code"), string("BAD_USER_INPUT"));
    assert_eq!(ext(&error, "field"), string("newPassword"));
    assert_eq!(ext(&error, "rule"), string("too_short"));
}

#[test]
fn every_value_rule_has_a_stable_name() {
    let rules = [
        (ValueError::Empty, "empty"),
        (ValueError::TooLong { max: 1, actual: 2 }, "too_long"),
        (
            ValueError::WrongLength {
                expected: 18,
                actual: 17,
            },
            "wrong_length",
        ),
        (
            ValueError::BadCharacter {
                position: 1,
                found: 'x',
                allowed: "digits",
            },
            "bad_character",
        ),
        (
            ValueError::BadCheckCharacter {
                expected: '3',
                found: 'Z',
            },
            "check_character",
        ),
        (ValueError::Rule("x".to_owned()), "rule"),
        (
            ValueError::OutOfRange {
                min: 1,
                max: 5,
                actual: 6,
            },
            "out_of_range",
        ),
        (
            ValueError::BeforeStep {
                date: chrono::NaiveDate::MIN,
                step: "the registration".to_owned(),
                earliest: chrono::NaiveDate::MAX,
            },
            "date_order",
        ),
        (
            ValueError::LateEntry {
                date: chrono::NaiveDate::MIN,
                working_days: 5,
                limit: 3,
            },
            "late_entry",
        ),
        (
            ValueError::LinkOnlyChannel { channel: "qr_code" },
            "link_only_channel",
        ),
    ];
    for (error, name) in rules {
        assert_eq!(rule_name(&error), name);
    }
    assert_eq!(camel_case("contact_phone"), "contactPhone");
    assert_eq!(camel_case("uscc"), "uscc");
}

#[test]
fn a_lagging_read_model_is_request_timeout_and_retryable() {
    let wanted = guanjia_store::LogPosition::from_parts(0, 42);
    let error = ApiError::from(ReadError::Lagging {
        wanted,
        reached: guanjia_store::LogPosition::from_parts(0, 40),
    });
    assert_eq!(ext(&error, "code"), string("REQUEST_TIMEOUT"));
    assert_eq!(ext(&error, "retryable"), Some(Value::Boolean(true)));
    assert!(error.to_string().contains("0-42"), "{error}");
}

#[test]
fn read_query_errors_are_bad_user_input_and_a_stopped_model_is_internal() {
    let cursor = ApiError::from(ReadError::InvalidCursor("not a cursor".to_owned()));
    assert_eq!(ext(&cursor, "code"), string("BAD_USER_INPUT"));
    assert_eq!(ext(&cursor, "field"), string("after"));
    assert_eq!(ext(&cursor, "rule"), string("invalid_cursor"));
    let period = ApiError::from(ReadError::InvalidQuery {
        field: "to",
        rule: "the period ends before it starts".to_owned(),
    });
    assert_eq!(ext(&period, "field"), string("to"));
    assert_eq!(ext(&period, "code"), string("BAD_USER_INPUT"));
    let stopped = ApiError::from(ReadError::Stopped);
    assert_eq!(ext(&stopped, "code"), string("INTERNAL_SERVER_ERROR"));
    assert_eq!(stopped.to_string(), "internal server error");
}

#[test]
fn the_application_layers_refusals_keep_their_code_and_wording() {
    use guanjia_app::AppError;
    let forbidden = ApiError::from(AppError::Forbidden("a steward may not".to_owned()));
    assert_eq!(
        forbidden,
        ApiError::Forbidden("a steward may not".to_owned())
    );
    assert_eq!(forbidden.code(), ErrorCode::Forbidden);
    let missing = ApiError::from(AppError::NotFound {
        what: "case".to_owned(),
    });
    assert_eq!(missing.code(), ErrorCode::NotFound);
    assert_eq!(missing.to_string(), "case not found");
    let person = ApiError::from(AppError::bad_input(
        "steward",
        "unknown_user",
        "no active user x",
    ));
    assert_eq!(
        person,
        ApiError::bad_input("steward", "unknown_user", "no active user x")
    );
    let domain = DomainError::not_allowed("closed");
    assert_eq!(
        ApiError::from(AppError::Rejected(domain.clone())),
        ApiError::Domain(domain)
    );
    // A guard's refusal that reaches the api inside a store error keeps its code.
    let refused = StoreError::Refused {
        source: std::sync::Arc::new(AppError::Forbidden("no".to_owned())),
    };
    assert_eq!(
        ApiError::from(refused),
        ApiError::Forbidden("no".to_owned())
    );
    // A failure of the log is mapped as the store's own: a conflict stays retryable.
    let conflict = ApiError::from(AppError::Store(StoreError::Conflict { attempts: 3 }));
    assert_eq!(conflict, ApiError::Conflict);
}

#[test]
fn a_step_inside_a_closed_period_is_period_closed_with_the_date_period_and_division() {
    let refusal = guanjia_app::AppError::PeriodClosed {
        date: chrono::NaiveDate::from_ymd_opt(2023, 6, 2).expect("valid"),
        period: guanjia_domain::values::Period::Year(2023),
        division: guanjia_domain::values::DivisionCode::parse("610902000000").expect("valid"),
    };
    let error = ApiError::from(refusal);
    assert_eq!(error.code(), ErrorCode::PeriodClosed);
    assert_eq!(ext(&error, "code"), string("PERIOD_CLOSED"));
    assert_eq!(ext(&error, "businessDate"), string("2023-06-02"));
    assert_eq!(ext(&error, "period"), string("2023"));
    assert_eq!(ext(&error, "division"), string("610902000000"));
    assert_eq!(
        error.to_string(),
        "the step is dated 2023-06-02, inside 2023, closed (封账) for division 610902000000: a \
         leader of that division must approve the entry first (approveClosedPeriodEntry)"
    );
}
