//! Who is calling: session cookies resolved against the database on every request.

use std::net::SocketAddr;
use std::time::Duration;

use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine;
use sha2::{Digest, Sha256};

use super::AppState;
use super::services::sessions;
use crate::models::CurrentUser;

/// Session lifetimes and cookie settings.
#[derive(Clone, Debug)]
pub struct AuthSettings {
    /// A session unused this long ends (default 30 min).
    pub idle: Duration,
    /// A session ends this long after sign-in, used or not (default 12 h).
    pub absolute: Duration,
    /// Served over HTTPS: cookies get `Secure` and the `__Host-` prefix.
    pub secure_cookies: bool,
}

impl Default for AuthSettings {
    fn default() -> Self {
        AuthSettings {
            idle: Duration::from_secs(30 * 60),
            absolute: Duration::from_secs(12 * 3600),
            secure_cookies: false,
        }
    }
}

impl AuthSettings {
    /// The session cookie's name.
    pub fn cookie_name(&self) -> &'static str {
        if self.secure_cookies {
            "__Host-trackrecord"
        } else {
            "trackrecord_session"
        }
    }

    /// `Set-Cookie` value carrying a new session token.
    pub fn session_cookie(&self, token: &str) -> String {
        let secure = if self.secure_cookies { "; Secure" } else { "" };
        format!(
            "{}={token}; Path=/; HttpOnly; SameSite=Strict{secure}",
            self.cookie_name()
        )
    }

    /// `Set-Cookie` value that removes the session cookie.
    pub fn clear_cookie(&self) -> String {
        let secure = if self.secure_cookies { "; Secure" } else { "" };
        format!(
            "{}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{secure}",
            self.cookie_name()
        )
    }
}

/// The caller of the current request, put into the request's extensions by [`resolve_session`].
#[derive(Clone, Debug, Default)]
pub struct Caller {
    /// The signed-in account, if any.
    pub user: Option<CurrentUser>,
    /// SHA-256 of the session token, if signed in (to end this session).
    pub session_hash: Option<String>,
    /// Client address.
    pub ip: Option<String>,
    /// Client's User-Agent, shortened.
    pub user_agent: Option<String>,
}

/// A new random token: 32 bytes from the OS, URL-safe base64.
pub fn new_token() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

/// What the database keeps of a token: its SHA-256, hex. A stolen table reveals no session.
pub fn hash_token(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn cookie_value<'a>(req: &'a Request, name: &str) -> Option<&'a str> {
    req.headers()
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// Middleware: resolves the session cookie (if any) and records the caller for handlers.
pub async fn resolve_session(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let ip = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string());
    let user_agent = req
        .headers()
        .get(http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(|ua| ua.chars().take(255).collect());
    let mut caller = Caller {
        ip,
        user_agent,
        ..Caller::default()
    };
    if let Some(token) = cookie_value(&req, state.auth.cookie_name()) {
        let hash = hash_token(token);
        match sessions::resolve(&state.db, &hash, &state.auth).await {
            Ok(Some(user)) => {
                caller.user = Some(user);
                caller.session_hash = Some(hash);
            }
            Ok(None) => {}
            Err(err) => tracing::error!(?err, "session lookup failed"),
        }
    }
    req.extensions_mut().insert(caller);
    next.run(req).await
}
