//! `crm-server api-key …`: the REST API's keys, managed on the server's machine (part
//! of the `crm-server` command, not of the library).

use crate::{DbArgs, open};
use clap::Subcommand;
use crm_server::now_ms;

#[derive(Subcommand)]
pub enum ApiKeyCommand {
    /// Make a key acting as a user; it is printed once (only its hash is kept)
    Add {
        /// A name for the integration, e.g. erp (shown in the records' history)
        #[arg(long)]
        name: String,
        /// The e-mail of the user the key acts as (the key has this user's rights)
        #[arg(long)]
        user: String,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        db: DbArgs,
    },
    /// The keys, their user, creation, last use and revocation (never the keys)
    List {
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Revoke a key: it stops working at once
    Revoke {
        #[arg(long)]
        name: String,
        #[command(flatten)]
        db: DbArgs,
    },
}

fn when(ms: Option<i64>) -> String {
    ms.and_then(chrono::DateTime::from_timestamp_millis)
        .map(|d| d.format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_else(|| "-".into())
}

pub async fn api_key(command: ApiKeyCommand) -> anyhow::Result<()> {
    match command {
        ApiKeyCommand::Add { name, user, json, db } => {
            let db = open(&db).await?;
            let (row, key) = db.add_api_key(&name, &user, now_ms()).await?;
            if json {
                println!("{}", serde_json::json!({ "key": key, "name": row.name, "user": row.user_email }));
            } else {
                println!("Key `{}` for {} (shown once, keep it safe):\n{key}", row.name, row.user_email);
                println!("Send it as `Authorization: Bearer <key>` to /api/v1/… (see /api/v1/docs).");
            }
        }
        ApiKeyCommand::List { json, db } => {
            let keys = open(&db).await?.api_keys().await?;
            if json {
                println!("{}", serde_json::to_string(&keys)?);
            } else if keys.is_empty() {
                println!("No API key: add one with `crm-server api-key add --name NAME --user EMAIL`.");
            } else {
                for k in keys {
                    let state = if k.revoked_at.is_some() {
                        format!("revoked {}", when(k.revoked_at))
                    } else {
                        "active".into()
                    };
                    println!(
                        "{:<20} {:<30} created {}  last used {}  {state}",
                        k.name,
                        k.user_email,
                        when(Some(k.created_at)),
                        when(k.last_used_at)
                    );
                }
            }
        }
        ApiKeyCommand::Revoke { name, db } => {
            open(&db).await?.revoke_api_key(&name, now_ms()).await?;
            println!("Revoked the key `{name}`.");
        }
    }
    Ok(())
}
