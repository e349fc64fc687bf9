//! Concurrent writes of one short field: the winner every replica agrees on, and the
//! values it hides, for the user to review.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    pub field: String,
    /// The value shown everywhere (Automerge's deterministic winner).
    pub value: String,
    /// The concurrent values that lost, kept so the user can pick one instead.
    pub others: Vec<String>,
}
