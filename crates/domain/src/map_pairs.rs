//! Serde for maps whose keys are not strings (a `RatingTarget`, say): a list of
//! `[key, value]` pairs, because JSON object keys can only be strings and serde_json refuses
//! such a map ("key must be a string"). Aggregate states are stored as JSON snapshots, so a
//! state with such a map could never be snapshotted.
//!
//! Use with `#[serde(with = "crate::map_pairs")]`. Reading also accepts a JSON object, so an
//! older snapshot that held the map empty (`{}`, the only form it could ever be written in)
//! still reads.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, Serializer};

/// Writes the map as a list of `[key, value]` pairs, in key order.
pub fn serialize<K, V, S>(map: &BTreeMap<K, V>, serializer: S) -> Result<S::Ok, S::Error>
where
    K: Serialize,
    V: Serialize,
    S: Serializer,
{
    serializer.collect_seq(map.iter())
}

/// Reads a list of `[key, value]` pairs (or an object, see the module documentation).
pub fn deserialize<'de, K, V, D>(deserializer: D) -> Result<BTreeMap<K, V>, D::Error>
where
    K: Deserialize<'de> + Ord,
    V: Deserialize<'de>,
    D: Deserializer<'de>,
{
    deserializer.deserialize_any(PairsVisitor(PhantomData))
}

struct PairsVisitor<K, V>(PhantomData<(K, V)>);

impl<'de, K, V> Visitor<'de> for PairsVisitor<K, V>
where
    K: Deserialize<'de> + Ord,
    V: Deserialize<'de>,
{
    type Value = BTreeMap<K, V>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a list of [key, value] pairs")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut map = BTreeMap::new();
        while let Some((key, value)) = seq.next_element::<(K, V)>()? {
            map.insert(key, value);
        }
        Ok(map)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut entries: A) -> Result<Self::Value, A::Error> {
        let mut map = BTreeMap::new();
        while let Some((key, value)) = entries.next_entry::<K, V>()? {
            map.insert(key, value);
        }
        Ok(map)
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};
    use serde_json::json;

    use super::*;

    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
    enum Target {
        Visit(u32),
        Item(u32),
    }

    #[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
    struct State {
        #[serde(with = "super")]
        rated: BTreeMap<Target, u32>,
    }

    #[test]
    fn a_map_keyed_by_an_enum_is_written_as_pairs_and_read_back() {
        let state = State {
            rated: BTreeMap::from([(Target::Visit(1), 1), (Target::Item(2), 3)]),
        };
        let value = serde_json::to_value(&state).expect("serialises");
        assert_eq!(
            value,
            json!({"rated": [[{"Visit": 1}, 1], [{"Item": 2}, 3]]})
        );
        let back: State = serde_json::from_value(value).expect("reads back");
        assert_eq!(back, state);
    }

    #[test]
    fn an_empty_object_of_an_older_snapshot_still_reads() {
        let back: State = serde_json::from_value(json!({"rated": {}})).expect("reads");
        assert_eq!(back, State::default());
    }
}
