//! The tracking code of a 办不成事 report: what the reporter is given and types back. Random
//! (beyond guessing within the rate limits), in letters that survive being read aloud or copied
//! by hand, and read back in any case, with spaces or hyphens.

use crate::AppError;

/// The letters of a tracking code: no 0/O, 1/I, so a code read aloud or copied by hand
/// survives.
const ALPHABET: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
/// `BB` and ten letters of [`ALPHABET`]: 50 random bits, beyond guessing within the limits.
const CODE_LETTERS: usize = 10;
const PREFIX: &str = "BB";

/// A new tracking code, from the operating system's randomness (through UUID v4).
pub(super) fn new_code() -> String {
    let bytes = uuid::Uuid::new_v4().into_bytes();
    let letters = bytes
        .iter()
        .take(CODE_LETTERS)
        .map(|b| char::from(ALPHABET[usize::from(b & 31)]));
    PREFIX.chars().chain(letters).collect()
}

/// A tracking code as typed (any case, spaces or hyphens), in canonical form; or why not.
pub fn normalise_code(input: &str) -> Result<String, AppError> {
    let code: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let letters = code.strip_prefix(PREFIX).unwrap_or("");
    let valid = letters.len() == CODE_LETTERS && letters.bytes().all(|b| ALPHABET.contains(&b));
    if valid {
        Ok(code)
    } else {
        Err(AppError::bad_input(
            "code",
            "format",
            "a tracking code is BB followed by ten letters and digits",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    pub(super) fn new_codes_are_canonical_and_typed_codes_are_normalised() {
        let code = new_code();
        assert_eq!(normalise_code(&code), Ok(code.clone()));
        let typed = format!(" {}-{} ", &code[..6].to_lowercase(), &code[6..]);
        assert_eq!(normalise_code(&typed), Ok(code));
        for bad in ["", "BB123", "XX23456789AB", "BB0123456789", "BB23456789ABC"] {
            assert!(normalise_code(bad).is_err(), "{bad}");
        }
    }
}
