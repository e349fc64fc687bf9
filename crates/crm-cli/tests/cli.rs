//! The `crm` command as a script sees it: the real binary, a real server on 127.0.0.1.

use crm_tests::{Backend, PASSWORD, TestServer};
use serde_json::Value;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn crm(data_dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    crm_in(data_dir, args, stdin, "C.UTF-8")
}

/// Runs `crm` with `LANG` set: French when it starts with `fr`, English otherwise.
fn crm_in(data_dir: &Path, args: &[&str], stdin: Option<&str>, lang: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_crm"))
        .env("LANG", lang)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        // Scripts unlock the encrypted data with the password in the environment.
        .env("CRM_NO_KEYRING", "1")
        .env("CRM_PASSWORD", PASSWORD)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

/// Runs a command that must succeed and print one JSON value.
fn json(data_dir: &Path, args: &[&str]) -> Value {
    let out = crm(data_dir, args, None);
    assert!(out.status.success(), "crm {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("crm {args:?} printed no JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rep_works_offline_with_the_cli_and_a_second_device_gets_everything() {
    let mut server = TestServer::start(Backend::Sqlite).await;
    server.add_user("julie@example.fr", crm_core::Role::Rep).await;
    let laptop = tempfile::tempdir().unwrap();
    let office = tempfile::tempdir().unwrap();
    for dir in [laptop.path(), office.path()] {
        let out = crm(
            dir,
            &["login", "--server", &server.url, "--email", "julie@example.fr"],
            Some(&format!("{PASSWORD}\n")),
        );
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }

    // The server goes away; the rep keeps working.
    let url = server.url.clone();
    server.stop().await;
    let account = json(
        laptop.path(),
        &["account", "add", "--name", "Boulangerie Martin", "--kind", "customer", "--city", "Lyon", "--json"],
    );
    let id = account["id"].as_str().unwrap().to_string();
    assert_eq!(account["name"], "Boulangerie Martin");
    // `--json` may stand anywhere on the line.
    json(laptop.path(), &["--json", "account", "edit", &id, "--phone", "04 78 00 00 00"]);
    json(
        laptop.path(),
        &["contact", "add", "--account", &id, "--name", "Jeanne Martin", "--email", "jeanne@martin.fr", "--json"],
    );
    let visit = json(
        laptop.path(),
        &[
            "activity",
            "add",
            "--account",
            &id,
            "--kind",
            "visit",
            "--subject",
            "Visite",
            "--body",
            "Rencontré le gérant.",
            "--at",
            "2026-03-14T09:30:00+01:00",
            "--json",
        ],
    );
    json(
        laptop.path(),
        &["activity", "edit", visit["id"].as_str().unwrap(), "--body", "Rencontré le gérant. Devis à faire.", "--json"],
    );
    json(
        laptop.path(),
        &[
            "activity",
            "add",
            "--account",
            &id,
            "--kind",
            "note",
            "--body",
            "Rappeler en avril",
            "--at",
            "2026-03-20T10:00:00Z",
            "--json",
        ],
    );

    let out = crm(laptop.path(), &["sync", "--json"], None);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("Cannot reach the server"), "{err}");
    assert!(out.stdout.is_empty(), "nothing on stdout when it fails");
    let hits = json(laptop.path(), &["search", "gérant", "--json"]);
    assert_eq!(hits.as_array().unwrap().len(), 1, "search works offline: {hits}");

    // The same server comes back (on a new port: log in again); one sync each way.
    assert_ne!(url, "");
    server.restart().await;
    for dir in [laptop.path(), office.path()] {
        let out = crm(
            dir,
            &["login", "--server", &server.url, "--email", "julie@example.fr"],
            Some(&format!("{PASSWORD}\n")),
        );
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let pushed = json(laptop.path(), &["sync", "--json"]);
    assert_eq!(pushed["pushed"], 6, "{pushed}");
    let pulled = json(office.path(), &["sync", "--json"]);
    assert_eq!(pulled["pulled"], 4, "account, contact and two activities: {pulled}");

    let shown = json(office.path(), &["account", "show", &id, "--json"]);
    assert_eq!(shown["id"], id.as_str());
    assert_eq!(shown["name"], "Boulangerie Martin");
    assert_eq!(shown["city"], "Lyon");
    assert_eq!(shown["phone"], "04 78 00 00 00");
    assert_eq!(shown["conflicts"], serde_json::json!([]));
    let timeline = shown["timeline"].as_array().unwrap();
    assert_eq!(timeline.len(), 2);
    assert_eq!(timeline[0]["kind"], "note", "newest first");
    assert_eq!(timeline[1]["body"], "Rencontré le gérant. Devis à faire.");
    for key in ["id", "kind", "subject", "body", "at"] {
        assert!(timeline[1].get(key).is_some(), "timeline items carry {key}");
    }
    let contacts = json(office.path(), &["contact", "list", "--account", &id, "--json"]);
    assert_eq!(contacts[0]["email"], "jeanne@martin.fr");
    let list = json(office.path(), &["account", "list", "--json"]);
    assert_eq!(list.as_array().unwrap().len(), 1);
}

#[test]
fn invalid_input_is_refused_with_the_field_and_the_rule_and_nothing_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let out = crm(dir.path(), &["account", "add", "--name", "X", "--siret", "123"], None);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("siret") && err.contains("14 digits"), "{err}");
    let out = crm(dir.path(), &["account", "add", "--name", "X", "--kind", "friend"], None);
    assert!(String::from_utf8_lossy(&out.stderr).contains("prospect, customer"));
    let out = crm(dir.path(), &["account", "add", "--name", "X", "--email", "x@"], None);
    assert!(String::from_utf8_lossy(&out.stderr).contains("email"));
    assert_eq!(json(dir.path(), &["account", "list", "--json"]), serde_json::json!([]));
    let out = crm(dir.path(), &["account", "show", "not-an-id"], None);
    assert!(!out.status.success());
    let out = crm(dir.path(), &["sync"], None);
    assert!(String::from_utf8_lossy(&out.stderr).contains("not logged in"));
}

#[test]
fn sales_input_is_checked_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let out =
        crm(dir.path(), &["product", "add", "--reference", "ABCDEFGHI", "--designation", "X", "--price", "10"], None);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("exactly 8 characters"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    json(
        dir.path(),
        &["product", "add", "--reference", "SRV-0001", "--designation", "Maintenance", "--price", "99.90", "--json"],
    );
    let out =
        crm(dir.path(), &["product", "add", "--reference", "SRV-0001", "--designation", "Y", "--price", "1"], None);
    assert!(String::from_utf8_lossy(&out.stderr).contains("already in the catalogue"));
    let account = json(dir.path(), &["account", "add", "--name", "Client", "--json"]);
    let account = account["id"].as_str().unwrap();
    let out = crm(dir.path(), &["quote", "add", "--account", account, "--line", "SRV-0001:-2"], None);
    assert!(String::from_utf8_lossy(&out.stderr).contains("quantity must be more than 0"));
    let out = crm(
        dir.path(),
        &["deal", "add", "--account", account, "--title", "T", "--type", "simple", "--stage", "committee"],
        None,
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a stage of a simple deal"));
    let deal =
        json(dir.path(), &["deal", "add", "--account", account, "--title", "T", "--amount", "1200.50", "--json"]);
    assert_eq!(deal["amount"], "1200.50");
    let quote = json(
        dir.path(),
        &[
            "quote",
            "add",
            "--account",
            account,
            "--deal",
            deal["id"].as_str().unwrap(),
            "--line",
            "SRV-0001:3:10%",
            "--json",
        ],
    );
    assert_eq!(quote["totals"]["total_net"], "269.73"); // 3 × 99.90 − 10 %
    let won = json(dir.path(), &["quote", "edit", quote["id"].as_str().unwrap(), "--status", "accepted", "--json"]);
    assert_eq!(won["status"], "accepted");
    let contracts = json(dir.path(), &["contract", "list", "--json"]);
    assert_eq!(contracts.as_array().unwrap().len(), 1);
}

#[test]
fn consent_is_recorded_and_a_persons_data_exports_to_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let account = json(dir.path(), &["account", "add", "--name", "Pharmacie Roux", "--json"]);
    let account = account["id"].as_str().unwrap();
    let contact = json(
        dir.path(),
        &[
            "contact",
            "add",
            "--account",
            account,
            "--name",
            "Hélène Roux",
            "--email",
            "helene@roux.fr",
            "--consent-email",
            "yes",
            "--consent-phone",
            "no",
            "--json",
        ],
    );
    assert_eq!(contact["consent_email"], "yes");
    assert!(contact["consent_date"].is_string());
    let out =
        crm(dir.path(), &["contact", "add", "--account", account, "--name", "X", "--consent-email", "maybe"], None);
    assert!(String::from_utf8_lossy(&out.stderr).contains("consent_email"));
    json(
        dir.path(),
        &[
            "activity",
            "add",
            "--account",
            account,
            "--kind",
            "call",
            "--body",
            "Appel de Hélène Roux au sujet du devis",
            "--json",
        ],
    );
    json(dir.path(), &["activity", "add", "--account", account, "--kind", "note", "--body", "Sans rapport", "--json"]);
    let file = dir.path().join("export.json");
    let id = contact["id"].as_str().unwrap();
    json(dir.path(), &["gdpr", "export", id, "--out", file.to_str().unwrap(), "--json"]);
    let export: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(export["contact"]["email"], "helene@roux.fr");
    assert_eq!(export["activities"].as_array().unwrap().len(), 1, "only what concerns her");
}

#[test]
fn running_contracts_pricing_and_groups_are_entered_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let id = |v: &Value| v["id"].as_str().unwrap().to_string();
    let group = id(&json(d, &["account", "add", "--name", "Groupe Hôtelier Alpes", "--kind", "customer", "--json"]));
    let distributor = id(&json(d, &["account", "add", "--name", "Distrib Sud", "--kind", "distributor", "--json"]));
    let hotel = id(&json(
        d,
        &[
            "account",
            "add",
            "--name",
            "Hôtel du Lac",
            "--kind",
            "customer",
            "--parent",
            &group,
            "--distributor",
            &distributor,
            "--visit-every-weeks",
            "6",
            "--json",
        ],
    ));
    let view = json(d, &["account", "show", &group, "--json"]);
    assert_eq!(view["subsidiaries"][0]["name"], "Hôtel du Lac", "{view}");
    let view = json(d, &["account", "show", &distributor, "--json"]);
    assert_eq!(view["end_customers"][0]["id"], hotel.as_str());
    let view = json(d, &["account", "show", &hotel, "--json"]);
    assert_eq!(view["parent_name"], "Groupe Hôtelier Alpes");
    assert_eq!(view["visit_every_weeks"], "6");

    // A running contract of an existing customer, entered directly, then renewed.
    let contract = json(
        d,
        &[
            "contract",
            "add",
            "--account",
            &hotel,
            "--type",
            "on_call",
            "--start",
            "2025-01-01",
            "--tacit-renewal",
            "yes",
            "--term-months",
            "12",
            "--notice-months",
            "3",
            "--billing-amount",
            "380",
            "--billing-period",
            "monthly",
            "--json",
        ],
    );
    assert_eq!(contract["status"], "active", "a contract entered directly is running");
    assert_eq!(contract["billing_amount"], "380.00");
    assert!(contract["next_renewal"].as_str().is_some(), "{contract}");
    let out = crm(d, &["contract", "add", "--account", &hotel, "--type", "gardening", "--start", "2025-01-01"], None);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("on_call"), "{}", String::from_utf8_lossy(&out.stderr));
    let edited = json(d, &["contract", "edit", &id(&contract), "--notice-months", "1", "--json"]);
    assert_eq!(edited["notice_months"], "1");
    assert_eq!(json(d, &["contract", "list", "--account", &hotel, "--json"]).as_array().unwrap().len(), 1);

    // Negotiated prices: a discount and special prices, French amounts accepted.
    let priced = json(
        d,
        &[
            "account",
            "pricing",
            &hotel,
            "--discount",
            "5",
            "--price",
            "GARDE-01=1 100,00",
            "--price",
            "LIVRE-55=30",
            "--json",
        ],
    );
    assert_eq!(priced["discount_percent"], "5");
    let list: Value = serde_json::from_str(priced["price_list"].as_str().unwrap()).unwrap();
    assert_eq!(list["GARDE-01"], "1100.00");
    let priced = json(d, &["account", "pricing", &hotel, "--remove-price", "LIVRE-55", "--discount", "", "--json"]);
    let list: Value = serde_json::from_str(priced["price_list"].as_str().unwrap()).unwrap();
    assert!(list.get("LIVRE-55").is_none() && list.get("GARDE-01").is_some(), "{list}");
    assert!(priced.get("discount_percent").is_none_or(Value::is_null), "{priced}");

    // Wrong input says what is wrong, in French when LANG is French.
    let out = crm_in(d, &["account", "pricing", &hotel, "--price", "GARDE-01"], None, "fr_FR.UTF-8");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("attendu RÉFÉRENCE=PRIX"), "{err}");
    let out = crm_in(d, &["account", "edit", &hotel, "--parent", &hotel], None, "fr_FR.UTF-8");
    assert!(String::from_utf8_lossy(&out.stderr).contains("ne peut pas se désigner lui-même"));
    let out = crm(d, &["account", "edit", &hotel, "--parent", &hotel], None);
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot point to itself"));
    let out = crm_in(d, &["reminders"], None, "fr_FR.UTF-8");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Visite à faire") && text.contains("Hôtel du Lac"), "never visited, every 6 weeks: {text}");
}

