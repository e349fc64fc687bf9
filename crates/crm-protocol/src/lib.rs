//! Sync protocol v1: the JSON bodies exchanged between a device and the sync server.
//!
//! Both sides share these types, so a field renamed here is renamed everywhere. Binary
//! Automerge data travels as base64 strings; bodies above 1 KiB are zstd-compressed with
//! `Content-Encoding: zstd`. See `docs/sync-protocol.md` for the routes and the rules.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

mod bytes;
pub use bytes::Bytes;

/// The protocol this build speaks. A server refuses any other version with
/// `426 Upgrade Required` and [`ErrorCode::ProtocolUnsupported`].
pub const PROTOCOL_VERSION: u32 = 1;
/// The header carrying the protocol version on every request.
pub const PROTOCOL_HEADER: &str = "x-crm-protocol";
/// At most this many changes in one push; the client splits bigger outboxes.
pub const MAX_PUSH_CHANGES: usize = 5_000;
/// At most this many bytes in one (decompressed) request body.
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;
/// At most this many bytes of change data in one push: the client splits bigger
/// outboxes, so a push stays well under [`MAX_BODY_BYTES`] once in base64 and JSON.
pub const MAX_PUSH_BYTES: usize = 8 * 1024 * 1024;
/// At most this many bytes in the body of a route that anyone may call before logging
/// in (login, token refresh, password change): an e-mail and a password fit many times.
pub const MAX_PUBLIC_BODY_BYTES: usize = 8 * 1024;
/// The largest attachment (photo, video) a device may upload.
pub const MAX_BLOB_BYTES: usize = 50 * 1024 * 1024;
/// Bodies at least this large are compressed.
pub const COMPRESS_FROM_BYTES: usize = 1024;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
    /// The device's own id, minted when its data directory was created.
    pub device_id: Uuid,
    /// A name the user recognises, e.g. "PC portable de Julie".
    pub device_name: String,
}

/// The signed-in user, as the server describes them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct UserInfo {
    pub id: String,
    pub email: String,
    pub name: String,
    #[ts(as = "crm_core::Role")]
    pub role: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LoginResponse {
    pub token: String,
    pub user: UserInfo,
    pub device_id: Uuid,
    /// When the token stops working (ms since 1970); the device refreshes it before.
    #[serde(default)]
    pub expires_at: i64,
}

/// `POST /v1/session/refresh`: a new token for the same device; the old one keeps
/// working for [`TOKEN_GRACE_MS`] so requests already in flight succeed.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RefreshResponse {
    pub token: String,
    pub expires_at: i64,
}

pub const TOKEN_GRACE_MS: i64 = 60_000;

/// One sync round: push what the device has not had acknowledged, pull what is new.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct SyncRequest {
    /// The last server sequence number this device has applied (0 at first).
    pub cursor: u64,
    /// Local changes not yet acknowledged, in causal order.
    #[serde(default)]
    pub changes: Vec<PushedChange>,
    /// The most changes the device wants in this response (the server may send fewer).
    #[serde(default)]
    pub limit: Option<u32>,
    /// Records whose local copy is incomplete: the server answers with their snapshots
    /// (at most [`MAX_RESYNC`] per request).
    #[serde(default)]
    pub resync: Vec<Uuid>,
    /// Send the device's own changes back too (used while starting over after a reset).
    #[serde(default)]
    pub full: bool,
    /// The proof the server gave with `cursor` ([`SyncResponse::cursor_proof`]). A
    /// cursor beyond the server's log counts as a sign that the log was restored from a
    /// backup only with the proof that this server's log once reached it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor_proof: Option<String>,
}

