//! The server's own writers: a system user and device per purpose (web forms,
//! campaigns), whose records and edits go through the same push as a device's change:
//! validated, authorised by the matrix, owned by the territories, logged with a sequence
//! number, and sent to devices at their next sync. Their users are disabled: nobody
//! logs in as them.

use super::{Db, DbError};
use crate::auth::Session;
use crm_core::{Problem, Record, Role};
use crm_doc::{DeviceActor, RecordDoc};
use crm_protocol::{RejectCode, Rejection};
use sqlx::Row;
use uuid::Uuid;

/// A writer inside the server: who its records say wrote them.
#[derive(Clone, Copy, Debug)]
pub struct SystemWriter {
    pub email: &'static str,
    pub name: &'static str,
    pub role: Role,
    /// Its device (the Automerge actor of its changes), fixed so its history reads the same.
    pub device: Uuid,
}

/// The writer of web form leads: a marketing user, so a lead no territory takes waits
/// in marketing's queue (owned by it).
pub const WEB_FORMS: SystemWriter = SystemWriter {
    email: crm_protocol::WEB_FORMS_EMAIL,
    name: "Formulaires web",
    role: Role::Marketing,
    device: Uuid::from_u128(0x0000_f047_0000_4000_8000_0000_0000_0001),
};

/// The writer of what campaigns do: the e-mails sent, in the contacts' timelines, the
/// campaign's status, and unsubscriptions.
pub const CAMPAIGNS: SystemWriter = SystemWriter {
    email: "campagnes@crm.invalid",
    name: "Campagnes e-mailing",
    role: Role::Admin,
    device: Uuid::from_u128(0x0000_ca3e_0000_4000_8000_0000_0000_0002),
};

/// The writer of what the shared mailbox brings: e-mails in the timelines, tickets
/// opened and threaded (a customer service user).
pub const MAILBOX: SystemWriter = SystemWriter {
    email: "boite-support@crm.invalid",
    name: "Boîte du service client",
    role: Role::Support,
    device: Uuid::from_u128(0x0000_b0e7_0000_4000_8000_0000_0000_0003),
};

impl Db {
    /// The session of a writer inside the server, its user (disabled: nobody logs in as
    /// it) and device created the first time.
    pub async fn system_session(&self, writer: &SystemWriter, now: i64) -> Result<Session, DbError> {
        let user = match self.user_by_email(writer.email).await? {
            Some(u) => u,
            None => {
                let new = super::NewUser {
                    email: writer.email.into(),
                    name: writer.name.into(),
                    role: writer.role,
                    manager_email: None,
                    // Not a hash of anything: no password ever matches it.
                    password_hash: "!".into(),
                };
                match self.add_user(new, now).await {
                    Ok(u) => {
                        self.set_user_disabled(writer.email, true).await?;
                        u
                    }
                    // Made meanwhile by a parallel request.
                    Err(_) => self
                        .user_by_email(writer.email)
                        .await?
                        .ok_or_else(|| anyhow::anyhow!("the user {} could not be made", writer.email))?,
                }
            }
        };
        let device = writer.device.to_string();
        sqlx::query(
            "INSERT INTO devices (id, user_id, name, created_at, last_seen_at, revoked, scope_epoch) \
             VALUES ($1, $2, $3, $4, $4, 0, 0) ON CONFLICT (id) DO NOTHING",
        )
        .bind(&device)
        .bind(&user.id)
        .bind(writer.name)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(Session {
            user_id: user.id,
            email: user.email,
            name: user.name,
            role: writer.role,
            device_id: device,
            disabled: false,
            device_revoked: false,
            scope_epoch: 0,
            device_scope_epoch: 0,
        })
    }

    /// Writes new records as a writer inside the server, in one push. `Err` holds the
    /// first refusal (that record's problem); the others are stored.
    pub async fn create_as_system(
        &self,
        writer: &SystemWriter,
        records: &[Record],
        now: i64,
    ) -> Result<Result<(), Problem>, DbError> {
        let session = self.system_session(writer, now).await?;
        Ok(self.create_as(&session, records, now).await?.map_err(refusal_problem))
    }