#[test]
fn the_portfolio_is_filtered_by_criteria_and_saved_filters_are_reused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for (name, kind, city, postal, tag) in [
        ("Boulangerie Étienne", "customer", "Saint-Étienne", "42000", "vip"),
        ("Garage Moreau", "customer", "Lyon", "69003", "vip"),
        ("Pharmacie Roux", "prospect", "Villeurbanne", "69100", "pharma"),
        ("Hôtel du Lac", "customer", "Annecy", "74000", "vip"),
    ] {
        json(
            d,
            &[
                "account",
                "add",
                "--name",
                name,
                "--kind",
                kind,
                "--city",
                city,
                "--postal-code",
                postal,
                "--tag",
                tag,
                "--json",
            ],
        );
    }
    let names = |v: Value| -> Vec<String> {
        v.as_array().unwrap().iter().map(|a| a["name"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(names(json(d, &["account", "list", "--city", "saint-etienne", "--json"])), ["Boulangerie Étienne"]);
    assert_eq!(
        names(json(d, &["account", "list", "--postal-code", "69", "--json"])),
        ["Garage Moreau", "Pharmacie Roux"],
        "69 is the whole Rhône"
    );
    let saved = json(
        d,
        &["account", "list", "--postal-code", "69", "--kind", "customer", "--save", "Clients du Rhône", "--json"],
    );
    assert_eq!(names(saved), ["Garage Moreau"]);
    assert_eq!(json(d, &["account", "filters", "--json"])[0]["name"], "Clients du Rhône");
    assert_eq!(names(json(d, &["account", "list", "--filter", "Clients du Rhône", "--json"])), ["Garage Moreau"]);
    // Criteria given with a saved filter add to it.
    assert_eq!(
        names(json(d, &["account", "list", "--filter", "Clients du Rhône", "--tag", "pharma", "--json"])),
        Vec::<String>::new()
    );
    let out = crm_in(d, &["account", "list", "--filter", "Inconnu"], None, "fr_FR.UTF-8");
    assert!(String::from_utf8_lossy(&out.stderr).contains("Aucun filtre enregistré ne s'appelle « Inconnu »"));
    let out = crm(d, &["account", "list", "--kind", "friend"], None);
    assert!(!out.status.success(), "an unknown kind is an error, not an empty list");
    json(d, &["account", "forget-filter", "Clients du Rhône", "--json"]);
    assert_eq!(json(d, &["account", "filters", "--json"]), serde_json::json!([]));
}
