//! Password hashing with argon2id, off the async threads and with bounded concurrency.

use std::collections::HashSet;
use std::sync::{Arc, LazyLock};

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::Semaphore;

use crate::error::AppError;

/// OWASP's minimum for argon2id: m = 19 MiB, t = 2, p = 1.
fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes and verifies passwords; at most `permits` hashes run at once, so a burst of
/// sign-ins queues here instead of starving every other request of CPU.
#[derive(Clone, Debug)]
pub struct Hasher {
    permits: Arc<Semaphore>,
    dummy: Arc<str>,
}

impl Hasher {
    /// A hasher allowing `concurrency` hashes at a time.
    pub fn new(concurrency: usize) -> Self {
        // Verified against when an account does not exist, so both paths cost the same.
        let dummy = argon2()
            .hash_password(b"not-a-real-password-just-equal-work")
            .map(|h| h.to_string())
            .unwrap_or_default();
        Hasher {
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
            dummy: dummy.into(),
        }
    }

    /// A PHC string for `password`.
    pub async fn hash(&self, password: &str) -> Result<String, AppError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|e| AppError::internal("hasher", e))?;
        let password = password.to_owned();
        tokio::task::spawn_blocking(move || {
            argon2()
                .hash_password(password.as_bytes())
                .map(|h| h.to_string())
        })
        .await
        .map_err(|e| AppError::internal("hash task", e))?
        .map_err(|e| AppError::internal("hash", e))
    }

    /// Whether `password` matches `stored`; with no stored hash, does the same work and says no.
    pub async fn verify(&self, password: &str, stored: Option<&str>) -> Result<bool, AppError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|e| AppError::internal("hasher", e))?;
        let known = stored.is_some();
        let phc = stored.map_or_else(|| self.dummy.to_string(), str::to_owned);
        let password = password.to_owned();
        let matched = tokio::task::spawn_blocking(move || match PasswordHash::new(&phc) {
            Ok(hash) => argon2().verify_password(password.as_bytes(), &hash).is_ok(),
            Err(_) => false,
        })
        .await
        .map_err(|e| AppError::internal("verify task", e))?;
        Ok(known && matched)
    }
}

static COMMON: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| include_str!("common-passwords.txt").lines().collect());

/// Whether `password` is on the shipped list of common passwords (case-insensitive).
pub fn is_common(password: &str) -> bool {
    COMMON.contains(password.to_lowercase().as_str())
}

/// Full check of a new password for the account `email`; a field error on `field`.
pub fn check_new_password(password: &str, email: &str, field: &str) -> Result<(), AppError> {
    crate::domain::password::check_new(password, is_common(password), email)
        .map_err(|m| AppError::field(field, m))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_list_is_loaded_and_case_insensitive() {
        assert!(COMMON.len() > 5000);
        assert!(is_common("password1"));
        assert!(is_common("PASSWORD1"));
        assert!(!is_common("violet-tram-harbour-41"));
    }

    #[tokio::test]
    async fn hashes_verify_and_unknown_accounts_never_match() {
        let hasher = Hasher::new(1);
        let phc = hasher.hash("violet-tram-harbour-41").await.unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(
            hasher
                .verify("violet-tram-harbour-41", Some(&phc))
                .await
                .unwrap()
        );
        assert!(
            !hasher
                .verify("violet-tram-harbour-42", Some(&phc))
                .await
                .unwrap()
        );
        assert!(
            !hasher
                .verify("not-a-real-password-just-equal-work", None)
                .await
                .unwrap()
        );
        assert!(!hasher.verify("x", Some("garbage")).await.unwrap());
    }
}
