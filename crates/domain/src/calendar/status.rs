//! Where an item stands against its deadline, for the "overdue and warning items now" and
//! on-time-rate dashboards.
//!
//! A warning is raised once a share of the time is used (80% by default, configurable per
//! province or city, so the caller passes it in); overdue starts the day after the deadline.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::deadline::ItemClock;
use super::work_calendar::WorkCalendar;

/// Share of the working days used, in percent, from which an item is in warning (configurable).
pub const DEFAULT_WARNING_PERCENT: u32 = 80;

/// Where an item stands against its deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeStatus {
    /// Within the limit and below the warning share.
    OnTime,
    /// Not overdue, but at least the warning share of the working days is used.
    Warning,
    /// Past the deadline.
    Overdue,
}

impl ItemClock {
    /// The status as of `today`: overdue when `today` is after the deadline; else warning when
    /// `used_days × 100 ≥ total_days × warning_percent`; else on time. A 0-day limit is never in
    /// warning: it is on time on the day of acceptance and overdue the day after.
    pub fn status(&self, cal: &WorkCalendar, today: NaiveDate, warning_percent: u32) -> TimeStatus {
        if today > self.deadline(cal, today).date {
            return TimeStatus::Overdue;
        }
        let total = u64::from(self.total_days());
        if total == 0 {
            return TimeStatus::OnTime;
        }
        let used = u64::from(self.used_days(cal, today));
        if used * 100 >= total * u64::from(warning_percent) {
            TimeStatus::Warning
        } else {
            TimeStatus::OnTime
        }
    }

    /// Whether an item concluded on `concluded_on` met its deadline (computed as of that day).
    pub fn concluded_on_time(&self, cal: &WorkCalendar, concluded_on: NaiveDate) -> bool {
        concluded_on <= self.deadline(cal, concluded_on).date
    }

    /// Net working days from acceptance to conclusion, suspensions excluded: the figure behind
    /// "average net working days" and time compression.
    pub fn net_days_to(&self, cal: &WorkCalendar, concluded_on: NaiveDate) -> u32 {
        self.used_days(cal, concluded_on)
    }
}

#[cfg(test)]
mod tests {
    use super::super::deadline::Suspension;
    use super::super::work_calendar::day;
    use super::*;

    /// Accepted Fri 2024-11-01, 10 working days, no holidays in November 2024:
    /// 11-04..08 = 1..5, 11-11..15 = 6..10, so the deadline is Fri 11-15.
    fn ten_day_item() -> ItemClock {
        ItemClock {
            accepted_on: day("2024-11-01"),
            limit_days: 10,
            extension_days: 0,
            suspensions: vec![],
        }
    }

    fn status_on(item: &ItemClock, date: &str) -> TimeStatus {
        item.status(&WorkCalendar::china(), day(date), DEFAULT_WARNING_PERCENT)
    }

    #[test]
    fn on_time_then_warning_at_exactly_80_percent_then_overdue_the_day_after() {
        let item = ten_day_item();
        assert_eq!(status_on(&item, "2024-11-01"), TimeStatus::OnTime);
        assert_eq!(
            status_on(&item, "2024-11-12"),
            TimeStatus::OnTime,
            "7 of 10"
        );
        assert_eq!(
            status_on(&item, "2024-11-13"),
            TimeStatus::Warning,
            "8 of 10"
        );
        assert_eq!(
            status_on(&item, "2024-11-15"),
            TimeStatus::Warning,
            "deadline day"
        );
        assert_eq!(
            status_on(&item, "2024-11-16"),
            TimeStatus::Overdue,
            "Saturday after"
        );
    }

    #[test]
    fn the_warning_share_is_the_callers() {
        let cal = WorkCalendar::china();
        let item = ten_day_item();
        assert_eq!(item.status(&cal, day("2024-11-13"), 90), TimeStatus::OnTime);
        assert_eq!(
            item.status(&cal, day("2024-11-14"), 90),
            TimeStatus::Warning
        );
    }

