//! Convergence under random offline work: four devices of three users (two reps and
//! their manager) apply random operations offline — create accounts, contacts, visit
//! reports and deals, edit short fields, extend long texts, move deals, attach photos to
//! products (allowed or not), delete (allowed or not), reassign accounts — and sync in
//! random orders, with the server going down and coming back in between. At the end,
//! after every device has synced, every device holds exactly the records its user may
//! read, each equal to the server's copy, every attachment it lists opens with the bytes
//! attached, nothing is left pending, and nothing was refused except for a reason of
//! permissions.
//!
//! Seeded and shrinking (proptest). The seed is printed; re-run a failure with
//! `CRM_PROP_SEED=<hex> cargo test -p crm-tests --test convergence_prop`.

use crm_core::permissions::{Action, Viewer};
use crm_core::{FieldValue, RecordType, Role};
use crm_tests::{Backend, TestClient, TestServer};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Across all cases: records compared with the server's copy, and refused changes seen.
static COMPARED: AtomicUsize = AtomicUsize::new(0);
static REFUSED: AtomicUsize = AtomicUsize::new(0);
static ACKED_WORDS: AtomicUsize = AtomicUsize::new(0);
static OPENED_MEDIA: AtomicUsize = AtomicUsize::new(0);

const USERS: [(&str, Role); 3] =
    [("julie@example.fr", Role::Rep), ("paul@example.fr", Role::Rep), ("marc@example.fr", Role::Manager)];
/// Device → its user (index into USERS): Julie's laptop and desktop, Paul's laptop,
/// Marc's office desktop.
const DEVICES: [usize; 4] = [0, 0, 1, 2];
const CITIES: [&str; 4] = ["Amiens", "Lyon", "Nantes", "Lille"];
const STAGES: [&str; 4] = ["qualification", "proposal", "negotiation", "won"];
/// The catalogue the manager opens before the work starts.
const PRODUCTS: [&str; 2] = ["GARDE-01", "AUDIT-02"];

#[derive(Debug, Clone)]
enum Op {
    CreateAccount { dev: usize, owner: usize },
    CreateContact { dev: usize, account: usize },
    CreateActivity { dev: usize, account: usize },
    CreateDeal { dev: usize, account: usize },
    EditCity { dev: usize, record: usize, city: usize },
    ExtendReport { dev: usize, record: usize, word: u8 },
    MoveDeal { dev: usize, record: usize, stage: usize },
    Attach { dev: usize, product: usize, size: usize },
    Delete { dev: usize, record: usize },
    Reassign { account: usize, to: usize },
    Sync { dev: usize },
    ServerDownWhileSyncing { dev: usize },
}

fn ops() -> impl Strategy<Value = Vec<Op>> {
    let dev = 0..DEVICES.len();
    let idx = 0..64usize;
    let op = prop_oneof![
        3 => (dev.clone(), 0..3usize).prop_map(|(dev, owner)| Op::CreateAccount { dev, owner }),
        2 => (dev.clone(), idx.clone()).prop_map(|(dev, account)| Op::CreateContact { dev, account }),
        3 => (dev.clone(), idx.clone()).prop_map(|(dev, account)| Op::CreateActivity { dev, account }),
        2 => (dev.clone(), idx.clone()).prop_map(|(dev, account)| Op::CreateDeal { dev, account }),
        3 => (dev.clone(), idx.clone(), 0..CITIES.len()).prop_map(|(dev, record, city)| Op::EditCity { dev, record, city }),
        6 => (dev.clone(), idx.clone(), any::<u8>()).prop_map(|(dev, record, word)| Op::ExtendReport { dev, record, word }),
        2 => (dev.clone(), idx.clone(), 0..STAGES.len()).prop_map(|(dev, record, stage)| Op::MoveDeal { dev, record, stage }),
        2 => (dev.clone(), 0..PRODUCTS.len(), 1..3_000usize).prop_map(|(dev, product, size)| Op::Attach { dev, product, size }),
        1 => (dev.clone(), idx.clone()).prop_map(|(dev, record)| Op::Delete { dev, record }),
        1 => (idx.clone(), 0..2usize).prop_map(|(account, to)| Op::Reassign { account, to }),
        4 => dev.clone().prop_map(|dev| Op::Sync { dev }),
        1 => dev.prop_map(|dev| Op::ServerDownWhileSyncing { dev }),
    ];
    proptest::collection::vec(op, 12..60)
}

