//! Every way a public rating request is refused, with its HTTP status, a stable code for
//! programs and a message for people in English (JSON) and Chinese (the page).
//!
//! A forged link, one for a case or target this server does not have, and a malformed token all
//! get the same 404 and the same words: whoever guesses learns nothing about what exists. A
//! genuine link that is spent gets 410 — expired, used or revoked, told apart because the
//! enterprise contact needs to know whether their rating counted.

use axum::http::StatusCode;

use crate::error::ApiError;

/// Why a public rating request was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Not a link of this server (404).
    Forged,
    /// Past its expiry (410).
    Expired,
    /// Its target is already rated: the link was used (410).
    Used,
    /// Revoked by the case's team or an admin, on the record (410).
    Revoked,
    /// The target cannot be rated (400); `rule` says why.
    NotRateable { rule: String },
    /// A field of the submitted rating is wrong (400).
    Invalid { field: String, message: String },
    /// The body is larger than these routes take (413).
    TooLarge,
    /// Too many requests from this address or for this link (429).
    RateLimited { retry_after_secs: u64 },
    /// The case changed under the rating several times in a row (409); submit again.
    Conflict,
    /// A fault of the server (500); the detail is in the log only.
    Internal,
}

impl Refusal {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::Forged => StatusCode::NOT_FOUND,
            Self::Expired | Self::Used | Self::Revoked => StatusCode::GONE,
            Self::NotRateable { .. } | Self::Invalid { .. } => StatusCode::BAD_REQUEST,
            Self::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Conflict => StatusCode::CONFLICT,
            Self::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The code of the JSON answer.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Forged => "LINK_INVALID",
            Self::Expired => "LINK_EXPIRED",
            Self::Used => "LINK_USED",
            Self::Revoked => "LINK_REVOKED",
            Self::NotRateable { .. } | Self::Invalid { .. } => "BAD_USER_INPUT",
            Self::TooLarge => "PAYLOAD_TOO_LARGE",
            Self::RateLimited { .. } => "RATE_LIMITED",
            Self::Conflict => "CONFLICT",
            Self::Internal => "INTERNAL_SERVER_ERROR",
        }
    }

    /// The message in English.
    pub fn message(&self) -> String {
        match self {
            Self::Forged => "this rating link is not valid".to_owned(),
            Self::Expired => "this rating link has expired".to_owned(),
            Self::Used => "this link was already used: the visit or item has been rated".to_owned(),
            Self::Revoked => "this rating link has been revoked".to_owned(),
            Self::NotRateable { rule } => format!("this cannot be rated: {rule}"),
            Self::Invalid { field, message } => format!("{field}: {message}"),
            Self::TooLarge => "the request body is too large".to_owned(),
            Self::RateLimited { retry_after_secs } => {
                format!("too many requests; try again in {retry_after_secs} s")
            }
            Self::Conflict => {
                "the case was being changed at the same moment; please submit again".to_owned()
            }
            Self::Internal => "internal server error".to_owned(),
        }
    }

    /// The message in Chinese, for the page.
    pub fn message_zh(&self) -> String {
        match self {
            Self::Forged => "此评价链接无效。请向您的项目管家索取新的评价链接。".to_owned(),
            Self::Expired => "此评价链接已过期。请向您的项目管家索取新的评价链接。".to_owned(),
            Self::Used => "此评价链接已使用，该事项已完成评价。感谢您的参与！".to_owned(),
            Self::Revoked => "此评价链接已作废。请向您的项目管家索取新的评价链接。".to_owned(),
            Self::NotRateable { .. } => "该事项暂时不能评价。".to_owned(),
            Self::Invalid { field, .. } => format!("请检查“{}”一项。", field_label(field)),
            Self::TooLarge => "提交的内容过长，请精简后再提交。".to_owned(),
            Self::RateLimited { retry_after_secs } => {
                format!("请求过于频繁，请 {retry_after_secs} 秒后再试。")
            }
            Self::Conflict => "系统繁忙，请重新提交。".to_owned(),
            Self::Internal => "系统出现错误，请稍后再试。".to_owned(),
        }
    }

    /// Whether sending the same request again later may succeed.
    pub fn retryable(&self) -> bool {
        matches!(
            self,
            Self::RateLimited { .. } | Self::Conflict | Self::Internal
        )
    }

    /// The refusal of a server fault; `detail` goes to the log, never to the client.
    pub fn internal(detail: impl std::fmt::Display) -> Self {
        tracing::error!(%detail, "rating link request failed");
        Self::Internal
    }
}

impl From<ApiError> for Refusal {
    /// The errors the shared limiter returns; anything else is a fault of the server.
    fn from(error: ApiError) -> Self {
        match error {
            ApiError::RateLimited { retry_after_secs } => Self::RateLimited { retry_after_secs },
            other => Self::internal(other),
        }
    }
}

/// The page's name of a form field.
pub fn field_label(field: &str) -> &'static str {
    match field {
        "level" => "总体评价",
        "efficiency" => "服务效率",
        "quality" => "服务水平",
        "attitude" => "服务态度",
        "comment" => "意见建议",
        _ => "评价内容",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_refusal_has_its_status_and_code() {
        let cases = [
            (Refusal::Forged, 404, "LINK_INVALID"),
            (Refusal::Expired, 410, "LINK_EXPIRED"),
            (Refusal::Used, 410, "LINK_USED"),
            (Refusal::Revoked, 410, "LINK_REVOKED"),
            (
                Refusal::Invalid {
                    field: "level".to_owned(),
                    message: "required".to_owned(),
                },
                400,
                "BAD_USER_INPUT",
            ),
            (
                Refusal::RateLimited {
                    retry_after_secs: 2,
                },
                429,
                "RATE_LIMITED",
            ),
            (Refusal::Conflict, 409, "CONFLICT"),
            (Refusal::TooLarge, 413, "PAYLOAD_TOO_LARGE"),
        ];
        for (refusal, status, code) in cases {
            assert_eq!(refusal.status().as_u16(), status, "{refusal:?}");
            assert_eq!(refusal.code(), code);
            assert!(!refusal.message_zh().is_empty());
        }
        assert_eq!(
            Refusal::Used.message(),
            "this link was already used: the visit or item has been rated"
        );
        assert!(Refusal::from(ApiError::internal("db down at 10.0.0.5"))
            .message()
            .eq("internal server error"));
    }
}
