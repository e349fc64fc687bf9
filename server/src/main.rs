//! The `crm-server` command: `serve`, and the administration subcommands that work on the
//! same database while the server runs.

mod integrations_cli;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use crm_server::db::{Db, NewUser};
use crm_server::{Settings, auth, now_ms};
use std::io::{BufRead, IsTerminal};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Parser)]
#[command(name = "crm-server", version, about = "The CRM sync server")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Clone)]
struct DbArgs {
    /// sqlite:///abs/path/server.db or postgres://user@host/db (default: server.db in --data-dir)
    #[arg(long, env = "CRM_DATABASE_URL")]
    database: Option<String>,
    /// Where the embedded SQLite database lives (created if missing)
    #[arg(long, env = "CRM_SERVER_DATA_DIR")]
    data_dir: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the sync server
    Serve {
        #[arg(long, default_value = "127.0.0.1:8080", env = "CRM_LISTEN")]
        listen: SocketAddr,
        /// Behind a reverse proxy on this machine: take the client's address from
        /// X-Forwarded-For (login throttling is per address)
        #[arg(long, env = "CRM_TRUST_FORWARDED")]
        trust_forwarded: bool,
        /// The most attachments one user may upload, in MiB
        #[arg(long, default_value_t = 2048, env = "CRM_BLOB_QUOTA_MIB")]
        blob_quota_mib: u64,
        /// The largest record kept (its whole history), in KiB
        #[arg(long, default_value_t = (crm_server::push::MAX_DOC_BYTES / 1024) as u64, env = "CRM_MAX_RECORD_KIB")]
        max_record_kib: u64,
        /// The longest pause, in seconds, while a request body arrives
        #[arg(long, default_value_t = crm_server::router::BODY_IDLE.as_secs(), env = "CRM_BODY_TIMEOUT_SECS")]
        body_timeout_secs: u64,
        /// The SMTP relay campaigns are sent through: smtp://host:port (plain, a local
        /// relay), smtps://user:password@host (TLS), smtp://…?tls=required (STARTTLS)
        #[arg(long, env = "CRM_SMTP")]
        smtp: Option<String>,
        /// The sender of campaign e-mails, e.g. "Services Picards <contact@exemple.fr>"
        #[arg(long, env = "CRM_MAIL_FROM")]
        mail_from: Option<String>,
        /// The server's public address, for the unsubscribe links in e-mails
        #[arg(long, env = "CRM_PUBLIC_URL")]
        public_url: Option<String>,
        /// Campaign e-mails sent per second at most
        #[arg(long, default_value_t = 10, env = "CRM_MAILS_PER_SECOND")]
        mails_per_second: u32,
        /// The shared mailbox read for e-mails from and to customers:
        /// imaps://user:password@host/INBOX (imap:// only on a trusted network)
        #[arg(long, env = "CRM_IMAP")]
        imap: Option<String>,
        /// The support address: a new message to it opens a ticket
        #[arg(long, env = "CRM_SUPPORT_ADDRESS")]
        support_address: Option<String>,
        /// How often the shared mailbox is read, in seconds
        #[arg(long, default_value_t = 60, env = "CRM_IMAP_INTERVAL_SECS")]
        imap_interval_secs: u64,
        /// REST API requests one key may make per minute
        #[arg(long, default_value_t = 600, env = "CRM_API_REQUESTS_PER_MINUTE")]
        api_requests_per_minute: u32,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Manage users
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Territories: rules that give new accounts and leads an owner
    Territory {
        #[command(subcommand)]
        command: TerritoryCommand,
    },
    /// Web forms that send leads (web-to-lead)
    LeadForm {
        #[command(subcommand)]
        command: LeadFormCommand,
    },
    /// Copy the SQLite database while the server runs (PostgreSQL: use pg_dump)
    Backup {
        /// The new file to write
        #[arg(long)]
        to: std::path::PathBuf,
        #[command(flatten)]
        db: DbArgs,
    },
    /// After restoring a backup: devices re-send what the server may have lost
    Restored {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Keys of the REST API (/api/v1): each acts as one user, with that user's rights
    ApiKey {
        #[command(subcommand)]
        command: integrations_cli::ApiKeyCommand,
    },
    /// Webhooks: events told to other tools as changes land
    Webhook {
        #[command(subcommand)]
        command: integrations_cli::WebhookCommand,
    },
    /// The security log: logins, failed logins, password and role changes, revocations
    Audit {
        #[arg(long, default_value_t = 100)]
        limit: i64,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Subcommand)]
enum LeadFormCommand {
    /// Add a form; prints its key (the web site posts to /v1/public/leads/KEY)
    Add {
        #[arg(long)]
        name: String,
        /// The one site allowed to post it, e.g. https://www.exemple.fr
        #[arg(long)]
        allowed_origin: String,
        /// The source its leads get
        #[arg(long, default_value = "site")]
        source: String,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        db: DbArgs,
    },
    /// The forms and their keys
    List {
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Remove a form: its key stops working at once
    Remove {
        #[arg(long)]
        name: String,
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Subcommand)]
enum TerritoryCommand {
    /// Add a rule (tried after those already there); criteria are comma-separated lists
    Add {
        name: String,
        /// The e-mail of the user who gets the matching accounts and leads
        #[arg(long)]
        owner: String,
        /// Postal codes or departments, e.g. `80,60` (prefixes of the postal code)
        #[arg(long, default_value = "")]
        postal: String,
        #[arg(long, default_value = "")]
        country: String,
        #[arg(long, default_value = "")]
        sector: String,
        /// Product lines, matched against the record's tags
        #[arg(long, default_value = "")]
        product_line: String,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        db: DbArgs,
    },
    /// The rules, in the order they are tried
    List {
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add a user; the password is read from standard input
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        role: crm_core::Role,
        /// The e-mail of the user's sales manager
        #[arg(long)]
        manager: Option<String>,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        db: DbArgs,
    },
    /// List users
    List {
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Disable a user (their devices stop syncing at once); `--enable` undoes it
    Disable {
        #[arg(long)]
        email: String,
        #[arg(long)]
        enable: bool,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Change a user's role
    SetRole {
        #[arg(long)]
        email: String,
        #[arg(long)]
        role: crm_core::Role,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Set a new password (read from standard input); every session of the user ends
    ResetPassword {
        #[arg(long)]
        email: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Set a user's sales manager (`--none` removes it)
    SetManager {
        #[arg(long)]
        email: String,
        #[arg(long, required_unless_present = "none")]
        manager: Option<String>,
        #[arg(long)]
        none: bool,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        db: DbArgs,
    },
}

#[tokio::main]
async fn main() {
    init_logging();
    if let Err(e) = run(Cli::parse()).await {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("CRM_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,tower_http=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    if std::env::var("CRM_LOG_FORMAT").as_deref() == Ok("json") {
        builder.json().init();
    } else {
        builder.init();
    }
}

async fn open(db: &DbArgs) -> anyhow::Result<Db> {
    let url = Settings::database_url(db.database.as_deref(), db.data_dir.as_deref())?;
    Db::connect(&url).await
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve {
            listen,
            trust_forwarded,
            blob_quota_mib,
            max_record_kib,
            body_timeout_secs,
            smtp,
            mail_from,
            public_url,
            mails_per_second,
            imap,
            support_address,
            imap_interval_secs,
            api_requests_per_minute,
            db,
        } => {
            let url = Settings::database_url(db.database.as_deref(), db.data_dir.as_deref())?;
            let listener =
                tokio::net::TcpListener::bind(listen).await.with_context(|| format!("cannot listen on {listen}"))?;
            let mut settings = Settings::new(url);
            settings.trust_forwarded = trust_forwarded;
            settings.blob_quota_bytes = blob_quota_mib * 1024 * 1024;
            settings.max_doc_bytes = (max_record_kib * 1024) as usize;
            settings.body_timeout = std::time::Duration::from_secs(body_timeout_secs);
            settings.smtp_url = smtp;
            settings.mail_from = mail_from;
            settings.public_url = public_url;
            settings.mails_per_second = mails_per_second;
            settings.imap_url = imap;
            settings.support_address = support_address;
            settings.imap_interval = std::time::Duration::from_secs(imap_interval_secs.max(5));
            settings.api_requests_per_minute = api_requests_per_minute;
            crm_server::launch_with_listener(settings, listener, shutdown_signal()).await
        }
        Command::Territory {
            command: TerritoryCommand::Add { name, owner, postal, country, sector, product_line, json, db },
        } => {
            let list = |s: &str| s.split(',').map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect();
            let new = crm_server::db::NewTerritory {
                name,
                owner_email: owner,
                postal_prefixes: list(&postal),
                countries: list(&country),
                sectors: list(&sector),
                product_lines: list(&product_line),
            };
            let db = open(&db).await?;
            let t = db.add_territory(new, now_ms()).await?;
            db.audit("admin-cli", "territory_added", &t.name, &t.owner_email, now_ms()).await?;
            if json {
                println!("{}", serde_json::to_string(&t)?);
            } else {
                println!("Added territory {} → {}", t.name, t.owner_email);
            }
            Ok(())
        }
        Command::LeadForm { command: LeadFormCommand::Add { name, allowed_origin, source, json, db } } => {
            let db = open(&db).await?;
            let form = db.add_lead_form(&name, &allowed_origin, &source, now_ms()).await?;
            db.audit("admin-cli", "lead_form_added", &form.name, &form.allowed_origin, now_ms()).await?;
            if json {
                println!("{}", serde_json::to_string(&form)?);
            } else {
                println!(
                    "Added form {} for {}. Its key: {}\nThe site posts to /v1/public/leads/{}",
                    form.name, form.allowed_origin, form.form_key, form.form_key
                );
            }
            Ok(())
        }
        Command::LeadForm { command: LeadFormCommand::List { json, db } } => {
            let list = open(&db).await?.lead_forms().await?;
            if json {
                println!("{}", serde_json::to_string(&list)?);
            } else if list.is_empty() {
                println!("No form: add one with `crm-server lead-form add`.");
            } else {
                for f in list {
                    println!("{:<20} {}  {}  (source {})", f.name, f.form_key, f.allowed_origin, f.source);
                }
            }
            Ok(())
        }
        Command::LeadForm { command: LeadFormCommand::Remove { name, db } } => {
            let db = open(&db).await?;
            db.remove_lead_form(&name).await?;
            db.audit("admin-cli", "lead_form_removed", &name, "", now_ms()).await?;
            println!("Removed form {name}.");
            Ok(())
        }
        Command::Territory { command: TerritoryCommand::List { json, db } } => {
            let list = open(&db).await?.territories().await?;
            if json {
                println!("{}", serde_json::to_string(&list)?);
            } else if list.is_empty() {
                println!("No territory: new accounts and leads belong to whoever creates them.");
            } else {
                for t in list {
                    let criteria = [
                        ("postal", &t.postal_prefixes),
                        ("country", &t.countries),
                        ("sector", &t.sectors),
                        ("product line", &t.product_lines),
                    ]
                    .iter()
                    .filter(|(_, v)| !v.is_empty())
                    .map(|(k, v)| format!("{k} {}", v.join("|")))
                    .collect::<Vec<_>>()
                    .join(", ");
                    println!(
                        "{:<20} → {:<30} {}",
                        t.name,
                        t.owner_email,
                        if criteria.is_empty() { "everything".into() } else { criteria }
                    );
                }
            }
            Ok(())
        }
        Command::User { command: UserCommand::Add { email, name, role, manager, json, db } } => {
            let password = read_password()?;
            if password.chars().count() < 8 {
                anyhow::bail!("the password must be at least 8 characters");
            }
            crm_core::validate_field(crm_core::RecordType::Contact, "email", &email.as_str().into())
                .map_err(|e| anyhow::anyhow!("--email: {}", e))?;
            let password_hash = auth::hash_password(&password)?;
            let db = open(&db).await?;
            let user =
                db.add_user(NewUser { email, name, role, manager_email: manager, password_hash }, now_ms()).await?;
            if json {
                println!("{}", serde_json::to_string(&user)?);
            } else {
                println!("Added {} <{}> as {} (id {})", user.name, user.email, user.role, user.id);
            }
            Ok(())
        }
        Command::ApiKey { command } => integrations_cli::api_key(command).await,
        Command::Webhook { command } => integrations_cli::webhook(command).await,
        Command::Backup { to, db } => {
            open(&db).await?.backup_to(&to).await?;
            println!("Backed up to {}", to.display());
            Ok(())
        }
        Command::Restored { db } => {
            let db = open(&db).await?;
            db.new_log_epoch(now_ms()).await?;
            db.audit("admin-cli", "restored", "log", "", now_ms()).await?;
            println!("New log epoch: every device sends its history again at its next sync.");
            Ok(())
        }
        Command::Audit { limit, json, db } => {
            let entries = open(&db).await?.audit_log(limit).await?;
            if json {
                println!("{}", serde_json::to_string(&entries)?);
            } else {
                for e in entries {
                    let when =
                        chrono::DateTime::from_timestamp_millis(e.at).map(|d| d.to_rfc3339()).unwrap_or_default();
                    println!("{when}  {:<18} {:<28} {} {}", e.action, e.actor, e.subject, e.detail);
                }
            }
            Ok(())
        }
        Command::User { command: UserCommand::ResetPassword { email, db } } => {
            let password = read_password()?;
            if password.chars().count() < 8 {
                anyhow::bail!("the password must be at least 8 characters");
            }
            let db = open(&db).await?;
            db.set_password(&email, &auth::hash_password(&password)?).await?;
            db.audit("admin-cli", "password_reset", &email.trim().to_lowercase(), "", now_ms()).await?;
            println!("New password set for {email}; their devices must log in again.");
            Ok(())
        }
        Command::User { command: UserCommand::Disable { email, enable, json, db } } => {
            let db = open(&db).await?;
            db.audit("admin-cli", if enable { "user_enabled" } else { "user_disabled" }, &email, "", now_ms()).await?;
            let user = db.set_user_disabled(&email, !enable).await?;
            print_user(&user, json, if enable { "Enabled" } else { "Disabled" })
        }
        Command::User { command: UserCommand::SetRole { email, role, json, db } } => {
            let db = open(&db).await?;
            let user = db.set_user_role(&email, role).await?;
            db.audit("admin-cli", "role_changed", &user.email, role.as_str(), now_ms()).await?;
            print_user(&user, json, "Updated")
        }
        Command::User { command: UserCommand::SetManager { email, manager, none: _, json, db } } => {
            let user = open(&db).await?.set_user_manager(&email, manager.as_deref()).await?;
            print_user(&user, json, "Updated")
        }
        Command::User { command: UserCommand::List { json, db } } => {
            let users = open(&db).await?.list_users().await?;
            if json {
                println!("{}", serde_json::to_string(&users)?);
            } else {
                for u in users {
                    println!("{:<36}  {:<30}  {:<10}  {}", u.id, u.email, u.role, u.name);
                }
            }
            Ok(())
        }
    }
}

fn print_user(user: &crm_server::db::UserRow, json: bool, verb: &str) -> anyhow::Result<()> {
    if json {
        println!("{}", serde_json::to_string(user)?);
    } else {
        let state = if user.disabled { "disabled" } else { "active" };
        println!("{verb} {} <{}>: {}, {state}", user.name, user.email, user.role);
    }
    Ok(())
}

fn read_password() -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        eprint!("Password: ");
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).context("cannot read the password from standard input")?;
    let password = line.trim_end_matches(['\n', '\r']).to_string();
    if password.is_empty() {
        anyhow::bail!("no password on standard input: pipe it in, e.g. `echo 'secret' | crm-server user add …`");
    }
    Ok(password)
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down: finishing in-flight requests");
}
