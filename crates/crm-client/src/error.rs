//! What can go wrong for the user: each error is a [`Problem`] (a code, the field, the
//! values), told in the user's language by whoever shows it: the app translates the
//! code, the command line renders it in French or English (`Problem::text`). `Display`
//! is the English sentence, for logs and tests.

use crm_core::{Code, Problem};

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The server could not be reached, or is busy: nothing is lost, the next sync sends it.
    #[error("{0}")]
    Offline(Problem),
    #[error("{}", Problem::new(Code::NotLoggedIn))]
    NotLoggedIn,
    /// Logging in or the session failed (wrong password, expired, disabled).
    #[error("{0}")]
    Auth(Problem),
    #[error("{}", Problem::new(Code::UpdateRequired))]
    UpdateRequired,
    #[error("{}", Problem::new(Code::DeviceRevoked))]
    DeviceRevoked,
    /// The server refused the request.
    #[error("{0}")]
    Server(Problem),
    #[error(transparent)]
    Store(#[from] crm_store::StoreError),
    /// What the user typed or asked for breaks a rule.
    #[error("{0}")]
    Invalid(Problem),
    /// The user's role does not allow it (the server would refuse it too).
    #[error("{0}")]
    Forbidden(Problem),
    #[error("{}", Problem::new(Code::Locked))]
    Locked,
}

impl From<Problem> for ClientError {
    fn from(p: Problem) -> Self {
        ClientError::Invalid(p)
    }
}

impl ClientError {
    /// True when the server could not be reached at all (the device is offline).
    pub fn is_offline(&self) -> bool {
        matches!(self, ClientError::Offline(_))
    }

    /// What to tell the user.
    pub fn problem(&self) -> Problem {
        match self {
            ClientError::Offline(p)
            | ClientError::Auth(p)
            | ClientError::Server(p)
            | ClientError::Invalid(p)
            | ClientError::Forbidden(p) => p.clone(),
            ClientError::NotLoggedIn => Problem::new(Code::NotLoggedIn),
            ClientError::UpdateRequired => Problem::new(Code::UpdateRequired),
            ClientError::DeviceRevoked => Problem::new(Code::DeviceRevoked),
            ClientError::Locked => Problem::new(Code::Locked),
            ClientError::Store(e) => e.problem(),
        }
    }

    /// Something that should not happen (a local file unreadable, a task that died).
    pub(crate) fn internal(detail: impl std::fmt::Display) -> ClientError {
        ClientError::Invalid(Problem::new(Code::Internal).param("detail", detail))
    }

    /// A local file that could not be read or written.
    pub fn file(path: &std::path::Path, error: std::io::Error) -> ClientError {
        let code = match error.kind() {
            std::io::ErrorKind::NotFound => Code::FileNotFound,
            std::io::ErrorKind::PermissionDenied => Code::FileDenied,
            std::io::ErrorKind::StorageFull => Code::DiskFull,
            _ => Code::LocalFile,
        };
        ClientError::Invalid(Problem::new(code).param("path", path.display()).param("detail", error))
    }

    /// A record of another type than the one asked for.
    pub(crate) fn wrong_type(id: &str, expected: crm_core::RecordType) -> ClientError {
        ClientError::Invalid(Problem::new(Code::WrongType).param("id", id).param("type", expected))
    }

    /// An answer from the server this client cannot read.
    pub(crate) fn unexpected(server: &str, detail: impl std::fmt::Display) -> ClientError {
        ClientError::Server(Problem::new(Code::UnexpectedAnswer).param("server", server).param("detail", detail))
    }
}

#[cfg(test)]
mod file_tests {
    use super::*;

    #[test]
    fn a_file_error_is_told_in_words_not_as_the_system_s_english() {
        let path = std::path::Path::new("/tmp/logo.jpg");
        let missing = ClientError::file(path, std::io::ErrorKind::NotFound.into()).problem();
        assert_eq!(missing.text(crm_core::Lang::Fr), "Le fichier /tmp/logo.jpg est introuvable");
        let denied = ClientError::file(path, std::io::ErrorKind::PermissionDenied.into()).problem();
        assert_eq!(denied.text(crm_core::Lang::Fr), "Accès refusé au fichier /tmp/logo.jpg");
    }
}
