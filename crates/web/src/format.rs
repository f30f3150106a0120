//! Dates, times and working days as the pages write them: 2024年2月8日, 14:30 in Beijing time,
//! "剩余 3 个工作日"; and the 电子监察 status of a deadline, which always comes with a word and
//! the days left, never with colour alone.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use guanjia_domain::calendar::{Deadline, TimeStatus};
use guanjia_domain::clock::china_offset;
use guanjia_read::DayIndex;

/// `2024年2月8日`.
pub(crate) fn date(day: NaiveDate) -> String {
    format!("{}年{}月{}日", day.year(), day.month(), day.day())
}

/// `2024年2月8日 14:30`, in Beijing time.
pub(crate) fn date_time(at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&china_offset());
    format!("{} {}", date(local.date_naive()), local.format("%H:%M"))
}

/// `2024年2月8日 14:30:05`, in Beijing time: the audit desk tells events apart by the second.
pub(crate) fn date_time_seconds(at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&china_offset());
    format!("{} {}", date(local.date_naive()), local.format("%H:%M:%S"))
}

/// `周四`.
pub(crate) fn weekday(day: NaiveDate) -> &'static str {
    ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]
        [day.weekday().num_days_from_monday() as usize]
}

/// A deadline as a person reads it on a card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DeadlineText {
    /// `ok`, `warning` or `overdue`: the card's and the badge's CSS class.
    pub class: &'static str,
    /// 正常, 预警, 超期.
    pub word: &'static str,
    /// 剩余 3 个工作日, 今日到期, 已超期 2 个工作日.
    pub days: String,
    /// 办理期限 2024年2月8日, with 暂定 when the calendar of that year is not published yet.
    pub due: String,
    /// The clock stands still (补正, 听证, …): the deadline moves while it stays so.
    pub suspended: bool,
}

impl DeadlineText {
    /// The deadline with `status` as of `today`, working days counted with `days`.
    pub(crate) fn new(
        deadline: &Deadline,
        status: TimeStatus,
        today: NaiveDate,
        days: &DayIndex,
    ) -> Self {
        let (class, word) = status_word(status);
        let days = match status {
            TimeStatus::Overdue => format!(
                "已超期 {} 个工作日",
                days.working_days_between(deadline.date, today).max(1)
            ),
            _ if deadline.date <= today => "今日到期".to_owned(),
            _ => format!(
                "剩余 {} 个工作日",
                days.working_days_between(today, deadline.date)
            ),
        };
        let provisional = if deadline.provisional {
            "（暂定：该年节假日安排尚未公布）"
        } else {
            ""
        };
        Self {
            class,
            word,
            days,
            due: format!("办理期限 {}{provisional}", date(deadline.date)),
            suspended: deadline.suspended,
        }
    }
}

/// The CSS class and word of a time status.
pub(crate) fn status_word(status: TimeStatus) -> (&'static str, &'static str) {
    match status {
        TimeStatus::OnTime => ("ok", "正常"),
        TimeStatus::Warning => ("warning", "预警"),
        TimeStatus::Overdue => ("overdue", "超期"),
    }
}

/// The width class of a bar showing `used` of `total`, in steps of 5% (`w0` … `w100`): the
/// policy forbids inline styles, so the widths are classes of the stylesheet.
pub(crate) fn bar_class(used: u32, total: u32) -> String {
    let percent = match total {
        0 => 100,
        _ => (u64::from(used) * 100 / u64::from(total)).min(100),
    };
    format!("w{}", percent / 5 * 5)
}

/// A value for a URL's query string (the path of a page to come back to).
pub(crate) fn query_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(char::from(byte));
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use guanjia_domain::calendar::WorkCalendar;

    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a date")
    }

    #[test]
    fn dates_are_written_the_chinese_way_in_beijing_time() {
        assert_eq!(date(day(2024, 2, 8)), "2024年2月8日");
        let late = Utc
            .with_ymd_and_hms(2024, 2, 7, 17, 30, 0)
            .single()
            .expect("instant");
        assert_eq!(date_time(late), "2024年2月8日 01:30");
        assert_eq!(weekday(day(2024, 2, 8)), "周四");
    }

    #[test]
    fn a_deadline_says_its_status_in_words_and_working_days() {
        let days = DayIndex::new(WorkCalendar::china());
        // 2024-03-15 is a Friday; the next working day is Monday the 18th.
        let due = Deadline {
            date: day(2024, 3, 19),
            provisional: false,
            suspended: false,
        };
        let soon = DeadlineText::new(&due, TimeStatus::Warning, day(2024, 3, 15), &days);
        assert_eq!((soon.class, soon.word), ("warning", "预警"));
        assert_eq!(soon.days, "剩余 2 个工作日");
        assert_eq!(soon.due, "办理期限 2024年3月19日");
        let today = DeadlineText::new(&due, TimeStatus::Warning, day(2024, 3, 19), &days);
        assert_eq!(today.days, "今日到期");
        let late = DeadlineText::new(&due, TimeStatus::Overdue, day(2024, 3, 22), &days);
        assert_eq!(
            (late.class, late.word, late.days.as_str()),
            ("overdue", "超期", "已超期 3 个工作日")
        );
    }

    #[test]
    fn bars_and_queries() {
        assert_eq!(bar_class(4, 5), "w80");
        assert_eq!(bar_class(7, 5), "w100");
        assert_eq!(bar_class(0, 0), "w100");
        assert_eq!(bar_class(1, 3), "w30");
        assert_eq!(
            query_escape("/cases?q=恒口&x=1"),
            "/cases%3Fq%3D%E6%81%92%E5%8F%A3%26x%3D1"
        );
    }
}