/// Records created so far, by type, in creation order (ops pick them by index).
#[derive(Default)]
struct Known {
    records: Vec<(String, RecordType)>,
}

impl Known {
    fn pick(&self, kind: Option<RecordType>, i: usize) -> Option<String> {
        let list: Vec<&String> =
            self.records.iter().filter(|(_, t)| kind.is_none_or(|k| *t == k)).map(|(id, _)| id).collect();
        (!list.is_empty()).then(|| list[i % list.len()].clone())
    }
}

fn text(pairs: &[(&str, &str)]) -> BTreeMap<String, FieldValue> {
    pairs.iter().map(|(k, v)| (k.to_string(), FieldValue::from(*v))).collect()
}

/// A word a device appended to a visit report, and whether a sync acknowledged it.
struct Appended {
    dev: usize,
    record: String,
    word: String,
    acked: bool,
}

/// An operation the device's user may not do here, or on a record it does not hold,
/// fails locally; anything else failing is a defect.
fn tolerated(e: &crm_client::ClientError) -> bool {
    let m = e.to_string();
    m.contains("on this device") || m.contains("may not") || matches!(e, crm_client::ClientError::Forbidden(_))
}

async fn run_case(ops: Vec<Op>) -> Result<(), TestCaseError> {
    let mut server = TestServer::start(Backend::Sqlite).await;
    for (email, role) in USERS {
        server.add_user(email, role).await;
    }
    server.set_manager(USERS[0].0, USERS[2].0).await;
    server.set_manager(USERS[1].0, USERS[2].0).await;
    let mut ids = Vec::new();
    for (email, _) in USERS {
        ids.push(server.user_id(email).await);
    }
    let mut devices: Vec<TestClient> = Vec::new();
    for user in DEVICES {
        devices.push(server.client(USERS[user].0).await);
    }
    for (i, reference) in PRODUCTS.iter().enumerate() {
        let product = text(&[("reference", reference), ("designation", &format!("Produit {i}")), ("price", "100.00")]);
        devices[3].client.create(RecordType::Product, product).unwrap();
    }
    let mut known = Known::default();
    // Each rep's laptop starts with an account and a visit report of its own, so that
    // every case has reports to write in from its first operation.
    for dev in [0, 2] {
        let user = DEVICES[dev];
        let client = &devices[dev].client;
        let name = format!("Compte de départ {dev}");
        let account = client
            .create(RecordType::Account, text(&[("name", &name), ("kind", "customer"), ("owner", &ids[user])]))
            .unwrap();
        let account = account["id"].as_str().unwrap().to_string();
        let report =
            text(&[("account", &account), ("kind", "visit"), ("at", "2026-03-14T09:30:00Z"), ("body", "Visite.")]);
        let report = client.create(RecordType::Activity, report).unwrap();
        known.records.push((account, RecordType::Account));
        known.records.push((report["id"].as_str().unwrap().to_string(), RecordType::Activity));
    }
    let mut appended: Vec<Appended> = Vec::new();
    // Every file attached anywhere: its media item name → its bytes.
    let mut attached: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut n = 0u32;
    for op in ops {
        n += 1;
        let result: Result<(), crm_client::ClientError> = match &op {
            Op::CreateAccount { dev, owner } => {
                let user = DEVICES[*dev];
                // A rep's accounts are theirs; the manager opens them for anyone.
                let owner = if USERS[user].1 == Role::Manager { &ids[*owner] } else { &ids[user] };
                let name = format!("Compte {n}");
                devices[*dev]
                    .client
                    .create(RecordType::Account, text(&[("name", &name), ("kind", "customer"), ("owner", owner)]))
                    .map(|r| known.records.push((r["id"].as_str().unwrap().to_string(), RecordType::Account)))
            }
            Op::CreateContact { dev, account }
            | Op::CreateActivity { dev, account }
            | Op::CreateDeal { dev, account } => {
                let Some(account) = known.pick(Some(RecordType::Account), *account) else { continue };
                let (kind, fields) = match op {
                    Op::CreateContact { .. } => {
                        (RecordType::Contact, text(&[("account", &account), ("name", &format!("Contact {n}"))]))
                    }
                    Op::CreateActivity { .. } => (
                        RecordType::Activity,
                        text(&[
                            ("account", &account),
                            ("kind", "visit"),
                            ("at", "2026-03-14T09:30:00Z"),
                            ("body", "Visite."),
                        ]),
                    ),
                    _ => (
                        RecordType::Deal,
                        text(&[
                            ("account", &account),
                            ("title", &format!("Affaire {n}")),
                            ("deal_type", "simple"),
                            ("stage", "qualification"),
                        ]),
                    ),
                };
                let created = if kind == RecordType::Deal {
                    devices[*dev].client.create_deal(fields)
                } else {
                    devices[*dev].client.create(kind, fields)
                };
                created.map(|r| known.records.push((r["id"].as_str().unwrap().to_string(), kind)))
            }
            Op::EditCity { dev, record, city } => {
                let Some(id) = known.pick(Some(RecordType::Account), *record) else { continue };
                let edit = [("city".to_string(), Some(FieldValue::from(CITIES[*city])))].into();
                devices[*dev].client.edit(&id, edit).map(|_| ())
            }
            Op::ExtendReport { dev, record, word } => {
                // A report this device holds (one it created, or received).
                let held = devices[*dev].client.list(RecordType::Activity).unwrap();
                let Some(report) = (!held.is_empty()).then(|| &held[*record % held.len()]) else { continue };
                let id = report["id"].as_str().unwrap().to_string();
                match devices[*dev].client.get(&id) {
                    Ok(current) => {
                        // Unique words, to check each acknowledged one is kept.
                        let word = format!("mot{word}x{n}");
                        let body = format!("{} {word}", current["body"].as_str().unwrap_or(""));
                        let edit = [("body".to_string(), Some(FieldValue::Text(body)))].into();
                        let done = devices[*dev].client.edit(&id, edit).map(|_| ());
                        if done.is_ok() {
                            appended.push(Appended { dev: *dev, record: id.clone(), word, acked: false });
                        }
                        done
                    }
                    Err(e) => Err(e),
                }
            }
            Op::MoveDeal { dev, record, stage } => {
                let Some(id) = known.pick(Some(RecordType::Deal), *record) else { continue };
                let edit = [("stage".to_string(), Some(FieldValue::from(STAGES[*stage])))].into();
                devices[*dev].client.edit_deal(&id, edit).map(|_| ())
            }
            Op::Attach { dev, product, size } => {
                let client = &devices[*dev].client;
                let reference = PRODUCTS[*product];
                // Only on a device that holds the product (the manager's, or after a sync).
                if client.find(RecordType::Product, "reference", reference).unwrap().is_empty() {
                    continue;
                }
                let bytes = format!("photo {n} de {reference} ").repeat(*size).into_bytes();
                let file = devices[*dev].dir.path().join(format!("photo-{n}.jpg"));
                std::fs::write(&file, &bytes).unwrap();
                client.attach_media(reference, &file).map(|product| {
                    // The new item is the one not attached before (a set: not in order).
                    let items = product["media"].as_array().unwrap().iter().map(|i| i.as_str().unwrap().to_string());
                    let new: Vec<String> = items.filter(|i| !attached.contains_key(i)).collect();
                    assert_eq!(new.len(), 1, "one new item: {new:?}");
                    attached.insert(new[0].clone(), bytes);
                })
            }
            Op::Delete { dev, record } => {
                let Some(id) = known.pick(None, *record) else { continue };
                let kind = known.records.iter().find(|(r, _)| *r == id).unwrap().1;
                devices[*dev].client.delete(&id, kind).map(|_| ())
            }
            Op::Reassign { account, to } => {
                let Some(id) = known.pick(Some(RecordType::Account), *account) else { continue };
                devices[3].client.reassign_account(&id, USERS[*to].0).await.map(|_| ())
            }
            Op::Sync { dev } => {
                let synced = devices[*dev].client.sync(|_| {}).await.map(|_| ());
                if synced.is_ok() {
                    // What the device had typed is now acknowledged (or refused, with a reason).
                    appended.iter_mut().filter(|a| a.dev == *dev).for_each(|a| a.acked = true);
                }
                synced
            }
            Op::ServerDownWhileSyncing { dev } => {
                server.stop().await;
                let down = devices[*dev].client.sync(|_| {}).await;
                prop_assert!(down.as_ref().is_err_and(|e| e.is_offline()), "a sync with the server down: {down:?}");
                server.restart().await;
                for (d, user) in devices.iter().zip(DEVICES) {
                    d.relogin(&server, USERS[user].0).await;
                }
                Ok(())
            }
        };
        if let Err(e) = result {
            prop_assert!(tolerated(&e), "{op:?} failed: {e}");
        }
    }

    // Quiescence: everyone syncs, three times round.
    for _ in 0..3 {
        for d in &devices {
            d.client.sync(|_| {}).await.map_err(|e| TestCaseError::fail(format!("final sync: {e}")))?;
        }
    }

    // After these syncs every word typed anywhere has been acknowledged or refused.
    appended.iter_mut().for_each(|a| a.acked = true);

    // The server's copy of every record.
    let db = server.db().await;
    let rows: Vec<(String, String, Option<String>, String, String)> =
        sqlx::query_as("SELECT id, doc_type, owner_id, fields, conflicts FROM docs")
            .fetch_all(db.pool())
            .await
            .unwrap();
    // Every acknowledged word is in the server's copy of its report, unless the report
    // was deleted or the device's change to it was refused (kept on the device, listed).
    let mut refused_docs = BTreeSet::new();
    for d in &devices {
        refused_docs.extend(d.client.rejections().unwrap().into_iter().map(|r| r.doc_id));
    }
    for a in appended.iter().filter(|a| a.acked) {
        let Some((_, _, _, fields, _)) = rows.iter().find(|r| r.0 == a.record) else {
            prop_assert!(refused_docs.contains(&a.record), "report {} with an acknowledged edit is gone", a.record);
            continue;
        };
        let fields: serde_json::Value = serde_json::from_str(fields).unwrap();
        if fields["deleted"] == "yes" || refused_docs.contains(&a.record) {
            continue;
        }
        prop_assert!(
            fields["body"].as_str().unwrap_or("").split(' ').any(|w| w == a.word),
            "the acknowledged word {} of device {} is missing from report {}: {}",
            a.word,
            a.dev,
            a.record,
            fields["body"]
        );
        ACKED_WORDS.fetch_add(1, Ordering::Relaxed);
    }
    let mut reports = BTreeMap::new();
    for (user, id) in ids.iter().enumerate() {
        reports.insert(user, db.reports(id).await.unwrap());
    }
    db.close().await;
    for (d, user) in devices.iter().zip(DEVICES) {
        let viewer = Viewer { user_id: ids[user].clone(), role: USERS[user].1, reports: reports[&user].clone() };
        let status = d.client.status().unwrap();
        prop_assert_eq!(status.pending, 0, "nothing stays pending on a device of {}", USERS[user].0);
        for r in d.client.rejections().unwrap() {
            prop_assert!(r.code == "forbidden", "a refusal that is not about permissions: {r:?}");
            REFUSED.fetch_add(1, Ordering::Relaxed);
        }
        let mut expected = BTreeSet::new();
        for (id, doc_type, owner, fields, conflicts) in &rows {
            let t: RecordType = doc_type.parse().unwrap();
            let fields: serde_json::Map<String, serde_json::Value> = serde_json::from_str(fields).unwrap();
            if fields.get("deleted").and_then(|v| v.as_str()) == Some("yes")
                || !viewer.can(Action::Read, t, owner.as_deref())
            {
                continue;
            }
            expected.insert(id.clone());
            let local = d
                .client
                .get(id)
                .map_err(|e| TestCaseError::fail(format!("{id} missing on a device of {}: {e}", USERS[user].0)))?;
            let mut local = local.fields().clone();
            let local_conflicts = local.remove("conflicts").unwrap();
            local.remove("id");
            local.remove("type");
            prop_assert_eq!(&local, &fields, "{} {} differs on a device of {}", doc_type, id, USERS[user].0);
            let server_conflicts: serde_json::Value = serde_json::from_str(conflicts).unwrap();
            prop_assert_eq!(local_conflicts, server_conflicts, "conflicts of {}", id);
            COMPARED.fetch_add(1, Ordering::Relaxed);
        }
        let mut held = BTreeSet::new();
        for t in [
            RecordType::Account,
            RecordType::Contact,
            RecordType::Activity,
            RecordType::Deal,
            RecordType::Contract,
            RecordType::Product,
        ] {
            held.extend(d.client.list(t).unwrap().into_iter().map(|r| r["id"].as_str().unwrap().to_string()));
        }
        prop_assert_eq!(&held, &expected, "the records a device of {} holds", USERS[user].0);
        // Every attachment the device lists opens (downloaded now if it is not here),
        // with the bytes that were attached.
        for product in d.client.list(RecordType::Product).unwrap() {
            for item in product["media"].as_array().into_iter().flatten() {
                let item = item.as_str().unwrap();
                let path = d.client.media_file(item).await.map_err(|e| TestCaseError::fail(format!("{item}: {e}")))?;
                prop_assert!(attached.get(item) == Some(&std::fs::read(path).unwrap()), "{} differs", item);
                OPENED_MEDIA.fetch_add(1, Ordering::Relaxed);
            }
        }
    }
    Ok(())
}

