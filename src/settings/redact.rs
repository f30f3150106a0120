//! What the `config` listing never shows in full: a password inside a database URL.

/// The URL with the password of its user-info part replaced: `postgres://u:<hidden>@h/db`.
pub fn hide_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((user_info, host)) if user_info.contains(':') => {
            let user = user_info.split(':').next().unwrap_or("");
            format!("{scheme}://{user}:<hidden>@{host}{path}")
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::hide_password;

    #[test]
    fn passwords_in_urls_are_hidden() {
        assert_eq!(
            hide_password("postgres://guanjia:hunter2@db:5432/guanjia"),
            "postgres://guanjia:<hidden>@db:5432/guanjia"
        );
        assert_eq!(
            hide_password("postgres://guanjia@db/g"),
            "postgres://guanjia@db/g"
        );
        assert_eq!(
            hide_password("sqlite://./guanjia.db"),
            "sqlite://./guanjia.db"
        );
    }
}
