//! The fast working-day index against the domain's reference arithmetic: the same answers on
//! thousands of random clocks (suspensions open and closed, unpublished years, holidays), and
//! the domain's own walk outside the index's years.

use chrono::{Days, NaiveDate};
use guanjia_domain::calendar::{ItemClock, Suspension, WorkCalendar};
use guanjia_read::days::{ClockRef, DayIndex};

/// A deterministic generator, so a failure names a reproducible seed.
struct XorShift(u64);

impl XorShift {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

fn plus(date: NaiveDate, days: u64) -> NaiveDate {
    date.checked_add_days(Days::new(days)).expect("in range")
}

/// Random clocks from late 2023 into unpublished 2027, with up to three suspensions (the
/// last possibly open) and "as of" dates before, during and after them.
#[test]
fn agrees_with_the_domain_item_clock() {
    let cal = WorkCalendar::china();
    let index = DayIndex::new(cal.clone());
    let base = NaiveDate::from_ymd_opt(2023, 9, 1).expect("valid");
    let mut rng = XorShift(0x5eed_1234);
    for case in 0..4000 {
        let accepted_on = plus(base, rng.below(1300));
        let mut suspensions = Vec::new();
        let mut at = accepted_on;
        for _ in 0..rng.below(4) {
            let from = plus(at, rng.below(20));
            let until = plus(from, rng.below(25));
            let open = rng.below(4) == 0;
            suspensions.push(Suspension {
                from,
                until: (!open).then_some(until),
            });
            at = until;
            if open {
                break;
            }
        }
        let clock = ItemClock {
            accepted_on,
            limit_days: u32::try_from(rng.below(40)).expect("small"),
            extension_days: u32::try_from(rng.below(3) * 5).expect("small"),
            suspensions,
        };
        let view = ClockRef {
            accepted_on,
            total_days: clock.total_days(),
            suspensions: &clock.suspensions,
        };
        let as_of = plus(accepted_on, rng.below(90));
        assert_eq!(
            index.deadline(view, as_of),
            clock.deadline(&cal, as_of),
            "deadline, case {case}: {clock:?} as of {as_of}"
        );
        assert_eq!(
            index.used_days(view, as_of),
            clock.used_days(&cal, as_of),
            "used days, case {case}: {clock:?} as of {as_of}"
        );
        assert_eq!(
            index.status(view, as_of, 80),
            clock.status(&cal, as_of, 80),
            "status, case {case}"
        );
        // The cached schedule of a running item (no suspension open) gives the same statuses
        // and deadline on every day from its start, whatever the warning share.
        let warning = [0, 50, 80, 100, 120][rng.below(5) as usize];
        if let Some(schedule) = index.schedule(view, warning) {
            for offset in [0, 1, 3, 8, 15, 30, 60] {
                let day = plus(schedule.from, offset + rng.below(3));
                assert_eq!(
                    schedule.status(day),
                    Some(clock.status(&cal, day, warning)),
                    "schedule status, case {case}: {clock:?} on {day} at {warning}%"
                );
                assert_eq!(schedule.deadline, clock.deadline(&cal, day), "case {case}");
            }
            assert_eq!(
                schedule.status(schedule.from.pred_opt().expect("valid")),
                None
            );
        } else {
            assert!(clock.suspensions.iter().any(|s| s.until.is_none()));
        }
    }
}

#[test]
fn counting_agrees_with_the_calendar_including_unpublished_years() {
    let cal = WorkCalendar::china();
    let index = DayIndex::new(cal.clone());
    let mut rng = XorShift(42);
    let base = NaiveDate::from_ymd_opt(2024, 1, 1).expect("valid");
    for _ in 0..2000 {
        let start = plus(base, rng.below(1500));
        let n = u32::try_from(rng.below(30)).expect("small");
        assert_eq!(
            index.add_working_days(start, n),
            cal.add_working_days(start, n)
        );
        let through = plus(start, rng.below(60));
        assert_eq!(
            index.working_days_between(start, through),
            cal.working_days_between(start, through)
        );
    }
}

#[test]
fn dates_outside_the_table_fall_back_to_the_calendar() {
    let cal = WorkCalendar::china();
    let index = DayIndex::new(cal.clone());
    let early = NaiveDate::from_ymd_opt(1999, 12, 20).expect("valid");
    assert_eq!(
        index.add_working_days(early, 10),
        cal.add_working_days(early, 10)
    );
    let late = NaiveDate::from_ymd_opt(2100, 12, 20).expect("valid");
    assert_eq!(
        index.add_working_days(late, 30),
        cal.add_working_days(late, 30)
    );
}
