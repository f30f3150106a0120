//! The error type of the pages: what can go wrong on the server while a page is built. Each is
//! logged with its cause and answered with the generic error page (`pages::internal_error`);
//! mistakes of the person (a bad filter, a wrong password) are not errors but form messages.

use guanjia_api::ApiError;
use guanjia_read::ReadError;
use thiserror::Error;

/// A failure of the server while answering a page.
#[derive(Debug, Error)]
pub enum WebError {
    /// A template did not render.
    #[error("the page could not be rendered")]
    Render(#[source] askama::Error),
    /// The API layer failed (sign-in, authorisation set-up).
    #[error("the API layer failed")]
    Api(#[source] ApiError),
    /// The read model failed.
    #[error("the read model failed")]
    Read(#[source] ReadError),
    /// A workbook could not be written.
    #[error("the workbook could not be written")]
    Xlsx(#[source] rust_xlsxwriter::XlsxError),
}

impl From<askama::Error> for WebError {
    fn from(error: askama::Error) -> Self {
        Self::Render(error)
    }
}

impl From<ApiError> for WebError {
    fn from(error: ApiError) -> Self {
        Self::Api(error)
    }
}

impl From<ReadError> for WebError {
    fn from(error: ReadError) -> Self {
        Self::Read(error)
    }
}

impl WebError {
    /// Logs the error with its chain of causes.
    pub(crate) fn log(&self) {
        let mut causes = Vec::new();
        let mut source = std::error::Error::source(self);
        while let Some(cause) = source {
            causes.push(cause.to_string());
            source = cause.source();
        }
        tracing::error!(error = %self, causes = ?causes, "a page failed");
    }
}
