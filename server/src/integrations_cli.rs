//! `crm-server api-key …` and `crm-server webhook …`: the REST API's keys and the
//! webhooks, managed on the server's machine (part of the `crm-server` command, not of
//! the library).

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

#[derive(Subcommand)]
pub enum WebhookCommand {
    /// Tell an address of events as they land (signed per Standard Webhooks)
    Add {
        /// Where events are posted (http:// or https://)
        #[arg(long)]
        url: String,
        /// Comma-separated events, e.g. account.created,deal.won (see `webhook events`)
        #[arg(long)]
        events: String,
        /// The signing secret (whsec_<base64>, or any text); a new one is made and printed when left out
        #[arg(long)]
        secret: Option<String>,
        /// Allow a loopback or private address (a trusted network only)
        #[arg(long)]
        allow_private: bool,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        db: DbArgs,
    },
    /// The webhooks, their events and state
    List {
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Remove a webhook: nothing more is sent to it
    Remove {
        #[arg(long)]
        id: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// The latest delivery attempts, newest first
    Deliveries {
        #[arg(long, default_value_t = 50)]
        limit: i64,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        db: DbArgs,
    },
    /// The events a webhook may subscribe to
    Events,
}

pub async fn webhook(command: WebhookCommand) -> anyhow::Result<()> {
    use crm_server::webhooks;
    match command {
        WebhookCommand::Add { url, events, secret, allow_private, json, db } => {
            let known = webhooks::kinds();
            let events: Vec<String> =
                events.split(',').map(|e| e.trim().to_string()).filter(|e| !e.is_empty()).collect();
            if events.is_empty() {
                anyhow::bail!("--events: name at least one event (see `crm-server webhook events`)");
            }
            if let Some(unknown) = events.iter().find(|e| !known.contains(e)) {
                anyhow::bail!("--events: `{unknown}` is not an event; known: {}", known.join(", "));
            }
            let url = webhooks::check_url(&url, allow_private).await.map_err(|e| anyhow::anyhow!("--url: {e}"))?;
            let made = secret.is_none();
            let secret = secret.unwrap_or_else(webhooks::new_secret);
            if secret.len() < 16 {
                anyhow::bail!("--secret: at least 16 characters (or leave it out and one is made)");
            }
            let hook = open(&db).await?.add_webhook(url.as_str(), &events, &secret, allow_private, now_ms()).await?;
            if json {
                let mut out = serde_json::to_value(&hook)?;
                if made {
                    out["secret"] = secret.into();
                }
                println!("{out}");
            } else {
                println!("Webhook {} → {} for {}", hook.id, hook.url, hook.events.join(", "));
                if made {
                    println!("Its signing secret (shown once): {secret}");
                }
            }
        }
        WebhookCommand::List { json, db } => {
            let hooks = open(&db).await?.webhooks().await?;
            if json {
                println!("{}", serde_json::to_string(&hooks)?);
            } else if hooks.is_empty() {
                println!("No webhook: add one with `crm-server webhook add --url URL --events …`.");
            } else {
                for h in hooks {
                    let state = match h.disabled_at {
                        Some(at) => format!("disabled {} after {} failures", when(Some(at)), h.failures),
                        None if h.failures > 0 => format!("retrying ({} failures)", h.failures),
                        None => "active".into(),
                    };
                    println!("{}  {}  [{}]  {state}", h.id, h.url, h.events.join(","));
                }
            }
        }
        WebhookCommand::Remove { id, db } => {
            open(&db).await?.remove_webhook(&id, now_ms()).await?;
            println!("Removed the webhook {id}.");
        }
        WebhookCommand::Deliveries { limit, json, db } => {
            let list = open(&db).await?.deliveries(limit).await?;
            if json {
                println!("{}", serde_json::to_string(&list)?);
            } else if list.is_empty() {
                println!("No delivery yet.");
            } else {
                for d in list {
                    let outcome = if d.delivered { "delivered".to_string() } else { format!("failed: {}", d.error) };
                    println!(
                        "{}  {}  {:<20} {}  attempt {}  {outcome}",
                        when(Some(d.at)),
                        d.webhook_id,
                        d.kind,
                        d.event_id,
                        d.attempt
                    );
                }
            }
        }
        WebhookCommand::Events => {
            for kind in webhooks::kinds() {
                println!("{kind}");
            }
        }
    }
    Ok(())
}
