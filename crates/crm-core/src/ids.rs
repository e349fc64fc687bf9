//! Typed identifiers. Record ids are UUID v7 so they sort by creation time and can be
//! minted offline on any device without coordination.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

/// The id of one record (account, contact, activity…), the same on every device.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RecordId(pub Uuid);

impl RecordId {
    /// Builds an id from 16 random bytes and a millisecond timestamp supplied by the
    /// caller (this crate never reads the clock).
    pub fn from_parts(unix_ms: u64, random: [u8; 10]) -> RecordId {
        RecordId(uuid::Builder::from_unix_timestamp_millis(unix_ms, &random).into_uuid())
    }
}

impl RecordId {
    /// The id of the service contract that winning `deal` creates. Derived, not random:
    /// two devices that mark the same deal won offline create the same contract, which
    /// merges into one at the next sync instead of becoming two.
    pub fn contract_of_deal(deal: RecordId) -> RecordId {
        const NAMESPACE: Uuid = Uuid::from_u128(0x6a1f_0c2e_93b4_4e21_9d1a_5c0f_2b7e_8d40);
        RecordId(Uuid::new_v5(&NAMESPACE, deal.0.as_bytes()))
    }
}

impl fmt::Display for RecordId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl FromStr for RecordId {
    type Err = crate::Problem;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Uuid::parse_str(s.trim())
            .map(RecordId)
            .map_err(|_| crate::Problem::new(crate::Code::NotARecordId).field("id").param("value", s))
    }
}

/// The id of a user account on the sync server.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UserId(pub String);

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_id_round_trips_through_its_text_form() {
        let id = RecordId::from_parts(1_700_000_000_000, [7; 10]);
        assert_eq!(id.to_string().parse::<RecordId>().unwrap(), id);
    }

    #[test]
    fn a_malformed_record_id_is_refused_with_an_example() {
        let err = "12-ab".parse::<RecordId>().unwrap_err();
        assert!(err.to_string().contains("not a record id"), "{err}");
    }
}
