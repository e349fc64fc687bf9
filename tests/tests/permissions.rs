//! The permission matrix of docs/permissions.md, cell by cell, against the real server:
//! each role logs in on its own device, pulls, creates, edits and deletes records of
//! every type owned by itself, by its team and by a stranger, and the outcome must be
//! what the document's table says. The expected values are read from the document
//! itself, so the page users read is the page that is tested.

use crm_core::{FieldValue, RecordType, Role};
use crm_tests::fields;
use crm_tests::{Backend, TestClient, TestServer, on_both_backends};
use std::collections::{BTreeMap, HashMap, HashSet};

const ROLES: [(Role, &str); 5] = [
    (Role::Rep, "rep@example.fr"),
    (Role::Manager, "manager@example.fr"),
    (Role::Marketing, "marketing@example.fr"),
    (Role::Support, "support@example.fr"),
    (Role::Admin, "admin@example.fr"),
];
/// A rep who reports to no one in this test: everyone's stranger.
const STRANGER: &str = "stranger@example.fr";

/// The table of docs/permissions.md: (record type, role) → [read, create, edit, delete].
fn documented_matrix() -> HashMap<(String, String), [String; 4]> {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/permissions.md")).unwrap();
    let mut lines = doc.lines().filter(|l| l.starts_with("| "));
    let header: Vec<String> =
        lines.next().unwrap().split('|').map(|c| c.trim().to_string()).filter(|c| !c.is_empty()).collect();
    let mut matrix = HashMap::new();
    for line in lines {
        let cells: Vec<&str> = line.split('|').map(str::trim).filter(|c| !c.is_empty()).collect();
        for (i, role) in header.iter().enumerate().skip(1) {
            let parts: Vec<String> = cells[i].split('/').map(|p| p.trim().to_string()).collect();
            matrix.insert((cells[0].to_string(), role.clone()), [0, 1, 2, 3].map(|k| parts[k].clone()));
        }
    }
    assert_eq!(matrix.len(), RecordType::ALL.len() * ROLES.len(), "the documented table covers every cell");
    matrix
}

/// Valid fields for a record of `t` belonging to `owner`, on account `account` (owned
/// by `owner`).
fn sample(t: RecordType, owner: &str, account: &str, n: usize) -> BTreeMap<String, FieldValue> {
    let lines = r#"[{"reference":"SRV-0001","designation":"Audit","quantity":"1","unit_price":"100.00","discount_percent":"0","vat_percent":"20"}]"#;
    let title = format!("Échantillon {n}");
    match t {
        RecordType::Account => fields(&[("name", &title), ("kind", "customer"), ("owner", owner)]),
        RecordType::Contact => fields(&[("account", account), ("name", &title)]),
        RecordType::Activity => fields(&[("account", account), ("kind", "call"), ("at", "2026-03-14T09:30:00Z")]),
        RecordType::Deal => fields(&[
            ("account", account),
            ("title", &title),
            ("deal_type", "new_business"),
            ("stage", "qualification"),
            ("owner", owner),
        ]),
        RecordType::Contract => {
            fields(&[("account", account), ("status", "active"), ("start", "2026-01-01"), ("owner", owner)])
        }
        RecordType::Product => {
            fields(&[("reference", &format!("REF-{n:04}")), ("designation", &title), ("price", "10")])
        }
        RecordType::Quote => fields(&[
            ("account", account),
            ("number", &format!("D-{n}")),
            ("status", "draft"),
            ("lines", lines),
            ("owner", owner),
        ]),
        RecordType::Event => fields(&[
            ("title", &title),
            ("start", "2026-03-14T09:00:00Z"),
            ("end", "2026-03-14T10:00:00Z"),
            ("owner", owner),
        ]),
        RecordType::Task => fields(&[("title", &title), ("due", "2026-03-20"), ("assignee", owner)]),
        RecordType::Lead => fields(&[("name", &title), ("owner", owner)]),
        RecordType::Campaign => fields(&[("name", &title), ("owner", owner)]),
        RecordType::Ticket => fields(&[("account", account), ("title", &title), ("status", "open")]),
        RecordType::Report => {
            fields(&[("week", &format!("2026-W{:02}", 1 + n % 52)), ("owner", owner), ("comment", &title)])
        }
        RecordType::Settings => unreachable!("one settings record, made by the administrator"),
    }
}

