//! One WebSocket connection: the pump between the socket and async-graphql's protocol engine
//! that authorises every operation when it starts and closes the socket when the token stops
//! being valid (see `ws.rs` for the rules and [`super::close`] for the codes).
//!
//! The client's messages are read here first. Only the fields that decide something are looked
//! at (`type`, `id`, the `connection_init` payload); everything passed on is passed on as sent,
//! and the engine speaks the protocol. The engine's answers go out through here too, so that a
//! finished operation is counted off. A panic inside an operation unwinds into this task: it
//! is caught, logged and answered with close code 4500, and the node goes on.

use std::collections::HashSet;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use async_graphql::futures_util::stream::{self, StreamExt};
use async_graphql::http::{WebSocket as Engine, WebSocketProtocols as Protocols, WsMessage};
use axum::extract::ws::{CloseFrame, Message, WebSocket};
use serde_json::Value;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::executor::{Session, SocketExecutor};
use super::messages::{completed, too_big, too_many, truncated};
use super::{close, token_of, RECHECK};
use crate::auth::Authentication;
use crate::error::ApiError;
use crate::server::limits::panic_message;
use crate::server::Shared;
use crate::state::AppState;
use crate::throttle::ClientIp;

/// How long a socket closed for an oversized message stays open for the client to read why.
const LINGER: std::time::Duration = std::time::Duration::from_secs(1);

/// What to do after one event of the connection.
enum Step {
    Continue,
    /// Hand these bytes to the engine.
    Forward(Vec<u8>),
    /// Send this text to the client.
    Send(String),
    /// Close the socket with this code and reason, and end.
    Close(u16, String),
    /// End without a close frame (the client left, or the engine ended).
    End,
}

/// The state of one connection.
pub(super) struct Connection {
    state: AppState,
    schema: crate::graphql::GuanjiaSchema,
    session: Arc<Session>,
    shutdown: CancellationToken,
    /// The token of `connection_init`, checked again before every operation.
    token: Option<String>,
    initialised: bool,
    /// The ids of the operations running.
    running: HashSet<String>,
}

impl Connection {
    pub(super) fn new(shared: &Shared, correlation_id: String, client: ClientIp) -> Self {
        Self {
            state: shared.state.clone(),
            schema: shared.schema.clone(),
            session: Arc::new(Session::new(correlation_id, client)),
            shutdown: shared.state.shutdown.clone(),
            token: None,
            initialised: false,
            running: HashSet::new(),
        }
    }

    /// Serves the connection until the client leaves, the token is refused, the engine ends or
    /// the server shuts down.
    pub(super) async fn serve(mut self, mut socket: WebSocket, protocol: Protocols) {
        let (to_engine, from_pump) = mpsc::unbounded_channel::<Vec<u8>>();
        let input = stream::unfold(from_pump, |mut receiver| async move {
            receiver.recv().await.map(|bytes| (bytes, receiver))
        });
        let executor = SocketExecutor {
            schema: self.schema.clone(),
            session: self.session.clone(),
        };
        let mut engine =
            Box::pin(AssertUnwindSafe(Engine::new(executor, input, protocol)).catch_unwind());
        let mut recheck = tokio::time::interval(RECHECK);
        recheck.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let shutdown = self.shutdown.clone();
        loop {
            let step = tokio::select! {
                () = shutdown.cancelled() => {
                    Step::Close(close::GOING_AWAY, "the server is shutting down".to_owned())
                }
                _ = recheck.tick(), if self.token.is_some() => self.recheck().await,
                incoming = socket.recv() => self.incoming(incoming).await,
                outgoing = engine.next() => self.outgoing(outgoing),
            };
            match step {
                Step::Continue => {}
                Step::Forward(bytes) => {
                    if to_engine.send(bytes).is_err() {
                        break;
                    }
                }
                Step::Send(text) => {
                    if socket.send(Message::text(text)).await.is_err() {
                        break;
                    }
                }
                Step::Close(code, reason) => {
                    tracing::info!(code, %reason, "closing a WebSocket");
                    let frame = CloseFrame {
                        code,
                        reason: truncated(&reason).into(),
                    };
                    let _ = socket.send(Message::Close(Some(frame))).await;
                    if code == close::TOO_BIG {
                        // The rest of the message is still unread: closing the TCP connection
                        // now would reset it and lose the close frame on the way. A moment
                        // lets the client read why.
                        tokio::select! {
                            () = shutdown.cancelled() => {}
                            () = tokio::time::sleep(LINGER) => {}
                        }
                    }
                    break;
                }
                Step::End => break,
            }
        }
    }

