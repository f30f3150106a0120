//! Self-validating values. Each has a `parse` (or `new`) constructor that is the only way in, so
//! the rest of the code never handles an unchecked identifier. Serde goes through the same
//! constructors, so a stored or submitted value is checked the same way.

mod case_number;
mod division;
mod money;
mod period;
mod phone;
mod project_code;
mod rating_level;
pub mod text;
mod uscc;

pub use case_number::CaseNumber;
pub use division::{DivisionCode, Tier};
pub use money::Money;
pub use period::Period;
pub use phone::Phone;
pub use project_code::ProjectCode;
pub use rating_level::RatingLevel;
pub use uscc::Uscc;

/// Inputs for the parsers' property tests: strings of up to `max_len` characters drawn from
/// `pool`, a handful of characters chosen per value so that the accepted shapes come up often.
#[cfg(test)]
fn strings_from(pool: &str, max_len: usize) -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::strategy::Strategy;
    let pool: Vec<char> = pool.chars().collect();
    proptest::collection::vec(proptest::sample::select(pool), 0..=max_len)
        .prop_map(|chars| chars.into_iter().collect())
}
