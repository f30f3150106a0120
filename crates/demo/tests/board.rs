//! The dashboard page's board (`ReadModel::board`, one walk over the facts) holds exactly the
//! figures of the separate dashboards it replaces — the period month by month, the same
//! period a year earlier, and one dashboard per division below — on the demo's district and
//! every town in it, for a year, a quarter and a span across a year's end. The board is
//! computed from the read model in memory, so one backend (SQLite) stands for both.

use chrono::NaiveDate;
use guanjia_demo::{load, DEFAULT_SEED};
use guanjia_domain::calendar::WorkCalendar;
use guanjia_domain::values::DivisionCode;
use guanjia_read::{BoardQuery, DashboardQuery, KpiConfig, ReadModel};
use guanjia_store::testing::TestDatabase;
use guanjia_store::LogPosition;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn dashboard_query(
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
    division: &DivisionCode,
    monthly: bool,
) -> DashboardQuery {
    DashboardQuery {
        from,
        to,
        today,
        division: Some(division.clone()),
        group_by: None,
        monthly,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_board_equals_the_dashboards_it_replaces() -> anyhow::Result<()> {
    let today = date(2026, 11, 27);
    let db = TestDatabase::sqlite();
    let store = db.open().await?;
    load(&store, today, DEFAULT_SEED).await?;
    let mut model = ReadModel::new(WorkCalendar::china(), KpiConfig::default());
    let mut position = LogPosition::START;
    loop {
        let page = store.read_after(position, 1000).await?;
        let Some(last) = page.last() else { break };
        position = last.position;
        model.apply_all(&page)?;
    }

    let district = DivisionCode::parse("610902000000")?;
    let mut scopes = vec![district.clone()];
    scopes.extend(model.divisions_below(&district));
    assert!(scopes.len() > 2, "the demo spans several towns: {scopes:?}");
    let periods = [
        (date(2024, 1, 1), date(2024, 12, 31)),
        (date(2025, 4, 1), date(2025, 6, 30)),
        (date(2024, 11, 15), date(2025, 2, 10)),
    ];
    let mut compared_children = 0;
    // Boards whose both periods have work: the comparison is not one of zeros.
    let mut with_work = 0;
    for scope in &scopes {
        for (from, to) in periods {
            let (compare_from, compare_to) = (from.with_year_earlier(), to.with_year_earlier());
            let board = model.board(&BoardQuery {
                from,
                to,
                compare_from,
                compare_to,
                today,
                division: scope.clone(),
            })?;
            let this = model.dashboard(&dashboard_query(from, to, today, scope, true))?;
            let before = model.dashboard(&dashboard_query(
                compare_from,
                compare_to,
                today,
                scope,
                true,
            ))?;
            assert_eq!(board.this, this, "{scope} {from}..{to}");
            assert_eq!(board.compared, before, "{scope} a year before {from}..{to}");
            let below = model.divisions_below(scope);
            let children: Vec<&DivisionCode> = board.children.iter().map(|c| &c.division).collect();
            assert_eq!(children, below.iter().collect::<Vec<_>>(), "{scope}");
            for child in &board.children {
                let alone =
                    model.dashboard(&dashboard_query(from, to, today, &child.division, false))?;
                assert_eq!(
                    child.period, alone.period,
                    "{} {from}..{to}",
                    child.division
                );
                assert_eq!(child.now, alone.now, "{} {from}..{to}", child.division);
                compared_children += 1;
            }
            if this.period.items_requested > 0 && before.period.items_requested > 0 {
                with_work += 1;
            }
        }
    }
    assert!(
        compared_children > 3,
        "{compared_children} child boards compared"
    );
    assert!(
        with_work >= 2,
        "{with_work} boards with work in both periods"
    );
    Ok(())
}

#[tokio::test]
async fn a_board_whose_period_ends_before_it_starts_is_refused() -> anyhow::Result<()> {
    let model = ReadModel::new(WorkCalendar::china(), KpiConfig::default());
    let division = DivisionCode::parse("610902000000")?;
    let today = date(2026, 11, 27);
    for (from, to, compare_from, compare_to) in [
        (
            date(2025, 2, 1),
            date(2025, 1, 1),
            date(2024, 1, 1),
            date(2024, 2, 1),
        ),
        (
            date(2025, 1, 1),
            date(2025, 2, 1),
            date(2024, 2, 1),
            date(2024, 1, 1),
        ),
    ] {
        let refused = model
            .board(&BoardQuery {
                from,
                to,
                compare_from,
                compare_to,
                today,
                division: division.clone(),
            })
            .expect_err("a backwards period is refused");
        assert!(
            refused.to_string().contains("before it starts"),
            "{refused}"
        );
    }
    Ok(())
}

trait YearEarlier {
    fn with_year_earlier(self) -> Self;
}

impl YearEarlier for NaiveDate {
    /// The same day a year earlier; 29 February becomes the 28th.
    fn with_year_earlier(self) -> Self {
        self.checked_sub_months(chrono::Months::new(12))
            .unwrap_or(self)
    }
}