    /// A message from the client (or its end).
    async fn incoming(&mut self, incoming: Option<Result<Message, axum::Error>>) -> Step {
        match incoming {
            None | Some(Ok(Message::Close(_))) => Step::End,
            Some(Ok(Message::Text(text))) => self.client_message(text.as_bytes()).await,
            Some(Ok(Message::Binary(bytes))) => self.client_message(&bytes).await,
            Some(Ok(Message::Ping(_) | Message::Pong(_))) => Step::Continue,
            Some(Err(error)) => {
                if too_big(error) {
                    let max = self.state.limits.max_body_bytes;
                    Step::Close(
                        close::TOO_BIG,
                        format!("a message may be at most {max} bytes"),
                    )
                } else {
                    Step::End
                }
            }
        }
    }

    /// Decides on one client message: pass it on, answer it, or close.
    async fn client_message(&mut self, bytes: &[u8]) -> Step {
        // Whatever does not parse goes to the engine, which closes with the protocol's code.
        let Ok(message) = serde_json::from_slice::<Value>(bytes) else {
            return Step::Forward(bytes.to_vec());
        };
        let id = message.get("id").and_then(Value::as_str).map(str::to_owned);
        match (message.get("type").and_then(Value::as_str), id) {
            (Some("connection_init"), _) if !self.initialised => {
                self.initialised = true;
                self.token = message.get("payload").and_then(token_of);
                if let Some(refused) = self.check().await {
                    return refused;
                }
            }
            (Some("subscribe" | "start"), Some(id)) => {
                if !self.initialised {
                    return Step::Close(close::UNAUTHORIZED, "Unauthorized".to_owned());
                }
                if let Some(refused) = self.check().await {
                    return refused;
                }
                if self.running.contains(&id) {
                    return Step::Close(
                        close::DUPLICATE_ID,
                        format!("Subscriber for {id} already exists"),
                    );
                }
                let max = self.state.limits.max_subscriptions;
                if self.running.len() >= max {
                    return Step::Send(too_many(&id, max));
                }
                self.running.insert(id);
            }
            (Some("complete" | "stop"), Some(id)) => {
                self.running.remove(&id);
            }
            _ => {}
        }
        Step::Forward(bytes.to_vec())
    }

    /// Checks the connection's token against the user's state now, for the operations that
    /// follow; `Some` closing step when it is refused.
    async fn check(&mut self) -> Option<Step> {
        let Some(token) = &self.token else {
            self.session.set(Authentication::Anonymous);
            return None;
        };
        let auth = self.state.auth.authenticate_header(Some(token)).await;
        let step = match &auth {
            Authentication::Actor(_) | Authentication::Anonymous => None,
            Authentication::Refused(error @ ApiError::Unauthenticated(_)) => {
                Some(Step::Close(close::FORBIDDEN, error.to_string()))
            }
            Authentication::Refused(error) => {
                tracing::error!(%error, "a WebSocket's token could not be checked; closing it");
                Some(Step::Close(
                    close::INTERNAL,
                    "internal server error".to_owned(),
                ))
            }
        };
        self.session.set(auth);
        step
    }

    /// The periodic check: closes the socket once the token is refused. A store that does not
    /// answer keeps the socket open (its operations cannot read anything either) until the
    /// next check.
    async fn recheck(&mut self) -> Step {
        match self.check().await {
            Some(Step::Close(code, _)) if code == close::INTERNAL => Step::Continue,
            Some(step) => step,
            None => Step::Continue,
        }
    }

    /// An answer of the engine (or its end, or a panic inside it).
    fn outgoing(&mut self, outgoing: Option<std::thread::Result<WsMessage>>) -> Step {
        match outgoing {
            None => Step::End,
            Some(Err(panic)) => {
                tracing::error!(
                    panic = panic_message(panic.as_ref()),
                    "a WebSocket operation panicked; closing the connection"
                );
                Step::Close(close::INTERNAL, "internal server error".to_owned())
            }
            Some(Ok(WsMessage::Close(code, reason))) => Step::Close(code, reason),
            Some(Ok(WsMessage::Text(text))) => {
                if let Some(id) = completed(&text) {
                    self.running.remove(&id);
                }
                Step::Send(text)
            }
        }
    }
}
