//! Tokens and principals. A token is a role: its name is the Postgres user and the HTTP
//! bearer's identity, its secret the password, its scopes what it may see. Static tokens
//! come from the datafiles' `TOKEN` lines, with secrets from the configuration, plus the
//! built-in `admin` token.
//!
//! Secrets are compared in constant time and never logged: `Token`'s `Debug` omits them.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use crate::config::Config;
use crate::project::{Access, Project, Resource};

/// The name of the built-in administrator token.
pub const ADMIN: &str = "admin";

/// What a token may do.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scope {
    /// Everything, including service datasources.
    Admin,
    PipesRead(String),
    DatasourcesRead(String),
    DatasourcesAppend(String),
}

/// A token that can log in.
pub struct Token {
    pub name: String,
    secret: String,
    pub scopes: Vec<Scope>,
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Token")
            .field("name", &self.name)
            .field("secret", &"<redacted>")
            .field("scopes", &self.scopes)
            .finish()
    }
}

impl Token {
    /// Constant-time comparison of a presented secret with this token's.
    pub fn secret_matches(&self, presented: &[u8]) -> bool {
        constant_time_eq(self.secret.as_bytes(), presented)
    }

    /// The principal this token logs in as.
    pub fn principal(&self) -> Principal {
        Principal {
            name: self.name.clone(),
            scopes: self.scopes.clone(),
        }
    }

    /// The secret, for deriving SCRAM verifiers. Never log it.
    pub fn secret(&self) -> &str {
        &self.secret
    }
}

/// Who is asking: the logged-in token's name and scopes, carried by every session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub name: String,
    pub scopes: Vec<Scope>,
}

impl Principal {
    pub fn is_admin(&self) -> bool {
        self.scopes.contains(&Scope::Admin)
    }

    /// Whether the principal may read the datasource `name`.
    pub fn can_read_datasource(&self, name: &str) -> bool {
        self.is_admin()
            || self
                .scopes
                .iter()
                .any(|s| matches!(s, Scope::DatasourcesRead(d) if d == name))
    }

    /// Whether the principal may append to the datasource `name` (the Events API).
    pub fn can_append_datasource(&self, name: &str) -> bool {
        self.is_admin()
            || self
                .scopes
                .iter()
                .any(|s| matches!(s, Scope::DatasourcesAppend(d) if d == name))
    }

    /// Whether the principal may read the pipe `name`.
    pub fn can_read_pipe(&self, name: &str) -> bool {
        self.is_admin()
            || self
                .scopes
                .iter()
                .any(|s| matches!(s, Scope::PipesRead(p) if p == name))
    }
}

/// Every token that can log in, by name.
#[derive(Debug, Default)]
pub struct TokenStore {
    tokens: BTreeMap<String, Arc<Token>>,
}

impl TokenStore {
    /// Builds the store: one token per distinct `TOKEN` name that has a secret in
    /// `[tokens]`, with the union of its grants, plus `admin` when `admin_token` is set.
    /// Tokens declared without a secret cannot log in and are skipped with a warning.
    pub fn from_project(project: &Project, config: &Config) -> TokenStore {
        let mut scopes: BTreeMap<String, Vec<Scope>> = BTreeMap::new();
        for grant in &project.tokens {
            let scope = match (&grant.resource, grant.access) {
                (Resource::Pipe(p), _) => Scope::PipesRead(p.clone()),
                (Resource::Datasource(d), Access::Read) => Scope::DatasourcesRead(d.clone()),
                (Resource::Datasource(d), Access::Append) => Scope::DatasourcesAppend(d.clone()),
            };
            scopes.entry(grant.name.clone()).or_default().push(scope);
        }
        let mut tokens = BTreeMap::new();
        for (name, mut token_scopes) in scopes {
            token_scopes.sort();
            token_scopes.dedup();
            match config.tokens.get(&name) {
                Some(secret) if !secret.is_empty() => {
                    tokens.insert(
                        name.clone(),
                        Arc::new(Token {
                            name,
                            secret: secret.clone(),
                            scopes: token_scopes,
                        }),
                    );
                }
                _ => tracing::warn!(
                    token = %name,
                    "token has no secret in [tokens]; it cannot log in"
                ),
            }
        }
        if !config.admin_token.is_empty() {
            tokens.insert(
                ADMIN.to_string(),
                Arc::new(Token {
                    name: ADMIN.to_string(),
                    secret: config.admin_token.clone(),
                    scopes: vec![Scope::Admin],
                }),
            );
        }
        TokenStore { tokens }
    }

