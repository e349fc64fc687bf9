//! `crm-bench hostile`: the server's memory while hostile clients push their worst
//! payloads, next to its idle memory. Each scenario runs on a fresh `crm-server`
//! process (its peak resident memory, VmHWM, is its own), with `--clients` clients at
//! once, each sending the payload `--rounds` times.

use crate::server::ServerProcess;
use crm_core::{FieldValue, Record, RecordId, RecordType, Role};
use crm_doc::{DeviceActor, RecordDoc};
use crm_protocol::{LoginRequest, LoginResponse};
use crm_tests::{Backend, PASSWORD};
use std::time::Instant;

struct Attack {
    name: &'static str,
    /// Path, `content-encoding`, body.
    request: (&'static str, Option<&'static str>, Vec<u8>),
    authenticated: bool,
}

pub async fn run(backend: Backend, clients: usize, rounds: usize) -> anyhow::Result<()> {
    println!("crm-bench hostile: {backend:?} server, {clients} clients at once, {rounds} rounds each");
    let attacks = attacks()?;
    println!("| payload | on the wire | answers | peak memory | after | idle | time |");
    println!("|---|---|---|---|---|---|---|");
    for attack in attacks {
        let server = ServerProcess::start(backend).await?;
        crm_tests::add_user(&server.database.url, "admin@example.fr", Role::Admin).await;
        let http = reqwest::Client::new();
        let token = login(&http, &server.url).await?;
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        let (_, idle) = server.memory_mb();
        let started = Instant::now();
        let mut tasks = Vec::new();
        for _ in 0..clients {
            let (http, url, token) = (http.clone(), server.url.clone(), token.clone());
            let (path, encoding, body) = attack.request.clone();
            let authenticated = attack.authenticated;
            tasks.push(tokio::spawn(async move {
                let mut statuses = Vec::new();
                for _ in 0..rounds {
                    let mut request = http
                        .post(format!("{url}{path}"))
                        .header("x-crm-protocol", "1")
                        .header("content-type", "application/json")
                        .body(body.clone());
                    if let Some(encoding) = encoding {
                        request = request.header("content-encoding", encoding);
                    }
                    if authenticated {
                        request = request.bearer_auth(&token);
                    }
                    statuses.push(request.send().await.map(|r| r.status().as_u16()).unwrap_or(0));
                }
                statuses
            }));
        }
        let mut answers: std::collections::BTreeMap<u16, usize> = Default::default();
        for task in tasks {
            for status in task.await? {
                *answers.entry(status).or_default() += 1;
            }
        }
        let elapsed = started.elapsed();
        let (peak, now) = server.memory_mb();
        let healthy = http.get(format!("{}/health", server.url)).send().await.is_ok_and(|r| r.status().is_success());
        anyhow::ensure!(healthy, "the server stopped answering after {}", attack.name);
        let answers: Vec<String> = answers.iter().map(|(s, n)| format!("{n}× {s}")).collect();
        println!(
            "| {} | {:.2} MB | {} | {peak:.0} MB | {now:.0} MB | {idle:.0} MB | {:.1} s |",
            attack.name,
            attack.request.2.len() as f64 / 1e6,
            answers.join(", "),
            elapsed.as_secs_f64()
        );
    }
    Ok(())
}

async fn login(http: &reqwest::Client, url: &str) -> anyhow::Result<String> {
    let login: LoginResponse = http
        .post(format!("{url}/v1/login"))
        .header("x-crm-protocol", "1")
        .json(&LoginRequest {
            email: "admin@example.fr".into(),
            password: PASSWORD.into(),
            device_id: DEVICE,
            device_name: "bench".into(),
        })
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    Ok(login.token)
}

/// The device the attacker logs in as (its changes are signed by it).
const DEVICE: uuid::Uuid = uuid::Uuid::from_u128(0x0192_0000_0000_7000_8000_0000_0000_0042);

