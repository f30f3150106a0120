//! How the rows store the domain's adjacently tagged enums in a snapshot.
//!
//! The domain spells `RatingTarget` and `AgreementScope` as `{"kind": …, "no": …}` in events,
//! which needs a self-describing format to read back; a snapshot (postcard) is not one. The rows
//! store them through these plain mirrors instead, so the event format stays as it is.

use guanjia_domain::case::model::{AgreementScope, RatingTarget, Stage};
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
