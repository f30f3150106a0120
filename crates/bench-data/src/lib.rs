//! guanjia-bench-data: the district the benchmarks measure, generated rather than recorded.
//!
//! - [`generate`]: seeded, realistic case histories (about 20 events a case) over several
//!   years, with the people who act in them ([`generate::Generator`]); the same seed and size
//!   give the same log.
//! - [`dataset`]: those histories as rows of the event log in log order, the catalog first
//!   ([`dataset::Log`]), personal fields sealed as the store seals them ([`seal`]).
//! - [`load`]: the rows written straight into a fresh PostgreSQL or SQLite database (one COPY,
//!   or multi-row INSERTs), minutes sooner than running two million commands.
//!
//! Used by the read model's benchmark (`cargo bench -p guanjia-read`) and the pages'
//! (`cargo bench -p guanjia-web`); never by the service.

pub mod dataset;
pub mod generate;
pub mod load;
pub mod seal;
