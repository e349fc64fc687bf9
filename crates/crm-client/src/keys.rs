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
use crm_core::{Code, Problem};
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

/// How the key sealing `keys.json` is derived from the password: Argon2id with these
/// parameters, stored in the file so that they can be raised later without locking
/// anyone out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Kdf {
    pub algorithm: KdfAlgorithm,
    /// Memory, in KiB.
    pub m_kib: u32,
    /// Passes.
    pub t: u32,
    /// Lanes.
    pub p: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KdfAlgorithm {
    Argon2id,
}

impl Kdf {
    /// What new files use: 64 MiB, three passes (OWASP's first Argon2id choice).
    pub const CURRENT: Kdf = Kdf { algorithm: KdfAlgorithm::Argon2id, m_kib: 64 * 1024, t: 3, p: 1 };
    /// What files without parameters were sealed with (the argon2 crate's default).
    const LEGACY: Kdf = Kdf { algorithm: KdfAlgorithm::Argon2id, m_kib: 19 * 1024, t: 2, p: 1 };
}

#[derive(Serialize, Deserialize)]
struct KeyFile {
    version: u32,
    /// Absent in files written before the parameters were stored: [`Kdf::LEGACY`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    kdf: Option<Kdf>,
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

fn damaged(path: &Path) -> ClientError {
    ClientError::Invalid(Problem::new(Code::KeyFileDamaged).param("path", path.display()))
}

fn read(dir: &Path) -> Result<KeyFile, ClientError> {
    let path = dir.join(KEY_FILE);
    let text = std::fs::read(&path).map_err(|e| ClientError::file(&path, e))?;
    serde_json::from_slice(&text).map_err(|_| damaged(&path))
}

fn write(dir: &Path, file: &KeyFile) -> Result<(), ClientError> {
    let text = serde_json::to_vec_pretty(file).map_err(ClientError::internal)?;
    let tmp = dir.join(format!("{KEY_FILE}.tmp"));
    std::fs::write(&tmp, text)
        .and_then(|_| std::fs::rename(&tmp, dir.join(KEY_FILE)))
        .map_err(|e| ClientError::file(&dir.join(KEY_FILE), e))
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
            kdf: None,
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
    let cipher = XChaCha20Poly1305::new(&password_key(password, &salt, Kdf::CURRENT)?.into());
    let wrapped = cipher
        .encrypt(XNonce::from_slice(&nonce), key.as_slice())
        .map_err(|_| ClientError::internal("cannot seal the data key"))?;
    let file = KeyFile {
        version: 2,
        kdf: Some(Kdf::CURRENT),
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
    let damaged = || damaged(&path);
    let file = read(dir)?;
    let salt = B64.decode(&file.salt).map_err(|_| damaged())?;
    let nonce = B64.decode(&file.nonce).map_err(|_| damaged())?;
    let wrapped = B64.decode(&file.wrapped).map_err(|_| damaged())?;
    if nonce.len() != 24 {
        return Err(damaged());
    }
    let kdf = file.kdf.unwrap_or(Kdf::LEGACY);
    let cipher = XChaCha20Poly1305::new(&password_key(password, &salt, kdf)?.into());
    let key = cipher
        .decrypt(XNonce::from_slice(&nonce), wrapped.as_slice())
        .map_err(|_| ClientError::Auth(Problem::new(Code::WrongUnlockPassword)))?;
    key.try_into().map_err(|_| damaged())
}

/// Whether `keys.json` is sealed with the current parameters (else the next unlock
/// seals it again with them).
pub fn key_file_is_current(dir: &Path) -> bool {
    read(dir).is_ok_and(|f| f.unsealed.is_empty() && f.kdf == Some(Kdf::CURRENT))
}

fn password_key(password: &str, salt: &[u8], kdf: Kdf) -> Result<[u8; 32], ClientError> {
    let KdfAlgorithm::Argon2id = kdf.algorithm;
    // Refuse parameters an altered file could use to weaken (or to stall) the derivation.
    if !(Kdf::LEGACY.m_kib..=1024 * 1024).contains(&kdf.m_kib)
        || !(1..=10).contains(&kdf.t)
        || !(1..=8).contains(&kdf.p)
    {
        return Err(ClientError::Invalid(Problem::new(Code::KeyParameters)));
    }
    let params = argon2::Params::new(kdf.m_kib, kdf.t, kdf.p, Some(32)).map_err(ClientError::internal)?;
    let mut out = [0u8; 32];
    Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
        .hash_password_into(password.as_bytes(), salt, &mut out)
        .map_err(ClientError::internal)?;
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

    #[test]
    fn the_file_says_how_its_key_was_derived_at_64_mib_and_three_passes_at_least() {
        let dir = tempfile::tempdir().unwrap();
        write_key_file(dir.path(), &new_data_key(), "correct horse").unwrap();
        let file: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.path().join(KEY_FILE)).unwrap()).unwrap();
        assert_eq!(file["kdf"]["algorithm"], "argon2id");
        assert!(file["kdf"]["m_kib"].as_u64().unwrap() >= 64 * 1024);
        assert!(file["kdf"]["t"].as_u64().unwrap() >= 3);
        assert!(key_file_is_current(dir.path()));
    }

    #[test]
    fn a_file_from_before_the_parameters_were_stored_still_opens_and_a_weakened_one_does_not() {
        let dir = tempfile::tempdir().unwrap();
        let key = new_data_key();
        // Sealed the old way: default Argon2id (19 MiB, two passes), no parameters.
        let salt = [3u8; 16];
        let nonce = [4u8; 24];
        let sealing = password_key("correct horse", &salt, Kdf::LEGACY).unwrap();
        let wrapped =
            XChaCha20Poly1305::new(&sealing.into()).encrypt(XNonce::from_slice(&nonce), key.as_slice()).unwrap();
        let old = serde_json::json!({
            "version": 1, "salt": B64.encode(salt), "nonce": B64.encode(nonce), "wrapped": B64.encode(wrapped)
        });
        std::fs::write(dir.path().join(KEY_FILE), old.to_string()).unwrap();
        assert_eq!(read_key_file(dir.path(), "correct horse").unwrap(), key);
        assert!(!key_file_is_current(dir.path()), "it is sealed again at the next unlock");
        // Someone lowers the parameters in the file: refused, not derived cheaply.
        let mut weak = old.clone();
        weak["kdf"] = serde_json::json!({"algorithm": "argon2id", "m_kib": 8, "t": 1, "p": 1});
        std::fs::write(dir.path().join(KEY_FILE), weak.to_string()).unwrap();
        assert!(read_key_file(dir.path(), "correct horse").is_err());
    }
}