/// A harmless edit of a record of type `t`, different for each role (an edit that
/// changes nothing is no change at all).
fn harmless_edit(t: RecordType, role: Role) -> crm_doc::Edit {
    let n = ROLES.iter().position(|(r, _)| *r == role).unwrap() + 1;
    let (field, value) = match t {
        RecordType::Account => ("city", format!("Lyon {role}")),
        RecordType::Contact => ("job_title", format!("Gérante {role}")),
        RecordType::Activity => ("subject", format!("Relance {role}")),
        RecordType::Deal | RecordType::Ticket => ("title", format!("Renommé par {role}")),
        RecordType::Contract => ("term_months", format!("{}", 12 * n)),
        RecordType::Product => ("pitch", format!("Le meilleur, dit {role}.")),
        RecordType::Quote => ("valid_until", format!("2026-04-{:02}", 10 + n)),
        RecordType::Event => ("place", format!("Amiens {role}")),
        RecordType::Task => ("notes", format!("Vu par {role}.")),
        RecordType::Report => ("comment", format!("Vu par {role}.")),
        RecordType::Lead => ("source", format!("salon {role}")),
        RecordType::Campaign => ("channel", format!("courrier {role}")),
        RecordType::Settings => ("company", format!("Société {role}")),
    };
    [(field.to_string(), Some(FieldValue::Text(value)))].into_iter().collect()
}

fn deletion() -> crm_doc::Edit {
    [("deleted".to_string(), Some(FieldValue::from("yes")))].into_iter().collect()
}

/// Whether a documented scope reaches a record owned by `owner` for `user`.
fn reaches(scope: &str, user: &str, owner: &str, team: &[String]) -> bool {
    match scope {
        "all" => true,
        "own" => owner == user,
        "team" => owner == user || team.iter().any(|t| t == owner),
        "-" => false,
        other => panic!("unknown scope `{other}` in docs/permissions.md"),
    }
}

/// Records the server refused for this device, by record id.
fn refused(device: &TestClient) -> HashSet<String> {
    device.client.rejections().unwrap().into_iter().map(|r| r.doc_id).collect()
}

