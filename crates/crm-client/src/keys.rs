//! The key that encrypts this device's database (SQLCipher, see `crm_store`).
//!
//! Each data directory has its own random 256-bit data key. It is kept:
//! - in the operating system's keyring when there is one (macOS Keychain, Windows
//!   Credential Manager, the Linux kernel keyring), so the app opens without a prompt;
//! - in `keys.json`, encrypted (XChaCha20-Poly1305) under a key derived from the user's
//!   password (Argon2id), written at every login and password change, so the password
//!   always unlocks the data, even where there is no keyring.
//!
//! Until the first login there is no password to seal it under: `keys.json` then holds
//! the key unsealed (a directory nobody has logged into holds no one's portfolio).
//! From the first login on, an attacker with the disk and without the password (or the
//! user's session) reads nothing: the database, its write-ahead log and `keys.json`
//! hold no clear data.

use crate::ClientError;
use argon2::Argon2;
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::Path;

pub type DataKey = [u8; 32];

pub const KEY_FILE: &str = "keys.json";

/// Where the data key may be kept besides `keys.json`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyStore {
    /// The operating system's keyring when it answers (the default).
    OsKeyring,
    /// Only the password (set `CRM_NO_KEYRING=1`): every start asks for it.
    PasswordOnly,
}

#[derive(Serialize, Deserialize)]
struct KeyFile {
    version: u32,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    salt: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    nonce: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    wrapped: String,
    /// Before the first login only: the key itself.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    unsealed: String,
}

fn read(dir: &Path) -> Result<KeyFile, ClientError> {
    let path = dir.join(KEY_FILE);
    let text =
        std::fs::read(&path).map_err(|e| ClientError::Invalid(format!("cannot read {}: {e}", path.display())))?;
    serde_json::from_slice(&text).map_err(|_| ClientError::Invalid(format!("{} is damaged", path.display())))
}

fn write(dir: &Path, file: &KeyFile) -> Result<(), ClientError> {
    let text = serde_json::to_vec_pretty(file).map_err(|e| ClientError::Invalid(e.to_string()))?;
    let tmp = dir.join(format!("{KEY_FILE}.tmp"));
    std::fs::write(&tmp, text)
        .and_then(|_| std::fs::rename(&tmp, dir.join(KEY_FILE)))
        .map_err(|e| ClientError::Invalid(format!("cannot write {}: {e}", dir.join(KEY_FILE).display())))
}

/// The key of a directory nobody has logged into yet, if that is what it is.
pub fn read_unsealed(dir: &Path) -> Option<DataKey> {
    let file = read(dir).ok()?;
    B64.decode(file.unsealed).ok()?.try_into().ok()
}

/// Keeps a new directory's key until the first login seals it.
pub fn write_unsealed(dir: &Path, key: &DataKey) -> Result<(), ClientError> {
    write(
        dir,
        &KeyFile {
            version: 1,
            salt: String::new(),
            nonce: String::new(),
            wrapped: String::new(),
            unsealed: B64.encode(key),
        },
    )
}

pub fn new_data_key() -> DataKey {
    let mut key = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut key);
    key
}

pub fn has_key_file(dir: &Path) -> bool {
    dir.join(KEY_FILE).exists()
}

/// Seals the data key under `password` into `keys.json` (atomically).
pub fn write_key_file(dir: &Path, key: &DataKey, password: &str) -> Result<(), ClientError> {
    let mut salt = [0u8; 16];
    let mut nonce = [0u8; 24];
    rand::rngs::OsRng.fill_bytes(&mut salt);
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    let cipher = XChaCha20Poly1305::new(&password_key(password, &salt)?.into());
    let wrapped = cipher
        .encrypt(XNonce::from_slice(&nonce), key.as_slice())
        .map_err(|_| ClientError::Invalid("cannot seal the data key".into()))?;
    let file = KeyFile {
        version: 1,
        salt: B64.encode(salt),
        nonce: B64.encode(nonce),
        wrapped: B64.encode(wrapped),
        unsealed: String::new(),
    };
    write(dir, &file)
}

/// Opens `keys.json` with `password`.
pub fn read_key_file(dir: &Path, password: &str) -> Result<DataKey, ClientError> {
    if let Some(key) = read_unsealed(dir) {
        return Ok(key);
    }
    let path = dir.join(KEY_FILE);
    let damaged = || ClientError::Invalid(format!("{} is damaged", path.display()));
    let file = read(dir)?;
    let salt = B64.decode(&file.salt).map_err(|_| damaged())?;
    let nonce = B64.decode(&file.nonce).map_err(|_| damaged())?;
    let wrapped = B64.decode(&file.wrapped).map_err(|_| damaged())?;
    if nonce.len() != 24 {
        return Err(damaged());
    }
    let cipher = XChaCha20Poly1305::new(&password_key(password, &salt)?.into());
    let key = cipher.decrypt(XNonce::from_slice(&nonce), wrapped.as_slice()).map_err(|_| {
        ClientError::Auth(
            "wrong password: this device's data stays locked. If an administrator reset your password, unlock \
             with the previous one, or erase this device's copy (`crm device reset`) and sync it again"
                .into(),
        )
    })?;
    key.try_into().map_err(|_| damaged())
}

fn password_key(password: &str, salt: &[u8]) -> Result<[u8; 32], ClientError> {
    let mut out = [0u8; 32];
    Argon2::default()
        .hash_password_into(password.as_bytes(), salt, &mut out)
        .map_err(|e| ClientError::Invalid(format!("cannot derive the key from the password: {e}")))?;
    Ok(out)
}

/// The keyring entry of one data directory (named by a hash of its path: no user or
/// customer name).
fn entry(dir: &Path) -> Option<keyring::Entry> {
    let path = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let digest = Sha256::digest(path.to_string_lossy().as_bytes());
    let id: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    keyring::Entry::new("crm-offline-data-key", &id).ok()
}

pub fn keyring_get(dir: &Path) -> Option<DataKey> {
    entry(dir)?.get_secret().ok()?.try_into().ok()
}

/// Best effort: without a keyring the password unlocks the data.
pub fn keyring_set(dir: &Path, key: &DataKey) {
    if let Some(entry) = entry(dir)
        && let Err(e) = entry.set_secret(key)
    {
        tracing::info!("no keyring for the data key ({e}): the password will unlock this device's data");
    }
}

pub fn keyring_forget(dir: &Path) {
    if let Some(entry) = entry(dir) {
        let _ = entry.delete_credential();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_unseals_the_key_and_a_wrong_one_does_not() {
        let dir = tempfile::tempdir().unwrap();
        let key = new_data_key();
        write_key_file(dir.path(), &key, "correct horse").unwrap();
        assert_eq!(read_key_file(dir.path(), "correct horse").unwrap(), key);
        let err = read_key_file(dir.path(), "wrong horse").unwrap_err();
        assert!(err.to_string().contains("wrong password"), "{err}");
        let text = std::fs::read(dir.path().join(KEY_FILE)).unwrap();
        assert!(!text.windows(32).any(|w| w == key), "the key is not in the file in clear");
    }
}
