//! The two rules that cross cases, each kept by a small aggregate whose stream is the unit of
//! optimistic concurrency: two servers racing append to the same stream, and only one wins.
//!
//! - [`CaseNumberBook`] (one stream per year) hands out case numbers `YYYY-NNNN`: unique, and
//!   never reused because the stream is append-only.
//! - [`EnterpriseRegistry`] (one stream per USCC) records which case holds the enterprise, so
//!   that at most one case per USCC is open.
//!
//! The store runs them before and after the case command (docs/cross-case-rules.md).

mod case_numbers;
mod enterprise;

pub use case_numbers::{CaseNumberBook, CaseNumberCommand, CaseNumberEvent};
pub use enterprise::{
    CheckedHolder, EnterpriseRegistry, HolderStatus, RegistryCommand, RegistryEvent,
    CLAIM_LEASE_SECONDS,
};
