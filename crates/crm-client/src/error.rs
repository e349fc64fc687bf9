//! What can go wrong for the user, in plain words.

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("{0}")]
    Offline(String),
    #[error("not logged in: run `crm login --server URL --email E` (or log in from the app) first")]
    NotLoggedIn,
    #[error("{0}")]
    Auth(String),
    #[error("{0}")]
    UpdateRequired(String),
    #[error(
        "This device was revoked by you or an administrator: its local data has been erased. Log in again to use it."
    )]
    DeviceRevoked,
    #[error("the server refused the request: {0}")]
    Server(String),
    #[error(transparent)]
    Store(#[from] crm_store::StoreError),
    #[error("{0}")]
    Invalid(String),
    /// The user's role does not allow it (the server would refuse it too).
    #[error("{0}")]
    Forbidden(String),
    #[error(
        "this device's data is locked: give your password to unlock it (in the app, or `CRM_PASSWORD` / the prompt for `crm`)"
    )]
    Locked,
}

impl From<crm_core::ValidationError> for ClientError {
    fn from(e: crm_core::ValidationError) -> Self {
        ClientError::Invalid(e.to_string())
    }
}

impl ClientError {
    /// True when the server could not be reached at all (the device is offline).
    pub fn is_offline(&self) -> bool {
        matches!(self, ClientError::Offline(_))
    }
}