async fn every_cell_of_the_permission_matrix_holds_on_push_and_pull(backend: Backend) {
    let matrix = documented_matrix();
    let server = TestServer::start(backend).await;
    for (role, email) in ROLES {
        server.add_user(email, role).await;
    }
    server.add_user(STRANGER, Role::Rep).await;
    server.set_manager("rep@example.fr", "manager@example.fr").await;
    let mut ids: HashMap<&str, String> = HashMap::new();
    for email in ROLES.iter().map(|(_, e)| *e).chain([STRANGER]) {
        ids.insert(email, server.user_id(email).await);
    }

    // The administrator seeds, for every user, an account and a record of every type.
    let admin = server.client("admin@example.fr").await;
    admin.client.configure_company("Services Picards SARL", None).unwrap();
    let mut n = 0;
    let mut seeded: HashMap<(RecordType, String), String> = HashMap::new();
    let mut accounts: HashMap<String, String> = HashMap::new();
    for owner in ids.values() {
        n += 1;
        let account = admin.client.create(RecordType::Account, sample(RecordType::Account, owner, "", n)).unwrap();
        let account = account["id"].as_str().unwrap().to_string();
        accounts.insert(owner.clone(), account.clone());
        seeded.insert((RecordType::Account, owner.clone()), account.clone());
        for t in RecordType::ALL.into_iter().filter(|t| !matches!(t, RecordType::Account | RecordType::Settings)) {
            n += 1;
            let r = admin.client.create(t, sample(t, owner, &account, n)).unwrap();
            seeded.insert((t, owner.clone()), r["id"].as_str().unwrap().to_string());
        }
    }
    let settings_id = crm_core::stages::SETTINGS_ID.to_string();
    admin.sync().await;
    assert!(refused(&admin).is_empty(), "the administrator may create everything");

    let mut checked = 0;
    for (role, email) in ROLES {
        let me = ids[email].clone();
        let team: Vec<String> = if role == Role::Manager { vec![ids["rep@example.fr"].clone()] } else { vec![] };
        let owners: Vec<String> = [me.clone(), ids[STRANGER].clone()].into_iter().chain(team.clone()).collect();
        let device = server.client(email).await;
        device.sync().await;
        let cell =
            |t: RecordType, action: usize| matrix[&(t.as_str().to_string(), role.as_str().to_string())][action].clone();

        // Read: exactly what the table allows is on the device, nothing more.
        for ((t, owner), id) in &seeded {
            if !owners.contains(owner) {
                continue;
            }
            let expected = reaches(&cell(*t, 0), &me, owner, &team);
            let on_device = device.client.get(id).is_ok();
            assert_eq!(on_device, expected, "{role} reading a {t} of {owner} (me {me})");
            checked += 1;
        }
        assert_eq!(device.client.get(&settings_id).is_ok(), reaches(&cell(RecordType::Settings, 0), &me, "", &team));

        // Create, for each owner.
        let mut created: HashMap<String, (RecordType, bool)> = HashMap::new();
        let mut owner_of: HashMap<String, String> = HashMap::new();
        for t in RecordType::ALL.into_iter().filter(|t| *t != RecordType::Settings) {
            for owner in &owners {
                n += 1;
                let allowed = reaches(&cell(t, 1), &me, owner, &team);
                let r = match device.client.create(t, sample(t, owner, &accounts[owner], n)) {
                    Ok(r) => r,
                    Err(e) => {
                        // The app does not even let a record hang from an account that
                        // is not on the device; the server would refuse it anyway.
                        assert!(e.to_string().contains("on this device") && !allowed, "{role} creating a {t}: {e}");
                        continue;
                    }
                };
                let id = r["id"].as_str().unwrap().to_string();
                owner_of.insert(id.clone(), owner.clone());
                created.insert(id, (t, allowed));
            }
        }
        device.sync().await;
        let refusals = refused(&device);
        for (id, (t, allowed)) in &created {
            assert_eq!(!refusals.contains(id), *allowed, "{role} creating a {t}: {id}");
            checked += 1;
        }

        // Edit whatever is on the device.
        let readable: Vec<(RecordType, String, String)> = seeded
            .iter()
            .filter(|((_, owner), id)| owners.contains(owner) && device.client.get(id).is_ok())
            .map(|((t, owner), id)| (*t, owner.clone(), id.clone()))
            .chain(std::iter::once((RecordType::Settings, String::new(), settings_id.clone())))
            .collect();
        for (t, _, id) in &readable {
            // Straight to the store: the app's own early refusals are not what is tested.
            device.client.edit(id, harmless_edit(*t, role)).unwrap();
        }
        device.sync().await;
        let refusals = refused(&device);
        for (t, owner, id) in &readable {
            let allowed = if *t == RecordType::Settings {
                reaches(&cell(*t, 2), &me, "", &team)
            } else {
                reaches(&cell(*t, 2), &me, owner, &team)
            };
            assert_eq!(!refusals.contains(id), allowed, "{role} editing a {t} of {owner}");
            checked += 1;
        }

        // Delete what this role created and the server accepted (the seeded records
        // stay for the next roles to read).
        let mine: Vec<(String, RecordType, String)> = created
            .iter()
            .filter(|(_, (_, accepted))| *accepted)
            .map(|(id, (t, _))| (id.clone(), *t, owner_of[id].clone()))
            .collect();
        for (id, _, _) in &mine {
            device.client.edit(id, deletion()).unwrap();
        }
        device.sync().await;
        let refusals = refused(&device);
        for (id, t, owner) in &mine {
            let allowed = reaches(&cell(*t, 3), &me, owner, &team);
            assert_eq!(!refusals.contains(id), allowed, "{role} deleting a {t} of {owner}");
            // Deleted, it leaves the lists; refused, the server's copy is back.
            assert_eq!(device.client.get(id).is_err(), allowed, "{role} deleting a {t}: what the device shows");
            checked += 1;
        }
    }
    assert!(checked > 300, "only {checked} checks ran");
}
on_both_backends!(every_cell_of_the_permission_matrix_holds_on_push_and_pull);
