//! Errors of the local store, worded for the user.

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the local database failed: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error(transparent)]
    Doc(#[from] crm_doc::DocError),
    #[error("no record has the id {0} on this device")]
    NotFound(String),
    #[error("the local database is damaged ({0}); restore it from the server by logging in on a new data directory")]
    Corrupt(String),
    #[error("{0}")]
    Invalid(String),
}

impl From<crm_core::ValidationError> for StoreError {
    fn from(e: crm_core::ValidationError) -> Self {
        StoreError::Doc(e.into())
    }
}

impl StoreError {
    /// What to tell the user.
    pub fn problem(&self) -> crm_core::Problem {
        use crm_core::{Code, Problem};
        match self {
            StoreError::Doc(crm_doc::DocError::Invalid(p)) => p.clone(),
            StoreError::NotFound(id) => Problem::new(Code::NotFound).param("id", id),
            StoreError::Corrupt(detail) => Problem::new(Code::DatabaseDamaged).param("detail", detail),
            StoreError::Invalid(detail) => Problem::new(Code::Internal).param("detail", detail),
            other => Problem::new(Code::Internal).param("detail", other),
        }
    }
}