/// At most this many records asked for whole in one request.
pub const MAX_RESYNC: usize = 500;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PushedChange {
    /// The record (document) the change belongs to.
    pub doc: Uuid,
    /// The Automerge change, as `Change::raw_bytes`.
    pub data: Bytes,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct SyncResponse {
    /// Hashes (hex) of pushed changes the server has stored, now or before.
    pub acked: Vec<String>,
    /// Pushed changes the server refused, each with the reason.
    pub rejected: Vec<Rejection>,
    /// What changed on the server after the request's cursor, for this user.
    pub items: Vec<PulledItem>,
    /// The cursor to send next time. Everything up to it has been sent.
    pub cursor: u64,
    /// True when more is waiting after `cursor`: ask again straight away.
    pub more: bool,
    /// The server's latest sequence number, for progress bars.
    pub head: u64,
    /// What this user may see changed as a whole (new role, new team): the device
    /// starts over from cursor 0 with `full` set, and at the end deletes every record
    /// the server did not send again (except those with unsent changes).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub reset: bool,
    /// Identifies the server's change log. When it differs from the one a device saw
    /// last, the log was restored from a backup: the device sends its whole history
    /// again (the server keeps what it lacks) and pulls from cursor 0.
    #[serde(default)]
    pub epoch: i64,
    /// The proof that this server issued `cursor` in this epoch, to send back with it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub cursor_proof: String,
    /// This device's cursor is beyond the log and comes without a valid proof: the
    /// device alone sends its whole history again and pulls from cursor 0 (the other
    /// devices are not disturbed).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub resend: bool,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Rejection {
    pub doc: Uuid,
    pub hash: String,
    pub code: RejectCode,
    /// What is wrong, in English words (for logs and older clients).
    pub reason: String,
    /// What is wrong, as a code the app tells in the user's language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<crm_core::Problem>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectCode {
    /// Not an Automerge change, or not one of this record.
    Malformed,
    /// The change depends on changes the server does not have: send the record's whole
    /// history.
    MissingDeps,
    /// The record would not be valid after the change.
    Invalid,
    /// The user may not change this record.
    Forbidden,
    /// The change, or the record it would make, is over a size limit.
    TooLarge,
    /// A refusal this build does not know (from a newer server): kept as refused.
    #[serde(other)]
    Other,
}

/// One record's news. A record new to the device arrives as one snapshot (a saved
/// document); a record it already has arrives as the changes it lacks.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PulledItem {
    Snapshot {
        doc: Uuid,
        data: Bytes,
        /// The record read from `data` by the server, so the device can list and search
        /// it without loading the document (absent: the device reads `data` itself).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        record: Option<RecordView>,
        /// The record was rewritten under a new history (RGPD erasure): the device must
        /// replace its copy, history and unsent changes included, instead of merging.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        replace: bool,
    },
    Changes {
        doc: Uuid,
        changes: Vec<Bytes>,
        /// The record as the server holds it now. When the device's copy with these
        /// changes applied has exactly these heads, it is the same document: the device
        /// stores the changes and this reading without loading the document (absent or
        /// different heads: the device applies the changes and reads the result itself).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        record: Option<RecordView>,
    },
    /// The record left what this user may see (reassigned, team or role changed): the
    /// device deletes its copy. Unsent changes to it are kept as refused, with a reason,
    /// unless `purge`: the record was erased at the person's request (RGPD), and the
    /// device deletes every trace of it, refused changes included.
    Drop {
        doc: Uuid,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        purge: bool,
    },
}

/// A record as materialised from a snapshot: its type, fields, conflicts and heads.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RecordView {
    #[serde(rename = "type")]
    pub record_type: String,
    pub fields: serde_json::Map<String, serde_json::Value>,
    pub conflicts: Vec<serde_json::Value>,
    /// The document's heads (hex), comma-separated.
    pub heads: String,
}

/// Who a device belongs to, as `GET /v1/directory` lists them: what a record's
/// history needs to name the author of each change.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DirectoryEntry {
    /// Empty for a user who has no device yet.
    pub device_id: String,
    pub user_id: String,
    pub user_name: String,
    pub user_email: String,
    /// The user's sales manager (their user id), when they have one.
    #[serde(default)]
    pub manager_id: Option<String>,
    /// The API key this device is (its name), for the changes an integration wrote.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_key: Option<String>,
}

