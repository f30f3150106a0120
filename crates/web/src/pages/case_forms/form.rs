//! A case form as data: its fields with labels, hints and defaults, rendered by one template
//! (`case_form.html`), so that every form looks, labels and reports errors the same way. A
//! form that failed is drawn again with what was typed and a message beside each field.

use chrono::NaiveDate;

/// One input of a form.
#[derive(Debug, Clone)]
pub(crate) struct Field {
    pub name: &'static str,
    pub label: &'static str,
    /// `text`, `textarea`, `date`, `time`, `number`, `select` or `checkbox`.
    pub kind: &'static str,
    pub hint: String,
    pub value: String,
    /// For a select: (value, words).
    pub options: Vec<(String, String)>,
    pub error: Option<String>,
    /// Where htmx asks for a verdict on the value as it is typed (a fragment); "" for none.
    pub live_check: &'static str,
}

impl Field {
    fn new(name: &'static str, label: &'static str, kind: &'static str) -> Self {
        Self {
            name,
            label,
            kind,
            hint: String::new(),
            value: String::new(),
            options: Vec::new(),
            error: None,
            live_check: "",
        }
    }

    pub(crate) fn text(name: &'static str, label: &'static str) -> Self {
        Self::new(name, label, "text")
    }

    pub(crate) fn area(name: &'static str, label: &'static str) -> Self {
        Self::new(name, label, "textarea")
    }

    /// A date, today by default (Beijing).
    pub(crate) fn date(name: &'static str, label: &'static str, today: NaiveDate) -> Self {
        Self::new(name, label, "date").value(today.to_string())
    }

    pub(crate) fn time(name: &'static str, label: &'static str, default: &str) -> Self {
        Self::new(name, label, "time").value(default)
    }

    pub(crate) fn number(name: &'static str, label: &'static str, default: u32) -> Self {
        Self::new(name, label, "number").value(default.to_string())
    }

    pub(crate) fn check(name: &'static str, label: &'static str) -> Self {
        Self::new(name, label, "checkbox")
    }

    /// A choice among `options` (value, words); the first is chosen by default.
    pub(crate) fn select<V: ToString, W: ToString>(
        name: &'static str,
        label: &'static str,
        options: impl IntoIterator<Item = (V, W)>,
    ) -> Self {
        let options: Vec<(String, String)> = options
            .into_iter()
            .map(|(v, w)| (v.to_string(), w.to_string()))
            .collect();
        let first = options.first().map(|(v, _)| v.clone()).unwrap_or_default();
        Self {
            options,
            ..Self::new(name, label, "select")
        }
        .value(first)
    }

    /// A choice among the options of a table that `Input::choice` reads back.
    pub(crate) fn choices<T>(
        name: &'static str,
        label: &'static str,
        options: &[(&str, T, &str)],
    ) -> Self {
        Self::select(name, label, options.iter().map(|(v, _, w)| (*v, *w)))
    }

    pub(crate) fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = hint.into();
        self
    }

    /// The value is checked as it is typed, by a GET to `url` (htmx).
    pub(crate) fn live_check(mut self, url: &'static str) -> Self {
        self.live_check = url;
        self
    }

    pub(crate) fn value(mut self, value: impl Into<String>) -> Self {
        self.value = value.into();
        self
    }

    /// The id of the input, unique on the page.
    pub(crate) fn id(&self, action: &str) -> String {
        format!("{action}-{}", self.name.replace('_', "-"))
    }

    /// Whether the input has a hint or an error to point at.
    pub(crate) fn has_description(&self) -> bool {
        !self.hint.is_empty() || self.error.is_some()
    }

    /// The ids of the hint and the error, for `aria-describedby`.
    pub(crate) fn described_by(&self, action: &str) -> String {
        let id = self.id(action);
        let mut ids = Vec::new();
        if !self.hint.is_empty() {
            ids.push(format!("{id}-hint"));
        }
        if self.error.is_some() {
            ids.push(format!("{id}-error"));
        }
        ids.join(" ")
    }

    pub(crate) fn is(&self, kind: &str) -> bool {
        self.kind == kind
    }

    pub(crate) fn selected(&self, value: &str) -> bool {
        self.value == value
    }
}

/// A form of the case page.
#[derive(Debug, Clone)]
pub(crate) struct FormView {
    /// The action's name: the last part of the address it posts to.
    pub action: &'static str,
    pub title: &'static str,
    /// The section of the page it belongs to (`summary`, `items`, …).
    pub section: &'static str,
    pub button: &'static str,
    pub fields: Vec<Field>,
    /// Drawn open: it failed and shows its errors.
    pub open: bool,
    /// The idempotency key of this drawing of the form (`once.rs`).
    pub key: String,
}

impl FormView {
    /// The id of the form's `<details>`, the target of the error summary's form-level links.
    pub(crate) fn id(&self) -> String {
        format!("form-{}", self.action)
    }

    /// Drawn again after a refusal: what was typed, and the messages beside their fields
    /// (those of no field of the form go to its first field).
    pub(crate) fn refill(&mut self, typed: &super::Input, errors: &[(String, String)]) {
        self.open = true;
        for field in &mut self.fields {
            field.value = typed.raw(field.name).to_owned();
            let mine: Vec<&str> = errors
                .iter()
                .filter(|(f, _)| f == field.name)
                .map(|(_, m)| m.as_str())
                .collect();
            if !mine.is_empty() {
                field.error = Some(mine.join(" "));
            }
        }
    }
}
