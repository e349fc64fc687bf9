//! Territories: rules that give new accounts and leads an owner, by postal code or
//! department (a prefix of the postal code), country, sector and product line (an
//! item of the record's `tags`). A rule matches when every criterion it sets matches;
//! the first matching rule, in the order they were added, wins.

use super::Db;
use crm_core::Record;
use serde::Serialize;
use sqlx::Row;

#[derive(Clone, Debug, Serialize)]
pub struct Territory {
    pub name: String,
    pub owner_id: String,
    pub owner_email: String,
    pub postal_prefixes: Vec<String>,
    pub countries: Vec<String>,
    pub sectors: Vec<String>,
    pub product_lines: Vec<String>,
}

/// What `territory add` is given.
pub struct NewTerritory {
    pub name: String,
    pub owner_email: String,
    pub postal_prefixes: Vec<String>,
    pub countries: Vec<String>,
    pub sectors: Vec<String>,
    pub product_lines: Vec<String>,
}

impl Territory {
    /// Whether the rule takes this record (an account or a lead).
    pub fn matches(&self, record: &Record) -> bool {
        let field = |name: &str| record.text(name).unwrap_or_default().trim().to_lowercase();
        let postal = field("postal_code");
        let tags: Vec<String> = record.set("tags").iter().map(|t| t.to_lowercase()).collect();
        (self.postal_prefixes.is_empty() || self.postal_prefixes.iter().any(|p| postal.starts_with(p.as_str())))
            && (self.countries.is_empty() || self.countries.contains(&field("country")))
            && (self.sectors.is_empty() || self.sectors.contains(&field("sector")))
            && (self.product_lines.is_empty() || self.product_lines.iter().any(|p| tags.contains(p)))
    }
}

fn split(list: &str) -> Vec<String> {
    list.split(',').map(|s| s.trim().to_lowercase()).filter(|s| !s.is_empty()).collect()
}

fn join(list: &[String]) -> String {
    list.iter().map(|s| s.trim().to_lowercase()).filter(|s| !s.is_empty()).collect::<Vec<_>>().join(",")
}

impl Db {
    pub async fn add_territory(&self, t: NewTerritory, now: i64) -> anyhow::Result<Territory> {
        let name = t.name.trim().to_string();
        if name.is_empty() {
            anyhow::bail!("a territory needs a name");
        }
        if t.postal_prefixes.iter().any(|p| !p.chars().all(|c| c.is_ascii_alphanumeric())) {
            anyhow::bail!("postal codes and departments are letters and digits, e.g. 80 or 80000");
        }
        let owner = self
            .user_by_email(&t.owner_email)
            .await?
            .ok_or_else(|| anyhow::anyhow!("no user has the e-mail {} (given as --owner)", t.owner_email))?;
        let exists = sqlx::query("SELECT 1 FROM territories WHERE name = $1").bind(&name).fetch_optional(&self.pool);
        if exists.await?.is_some() {
            anyhow::bail!("a territory named {name} already exists");
        }
        let rank: i64 =
            sqlx::query("SELECT COUNT(*) AS n FROM territories").fetch_one(&self.pool).await?.try_get("n")?;
        sqlx::query(
            "INSERT INTO territories (id, name, owner_id, postal_prefixes, countries, sectors, product_lines, rank, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(&name)
        .bind(&owner.id)
        .bind(join(&t.postal_prefixes))
        .bind(join(&t.countries))
        .bind(join(&t.sectors))
        .bind(join(&t.product_lines))
        .bind(rank + 1)
        .bind(now)
        .execute(&self.pool)
        .await?;
        self.territories()
            .await?
            .into_iter()
            .find(|t| t.name == name)
            .ok_or_else(|| anyhow::anyhow!("the territory was not stored"))
    }

    /// Every territory, in the order rules are tried.
    pub async fn territories(&self) -> anyhow::Result<Vec<Territory>> {
        let rows = sqlx::query(
            "SELECT t.name, t.owner_id, u.email, t.postal_prefixes, t.countries, t.sectors, t.product_lines \
             FROM territories t JOIN users u ON u.id = t.owner_id ORDER BY t.rank",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Territory {
                    name: r.try_get("name")?,
                    owner_id: r.try_get("owner_id")?,
                    owner_email: r.try_get("email")?,
                    postal_prefixes: split(&r.try_get::<String, _>("postal_prefixes")?),
                    countries: split(&r.try_get::<String, _>("countries")?),
                    sectors: split(&r.try_get::<String, _>("sectors")?),
                    product_lines: split(&r.try_get::<String, _>("product_lines")?),
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crm_core::{FieldValue, RecordId, RecordType};

    fn account(postal: &str, sector: &str) -> Record {
        let mut r = Record::new(RecordId(uuid::Uuid::nil()), RecordType::Account);
        r.fields.insert("postal_code".into(), FieldValue::from(postal));
        r.fields.insert("sector".into(), FieldValue::from(sector));
        r
    }

    #[test]
    fn a_rule_matches_when_every_criterion_it_sets_matches() {
        let somme = Territory {
            name: "Somme".into(),
            owner_id: "u".into(),
            owner_email: "u@example.fr".into(),
            postal_prefixes: vec!["80".into()],
            countries: vec![],
            sectors: vec!["boulangerie".into()],
            product_lines: vec![],
        };
        assert!(somme.matches(&account("80000", "Boulangerie")));
        assert!(!somme.matches(&account("60000", "Boulangerie")), "another department");
        assert!(!somme.matches(&account("80000", "garage")), "another sector");
        assert!(!somme.matches(&account("", "boulangerie")), "no postal code, no match");
    }
}