/// `GET /v1/duplicates/{accounts|contacts}` answers these: the likely duplicates the
/// server finds among every record the user may read (a sales manager's whole team, the
/// office's whole base), beyond what one device holds. For roles that may merge.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ServerDuplicate {
    pub a: String,
    pub b: String,
    pub a_name: String,
    pub b_name: String,
    pub score: f64,
    pub reasons: Vec<crm_core::duplicates::Reason>,
}

/// How the server received one change of a record, as `GET /v1/records/{id}/receipts`
/// lists them: the evidence behind a record's history. The device and the time are the
/// server's own observations, not what the change says of itself.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Receipt {
    /// The change's hash (hex).
    pub hash: String,
    /// The device that sent it ("server" for a change the server wrote).
    pub device_id: String,
    /// The user whose session sent it.
    pub user_id: String,
    /// When it reached the server (ms since 1970).
    pub received_at: i64,
    /// Sent by a device on behalf of another after a restore (see the protocol).
    #[serde(default)]
    pub relayed: bool,
}

/// `GET /v1/about`: what the app's "À propos" shows of the server.
#[derive(Clone, Debug, Serialize, Deserialize, ts_rs::TS)]
pub struct About {
    pub version: String,
    pub protocol: u32,
}

/// One of a user's devices, as `GET /v1/devices` lists them.
#[derive(Clone, Debug, Serialize, Deserialize, ts_rs::TS)]
pub struct DeviceInfo {
    pub id: String,
    pub name: String,
    /// Unix milliseconds.
    #[ts(type = "number")]
    pub created_at: i64,
    #[ts(type = "number | null")]
    pub last_seen_at: Option<i64>,
    pub revoked: bool,
    /// True for the device that asked.
    #[serde(default)]
    pub current: bool,
}

/// The body of every error response.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ErrorBody {
    pub code: ErrorCode,
    /// In English words (for logs and scripts).
    pub message: String,
    /// What is wrong, as a code the app tells in the user's language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<crm_core::Problem>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    BadRequest,
    Unauthorized,
    Forbidden,
    NotFound,
    ProtocolUnsupported,
    /// This device was revoked: it must erase its local data.
    DeviceRevoked,
    TooLarge,
    RateLimited,
    /// Too many requests at once: the server asks to try again shortly (`Retry-After`).
    Busy,
    Internal,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pulled_snapshot_is_tagged_and_base64_encoded() {
        let item =
            PulledItem::Snapshot { doc: Uuid::nil(), data: Bytes(vec![0, 1, 2, 255]), record: None, replace: false };
        let json = serde_json::to_string(&item).unwrap();
        assert_eq!(json, r#"{"kind":"snapshot","doc":"00000000-0000-0000-0000-000000000000","data":"AAEC/w=="}"#);
        let back: PulledItem = serde_json::from_str(&json).unwrap();
        assert!(matches!(back, PulledItem::Snapshot { data, .. } if data.0 == vec![0, 1, 2, 255]));
    }

    #[test]
    fn bad_base64_is_a_decoding_error_that_says_so() {
        let err = serde_json::from_str::<PushedChange>(r#"{"doc":"00000000-0000-0000-0000-000000000000","data":"!!"}"#)
            .unwrap_err();
        assert!(err.to_string().contains("base64"), "{err}");
    }
}

/// `POST /v1/campaigns/{id}/send`: how the sending went. Sending again sends only to
/// those not reached yet.
#[derive(Clone, Debug, Default, Serialize, Deserialize, ts_rs::TS)]
pub struct CampaignSent {
    pub sent: usize,
    pub failed: usize,
    /// Reached by an earlier sending of the same campaign.
    pub already: usize,
    /// Contacts of the segment without e-mail consent « yes »: never mailed.
    pub excluded_no_consent: usize,
    pub excluded_no_email: usize,
}

/// The e-mail of the server's own writer of web form leads: a lead it owns waits in
/// marketing's queue (no territory took it).
pub const WEB_FORMS_EMAIL: &str = "formulaires-web@crm.invalid";
