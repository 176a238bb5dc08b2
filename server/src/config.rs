//! Configuration from the environment, each setting with a sensible default.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// Settings the server starts with.
#[derive(Clone, Debug)]
pub struct Config {
    /// `DATABASE_URL`: `sqlite://…` (default, a file under the data directory) or `postgres://…`.
    pub database_url: String,
    /// `TRACKRECORD_ADDR` (or cargo-leptos's `LEPTOS_SITE_ADDR`): where to listen.
    pub addr: SocketAddr,
    /// `TRACKRECORD_DATA_DIR`: the SQLite file and uploads live here.
    pub data_dir: PathBuf,
    /// `LEPTOS_SITE_ROOT`: the built site (WASM, JS, CSS, public files).
    pub site_root: String,
    /// `TRACKRECORD_DEMO`: load demo data into an empty database at start.
    pub demo: bool,
    /// `TRACKRECORD_SESSION_IDLE_MINUTES` (30): a session unused this long ends.
    pub session_idle: Duration,
    /// `TRACKRECORD_SESSION_ABSOLUTE_HOURS` (12): a session ends this long after sign-in.
    pub session_absolute: Duration,
    /// `TRACKRECORD_SECURE_COOKIES`: set when served over HTTPS (`Secure`, `__Host-` cookie).
    pub secure_cookies: bool,
}

/// A setting that could not be read.
#[derive(Debug, thiserror::Error)]
#[error("{name}: {message}")]
pub struct ConfigError {
    name: &'static str,
    message: String,
}

impl Config {
    /// Reads the environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()))
    }

    /// Reads settings through `get`, so tests can supply their own.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let data_dir = PathBuf::from(get("TRACKRECORD_DATA_DIR").unwrap_or_else(|| "data".into()));
        let database_url = get("DATABASE_URL").unwrap_or_else(|| {
            format!(
                "sqlite://{}?mode=rwc",
                data_dir.join("trackrecord.sqlite").display()
            )
        });
        let addr_text = get("TRACKRECORD_ADDR")
            .or_else(|| get("LEPTOS_SITE_ADDR"))
            .unwrap_or_else(|| "127.0.0.1:3000".into());
        let addr = addr_text.parse().map_err(|_| ConfigError {
            name: "TRACKRECORD_ADDR",
            message: format!("'{addr_text}' is not an address like 127.0.0.1:3000"),
        })?;
        let flag = |name: &'static str| match get(name).as_deref() {
            None | Some("0" | "false" | "no") => Ok(false),
            Some("1" | "true" | "yes") => Ok(true),
            Some(other) => Err(ConfigError {
                name,
                message: format!("'{other}' is not true or false"),
            }),
        };
        let number = |name: &'static str, default: u64| match get(name) {
            None => Ok(default),
            Some(text) => text
                .trim()
                .parse::<u64>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or(ConfigError {
                    name,
                    message: format!("'{text}' is not a whole number above 0"),
                }),
        };
        let demo = flag("TRACKRECORD_DEMO")?;
        Ok(Config {
            database_url,
            addr,
            data_dir,
            site_root: get("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".into()),
            demo,
            session_idle: Duration::from_secs(60 * number("TRACKRECORD_SESSION_IDLE_MINUTES", 30)?),
            session_absolute: Duration::from_secs(
                3600 * number("TRACKRECORD_SESSION_ABSOLUTE_HOURS", 12)?,
            ),
            secure_cookies: flag("TRACKRECORD_SECURE_COOKIES")?,
        })
    }

    /// Whether the database is SQLite (its file then lives under the data directory).
    pub fn is_sqlite(&self) -> bool {
        self.database_url.starts_with("sqlite:")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn with(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_to_sqlite_under_data_on_port_3000() {
        let c = with(&[]).unwrap();
        assert_eq!(c.database_url, "sqlite://data/trackrecord.sqlite?mode=rwc");
        assert_eq!(c.addr.to_string(), "127.0.0.1:3000");
        assert!(c.is_sqlite());
        assert!(!c.demo);
    }

    #[test]
    fn environment_overrides_defaults() {
        let c = with(&[
            ("DATABASE_URL", "postgres://u@127.0.0.1/db"),
            ("TRACKRECORD_ADDR", "0.0.0.0:8080"),
            ("TRACKRECORD_DEMO", "true"),
        ])
        .unwrap();
        assert!(!c.is_sqlite());
        assert_eq!(c.addr.port(), 8080);
        assert!(c.demo);
    }

    #[test]
    fn bad_values_are_named() {
        let err = with(&[("TRACKRECORD_ADDR", "localhost")]).unwrap_err();
        assert!(err.to_string().starts_with("TRACKRECORD_ADDR"));
        let err = with(&[("TRACKRECORD_DEMO", "maybe")]).unwrap_err();
        assert!(err.to_string().contains("maybe"));
    }
}