#[test]
fn random_offline_work_on_four_devices_converges_to_the_servers_state() {
    let seed: [u8; 32] = match std::env::var("CRM_PROP_SEED") {
        Ok(hex) => {
            let bytes: Vec<u8> =
                (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap()).collect();
            bytes.try_into().expect("CRM_PROP_SEED is 64 hex digits")
        }
        Err(_) => {
            let mut s = [0u8; 32];
            s[..16].copy_from_slice(uuid::Uuid::new_v4().as_bytes());
            s
        }
    };
    let hex: String = seed.iter().map(|b| format!("{b:02x}")).collect();
    println!("convergence property: CRM_PROP_SEED={hex}");
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let config = Config { cases: 20, failure_persistence: None, max_shrink_iters: 200, ..Config::default() };
    let mut runner = TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &seed));
    let result = runner.run(&ops(), |ops| rt.block_on(run_case(ops)));
    if let Err(e) = result {
        panic!("{e}\nreproduce with CRM_PROP_SEED={hex}");
    }
    let compared = COMPARED.load(Ordering::Relaxed);
    let words = ACKED_WORDS.load(Ordering::Relaxed);
    let media = OPENED_MEDIA.load(Ordering::Relaxed);
    println!(
        "{compared} records compared with the server's copy, {words} acknowledged words found, {media} attachments opened, {} refused changes",
        REFUSED.load(Ordering::Relaxed)
    );
    assert!(media > 0, "no attachment was made and opened");
    assert!(words > 5, "the random work acknowledged too few edits to check ({words})");
    assert!(compared > 50, "the random work produced too little to compare ({compared} records)");
}