fn sync_body(changes: &[(uuid::Uuid, Vec<u8>)]) -> Vec<u8> {
    let changes: Vec<crm_protocol::PushedChange> = changes
        .iter()
        .map(|(doc, data)| crm_protocol::PushedChange { doc: *doc, data: crm_protocol::Bytes(data.clone()) })
        .collect();
    serde_json::to_vec(&crm_protocol::SyncRequest { changes, ..Default::default() }).expect("serialisable")
}

/// The largest change that passes every check: a product created with its three long
/// texts at their maximum length, in 3-byte characters (about 1.8 MB, 600,000
/// operations).
fn largest_product(n: usize) -> anyhow::Result<(uuid::Uuid, Vec<u8>)> {
    let mut r = Record::new(RecordId(uuid::Uuid::now_v7()), RecordType::Product);
    r.fields.insert("reference".into(), FieldValue::Text(format!("BIG-{n:04}")));
    r.fields.insert("designation".into(), "Catalogue".into());
    r.fields.insert("price".into(), "1.00".into());
    for (i, field) in ["pitch", "strengths", "weaknesses"].iter().enumerate() {
        let text: String = (0..200_000u32)
            .map(|k| char::from_u32(0x4e00 + (k * 7 + i as u32 * 11 + n as u32) % 20_000).unwrap_or('中'))
            .collect();
        r.fields.insert(field.to_string(), FieldValue::Text(text));
    }
    let mut doc = RecordDoc::create(&DeviceActor::from_device_id(&DEVICE), &r, 1)?;
    Ok((r.id.0, doc.all_changes()[0].raw_bytes().to_vec()))
}

fn attacks() -> anyhow::Result<Vec<Attack>> {
    let zstd_zeros = |size: usize| -> anyhow::Result<Vec<u8>> {
        use std::io::Write;
        let mut encoder = zstd::Encoder::new(Vec::new(), 19)?;
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..size / zeros.len() {
            encoder.write_all(&zeros)?;
        }
        Ok(encoder.finish()?)
    };
    let bombs: Vec<(uuid::Uuid, Vec<u8>)> =
        (0..8).map(|_| (uuid::Uuid::now_v7(), crm_doc::wire::compressed_bomb(1 << 30))).collect();
    let runs: Vec<(uuid::Uuid, Vec<u8>)> =
        (0..1000).map(|_| (uuid::Uuid::now_v7(), crm_doc::wire::run_length_bomb(i64::MAX))).collect();
    // As many as a 16 MiB body holds once in base64.
    let largest: Vec<(uuid::Uuid, Vec<u8>)> = (0..6).map(largest_product).collect::<anyhow::Result<_>>()?;
    let login = serde_json::to_vec(&serde_json::json!({
        "email": "admin@example.fr", "password": "x", "device_id": DEVICE, "device_name": "bench"
    }))?;
    Ok(vec![
        Attack {
            name: "8 compressed changes inflating to 1 GiB each",
            request: ("/v1/sync", None, sync_body(&bombs)),
            authenticated: true,
        },
        Attack {
            name: "1,000 changes declaring 2^63 operations each",
            request: ("/v1/sync", None, sync_body(&runs)),
            authenticated: true,
        },
        Attack {
            name: "a sync body of 8 GiB of zeros, zstd-compressed",
            request: ("/v1/sync", Some("zstd"), zstd_zeros(8 << 30)?),
            authenticated: true,
        },
        Attack {
            name: "a login body of 1 GiB, zstd-compressed, no token",
            request: ("/v1/login", Some("zstd"), zstd_zeros(1 << 30)?),
            authenticated: false,
        },
        Attack {
            name: "6 largest valid changes (1.8 MB, 600,000 operations each) in one push",
            request: ("/v1/sync", None, sync_body(&largest)),
            authenticated: true,
        },
        Attack { name: "wrong passwords (Argon2id checks)", request: ("/v1/login", None, login), authenticated: false },
    ])
}
