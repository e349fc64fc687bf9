//! Passwords (argon2id), bearer tokens bound to one device, and the [`Session`]
//! extractor every authenticated handler takes.

use crate::AppState;
use crate::error::ApiError;
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use crm_core::{Code, Problem};
use rand::RngCore;
use sha2::{Digest, Sha256};

/// An authenticated device of a user, as resolved from its bearer token.
#[derive(Clone, Debug)]
pub struct Session {
    pub user_id: String,
    pub email: String,
    pub name: String,
    pub role: crm_core::Role,
    pub device_id: String,
    pub disabled: bool,
    pub device_revoked: bool,
    /// The user's scope epoch and the one this device last synced under: when they
    /// differ, the device must start its sync over (see `handlers::sync`).
    pub scope_epoch: i64,
    pub device_scope_epoch: i64,
}

pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("cannot hash the password: {e}"))
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    match PasswordHash::new(hash) {
        Ok(parsed) => Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

/// A new random token (what the device keeps) and its hash (what the server stores).
pub fn new_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = token_hash(&token);
    (token, hash)
}

pub fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

impl FromRequestParts<AppState> for Session {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let header = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| ApiError::Unauthorized(Problem::new(Code::NoToken)))?;
        let token =
            header.strip_prefix("Bearer ").ok_or_else(|| ApiError::Unauthorized(Problem::new(Code::NoToken)))?;
        let session = state
            .db
            .session_by_token(&token_hash(token.trim()), crate::now_ms())
            .await?
            .ok_or_else(|| ApiError::Unauthorized(Problem::new(Code::SessionExpired)))?;
        if session.device_revoked {
            return Err(ApiError::DeviceRevoked);
        }
        if session.disabled {
            return Err(ApiError::Forbidden(Problem::new(Code::AccountDisabled)));
        }
        Ok(session)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_verifies_against_its_own_hash_only() {
        let hash = hash_password("correct horse").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &hash));
        assert!(!verify_password("wrong horse", &hash));
    }

    #[test]
    fn tokens_are_unique_and_stored_only_as_hashes() {
        let (t1, h1) = new_token();
        let (t2, _) = new_token();
        assert_ne!(t1, t2);
        assert_eq!(h1, token_hash(&t1));
        assert!(!h1.contains(&t1));
    }
}
