//! 大屏, the service hall's big screen: `GET /screen`, a full-screen, read-only view of this
//! year's figures of a division, and `GET /screen/events`, the server-sent events that tell it
//! when to refresh.
//!
//! A screen signs in with a display account (role `display`, created by an admin for one
//! division like any account, and revoked like any: disabling it or resetting its password).
//! `authz::big_screen_scope` decides what it shows — its own division — and the rest of the
//! API refuses it everything else: no case, no search, no personal data. The page itself shows
//! figures and division codes only, never a person's or an enterprise's name.
//!
//! The event stream follows the read model's position (`LiveReadModel::watch`, the same
//! signal as GraphQL's `dashboardChanged`): when it moves, at most once per [`DEBOUNCE`], it
//! sends `changed` and the page fetches itself again (charts.js). Every [`CHECK_EVERY`], and
//! before each `changed`, it checks the session's token again the way every page does; once the
//! account is revoked, disabled or changed it sends `revoked` and ends, and the page reloads
//! onto the sign-in page. The stream ends at shutdown, so it never holds the server open.

use std::convert::Infallible;
use std::time::Duration;

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use guanjia_api::auth::authz;
use guanjia_store::LogPosition;
use tokio::sync::watch;

use super::board::{self, division_label, Board, Refusal};
use super::figures::{Value, CHARTED};
use crate::assets::ASSETS;
use crate::pages::{forbidden, html, internal_error};
use crate::session::Viewer;
use crate::{format, Web};

/// The shortest time between two `changed` events: a burst of commits makes one refresh.
pub(crate) const DEBOUNCE: Duration = Duration::from_secs(1);
/// How often a quiet stream checks that its account may still watch.
pub(crate) const CHECK_EVERY: Duration = Duration::from_secs(5);

#[derive(Template)]
#[template(path = "screen.html")]
struct ScreenPage {
    title: String,
    css: &'static str,
    echarts: &'static str,
    charts: &'static str,
    place: String,
    period_name: String,
    today: String,
    /// This year's headline figures.
    tiles: Vec<(&'static str, Value)>,
    board: Board,
}

/// `GET /screen`.
pub(crate) async fn show(State(web): State<Web>, Viewer(session): Viewer) -> Response {
    let board = match board::for_screen(&web, &session) {
        Ok(board) => board,
        Err(Refusal::Failed(error)) => {
            error.log();
            return internal_error(Some(&session));
        }
        Err(Refusal::Forbidden(why)) => return forbidden(&session, why),
        Err(Refusal::Invalid(_)) => return forbidden(&session, "大屏没有可调整的条件。"),
    };
    let place = division_label(&board.scope);
    let page = ScreenPage {
        title: format!("大屏：{place} - 项目管家"),
        css: &ASSETS.css.url,
        echarts: &ASSETS.echarts.url,
        charts: &ASSETS.charts.url,
        period_name: board.period.name(),
        today: format::date(board.today),
        tiles: board
            .rows
            .iter()
            .filter(|r| CHARTED.contains(&r.name))
            .map(|r| (r.name, r.this))
            .collect(),
        place,
        board,
    };
    html(StatusCode::OK, &page)
}

/// What one event stream follows.
struct Follow {
    web: Web,
    token: String,
    position: watch::Receiver<Option<LogPosition>>,
    ended: bool,
}

impl Follow {
    /// The session's token still signs in an account that may watch the screen.
    async fn allowed(&self) -> bool {
        match self.web.state().auth.authenticate(&self.token).await {
            Ok(actor) => authz::big_screen_scope(&actor).is_ok(),
            Err(_) => false,
        }
    }

    /// The next event, or `None` at shutdown.
    async fn next(&mut self) -> Option<Event> {
        let shutdown = self.web.state().shutdown.clone();
        loop {
            tokio::select! {
                () = shutdown.cancelled() => return None,
                moved = self.position.changed() => {
                    if moved.is_err() {
                        return None;
                    }
                    tokio::time::sleep(DEBOUNCE).await;
                    let _ = self.position.borrow_and_update();
                    return Some(self.checked(Event::default().event("changed").data("1")).await);
                }
                () = tokio::time::sleep(CHECK_EVERY) => {
                    if !self.allowed().await {
                        return Some(self.revoked());
                    }
                }
            }
        }
    }

    async fn checked(&mut self, event: Event) -> Event {
        if self.allowed().await {
            event
        } else {
            self.revoked()
        }
    }

    fn revoked(&mut self) -> Event {
        self.ended = true;
        Event::default().event("revoked").data("1")
    }
}

/// `GET /screen/events`.
pub(crate) async fn events(State(web): State<Web>, Viewer(session): Viewer) -> Response {
    if authz::big_screen_scope(&session.actor).is_err() {
        return forbidden(&session, "大屏仅供大厅显示屏账户和领导使用。");
    }
    let follow = Follow {
        position: web.state().read.watch(),
        token: session.token().to_owned(),
        web,
        ended: false,
    };
    let stream = futures_util::stream::unfold(follow, |mut follow| async move {
        if follow.ended {
            return None;
        }
        let event = follow.next().await?;
        Some((Ok::<Event, Infallible>(event), follow))
    });
    Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response()
}