    #[test]
    fn a_zero_day_limit_is_overdue_the_day_after_acceptance_and_never_in_warning() {
        let item = ItemClock {
            limit_days: 0,
            ..ten_day_item()
        };
        assert_eq!(status_on(&item, "2024-11-01"), TimeStatus::OnTime);
        assert_eq!(status_on(&item, "2024-11-02"), TimeStatus::Overdue);
    }

    #[test]
    fn a_suspension_keeps_the_item_out_of_warning_and_overdue() {
        let item = ItemClock {
            suspensions: vec![Suspension {
                from: day("2024-11-08"),
                until: None,
            }],
            ..ten_day_item()
        };
        // Used 5 days (11-04..08); suspended since: still on time two weeks later.
        assert_eq!(item.used_days(&WorkCalendar::china(), day("2024-11-22")), 5);
        assert_eq!(status_on(&item, "2024-11-22"), TimeStatus::OnTime);
    }

    #[test]
    fn conclusion_on_or_before_the_deadline_is_on_time() {
        let cal = WorkCalendar::china();
        let item = ten_day_item();
        assert!(item.concluded_on_time(&cal, day("2024-11-15")));
        assert!(!item.concluded_on_time(&cal, day("2024-11-18")));
        assert_eq!(item.net_days_to(&cal, day("2024-11-15")), 10);
        assert_eq!(item.net_days_to(&cal, day("2024-11-06")), 3);
    }

    #[test]
    fn suspended_on_the_due_day_and_concluded_meanwhile_is_on_time() {
        let cal = WorkCalendar::china();
        // Suspended on Fri 11-15, the 10th and last day (it counts); concluded on Tue 11-19,
        // still suspended: 10 of 10 days used, so on time.
        let item = ItemClock {
            suspensions: vec![Suspension {
                from: day("2024-11-15"),
                until: None,
            }],
            ..ten_day_item()
        };
        assert_eq!(item.net_days_to(&cal, day("2024-11-19")), 10);
        assert!(item.concluded_on_time(&cal, day("2024-11-19")));
        assert_eq!(status_on(&item, "2024-11-19"), TimeStatus::Warning);
        // Resumed on Wed 11-20: that day does not count either, Thu 11-21 would be the 11th.
        let resumed = ItemClock {
            suspensions: vec![Suspension {
                from: day("2024-11-15"),
                until: Some(day("2024-11-20")),
            }],
            ..ten_day_item()
        };
        assert!(resumed.concluded_on_time(&cal, day("2024-11-20")));
        assert_eq!(status_on(&resumed, "2024-11-20"), TimeStatus::Warning);
        assert!(!resumed.concluded_on_time(&cal, day("2024-11-21")));
        assert_eq!(status_on(&resumed, "2024-11-21"), TimeStatus::Overdue);
        assert_eq!(resumed.net_days_to(&cal, day("2024-11-21")), 11);
    }

    #[test]
    fn suspended_after_the_due_day_stays_late() {
        let cal = WorkCalendar::china();
        // Overdue from Sat 11-16; a suspension on Mon 11-18 does not make it on time again.
        let item = ItemClock {
            suspensions: vec![Suspension {
                from: day("2024-11-18"),
                until: None,
            }],
            ..ten_day_item()
        };
        assert!(!item.concluded_on_time(&cal, day("2024-11-20")));
        assert_eq!(status_on(&item, "2024-11-20"), TimeStatus::Overdue);
    }

    #[test]
    fn net_days_leave_out_suspended_days() {
        let cal = WorkCalendar::china();
        let item = ItemClock {
            suspensions: vec![Suspension {
                from: day("2024-11-05"),
                until: Some(day("2024-11-07")),
            }],
            ..ten_day_item()
        };
        // 11-06 and 11-07 excluded: 12 working days to 11-19, 10 net; the deadline moved to 11-19.
        assert_eq!(item.net_days_to(&cal, day("2024-11-19")), 10);
        assert!(item.concluded_on_time(&cal, day("2024-11-19")));
        assert!(!item.concluded_on_time(&cal, day("2024-11-20")));
        assert_eq!(
            serde_json::to_string(&TimeStatus::OnTime).ok().as_deref(),
            Some("\"on_time\"")
        );
    }
}
