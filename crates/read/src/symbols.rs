//! Interned strings for the identifiers that repeat across the whole read model (user ids,
//! roles): each is stored once and referred to by a 4-byte [`Sym`]. With 100,000 cases and about
//! twenty events each, the actor of every timeline entry alone would otherwise cost tens of
//! megabytes of duplicate strings.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Arc;

/// An interned string; resolve it with [`Symbols::name`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub(crate) struct Sym(u32);

impl Sym {
    /// The symbol's number: symbols are numbered 0, 1, … in order of interning.
    pub(crate) fn index(self) -> usize {
        self.0 as usize
    }
}

/// The table of interned strings. Append-only: a symbol never changes meaning.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Symbols {
    ids: HashMap<Arc<str>, Sym>,
    names: Vec<Arc<str>>,
}

impl Symbols {
    /// The symbol of `name`, added if new.
    pub(crate) fn intern(&mut self, name: &str) -> Sym {
        if let Some(sym) = self.ids.get(name) {
            return *sym;
        }
        // Fewer than 2^32 distinct names exist in any log this model can hold in memory.
        let sym = Sym(u32::try_from(self.names.len()).unwrap_or(u32::MAX));
        let shared: Arc<str> = Arc::from(name);
        self.names.push(Arc::clone(&shared));
        self.ids.insert(shared, sym);
        sym
    }

    /// The symbol of `name` if it was ever interned (a query for an unknown user matches nothing).
    pub(crate) fn get(&self, name: &str) -> Option<Sym> {
        self.ids.get(name).copied()
    }

    /// The string of a symbol.
    pub(crate) fn name(&self, sym: Sym) -> &str {
        usize::try_from(sym.0)
            .ok()
            .and_then(|index| self.names.get(index))
            .map_or("", |name| name)
    }

    /// Every interned string, in symbol order.
    pub(crate) fn all(&self) -> impl Iterator<Item = &str> {
        self.names.iter().map(|name| &**name)
    }

    /// The string of a symbol, owned, for read structs handed to callers.
    pub(crate) fn owned(&self, sym: Sym) -> String {
        self.name(sym).to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interning_twice_gives_the_same_symbol() {
        let mut symbols = Symbols::default();
        let a = symbols.intern("steward-li");
        let b = symbols.intern("steward-wang");
        assert_eq!(symbols.intern("steward-li"), a);
        assert_ne!(a, b);
        assert_eq!(symbols.name(b), "steward-wang");
        assert_eq!(symbols.get("nobody"), None);
    }
}
