//! What a dashboard shows, built once per request and then drawn three ways (the page, the
//! print view, the XLSX download), so the three always hold the same figures.
//!
//! Authorisation is the API's: `authz::may_view_dashboard` (leaders only) and
//! `authz::read_scope`, which cuts the asked-for division to the leader's subtree; a division
//! outside it is refused rather than shown as zeros, exactly as GraphQL's `dashboard` does.
//! The longest period is the API's `MAX_PERIOD_DAYS`.

use chrono::NaiveDate;
use guanjia_api::auth::authz;
use guanjia_api::graphql::queries::reports::MAX_PERIOD_DAYS;
use guanjia_domain::calendar::TimeStatus;
use guanjia_domain::clock::china_date;
use guanjia_domain::values::DivisionCode;
use guanjia_read::{BoardQuery, ReadModel};
use serde::Deserialize;

use super::figures::{self, Chart, Row, Value};
use super::period::Period;
use crate::format::DeadlineText;
use crate::session::Session;
use crate::{labels, Web, WebError};

/// The page's address: `?from=2026-01-01&to=2026-03-31&division=610902100000`.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct Params {
    pub from: Option<String>,
    pub to: Option<String>,
    pub division: Option<String>,
}

/// Why no dashboard is shown.
pub(crate) enum Refusal {
    /// Not a leader, or a division outside the leader's scope.
    Forbidden(&'static str),
    /// Input the person can fix: (field id, message naming the field).
    Invalid(Vec<(&'static str, String)>),
    Failed(WebError),
}

/// A division one tier down, with its headline figures.
pub(crate) struct Child {
    pub code: String,
    pub label: String,
    pub signed: u64,
    pub visits: u64,
    pub concluded: u64,
    pub on_time: String,
    pub good: String,
    pub warning: u64,
    pub overdue: u64,
}

/// An item in warning or overdue (电子监察).
pub(crate) struct Watched {
    pub deadline: DeadlineText,
    pub item_name: String,
    pub case_label: String,
    pub href: String,
    pub division: String,
    pub steward: String,
}

/// Warning and overdue counts of one division or steward.
pub(crate) struct Tally {
    pub name: String,
    pub warning: u64,
    pub overdue: u64,
}

/// One line of the catalog's burden reductions: what, before, now, the cut.
pub(crate) struct Burden {
    pub name: &'static str,
    pub before: String,
    pub now: String,
    pub cut: String,
}

/// The catalog's 减材料、减时限、减跑动 (read model `kpi::burden`), as table lines.
fn burden_rows(m: &ReadModel) -> Vec<Burden> {
    let b = m.burden_reduction();
    let line = |name, before: i64, now: i64, cut: guanjia_read::Ratio, unit: &str| Burden {
        name,
        before: format!("{before}{unit}"),
        now: format!("{now}{unit}"),
        cut: cut.percent_text(),
    };
    vec![
        line(
            "申请材料",
            b.materials_before,
            b.materials_now,
            b.materials_cut(),
            " 项",
        ),
        line(
            "承诺时限",
            b.promised_days_before,
            b.promised_days_now,
            b.promised_time_cut(),
            " 个工作日",
        ),
        line(
            "到现场次数",
            b.onsite_trips_before,
            b.onsite_trips_now,
            b.onsite_trips_cut(),
            " 次",
        ),
    ]
}

/// Everything a dashboard shows.
pub(crate) struct Board {
    pub period: Period,
    pub last_year: Period,
    pub today: NaiveDate,
    pub scope: DivisionCode,
    /// The leader's own division: the top of the drill-down.
    pub top: DivisionCode,
    pub rows: Vec<Row>,
    pub now: Vec<(&'static str, Value)>,
    pub children: Vec<Child>,
    pub charts: Vec<Chart>,
    pub watched: Vec<Watched>,
    pub by_division: Vec<Tally>,
    pub by_steward: Vec<Tally>,
    /// The catalog's burden reductions: the same for every period and division.
    pub burden: Vec<Burden>,
    /// How many of the period's figures came from late entries (补录), by figure.
    pub late: Vec<(&'static str, u64)>,
    /// The periods inside this one closed (封账) for the division: as reported and now.
    pub closed: Vec<Closed>,
}

/// A closed period: its headline figures as reported and now, and the steps in between.
pub(crate) struct Closed {
    pub period: String,
    pub closed: String,
    /// (figure, as reported, now, difference).
    pub rows: Vec<(&'static str, u64, u64, String)>,
    pub changes: Vec<ClosedChange>,
}

/// A step recorded after its period was closed.
pub(crate) struct ClosedChange {
    pub case_label: String,
    pub href: String,
    pub what: &'static str,
    pub dated: String,
    pub recorded: String,
    pub late_reason: String,
    pub approved: String,
}

fn closed_periods(
    web: &Web,
    m: &ReadModel,
    period: Period,
    today: NaiveDate,
    scope: &DivisionCode,
) -> Vec<Closed> {
    m.reported_periods(scope, Some((period.from, period.to)), today)
        .into_iter()
        .map(|r| {
            let figure = |name, then: u64, now: u64| {
                let change = now as i64 - then as i64;
                let change = if change == 0 {
                    "—".to_owned()
                } else {
                    format!("{change:+}")
                };
                (name, then, now, change)
            };
            let (then, now) = (&r.as_reported, &r.now);
            Closed {
                period: r.period.to_string(),
                closed: format!(
                    "{} 由 {} 封账",
                    crate::format::date(r.closed_on),
                    web.staff_name(&r.closed_by)
                ),
                rows: vec![
                    figure("签约企业", then.cases_signed, now.cases_signed),
                    figure("上门走访", then.visits_conducted, now.visits_conducted),
                    figure("申请办件", then.items_requested, now.items_requested),
                    figure("办结办件", then.items_concluded, now.items_concluded),
                    figure("评价", then.ratings, now.ratings),
                ],
                changes: r
                    .changes
                    .iter()
                    .map(|c| ClosedChange {
                        case_label: format!("{} {}", c.case_number, c.enterprise),
                        href: format!("/cases/{}#timeline", c.case_id),
                        what: labels::step_name(c.event_type),
                        dated: crate::format::date(c.business_date),
                        recorded: format!(
                            "{}（{}）",
                            crate::format::date_time(c.recorded_at),
                            web.staff_name(&c.recorded_by)
                        ),
                        late_reason: c.late_reason.clone().unwrap_or_else(|| "—".to_owned()),
                        approved: match (&c.approved_by, &c.approval_reason) {
                            (Some(by), Some(why)) => format!("{}：{why}", web.staff_name(by)),
                            _ => "—".to_owned(),
                        },
                    })
                    .collect(),
            }
        })
        .collect()
}

/// `610902100000（镇）`: the code and what kind of division it is.
pub(crate) fn division_label(code: &DivisionCode) -> String {
    let kind = code.town_kind().filter(|k| *k != "other");
    let kind = match code.tier() {
        guanjia_domain::values::Tier::Town => kind.unwrap_or("乡镇街道"),
        tier => labels::tier(tier),
    };
    format!("{}（{kind}）", code.as_str())
}

fn date(
    field: &'static str,
    text: Option<&str>,
    name: &str,
) -> Result<Option<NaiveDate>, (&'static str, String)> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) => NaiveDate::parse_from_str(t, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| {
                (
                    field,
                    format!("{name}不是有效的日期，请按“2026-03-01”的格式填写年、月、日。"),
                )
            }),
    }
}

/// Reads and checks the address, then builds the dashboard.
pub(crate) fn build(web: &Web, session: &Session, params: &Params) -> Result<Board, Refusal> {
    let actor = &session.actor;
    if authz::may_view_dashboard(actor).is_err() {
        return Err(Refusal::Forbidden("领导看板仅供领导查看。"));
    }
    let today = china_date(web.state().clock.now());
    let mut errors = Vec::new();
    let from = date("from", params.from.as_deref(), "开始日期").unwrap_or_else(|e| {
        errors.push(e);
        None
    });
    let to = date("to", params.to.as_deref(), "结束日期").unwrap_or_else(|e| {
        errors.push(e);
        None
    });
    let requested = match params
        .division
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
    {
        None => None,
        Some(d) => match DivisionCode::parse(d) {
            Ok(code) => Some(code),
            Err(_) => {
                errors.push((
                    "division",
                    "区划代码应为 12 位数字，例如 610902100000。".to_owned(),
                ));
                None
            }
        },
    };
    let year = Period::year_of(today);
    let period = Period {
        from: from.unwrap_or(year.from),
        to: to.unwrap_or(year.to),
    };
    if errors.is_empty() && period.to < period.from {
        errors.push(("to", "结束日期不能早于开始日期。".to_owned()));
    }
    if errors.is_empty() && (period.to - period.from).num_days() > MAX_PERIOD_DAYS {
        errors.push((
            "to",
            format!("统计期间最长 {MAX_PERIOD_DAYS} 天，请缩短期间。"),
        ));
    }
    if !errors.is_empty() {
        return Err(Refusal::Invalid(errors));
    }
    let scope = match authz::read_scope(actor, requested.as_ref()) {
        Ok(Some(scope)) => scope,
        _ => return Err(Refusal::Forbidden("该区划不在您的查看范围内。")),
    };
    web.state()
        .read
        .read(|m| assemble(web, m, period, today, scope, actor.division.clone()))
        .map_err(Refusal::Failed)
}

/// The board of a hall display's (or a leader's) big screen: this year in the division
/// `authz::big_screen_scope` gives, no drill-down.
pub(crate) fn for_screen(web: &Web, session: &Session) -> Result<Board, Refusal> {
    let scope = authz::big_screen_scope(&session.actor)
        .map_err(|_| Refusal::Forbidden("大屏仅供大厅显示屏账户和领导使用。"))?;
    let today = china_date(web.state().clock.now());
    web.state()
        .read
        .read(|m| assemble(web, m, Period::year_of(today), today, scope.clone(), scope))
        .map_err(Refusal::Failed)
}

fn assemble(
    web: &Web,
    m: &ReadModel,
    period: Period,
    today: NaiveDate,
    scope: DivisionCode,
    top: DivisionCode,
) -> Result<Board, WebError> {
    let last_year = period.a_year_earlier();
    // The period, a year earlier and every division below, in one walk over the facts.
    let board = m.board(&BoardQuery {
        from: period.from,
        to: period.to,
        compare_from: last_year.from,
        compare_to: last_year.to,
        today,
        division: scope.clone(),
    })?;
    let (this, before) = (board.this, board.compared);
    let children = board
        .children
        .into_iter()
        .map(|child| Child {
            code: child.division.as_str().to_owned(),
            label: division_label(&child.division),
            signed: child.period.cases_signed,
            visits: child.period.visits_conducted,
            concluded: child.period.items_concluded,
            on_time: child.period.on_time_rate.percent_text(),
            good: child.period.good_rating_rate.percent_text(),
            warning: child.now.items_warning,
            overdue: child.now.items_overdue,
        })
        .collect();
    let items = m.supervision(Some(&scope), today);
    let mut by_division: Vec<Tally> = Vec::new();
    let mut by_steward: Vec<Tally> = Vec::new();
    let mut watched = Vec::new();
    for item in &items {
        let steward = item
            .case
            .lead_steward
            .as_deref()
            .map_or_else(|| "（未指定）".to_owned(), |s| web.staff_name(s));
        let division = division_label(&item.division);
        let overdue = item.time_status == TimeStatus::Overdue;
        for (list, name) in [(&mut by_division, &division), (&mut by_steward, &steward)] {
            let at = match list.iter().position(|t| &t.name == name) {
                Some(at) => at,
                None => {
                    list.push(Tally {
                        name: name.clone(),
                        warning: 0,
                        overdue: 0,
                    });
                    list.len() - 1
                }
            };
            if let Some(t) = list.get_mut(at) {
                if overdue {
                    t.overdue += 1
                } else {
                    t.warning += 1
                }
            }
        }
        watched.push(Watched {
            deadline: DeadlineText::new(&item.deadline, item.time_status, today, m.days()),
            item_name: item.item_name.clone(),
            case_label: format!("{} {}", item.case.case_number, item.case.name),
            href: format!("/cases/{}#item-{}", item.case.case_id, item.item_no),
            division,
            steward,
        });
    }
    by_division.sort_by(|a, b| a.name.cmp(&b.name));
    by_steward.sort_by_key(|t| std::cmp::Reverse((t.overdue, t.warning)));
    Ok(Board {
        period,
        last_year,
        today,
        rows: figures::rows(&this.period, &before.period),
        now: figures::now_rows(&this.now),
        charts: figures::charts(&this.months, &before.months),
        children,
        watched,
        by_division,
        by_steward,
        burden: burden_rows(m),
        late: vec![
            ("补录笔数", this.late.entries),
            ("其中：签约企业", this.late.cases_signed),
            ("其中：上门走访", this.late.visits_conducted),
            ("其中：申请办件", this.late.items_requested),
            ("其中：办结办件", this.late.items_concluded),
        ],
        closed: closed_periods(web, m, period, today, &scope),
        scope,
        top,
    })
}
