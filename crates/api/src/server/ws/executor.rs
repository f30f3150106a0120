//! The executor the graphql-ws engine runs each operation with: the schema, plus the request
//! data of that one operation — the authentication of the check made for it just before
//! (`connection.rs`), a request id of its own, and the connection's correlation id and client
//! address. Data given per request beats the connection's data in async-graphql's lookup, so no
//! resolver ever sees the authentication of `connection_init`.

use std::sync::{Arc, Mutex, PoisonError};

use async_graphql::futures_util::stream::BoxStream;
use async_graphql::{Data, Executor, Request, Response};

use crate::auth::Authentication;
use crate::graphql::{GuanjiaSchema, RequestContext};
use crate::throttle::ClientIp;

/// What the operations of one connection share.
#[derive(Debug)]
pub(super) struct Session {
    /// The outcome of the latest check of the connection's token.
    auth: Mutex<Authentication>,
    /// The id of the upgrade request (or the client's `x-correlation-id`): ties the
    /// connection's operations together in the log and the events' metadata.
    correlation_id: String,
    client: ClientIp,
}

impl Session {
    pub(super) fn new(correlation_id: String, client: ClientIp) -> Self {
        Self {
            auth: Mutex::new(Authentication::Anonymous),
            correlation_id,
            client,
        }
    }

    /// Records the outcome of a check; the next operation runs with it.
    pub(super) fn set(&self, auth: Authentication) {
        *self.auth.lock().unwrap_or_else(PoisonError::into_inner) = auth;
    }

    fn context(&self) -> RequestContext {
        RequestContext {
            request_id: uuid::Uuid::now_v7().to_string(),
            correlation_id: self.correlation_id.clone(),
            auth: self
                .auth
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .clone(),
        }
    }
}

/// The schema, run with each operation's own request data.
#[derive(Clone)]
pub(super) struct SocketExecutor {
    pub schema: GuanjiaSchema,
    pub session: Arc<Session>,
}

impl SocketExecutor {
    fn prepare(&self, request: Request) -> Request {
        request
            .data(self.session.context())
            .data(self.session.client)
    }
}

impl Executor for SocketExecutor {
    async fn execute(&self, request: Request) -> Response {
        self.schema.execute(self.prepare(request)).await
    }

    fn execute_stream(
        &self,
        request: Request,
        session_data: Option<Arc<Data>>,
    ) -> BoxStream<'static, Response> {
        self.schema.execute_stream_with_session_data(
            self.prepare(request),
            session_data.unwrap_or_default(),
        )
    }
}
