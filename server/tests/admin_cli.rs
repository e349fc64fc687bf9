//! `crm-server user …`: the administration commands, on the real binary.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn server_cmd(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_crm-server"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn users_are_added_with_a_password_from_stdin_and_listed() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("fresh/server-data");
    let data = data.to_str().unwrap();
    let out = server_cmd(
        &[
            "user",
            "add",
            "--data-dir",
            data,
            "--email",
            "Marc@Example.fr",
            "--name",
            "Marc",
            "--role",
            "manager",
            "--json",
        ],
        "long-enough-password\n",
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = server_cmd(
        &[
            "user",
            "add",
            "--data-dir",
            data,
            "--email",
            "julie@example.fr",
            "--name",
            "Julie",
            "--role",
            "rep",
            "--manager",
            "marc@example.fr",
        ],
        "another-password\n",
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let out = server_cmd(&["user", "list", "--data-dir", data, "--json"], "");
    let users: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let users = users.as_array().unwrap();
    assert_eq!(users.len(), 2);
    assert_eq!(users[1]["email"], "marc@example.fr", "e-mails are stored in lower case");
    assert_eq!(users[0]["manager_id"], users[1]["id"]);
    assert!(users[0].get("password_hash").is_none(), "hashes are never printed");
}

#[test]
fn bad_admin_input_is_refused_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let add = |email: &str, role: &str, password: &str| {
        server_cmd(&["user", "add", "--data-dir", data, "--email", email, "--name", "N", "--role", role], password)
    };
    let out = add("a@example.fr", "rep", "short\n");
    assert!(String::from_utf8_lossy(&out.stderr).contains("at least 8 characters"));
    let out = add("a@example.fr", "boss", "long-enough-password\n");
    assert!(String::from_utf8_lossy(&out.stderr).contains("rep, manager"));
    let out = add("not-an-email", "rep", "long-enough-password\n");
    assert!(String::from_utf8_lossy(&out.stderr).contains("--email"));
    assert!(add("a@example.fr", "rep", "long-enough-password\n").status.success());
    let out = add("a@example.fr", "rep", "long-enough-password\n");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("already exists"));
    let out = add("b@example.fr", "rep", "");
    assert!(String::from_utf8_lossy(&out.stderr).contains("no password"));
}

#[test]
fn an_admin_disables_a_user_and_changes_role_and_manager() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    for (email, role) in [("boss@example.fr", "manager"), ("rep@example.fr", "rep")] {
        let out = server_cmd(
            &["user", "add", "--data-dir", data, "--email", email, "--name", "N", "--role", role],
            "long-enough-password\n",
        );
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let json = |args: &[&str]| -> serde_json::Value {
        let out = server_cmd(args, "");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let user = json(&["user", "disable", "--data-dir", data, "--email", "rep@example.fr", "--json"]);
    assert_eq!(user["disabled"], true);
    let user = json(&["user", "disable", "--data-dir", data, "--email", "rep@example.fr", "--enable", "--json"]);
    assert_eq!(user["disabled"], false);
    let user =
        json(&["user", "set-role", "--data-dir", data, "--email", "rep@example.fr", "--role", "support", "--json"]);
    assert_eq!(user["role"], "support");
    let boss = json(&["user", "set-manager", "--data-dir", data, "--email", "boss@example.fr", "--none", "--json"]);
    let user = json(&[
        "user",
        "set-manager",
        "--data-dir",
        data,
        "--email",
        "rep@example.fr",
        "--manager",
        "boss@example.fr",
        "--json",
    ]);
    assert_eq!(user["manager_id"], boss["id"]);
    let out = server_cmd(
        &["user", "set-manager", "--data-dir", data, "--email", "boss@example.fr", "--manager", "boss@example.fr"],
        "",
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("own manager"));
    let out = server_cmd(&["user", "disable", "--data-dir", data, "--email", "ghost@example.fr"], "");
    assert!(String::from_utf8_lossy(&out.stderr).contains("no user has the e-mail ghost@example.fr"));
}

#[test]
fn password_resets_and_role_changes_are_in_the_security_log() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let out = server_cmd(
        &["user", "add", "--data-dir", data, "--email", "rep@example.fr", "--name", "N", "--role", "rep"],
        "long-enough-password\n",
    );
    assert!(out.status.success());
    let out = server_cmd(&["user", "reset-password", "--data-dir", data, "--email", "rep@example.fr"], "short\n");
    assert!(String::from_utf8_lossy(&out.stderr).contains("at least 8"));
    let out = server_cmd(
        &["user", "reset-password", "--data-dir", data, "--email", "rep@example.fr"],
        "a-brand-new-password\n",
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out =
        server_cmd(&["user", "set-role", "--data-dir", data, "--email", "rep@example.fr", "--role", "manager"], "");
    assert!(out.status.success());
    let out = server_cmd(&["audit", "--data-dir", data, "--json"], "");
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let actions: Vec<&str> = log.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["role_changed", "password_reset"]);
}

#[test]
fn territories_are_added_in_order_and_listed_with_their_owner() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("server-data");
    let data = data.to_str().unwrap();
    let add_user = server_cmd(
        &["user", "add", "--data-dir", data, "--email", "paul@example.fr", "--name", "Paul", "--role", "rep"],
        "long-enough-password\n",
    );
    assert!(add_user.status.success(), "{}", String::from_utf8_lossy(&add_user.stderr));
    let somme = server_cmd(
        &["territory", "add", "Somme", "--owner", "paul@example.fr", "--postal", "80", "--data-dir", data, "--json"],
        "",
    );
    assert!(somme.status.success(), "{}", String::from_utf8_lossy(&somme.stderr));
    let unknown = server_cmd(&["territory", "add", "Oise", "--owner", "nobody@example.fr", "--data-dir", data], "");
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no user has the e-mail nobody@example.fr"));
    let list = server_cmd(&["territory", "list", "--data-dir", data, "--json"], "");
    let list: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["owner_email"], "paul@example.fr");
    assert_eq!(list[0]["postal_prefixes"], serde_json::json!(["80"]));
}
