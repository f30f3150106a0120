//! A graphql-ws client (`graphql-transport-ws`, the protocol of the `graphql-ws` npm package that
//! browsers use) on a real WebSocket: `connection_init` with the token in its payload, then
//! `subscribe`, `next`, `complete`; pings from the server are answered with pongs.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{connect_async, MaybeTlsStream, WebSocketStream};

use crate::helpers::TestApp;

/// How long a test waits for a message it expects.
const PATIENCE: Duration = Duration::from_secs(10);

/// One WebSocket connection whose `connection_init` was acknowledged.
pub struct GraphqlWs {
    socket: WebSocketStream<MaybeTlsStream<TcpStream>>,
    subscriptions: u32,
}

/// How the server ended a connection: the WebSocket close code and reason.
#[derive(Debug)]
pub struct Closed {
    pub code: u16,
    pub reason: String,
}

enum Received {
    Message(Value),
    Closed(Closed),
}

impl TestApp {
    /// Opens `/graphql/ws` with the `graphql-transport-ws` subprotocol and sends
    /// `connection_init` with `{"Authorization": "Bearer <token>"}` (an empty payload without a
    /// token). `Ok` once the server acknowledges, `Err` with the close frame when it refuses.
    pub async fn graphql_ws(&self, token: Option<&str>) -> Result<GraphqlWs, Closed> {
        let mut request = format!("ws://{}/graphql/ws", self.address())
            .into_client_request()
            .expect("a WebSocket request");
        request.headers_mut().insert(
            "sec-websocket-protocol",
            HeaderValue::from_static("graphql-transport-ws"),
        );
        let (socket, response) = connect_async(request).await.expect("the WebSocket opens");
        assert_eq!(
            response.headers()["sec-websocket-protocol"],
            "graphql-transport-ws"
        );
        let mut client = GraphqlWs {
            socket,
            subscriptions: 0,
        };
        let payload = token.map_or(
            json!({}),
            |t| json!({"Authorization": format!("Bearer {t}")}),
        );
        client
            .send(json!({"type": "connection_init", "payload": payload}))
            .await;
        match client.receive(PATIENCE).await {
            Some(Received::Message(ack)) if ack["type"] == "connection_ack" => Ok(client),
            Some(Received::Message(other)) => panic!("expected connection_ack, got {other}"),
            Some(Received::Closed(closed)) => Err(closed),
            None => panic!("no answer to connection_init within {PATIENCE:?}"),
        }
    }
}

impl GraphqlWs {
    /// Starts a subscription and returns its id.
    pub async fn subscribe(&mut self, query: &str, variables: Value) -> String {
        self.subscriptions += 1;
        let id = format!("s{}", self.subscriptions);
        self.send(json!({"id": id, "type": "subscribe",
                         "payload": {"query": query, "variables": variables}}))
            .await;
        id
    }

    /// Starts an operation under an id the test chooses.
    pub async fn subscribe_as(&mut self, id: &str, query: &str, variables: Value) {
        self.send(json!({"id": id, "type": "subscribe",
                         "payload": {"query": query, "variables": variables}}))
            .await;
    }

    /// Ends operation `id` from the client's side.
    pub async fn complete(&mut self, id: &str) {
        self.send(json!({"id": id, "type": "complete"})).await;
    }

    /// The payload (`{"data": …}` or `{"errors": …}`) of the next `next` message of
    /// subscription `id`; panics on anything else or after 10 s.
    pub async fn next(&mut self, id: &str) -> Value {
        self.next_within(id, PATIENCE)
            .await
            .unwrap_or_else(|| panic!("no message for {id} within {PATIENCE:?}"))
    }

    /// As [`Self::next`], but `None` when nothing comes within `wait`.
    pub async fn next_within(&mut self, id: &str, wait: Duration) -> Option<Value> {
        match self.receive(wait).await? {
            Received::Message(message) => {
                assert_eq!(
                    (&message["type"], &message["id"]),
                    (&json!("next"), &json!(id)),
                    "{message}"
                );
                Some(message["payload"].clone())
            }
            Received::Closed(closed) => panic!("the server closed the connection: {closed:?}"),
        }
    }

    /// Waits for the server to say that subscription `id` is over.
    pub async fn completed(&mut self, id: &str) {
        match self.receive(PATIENCE).await {
            Some(Received::Message(message)) => {
                assert_eq!(message, json!({"type": "complete", "id": id}));
            }
            Some(Received::Closed(closed)) => panic!("closed instead of complete: {closed:?}"),
            None => panic!("{id} did not complete within {PATIENCE:?}"),
        }
    }

    /// Waits for the server to close the connection and returns the close frame with every
    /// graphql-ws message that came before it; panics when it stays open for 10 s.
    pub async fn closed(&mut self) -> (Vec<Value>, Closed) {
        let mut before = Vec::new();
        loop {
            match self.receive(PATIENCE).await {
                Some(Received::Message(message)) => before.push(message),
                Some(Received::Closed(closed)) => return (before, closed),
                None => panic!("still open after {PATIENCE:?}; received {before:?}"),
            }
        }
    }

    /// The next graphql-ws message, whatever its type and id; panics on a close or after 10 s.
    pub async fn message(&mut self) -> Value {
        match self.receive(PATIENCE).await {
            Some(Received::Message(message)) => message,
            Some(Received::Closed(closed)) => {
                panic!("the server closed the connection: {closed:?}")
            }
            None => panic!("no message within {PATIENCE:?}"),
        }
    }

    /// Sends `text` as one WebSocket text message, as is.
    pub async fn send_text(&mut self, text: String) {
        // The server may close while a large message is still being written.
        let _ = self.socket.send(Message::text(text)).await;
    }

    async fn send(&mut self, message: Value) {
        self.socket
            .send(Message::text(message.to_string()))
            .await
            .expect("the message is sent");
    }

    /// The next graphql-ws message or close frame, within `wait`; answers pings meanwhile.
    async fn receive(&mut self, wait: Duration) -> Option<Received> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let frame = tokio::time::timeout_at(deadline, self.socket.next())
                .await
                .ok()?;
            match frame {
                None => {
                    return Some(Received::Closed(Closed {
                        code: 1006,
                        reason: "the connection dropped".to_owned(),
                    }))
                }
                // The server closed while a message of ours was still on its way: what it
                // said is lost with the connection.
                Some(Err(tokio_tungstenite::tungstenite::Error::Io(_)))
                | Some(Err(tokio_tungstenite::tungstenite::Error::Protocol(_))) => {
                    return Some(Received::Closed(Closed {
                        code: 1006,
                        reason: "the connection dropped".to_owned(),
                    }))
                }
                Some(Err(error)) => panic!("the WebSocket failed: {error}"),
                Some(Ok(Message::Text(text))) => {
                    let message: Value =
                        serde_json::from_str(text.as_str()).expect("a JSON message");
                    if message["type"] == "ping" {
                        self.send(json!({"type": "pong"})).await;
                        continue;
                    }
                    return Some(Received::Message(message));
                }
                Some(Ok(Message::Close(frame))) => {
                    let (code, reason) = frame.map_or((1005, String::new()), |f| {
                        (u16::from(f.code), f.reason.as_str().to_owned())
                    });
                    return Some(Received::Closed(Closed { code, reason }));
                }
                // WebSocket-level pings are answered by tungstenite itself.
                Some(Ok(_)) => {}
            }
        }
    }
}
