//! The REST API on a real server: a key acts as its user (a rep's key never sees a
//! colleague's deals), API writes reach devices at their next sync and device writes
//! are read at once, validation names the field in French, pages chain, nothing is
//! silently ignored, keys are revoked and throttled.

use crm_core::{RecordType, Role};
use crm_tests::{Backend, TestServer, fields};
use reqwest::StatusCode;
use serde_json::{Value, json};

struct Api {
    base: String,
    key: String,
    http: reqwest::Client,
}

impl Api {
    async fn new(server: &TestServer, name: &str, email: &str) -> Api {
        let db = server.db().await;
        let (_, key) = db.add_api_key(name, email, crm_server::now_ms()).await.unwrap();
        db.close().await;
        Api { base: format!("{}/api/v1", server.url), key, http: reqwest::Client::new() }
    }

    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        let mut request = self.http.request(method, format!("{}{path}", self.base)).bearer_auth(&self.key);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let text = response.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.call(reqwest::Method::GET, path, None).await
    }

    async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.call(reqwest::Method::POST, path, Some(body)).await
    }

    async fn patch(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.call(reqwest::Method::PATCH, path, Some(body)).await
    }

    /// Every item of a list, following `next` to the end.
    async fn all(&self, path: &str) -> Vec<Value> {
        let (status, mut page) = self.get(path).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        let mut items: Vec<Value> = page["items"].as_array().unwrap().clone();
        while let Some(next) = page["next"].as_str() {
            let (status, more) = self.get(&format!("{}?next={next}", path.split('?').next().unwrap())).await;
            assert_eq!(status, StatusCode::OK, "{more}");
            items.extend(more["items"].as_array().unwrap().iter().cloned());
            page = more;
        }
        items
    }
}

