//! Web-to-lead: the forms of the company's web sites and the fingerprints that make a
//! double submit one lead (the lead itself is written by `system::WEB_FORMS`).

use super::Db;
use serde::Serialize;
use sha2::Digest;
use sqlx::Row;
use uuid::Uuid;

#[derive(Clone, Debug, Serialize)]
pub struct LeadForm {
    pub form_key: String,
    pub name: String,
    pub allowed_origin: String,
    pub source: String,
}

/// How long a second identical submission is the same lead.
pub const SAME_SUBMISSION_MS: i64 = 24 * 3600 * 1000;

/// Where a submission fingerprint stands.
pub enum Claim {
    /// New: this request makes the lead, under this id.
    Fresh(Uuid),
    /// Already received (a double submit): the lead made then.
    Seen(String),
}

impl Db {
    pub async fn add_lead_form(
        &self,
        name: &str,
        allowed_origin: &str,
        source: &str,
        now: i64,
    ) -> anyhow::Result<LeadForm> {
        let name = name.trim();
        if name.is_empty() {
            anyhow::bail!("a form needs a name (--name)");
        }
        let origin = check_origin(allowed_origin)?;
        if sqlx::query("SELECT 1 FROM lead_forms WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.pool)
            .await?
            .is_some()
        {
            anyhow::bail!("a form named {name} already exists");
        }
        let key: String = {
            use rand::RngCore;
            let mut bytes = [0u8; 16];
            rand::rngs::OsRng.fill_bytes(&mut bytes);
            bytes.iter().map(|b| format!("{b:02x}")).collect()
        };
        let source = if source.trim().is_empty() { "site" } else { source.trim() };
        sqlx::query(
            "INSERT INTO lead_forms (form_key, name, allowed_origin, source, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&key)
        .bind(name)
        .bind(&origin)
        .bind(source)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(LeadForm { form_key: key, name: name.into(), allowed_origin: origin, source: source.into() })
    }

    pub async fn lead_forms(&self) -> anyhow::Result<Vec<LeadForm>> {
        let rows = sqlx::query("SELECT form_key, name, allowed_origin, source FROM lead_forms ORDER BY name")
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(form_from_row).collect()
    }

    pub async fn lead_form(&self, key: &str) -> anyhow::Result<Option<LeadForm>> {
        let row = sqlx::query("SELECT form_key, name, allowed_origin, source FROM lead_forms WHERE form_key = $1")
            .bind(key)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(form_from_row).transpose()
    }

    pub async fn remove_lead_form(&self, name: &str) -> anyhow::Result<()> {
        let done = sqlx::query("DELETE FROM lead_forms WHERE name = $1").bind(name.trim()).execute(&self.pool).await?;
        if done.rows_affected() == 0 {
            anyhow::bail!("no form is named {name}");
        }
        Ok(())
    }

    /// Claims a submission's fingerprint: the first request (or the first after a day)
    /// gets a new lead id; the others, even at the same instant, get the one made.
    pub async fn claim_submission(&self, fingerprint: &str, now: i64) -> anyhow::Result<Claim> {
        let id = Uuid::now_v7();
        let inserted = sqlx::query(
            "INSERT INTO lead_submissions (fingerprint, lead_id, received_at) VALUES ($1, $2, $3) \
             ON CONFLICT (fingerprint) DO UPDATE SET lead_id = excluded.lead_id, received_at = excluded.received_at \
             WHERE lead_submissions.received_at < $4",
        )
        .bind(fingerprint)
        .bind(id.to_string())
        .bind(now)
        .bind(now - SAME_SUBMISSION_MS)
        .execute(&self.pool)
        .await?;
        if inserted.rows_affected() == 1 {
            return Ok(Claim::Fresh(id));
        }
        let row = sqlx::query("SELECT lead_id FROM lead_submissions WHERE fingerprint = $1")
            .bind(fingerprint)
            .fetch_one(&self.pool)
            .await?;
        Ok(Claim::Seen(row.try_get("lead_id")?))
    }

    /// Forgets a claim whose lead could not be stored (the next submit tries again).
    pub async fn release_submission(&self, fingerprint: &str) -> anyhow::Result<()> {
        sqlx::query("DELETE FROM lead_submissions WHERE fingerprint = $1")
            .bind(fingerprint)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

fn form_from_row(row: &sqlx::any::AnyRow) -> anyhow::Result<LeadForm> {
    Ok(LeadForm {
        form_key: row.try_get("form_key")?,
        name: row.try_get("name")?,
        allowed_origin: row.try_get("allowed_origin")?,
        source: row.try_get("source")?,
    })
}

/// An origin as browsers send it: `https://host[:port]`, nothing after.
pub fn check_origin(origin: &str) -> anyhow::Result<String> {
    let o = origin.trim().trim_end_matches('/').to_lowercase();
    let rest = o.strip_prefix("https://").or_else(|| o.strip_prefix("http://"));
    match rest {
        Some(host) if !host.is_empty() && !host.contains('/') && !host.contains('?') && !host.contains('#') => Ok(o),
        _ => anyhow::bail!("{origin} is not an origin: give the site's scheme and host, e.g. https://www.exemple.fr"),
    }
}

/// What makes two submissions the same: the form, who (e-mail, phone as E.164, name)
/// and what they wrote, letter case and spacing aside.
pub fn fingerprint(form_key: &str, fields: &std::collections::BTreeMap<String, String>) -> String {
    let norm = |k: &str| {
        let v = fields.get(k).map(String::as_str).unwrap_or_default();
        v.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
    };
    let phone = fields.get("phone").and_then(|p| crm_core::duplicates::phone_key(p)).unwrap_or_default();
    let mut h = sha2::Sha256::new();
    for part in [form_key.to_string(), norm("email"), phone, norm("name"), norm("company"), norm("message")] {
        h.update(part.as_bytes());
        h.update([0u8]);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}
