//! How some values are written in a snapshot (`snapshot/`), where their own serde form does
//! not fit a compact, non-self-describing format. Used as `#[serde(with = "…")]` on fields of
//! the model's rows; the events keep their own format.
//!
//! - The domain spells `RatingTarget` and `AgreementScope` as `{"kind": …, "no": …}`, which
//!   needs a self-describing format to read back: they go through plain mirrors.
//! - Positions, instants and dates serialize as text (`"743-1021"`, RFC 3339): formatting and
//!   parsing millions of them made most of an image's time and size. They go as numbers.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use guanjia_domain::case::model::{AgreementScope, RatingTarget, Stage};
use guanjia_store::LogPosition;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Serialize, Deserialize)]
enum Target {
    Visit(u32),
    Item(u32),
}

#[derive(Serialize, Deserialize)]
enum Scope {
    Stage(Stage),
    FullLifecycle,
}

pub(crate) mod rating_target {
    use super::*;

    pub fn serialize<S: Serializer>(
        target: &RatingTarget,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match *target {
            RatingTarget::Visit(no) => Target::Visit(no),
            RatingTarget::Item(no) => Target::Item(no),
        }
        .serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<RatingTarget, D::Error> {
        Ok(match Target::deserialize(deserializer)? {
            Target::Visit(no) => RatingTarget::Visit(no),
            Target::Item(no) => RatingTarget::Item(no),
        })
    }
}

pub(crate) mod agreement_scope {
    use super::*;

    pub fn serialize<S: Serializer>(
        scope: &AgreementScope,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match *scope {
            AgreementScope::Stage(stage) => Scope::Stage(stage),
            AgreementScope::FullLifecycle => Scope::FullLifecycle,
        }
        .serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<AgreementScope, D::Error> {
        Ok(match Scope::deserialize(deserializer)? {
            Scope::Stage(stage) => AgreementScope::Stage(stage),
            Scope::FullLifecycle => AgreementScope::FullLifecycle,
        })
    }
}

/// A log position as its two numbers.
pub(crate) mod position {
    use super::*;

    pub fn serialize<S: Serializer>(at: &LogPosition, serializer: S) -> Result<S::Ok, S::Error> {
        at.parts().serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<LogPosition, D::Error> {
        let (transaction, global) = <(u64, u64)>::deserialize(deserializer)?;
        Ok(LogPosition::from_parts(transaction, global))
    }
}

/// An instant as microseconds since 1970 (the log records microseconds).
pub(crate) mod instant {
    use super::*;

    pub fn serialize<S: Serializer>(at: &DateTime<Utc>, serializer: S) -> Result<S::Ok, S::Error> {
        at.timestamp_micros().serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<DateTime<Utc>, D::Error> {
        let micros = i64::deserialize(deserializer)?;
        DateTime::from_timestamp_micros(micros)
            .ok_or_else(|| D::Error::custom("instant out of range"))
    }
}

fn to_days(date: NaiveDate) -> i32 {
    date.num_days_from_ce()
}

fn from_days<E: serde::de::Error>(days: i32) -> Result<NaiveDate, E> {
    NaiveDate::from_num_days_from_ce_opt(days).ok_or_else(|| E::custom("date out of range"))
}

/// A date as its day number.
pub(crate) mod date {
    use super::*;

    pub fn serialize<S: Serializer>(date: &NaiveDate, serializer: S) -> Result<S::Ok, S::Error> {
        to_days(*date).serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDate, D::Error> {
        from_days(i32::deserialize(deserializer)?)
    }
}

/// An optional date as an optional day number.
pub(crate) mod date_opt {
    use super::*;

    pub fn serialize<S: Serializer>(
        date: &Option<NaiveDate>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        date.map(to_days).serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<NaiveDate>, D::Error> {
        Option::<i32>::deserialize(deserializer)?
            .map(from_days)
            .transpose()
    }
}