fn ids(items: &[Value]) -> Vec<String> {
    items.iter().map(|i| i["id"].as_str().unwrap().to_string()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_acts_as_its_user_and_devices_and_the_api_see_each_others_writes() {
    let server = TestServer::start(Backend::Sqlite).await;
    server.add_user("julie@example.fr", Role::Rep).await;
    server.add_user("paul@example.fr", Role::Rep).await;
    let julie = server.client("julie@example.fr").await;
    let paul = server.client("paul@example.fr").await;
    let julie_id = server.user_id("julie@example.fr").await;

    let garage =
        julie.client.create(RecordType::Account, fields(&[("name", "Garage Girard"), ("kind", "customer")])).unwrap();
    let deal = julie
        .client
        .create_deal(fields(&[("account", garage.id()), ("title", "Garde"), ("amount", "1200.50")]))
        .unwrap();
    let bakery = paul
        .client
        .create(RecordType::Account, fields(&[("name", "Boulangerie Petit"), ("kind", "prospect")]))
        .unwrap();
    let pauls = paul.client.create_deal(fields(&[("account", bakery.id()), ("title", "Four")])).unwrap();
    julie.sync().await;
    paul.sync().await;

    // Julie's key sees Julie's deal, never Paul's.
    let api = Api::new(&server, "erp", "julie@example.fr").await;
    let deals = api.all("/deals").await;
    assert_eq!(ids(&deals), vec![deal.id().to_string()]);
    assert_eq!(deals[0]["amount"], "1200.50");
    let (status, body) = api.get(&format!("/deals/{}", pauls.id())).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");

    // An API write reaches the device at its next sync, named after the key in history.
    let (status, created) = api
        .post(
            "/accounts",
            json!({"name": "Boulangerie API", "kind": "customer", "city": "Amiens", "siret": "732 829 320 00074"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["owner"], julie_id.as_str(), "a new record is its author's");
    assert_eq!(created["siret"], "73282932000074", "normalised as on a device");
    julie.sync().await;
    let on_device = julie.client.get(created["id"].as_str().unwrap()).unwrap();
    assert_eq!(on_device["city"], "Amiens");
    let history = julie.client.history(created["id"].as_str().unwrap()).await.unwrap();
    let author = serde_json::to_value(&history[0].author).unwrap().to_string();
    assert!(author.contains("API « erp »"), "{author}");

    // A device write is read through the API at once.
    julie.client.edit(garage.id(), crm_tests::edit(&[("city", "Abbeville")])).unwrap();
    julie.sync().await;
    let (_, read) = api.get(&format!("/accounts/{}", garage.id())).await;
    assert_eq!(read["city"], "Abbeville");
    let (_, filtered) = api.get("/accounts?city=Abbeville").await;
    assert_eq!(ids(filtered["items"].as_array().unwrap()), vec![garage.id().to_string()]);

    // Moving a deal through the API records the move and, won, makes its contract.
    let (status, won) = api.patch(&format!("/deals/{}", deal.id()), json!({"stage": "won"})).await;
    assert_eq!(status, StatusCode::OK, "{won}");
    assert_eq!(won["stage_history"].as_array().unwrap().len(), 2);
    let contracts = api.all(&format!("/contracts?deal={}", deal.id())).await;
    assert_eq!(contracts.len(), 1, "the won deal's contract");
    assert_eq!(contracts[0]["billing_amount"], "1200.50");

    // Validation as on devices: 422 naming the field, in French.
    let (status, e) = api.post("/accounts", json!({"name": "X", "kind": "martien"})).await;
    assert_eq!((status, e["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("kind")), "{e}");
    assert!(e["message"].as_str().unwrap().contains("Type de tiers : « martien »"), "{e}");
    let (status, e) = api.post("/accounts", json!({"name": "X", "kind": "customer", "colour": "bleu"})).await;
    assert_eq!((status, e["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("colour")), "{e}");
    let (status, e) = api.post("/accounts", json!({"name": "X", "kind": "customer", "city": 80})).await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("text_expected")), "{e}");
    let (status, e) = api.post("/accounts", json!({"kind": "customer"})).await;
    assert_eq!((status, e["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("name")), "{e}");
    // Made out to a colleague: refused by the same rules as a device's push.
    let paul_id = server.user_id("paul@example.fr").await;
    let (status, e) = api.post("/accounts", json!({"name": "X", "kind": "customer", "owner": paul_id})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{e}");

    // Nothing silently ignored: an unknown parameter, a made-up cursor.
    let (status, e) = api.get("/accounts?cursor=abc").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(e["message"].as_str().unwrap().contains("cursor"), "{e}");
    let (status, _) = api.get("/accounts?next=bm90LWEtdG9rZW4").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = api.get(&format!("/accounts/{}?fields=name", garage.id())).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // A rep may not delete; the key of an administrator may, and devices drop it.
    let (status, e) = api.call(reqwest::Method::DELETE, &format!("/accounts/{}", garage.id()), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{e}");
    server.add_user("admin@example.fr", Role::Admin).await;
    let admin = Api::new(&server, "compta", "admin@example.fr").await;
    let (status, _) = admin.call(reqwest::Method::DELETE, &format!("/accounts/{}", garage.id()), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    julie.sync().await;
    assert!(julie.client.get(garage.id()).is_err() || julie.client.get(garage.id()).unwrap()["deleted"] == "yes");
    assert!(!ids(&api.all("/accounts").await).contains(&garage.id().to_string()), "deleted: not listed");

    // A revoked key stops at once.
    let db = server.db().await;
    db.revoke_api_key("erp", crm_server::now_ms()).await.unwrap();
    db.close().await;
    let (status, e) = api.get("/accounts").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{e}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_chain_to_the_end_on_postgres_and_a_key_is_throttled() {
    let server = TestServer::start_with(Backend::Postgres, |s| s.api_requests_per_minute = 30).await;
    server.add_user("marc@example.fr", Role::Manager).await;
    let api = Api::new(&server, "site", "marc@example.fr").await;
    let mut made = Vec::new();
    for i in 0..7 {
        let (status, a) = api
            .post("/accounts", json!({"name": format!("Client {i}"), "kind": "prospect", "postal_code": "80000"}))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{a}");
        made.push(a["id"].as_str().unwrap().to_string());
    }
    let (_, first) = api.get("/accounts?limit=3&postal_code=80000").await;
    assert_eq!(first["items"].as_array().unwrap().len(), 3);
    // Seven in pages of seven: one page, and no `next` leading to an empty one.
    let (_, whole) = api.get("/accounts?limit=7&postal_code=80000").await;
    assert_eq!((whole["items"].as_array().unwrap().len(), &whole["next"]), (7, &Value::Null));
    let listed = api.all("/accounts?limit=3&postal_code=80000").await;
    assert_eq!(ids(&listed), made, "every account once, in creation order");
    let since = chrono::Utc::now() + chrono::Duration::hours(1);
    let (_, none) = api.get(&format!("/accounts?updated_since={}", since.format("%Y-%m-%dT%H:%M:%SZ"))).await;
    assert_eq!(none["items"], json!([]));

    // The quota: 30 a minute, then 429 with the wait.
    let mut throttled = None;
    for _ in 0..40 {
        let response =
            api.http.get(format!("{}/accounts?limit=1", api.base)).bearer_auth(&api.key).send().await.unwrap();
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            throttled = Some(response);
            break;
        }
    }
    let response = throttled.expect("the key is throttled after its quota");
    assert!(response.headers().get("retry-after").is_some());
    let body: Value = response.json().await.unwrap();
    assert!(body["message"].as_str().unwrap().contains("Trop de requêtes"), "{body}");
    let db = server.db().await;
    let log = db.audit_log(50).await.unwrap();
    db.close().await;
    assert!(log.iter().any(|e| e.action == "api_rate_limited" && e.actor == "site"));
    assert!(log.iter().any(|e| e.action == "api_key_used" && e.actor == "site"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openapi_document_and_its_explorer_are_served_relative_to_any_prefix() {
    let server = TestServer::start(Backend::Sqlite).await;
    let http = reqwest::Client::new();
    let doc: Value =
        http.get(format!("{}/api/v1/openapi.json", server.url)).send().await.unwrap().json().await.unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(doc["servers"][0]["url"], "/api/v1");
    let behind: Value = http
        .get(format!("{}/api/v1/openapi.json", server.url))
        .header("x-forwarded-prefix", "/crm/")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(behind["servers"][0]["url"], "/crm/api/v1", "behind a proxy's path prefix");
    let page = http.get(format!("{}/api/v1/docs", server.url)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("fetch(\"openapi.json\")"), "the explorer finds the document by a relative address");
    assert!(!page.contains("https://"), "nothing fetched from the internet");
    let (status, body) = {
        let r = http.get(format!("{}/api/v1/accounts", server.url)).send().await.unwrap();
        (r.status(), r.json::<Value>().await.unwrap())
    };
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["code"], "api_key_invalid");
}