    /// Changes fields of a stored record as a writer inside the server (nothing when
    /// they already hold these values).
    pub async fn edit_as_system(
        &self,
        writer: &SystemWriter,
        id: Uuid,
        edit: &crm_doc::Edit,
        now: i64,
    ) -> Result<Result<(), Problem>, DbError> {
        let session = self.system_session(writer, now).await?;
        Ok(self.edit_as(&session, id, edit, now).await?.map(|_| ()).map_err(refusal_problem))
    }

    /// Writes new records as `session`'s device (a writer inside the server, or an API
    /// key), through the push every device change goes through. `Err` holds the first
    /// refusal; the other records are stored.
    pub async fn create_as(
        &self,
        session: &Session,
        records: &[Record],
        now: i64,
    ) -> Result<Result<(), Rejection>, DbError> {
        let actor = actor_of(session)?;
        let mut groups = Vec::new();
        for record in records {
            let mut doc = RecordDoc::create(&actor, record, now)
                .map_err(|e| anyhow::anyhow!("the record cannot be written: {e}"))?;
            groups.push((record.id.0, doc.all_changes().iter().map(|c| c.raw_bytes().to_vec()).collect()));
        }
        self.push_as(session, groups, now).await
    }

    /// Changes fields of a stored record as `session`'s device; `Ok(false)` when they
    /// already hold these values (nothing written).
    pub async fn edit_as(
        &self,
        session: &Session,
        id: Uuid,
        edit: &crm_doc::Edit,
        now: i64,
    ) -> Result<Result<bool, Rejection>, DbError> {
        let row =
            sqlx::query("SELECT data FROM docs WHERE id = $1").bind(id.to_string()).fetch_optional(&self.pool).await?;
        let refused = |code, problem: Problem| Rejection {
            doc: id,
            hash: String::new(),
            code,
            reason: problem.to_string(),
            problem: Some(problem),
        };
        let Some(row) = row else {
            return Ok(Err(refused(RejectCode::Other, Problem::new(crm_core::Code::NotFound).param("id", id))));
        };
        let data: Vec<u8> = row.try_get("data")?;
        let mut doc = RecordDoc::load(&data, &actor_of(session)?)
            .map_err(|e| anyhow::anyhow!("the record {id} cannot be read: {e}"))?;
        let change = match doc.edit(edit, now) {
            Ok(Some(change)) => change,
            Ok(None) => return Ok(Ok(false)),
            Err(e) => {
                let problem = Problem::new(crm_core::Code::RecordInvalid).param("detail", e.to_string());
                return Ok(Err(refused(RejectCode::Invalid, problem)));
            }
        };
        Ok(self.push_as(session, vec![(id, vec![change.raw_bytes().to_vec()])], now).await?.map(|_| true))
    }

    async fn push_as(
        &self,
        session: &Session,
        groups: Vec<(Uuid, Vec<Vec<u8>>)>,
        now: i64,
    ) -> Result<Result<(), Rejection>, DbError> {
        let outcome = self.push(session, groups, now, None).await?;
        Ok(match outcome.rejected.into_iter().next() {
            Some(r) => Err(r),
            None => Ok(()),
        })
    }
}

/// The Automerge actor of a session's device.
fn actor_of(session: &Session) -> Result<DeviceActor, DbError> {
    let device = Uuid::parse_str(&session.device_id).map_err(|e| anyhow::anyhow!("device id: {e}"))?;
    Ok(DeviceActor::from_device_id(&device))
}

/// A refusal as the user is told it.
fn refusal_problem(r: Rejection) -> Problem {
    r.problem.unwrap_or_else(|| Problem::new(crm_core::Code::RecordInvalid).param("detail", r.reason))
}