    /// The token whose secret is `presented` (an HTTP bearer token). Every token's secret is
    /// compared, each in constant time, so the time taken says nothing about which matched.
    pub fn find_by_secret(&self, presented: &[u8]) -> Option<Arc<Token>> {
        let mut found = None;
        for token in self.tokens.values() {
            if token.secret_matches(presented) && found.is_none() {
                found = Some(token.clone());
            }
        }
        found
    }

    pub fn get(&self, name: &str) -> Option<Arc<Token>> {
        self.tokens.get(name).cloned()
    }

    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Arc<Token>> {
        self.tokens.values()
    }
}

/// Compares two byte strings in time that depends only on their lengths.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    let mut diff = (a.len() ^ b.len()) as u8 | u8::from(a.len() != b.len());
    for i in 0..a.len().max(b.len()) {
        let x = a.get(i).copied().unwrap_or(0);
        let y = b.get(i).copied().unwrap_or(0);
        diff |= x ^ y;
    }
    // Keep the compiler from short-circuiting the loop.
    std::hint::black_box(diff) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::{Path, PathBuf};

    fn project() -> Project {
        let sources = vec![
            (
                PathBuf::from("p/events.datasource"),
                "SCHEMA >\n    a Int8\nTOKEN reader READ\nTOKEN writer APPEND\n".to_string(),
            ),
            (
                PathBuf::from("p/top.pipe"),
                "TOKEN reader READ\nTOKEN nosecret READ\nNODE n\nSQL >\n    SELECT 1\n".to_string(),
            ),
        ];
        Project::from_sources(Path::new("p"), &sources).expect("loads")
    }

    #[test]
    fn tokens_gather_their_grants_and_need_a_secret() {
        let mut config = Config::default();
        config.tokens.insert("reader".into(), "r-secret".into());
        config.tokens.insert("writer".into(), "w-secret".into());
        config.admin_token = "adm".into();
        let store = TokenStore::from_project(&project(), &config);
        assert_eq!(store.len(), 3, "nosecret cannot log in");
        let reader = store.get("reader").expect("reader");
        assert_eq!(
            reader.scopes,
            vec![
                Scope::PipesRead("top".into()),
                Scope::DatasourcesRead("events".into())
            ]
        );
        assert!(reader.secret_matches(b"r-secret"));
        assert!(!reader.secret_matches(b"r-secreT"));
        assert!(!reader.secret_matches(b"r-secret2"));
        assert!(!reader.secret_matches(b""));
        assert_eq!(
            store.get(ADMIN).map(|t| t.scopes.clone()),
            Some(vec![Scope::Admin])
        );
        assert!(store.get("nosecret").is_none());
        assert_eq!(
            store.find_by_secret(b"w-secret").map(|t| t.name.clone()),
            Some("writer".to_string())
        );
        assert!(store.find_by_secret(b"w-secre").is_none());
        assert!(store.find_by_secret(b"").is_none());
        let writer = store.get("writer").expect("writer").principal();
        assert!(writer.can_append_datasource("events"));
        assert!(!writer.can_append_datasource("other"));
        assert!(!writer.can_read_datasource("events"));
    }

    #[test]
    fn debug_output_never_shows_a_secret() {
        let config = Config {
            admin_token: "super-secret-value".into(),
            ..Config::default()
        };
        let store = TokenStore::from_project(&project(), &config);
        let text = format!("{store:?}");
        assert!(!text.contains("super-secret-value"), "{text}");
        assert!(text.contains("<redacted>"));
    }

    #[test]
    fn principals_check_scopes() {
        let p = Principal {
            name: "r".into(),
            scopes: vec![Scope::DatasourcesRead("events".into())],
        };
        assert!(p.can_read_datasource("events"));
        assert!(!p.can_read_datasource("user_events"));
        assert!(!p.can_read_pipe("events"));
        let admin = Principal {
            name: ADMIN.into(),
            scopes: vec![Scope::Admin],
        };
        assert!(admin.can_read_pipe("anything") && admin.can_read_datasource("x"));
    }

    #[test]
    fn constant_time_eq_is_eq() {
        assert!(constant_time_eq(b"", b""));
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
        assert!(!constant_time_eq(b"", b"a"));
    }
}
