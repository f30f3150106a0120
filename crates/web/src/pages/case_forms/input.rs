//! What a case form sent, and the checks the page makes before anything reaches the
//! application layer: a date that is no date, a number that is no number, a choice that is not
//! on the list. These are about reading the form, not rules of the case (the domain decides
//! those); each failure names the field in Chinese and keeps what was typed.

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use guanjia_domain::clock::china_offset;

/// The fields of a submitted form, as typed.
#[derive(Debug, Clone, Default)]
pub(crate) struct Input {
    pairs: Vec<(String, String)>,
    /// What could not be read: (field, message).
    pub errors: Vec<(String, String)>,
}

impl Input {
    pub(crate) fn new(pairs: Vec<(String, String)>) -> Self {
        Self {
            pairs,
            errors: Vec::new(),
        }
    }

    /// Every field as sent.
    pub(crate) fn pairs(&self) -> &[(String, String)] {
        &self.pairs
    }

    /// The value of `name` as typed (the first, trimmed), or "".
    pub(crate) fn raw(&self, name: &str) -> &str {
        self.pairs
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.trim())
    }

    /// The text of `name`, as typed (the domain checks emptiness and length).
    pub(crate) fn text(&self, name: &str) -> String {
        self.raw(name).to_owned()
    }

    /// The text of `name`, `None` when left blank.
    pub(crate) fn optional(&self, name: &str) -> Option<String> {
        Some(self.raw(name).to_owned()).filter(|t| !t.is_empty())
    }

    /// Lines of `name` (one entry a line, or separated by 、 and commas), blanks dropped.
    pub(crate) fn list(&self, name: &str) -> Vec<String> {
        self.raw(name)
            .split(['\n', '、', ',', '，', ';', '；'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    }

    /// The non-blank lines of `name`.
    pub(crate) fn list_lines(&self, name: &str) -> Vec<String> {
        self.raw(name)
            .lines()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    }

    /// Whether the checkbox `name` was ticked.
    pub(crate) fn checked(&self, name: &str) -> bool {
        !self.raw(name).is_empty()
    }

    /// The date of `name` (`YYYY-MM-DD`); `None` when blank (the domain then takes today).
    pub(crate) fn date(&mut self, name: &str, label: &str) -> Option<NaiveDate> {
        let raw = self.raw(name).to_owned();
        if raw.is_empty() {
            return None;
        }
        let parsed = NaiveDate::parse_from_str(&raw, "%Y-%m-%d").ok();
        if parsed.is_none() {
            self.fail(
                name,
                format!("{label}不是有效的日期：请按“年-月-日”填写，例如 2026-03-05。"),
            );
        }
        parsed
    }

    /// The date of `name`, which must be given (an error, and a stand-in, when not).
    pub(crate) fn required_date(&mut self, name: &str, label: &str) -> NaiveDate {
        if self.raw(name).is_empty() {
            self.fail(name, format!("请填写{label}。"));
        }
        self.date(name, label).unwrap_or(NaiveDate::MIN)
    }

    /// The moment of the date `name` and the time `time_name`, both in Beijing time; the time
    /// is 09:00 when left blank. An error (and a stand-in) when the date is missing or
    /// unreadable.
    pub(crate) fn moment(&mut self, name: &str, label: &str, time_name: &str) -> DateTime<Utc> {
        self.read_moment(name, label, time_name)
            .unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
    }

    fn read_moment(&mut self, name: &str, label: &str, time_name: &str) -> Option<DateTime<Utc>> {
        let Some(day) = self.date(name, label) else {
            if self.raw(name).is_empty() {
                self.fail(name, format!("请填写{label}。"));
            }
            return None;
        };
        let raw = self.raw(time_name).to_owned();
        let time = if raw.is_empty() {
            NaiveTime::from_hms_opt(9, 0, 0)
        } else {
            NaiveTime::parse_from_str(&raw, "%H:%M")
                .or_else(|_| NaiveTime::parse_from_str(&raw, "%H:%M:%S"))
                .ok()
        };
        let Some(time) = time else {
            self.fail(
                time_name,
                "时间不是有效的时刻：请按“时:分”填写，例如 09:30。".to_owned(),
            );
            return None;
        };
        china_offset()
            .from_local_datetime(&day.and_time(time))
            .single()
            .map(|at| at.with_timezone(&Utc))
    }

    /// The whole number of `name`, at least `min`; `default` when blank.
    pub(crate) fn number(&mut self, name: &str, label: &str, default: Option<u32>) -> u32 {
        let raw = self.raw(name).to_owned();
        if raw.is_empty() {
            if let Some(default) = default {
                return default;
            }
            self.fail(name, format!("请填写{label}。"));
            return 0;
        }
        match raw.parse::<u32>() {
            Ok(n) => n,
            Err(_) => {
                self.fail(name, format!("{label}应为不小于 0 的整数，现在是“{raw}”。"));
                0
            }
        }
    }

    /// The choice of `name`, one of `options` (value, meaning, words); an error (and the
    /// first) else.
    pub(crate) fn choice<T: Copy>(
        &mut self,
        name: &str,
        label: &str,
        options: &[(&str, T, &str)],
    ) -> T {
        let raw = self.raw(name).to_owned();
        match options.iter().find(|(v, _, _)| *v == raw) {
            Some((_, t, _)) => *t,
            None => {
                self.fail(name, format!("请从列表中选择{label}。"));
                options[0].1
            }
        }
    }

    /// The number of the visit, item, rating or complaint chosen in `name`.
    pub(crate) fn pick(&mut self, name: &str, label: &str) -> u32 {
        match self.raw(name).parse::<u32>() {
            Ok(n) if n > 0 => n,
            _ => {
                self.fail(name, format!("请从列表中选择{label}。"));
                0
            }
        }
    }

    pub(crate) fn fail(&mut self, name: &str, message: String) {
        self.errors.push((name.to_owned(), message));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(pairs: &[(&str, &str)]) -> Input {
        Input::new(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        )
    }

    #[test]
    fn a_date_that_is_no_date_is_named_and_a_blank_one_is_today() {
        let mut form = input(&[("signed_on", "2026-02-30"), ("other", " ")]);
        assert_eq!(form.date("signed_on", "签约日期"), None);
        assert_eq!(form.date("other", "日期"), None);
        assert_eq!(form.errors.len(), 1);
        assert!(form.errors[0].1.starts_with("签约日期不是有效的日期"));
    }

    #[test]
    fn a_moment_is_read_in_beijing_time() {
        let mut form = input(&[("at", "2026-03-05"), ("at_time", "10:30")]);
        let at = form.moment("at", "走访日期", "at_time");
        assert_eq!(at.to_rfc3339(), "2026-03-05T02:30:00+00:00");
        assert!(form.errors.is_empty());
        let mut bad = input(&[("at", "2026-03-05"), ("at_time", "25:00")]);
        bad.moment("at", "走访日期", "at_time");
        assert_eq!(bad.errors[0].0, "at_time");
    }

    #[test]
    fn lists_split_on_lines_and_chinese_commas() {
        let form = input(&[("who", "王磊、李娜\n张伟 ,")]);
        assert_eq!(form.list("who"), ["王磊", "李娜", "张伟"]);
    }

    #[test]
    fn numbers_and_choices_say_what_is_wrong() {
        let mut form = input(&[("days", "-2"), ("kind", "x"), ("item_no", "")]);
        form.number("days", "延长天数", None);
        assert_eq!(form.choice("kind", "结果", &[("granted", 1, "准予")]), 1);
        form.pick("item_no", "办理事项");
        let fields: Vec<_> = form.errors.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["days", "kind", "item_no"]);
        assert!(form.errors[0].1.contains("整数"));
    }
}
