//! Picking one value from the layers: flag, then environment, then file, then default.
//!
//! Every key `some_key` has the environment variable `GUANJIA_SOME_KEY` (and, where it has one,
//! the flag `--some-key`), so an operator can guess one name from another. An empty variable
//! counts as unset: container tools often pass `VAR=` for "not configured".

use std::fmt;
use std::str::FromStr;

use anyhow::anyhow;
use guanjia_api::Secret;

/// Where a setting's value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Default,
    /// The configuration file.
    File,
    /// The environment variable with this name.
    Env(String),
    Flag,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Default => f.write_str("default"),
            Self::File => f.write_str("file"),
            Self::Env(name) => write!(f, "env {name}"),
            Self::Flag => f.write_str("flag"),
        }
    }
}

/// A setting's value and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Sourced<T> {
    pub value: T,
    pub source: Source,
}

impl<T> Sourced<T> {
    fn new(value: T, source: Source) -> Self {
        Self { value, source }
    }
}

/// The environment variable of a key: `GUANJIA_` and the key in capitals.
pub fn env_name(key: &str) -> String {
    format!("GUANJIA_{}", key.to_ascii_uppercase())
}

/// Reads environment variables; a function so that tests pass a map instead of the process's
/// environment.
pub type EnvReader<'a> = &'a dyn Fn(&str) -> Option<String>;

/// Picks the value of `key` from the layers (see the module documentation).
pub fn pick<T>(
    env: EnvReader<'_>,
    key: &str,
    flag: Option<T>,
    file: Option<T>,
    default: T,
) -> anyhow::Result<Sourced<T>>
where
    T: FromStr,
    T::Err: fmt::Display,
{
    Ok(match pick_optional(env, key, flag, file)? {
        Some(found) => found,
        None => Sourced::new(default, Source::Default),
    })
}

/// Like [`pick`] for a setting without a default; `None` when no layer sets it.
pub fn pick_optional<T>(
    env: EnvReader<'_>,
    key: &str,
    flag: Option<T>,
    file: Option<T>,
) -> anyhow::Result<Option<Sourced<T>>>
where
    T: FromStr,
    T::Err: fmt::Display,
{
    if let Some(value) = flag {
        return Ok(Some(Sourced::new(value, Source::Flag)));
    }
    let name = env_name(key);
    if let Some(raw) = env(&name).filter(|raw| !raw.trim().is_empty()) {
        let value = raw
            .trim()
            .parse()
            .map_err(|error| anyhow!("{name}={raw:?} is not valid: {error}"))?;
        return Ok(Some(Sourced::new(value, Source::Env(name))));
    }
    Ok(file.map(|value| Sourced::new(value, Source::File)))
}

/// A secret from the environment or the file; never from a flag (flags show in `ps` and in
/// shell history) and never echoed in an error.
pub fn pick_secret(env: EnvReader<'_>, key: &str, file: Option<String>) -> Option<Sourced<Secret>> {
    let name = env_name(key);
    match env(&name).filter(|raw| !raw.is_empty()) {
        Some(raw) => Some(Sourced::new(Secret::new(raw), Source::Env(name))),
        None => file
            .filter(|value| !value.is_empty())
            .map(|value| Sourced::new(Secret::new(value), Source::File)),
    }
}

/// A boolean as operators write it in environment variables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flag(pub bool);

impl FromStr for Flag {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "on" => Ok(Self(true)),
            "false" | "0" | "no" | "off" => Ok(Self(false)),
            _ => Err("expected true or false".to_owned()),
        }
    }
}

/// A list of rating levels written `4,5`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Levels(pub Vec<u8>);

impl FromStr for Levels {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        text.split(',')
            .map(|part| part.trim().parse::<u8>().map_err(|e| e.to_string()))
            .collect::<Result<Vec<_>, _>>()
            .map(Self)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn a_flag_beats_the_environment_which_beats_the_file() -> anyhow::Result<()> {
        let env = env_of(&[("GUANJIA_MAX_BODY_BYTES", "2")]);
        let both = pick(&env, "max_body_bytes", Some(1usize), Some(3), 4)?;
        assert_eq!((both.value, both.source), (1, Source::Flag));
        let env_wins = pick(&env, "max_body_bytes", None, Some(3usize), 4)?;
        assert_eq!(env_wins.value, 2);
        let none = env_of(&[("GUANJIA_MAX_BODY_BYTES", "")]);
        assert_eq!(
            pick(&none, "max_body_bytes", None, Some(3usize), 4)?.value,
            3
        );
        assert_eq!(
            pick(&none, "max_body_bytes", None, None, 4usize)?.source,
            Source::Default
        );
        Ok(())
    }

    #[test]
    fn a_bad_environment_value_names_the_variable() {
        let env = env_of(&[("GUANJIA_LISTEN", "nowhere")]);
        let error =
            pick::<std::net::SocketAddr>(&env, "listen", None, None, ([0, 0, 0, 0], 1).into())
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
        assert!(error.contains("GUANJIA_LISTEN"), "{error}");
    }

    #[test]
    fn secrets_come_from_the_environment_before_the_file() {
        let env = env_of(&[("GUANJIA_TOKEN_SECRET", "from-env")]);
        let secret = pick_secret(&env, "token_secret", Some("from-file".to_owned()));
        assert_eq!(
            secret.map(|s| s.value.expose().to_owned()).as_deref(),
            Some("from-env")
        );
        let none = env_of(&[]);
        assert!(pick_secret(&none, "admin_password", None).is_none());
    }

    #[test]
    fn booleans_and_levels_read_as_operators_write_them() {
        assert_eq!("yes".parse::<Flag>(), Ok(Flag(true)));
        assert_eq!("0".parse::<Flag>(), Ok(Flag(false)));
        assert!("maybe".parse::<Flag>().is_err());
        assert_eq!("4, 5".parse::<Levels>(), Ok(Levels(vec![4, 5])));
    }
}
