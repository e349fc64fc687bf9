//! `/api/v1/{collection}` and `/api/v1/{collection}/{id}`: list, read, create, change
//! (PATCH of fields) and delete records, as the key's user.

use super::{Caller, Failure, collection};
use crate::AppState;
use crate::authz;
use crate::db::ApiRow;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use crm_core::stages::{self, SalesSettings};
use crm_core::{Code, FieldValue, Problem, Record, RecordId, RecordType};
use crm_protocol::{RejectCode, Rejection};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Items per page unless `limit` says otherwise, and the most a page holds.
pub const DEFAULT_LIMIT: usize = 100;
pub const MAX_LIMIT: usize = 1000;
/// Rows read from the database at a time while a page fills.
const SCAN_ROWS: i64 = 500;
/// What an item carries besides its fields, and what a body may not set.
const READ_ONLY: [&str; 4] = ["id", "type", "updated_at", "stage_history"];

/// A record as the API shows it: the CLI's `--json` fields, and when it last changed.
pub fn item(row: &ApiRow) -> Value {
    let mut map = row.record.json_fields();
    let updated = chrono::DateTime::from_timestamp_millis(row.updated_at).unwrap_or_default();
    map.insert("updated_at".into(), Value::String(updated.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)));
    Value::Object(map)
}

/// Where a list goes on from: what `next` carries (the query it continues, so a client
/// sends the token alone and cannot change the query halfway).
#[derive(Debug, Default, Serialize, Deserialize, PartialEq)]
struct ListQuery {
    #[serde(rename = "c")]
    collection: String,
    #[serde(rename = "a", default, skip_serializing_if = "Option::is_none")]
    after: Option<String>,
    #[serde(rename = "u", default, skip_serializing_if = "Option::is_none")]
    updated_since: Option<i64>,
    #[serde(rename = "l")]
    limit: usize,
    #[serde(rename = "f", default, skip_serializing_if = "Vec::is_empty")]
    filters: Vec<(String, String)>,
}

impl ListQuery {
    fn token(&self) -> String {
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(self).unwrap_or_default())
    }

    /// The list's parameters: `limit`, `next`, `updated_since`, and any field of the
    /// type (equal to a value; for a set field, holding it). `next` stands for the
    /// query it came from: only `limit` may come with it.
    fn parse(name: &str, record_type: RecordType, raw: Option<&str>) -> Result<ListQuery, Failure> {
        let pairs = params(raw)?;
        let mut query = ListQuery { collection: name.to_string(), limit: DEFAULT_LIMIT, ..Default::default() };
        let mut limit = None;
        if let Some((_, token)) = pairs.iter().find(|(k, _)| k == "next") {
            if let Some((other, _)) = pairs.iter().find(|(k, _)| k != "next" && k != "limit") {
                return Err(Failure::bad_param(
                    other,
                    "`next` poursuit la requête dont il vient : envoyez-le seul (ou avec `limit`)",
                ));
            }
            let bad = || Failure::bad_param("next", "ce jeton n'a pas été donné par ce serveur");
            let bytes = URL_SAFE_NO_PAD.decode(token.as_bytes()).map_err(|_| bad())?;
            query = serde_json::from_slice(&bytes).map_err(|_| bad())?;
            if query.collection != name
                || query.after.as_deref().is_some_and(|a| a.parse::<RecordId>().is_err())
                || query.limit == 0
                || query.limit > MAX_LIMIT
                || query.filters.iter().any(|(f, _)| !crm_core::all_fields(record_type).any(|s| s.name == f))
            {
                return Err(bad());
            }
        }
        for (name, value) in &pairs {
            match name.as_str() {
                "next" => {}
                "limit" => {
                    let n = value.parse::<usize>().ok().filter(|n| (1..=MAX_LIMIT).contains(n));
                    limit =
                        Some(n.ok_or_else(|| Failure::bad_param("limit", format!("un nombre de 1 à {MAX_LIMIT}")))?);
                }
                "updated_since" => query.updated_since = Some(instant(value)?),
                field if crm_core::all_fields(record_type).any(|s| s.name == field) => {
                    query.filters.push((field.to_string(), value.clone()));
                }
                other => {
                    let mut allowed = vec!["limit", "next", "updated_since"];
                    allowed.extend(crm_core::all_fields(record_type).map(|s| s.name));
                    return Err(Failure::new(
                        StatusCode::BAD_REQUEST,
                        Problem::new(Code::ApiParamUnknown).param("name", other).param("allowed", allowed.join(", ")),
                    ));
                }
            }
        }
        if let Some(limit) = limit {
            query.limit = limit;
        }
        Ok(query)
    }

    fn matches(&self, record: &Record) -> bool {
        let wants_deleted = self.filters.iter().any(|(f, _)| f == crm_core::DELETED_FIELD);
        if record.is_deleted() && !wants_deleted {
            return false;
        }
        self.filters.iter().all(|(field, value)| match record.fields.get(field) {
            Some(FieldValue::Text(t)) => t == value,
            Some(FieldValue::Set(items)) => items.contains(value),
            None => value.is_empty() || (field == crm_core::DELETED_FIELD && value == "no"),
        })
    }
}

/// The query's pairs; a name given twice is refused (which one would count?).
fn params(raw: Option<&str>) -> Result<Vec<(String, String)>, Failure> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw.unwrap_or(""))
        .map_err(|e| Failure::bad_param("?", format!("la requête est illisible ({e})")))?;
    for (i, (name, _)) in pairs.iter().enumerate() {
        if pairs[..i].iter().any(|(n, _)| n == name) {
            return Err(Failure::bad_param(name, "donné deux fois"));
        }
    }
    Ok(pairs)
}

/// Refuses any parameter: the routes that take none say so rather than ignore it.
fn no_params(raw: Option<&str>) -> Result<(), Failure> {
    match params(raw)?.into_iter().next() {
        Some((name, _)) => Err(Failure::new(
            StatusCode::BAD_REQUEST,
            Problem::new(Code::ApiParamUnknown).param("name", name).param("allowed", "—"),
        )),
        None => Ok(()),
    }
}

/// `updated_since`: an RFC 3339 instant, or a date (from its midnight, UTC).
fn instant(value: &str) -> Result<i64, Failure> {
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(value) {
        return Ok(t.timestamp_millis());
    }
    chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .map(|d| d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc().timestamp_millis())
        .map_err(|_| Failure::bad_param("updated_since", "une date (2026-12-01) ou un instant (2026-12-01T08:00:00Z)"))
}

fn record_id(id: &str) -> Result<uuid::Uuid, Failure> {
    id.parse::<RecordId>()
        .map(|r| r.0)
        .map_err(|_| Failure::bad_param("id", format!("« {id} » n'est pas un identifiant de fiche")))
}

fn unknown(id: &str) -> Failure {
    Failure::new(
        StatusCode::NOT_FOUND,
        Problem::new(Code::NotOnServer).param("detail", format!("aucune fiche {id} de ce type que vous puissiez voir")),
    )
}

/// The record `id` of `record_type`, when the caller may read it (deleted ones too).
async fn readable(state: &AppState, caller: &Caller, record_type: RecordType, id: &str) -> Result<ApiRow, Failure> {
    let row = state.db.api_record(record_id(id)?).await?.ok_or_else(|| unknown(id))?;
    if row.record.record_type != record_type
        || !authz::can_read(&caller.viewer, record_type.as_str(), row.owner.as_deref())
    {
        return Err(unknown(id));
    }
    Ok(row)
}

/// A refusal of the push, with the status that says why.
fn refused(r: Rejection) -> Failure {
    let status = match r.code {
        RejectCode::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
        RejectCode::Forbidden => StatusCode::FORBIDDEN,
        RejectCode::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        _ => StatusCode::CONFLICT,
    };
    let problem = r.problem.unwrap_or_else(|| Problem::new(Code::RecordInvalid).param("detail", r.reason));
    let status = if problem.code == Code::NotFound { StatusCode::NOT_FOUND } else { status };
    Failure::new(status, problem)
}

/// `GET /api/v1/{collection}`: a page of the records the caller may read, in creation
/// order, and the token of the next page (`null` on the last).
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Path(name): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Value>, Failure> {
    let record_type = collection(&name)?;
    let mut query = ListQuery::parse(&name, record_type, raw.as_deref())?;
    let mut items = Vec::new();
    let mut next = None;
    // A page is full when one more record would match: only then is there a `next`
    // (a list never ends on an empty page).
    let mut scan_from = query.after.clone();
    'pages: loop {
        let rows = state.db.api_page(record_type, scan_from.as_deref(), query.updated_since, SCAN_ROWS).await?;
        let last_page = (rows.len() as i64) < SCAN_ROWS;
        for row in &rows {
            scan_from = Some(row.record.id.to_string());
            if !authz::can_read(&caller.viewer, record_type.as_str(), row.owner.as_deref())
                || !query.matches(&row.record)
            {
                continue;
            }
            if items.len() == query.limit {
                next = Some(query.token());
                break 'pages;
            }
            query.after = Some(row.record.id.to_string());
            items.push(item(row));
        }
        if last_page {
            break;
        }
    }
    Ok(Json(serde_json::json!({ "items": items, "next": next })))
}

/// `GET /api/v1/{collection}/{id}`.
pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    Path((name, id)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Value>, Failure> {
    let record_type = collection(&name)?;
    no_params(raw.as_deref())?;
    Ok(Json(item(&readable(&state, &caller, record_type, &id).await?)))
}

/// The body's fields, checked one by one as a device's form checks them. `null` clears
/// a field (`None`); on creation it is the same as leaving the field out. What the
/// server computes may come back as read (the item of a GET), not changed.
fn body_fields(
    record_type: RecordType,
    body: &Bytes,
    current: Option<&ApiRow>,
) -> Result<Vec<(String, Option<FieldValue>)>, Failure> {
    let value: Value = serde_json::from_slice(body).map_err(|e| {
        Failure::new(StatusCode::BAD_REQUEST, Problem::new(Code::ApiBodyInvalid).param("detail", e.to_string()))
    })?;
    let Value::Object(map) = value else {
        return Err(Failure::new(
            StatusCode::BAD_REQUEST,
            Problem::new(Code::ApiBodyInvalid).param("detail", "un objet de champs est attendu"),
        ));
    };
    let mut out = Vec::new();
    for (name, value) in map {
        if READ_ONLY.contains(&name.as_str()) {
            let now = current.map(item);
            let same = match name.as_str() {
                "type" => value == record_type.as_str(),
                _ => now.as_ref().is_some_and(|i| i.get(&name) == Some(&value)),
            };
            if same {
                continue;
            }
            return Err(Failure::unprocessable(Problem::new(Code::FieldReadOnly).field(&name)));
        }
        let field = match value {
            Value::Null => None,
            Value::String(s) => Some(FieldValue::Text(s)),
            Value::Array(items) => Some(FieldValue::Set(
                items
                    .into_iter()
                    .map(|i| match i {
                        Value::String(s) => Some(s),
                        _ => None,
                    })
                    .collect::<Option<Vec<_>>>()
                    .ok_or_else(|| Failure::unprocessable(Problem::new(Code::ListExpected).field(&name)))?,
            )),
            _ => return Err(Failure::unprocessable(Problem::new(Code::TextExpected).field(&name))),
        };
        let field = field.map(|v| crm_core::normalize(&name, v));
        if let Some(v) = &field {
            crm_core::validate_field(record_type, &name, v).map_err(Failure::unprocessable)?;
        } else if !crm_core::all_fields(record_type).any(|s| s.name == name) {
            let probe = FieldValue::Text(String::new());
            crm_core::validate_field(record_type, &name, &probe).map_err(Failure::unprocessable)?;
        }
        out.push((name, field));
    }
    Ok(out)
}

async fn sales_settings(state: &AppState) -> Result<SalesSettings, Failure> {
    let record = state.db.records_of_type(RecordType::Settings).await?.into_iter().next().map(|(r, _)| r);
    Ok(SalesSettings::from_record(record.as_ref()))
}

fn paris_today() -> chrono::NaiveDate {
    chrono::Utc::now().with_timezone(&chrono_tz::Europe::Paris).date_naive()
}

/// A new deal as a device makes one: its type (`simple` by default), its stage (the
/// type's first by default) with that stage's probability, its first move in its
/// history; created won, it comes with its contract.
async fn new_deal(state: &AppState, caller: &Caller, deal: &mut Record) -> Result<Option<Record>, Failure> {
    let settings = sales_settings(state).await?;
    let deal_type = deal.text("deal_type").unwrap_or("simple").to_string();
    let first = settings.stages(&deal_type).and_then(|s| s.first()).map(|s| s.id.clone());
    let Some(first) = first else {
        return Err(Failure::unprocessable(settings.check_stage(&deal_type, "").unwrap_err()));
    };
    let stage = deal.text("stage").unwrap_or(&first).to_string();
    let spec = settings.check_stage(&deal_type, &stage).map_err(|p| Failure::unprocessable(p.clone()))?;
    let text = |s: &str| FieldValue::Text(s.to_string());
    deal.fields.insert("deal_type".into(), text(&deal_type));
    deal.fields.insert("stage".into(), text(&stage));
    deal.fields.entry("probability".into()).or_insert_with(|| text(&spec.probability.to_string()));
    deal.fields.entry("priority".into()).or_insert_with(|| text("normal"));
    let moved = stages::stage_move(chrono::Utc::now(), &stage, &caller.session.user_id);
    deal.fields.insert("stage_history".into(), FieldValue::Set(vec![moved]));
    if stage != stages::WON {
        return Ok(None);
    }
    let contract = stages::contract_for_deal(deal, paris_today());
    deal.fields.insert("contract".into(), text(&contract.id.to_string()));
    Ok(Some(contract))
}

/// A deal's move, as a device records it: the move in its history, the new stage's
/// probability unless one is given; a move to `won` makes its contract when it has none.
async fn move_deal(
    state: &AppState,
    caller: &Caller,
    current: &Record,
    edit: &mut crm_doc::Edit,
) -> Result<Option<Record>, Failure> {
    let Some(Some(FieldValue::Text(stage))) = edit.get("stage").cloned() else { return Ok(None) };
    let deal_type = match edit.get("deal_type") {
        Some(Some(FieldValue::Text(t))) => t.clone(),
        _ => current.text("deal_type").unwrap_or("simple").to_string(),
    };
    let settings = sales_settings(state).await?;
    let spec = settings.check_stage(&deal_type, &stage).map_err(|p| Failure::unprocessable(p.clone()))?;
    if current.text("stage") == Some(stage.as_str()) {
        return Ok(None);
    }
    let mut history = current.set("stage_history").to_vec();
    history.push(stages::stage_move(chrono::Utc::now(), &stage, &caller.session.user_id));
    edit.insert("stage_history".into(), Some(FieldValue::Set(history)));
    edit.entry("probability".into()).or_insert_with(|| Some(FieldValue::Text(spec.probability.to_string())));
    if stage != stages::WON || current.text("contract").is_some() {
        return Ok(None);
    }
    let mut after = current.clone();
    for (name, value) in edit.iter() {
        match value {
            Some(v) => after.fields.insert(name.clone(), v.clone()),
            None => after.fields.remove(name),
        };
    }
    let contract = stages::contract_for_deal(&after, paris_today());
    edit.insert("contract".into(), Some(FieldValue::Text(contract.id.to_string())));
    Ok(Some(contract))
}

/// `POST /api/v1/{collection}`: creates a record from its fields; answers 201 with it.
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Path(name): Path<String>,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> Result<(StatusCode, Json<Value>), Failure> {
    let record_type = collection(&name)?;
    no_params(raw.as_deref())?;
    let mut record = Record::new(RecordId(uuid::Uuid::now_v7()), record_type);
    for (name, value) in body_fields(record_type, &body, None)? {
        match value {
            Some(FieldValue::Text(t)) if t.trim().is_empty() => {}
            Some(v) => {
                record.fields.insert(name, v);
            }
            None => {}
        }
    }
    if let Some(field) = crm_core::permissions::default_owner_field(record_type, caller.session.role)
        && !record.fields.contains_key(field)
    {
        record.fields.insert(field.into(), FieldValue::Text(caller.session.user_id.clone()));
    }
    let mut records = vec![record];
    if record_type == RecordType::Deal
        && let Some(contract) = new_deal(&state, &caller, &mut records[0]).await?
    {
        records.push(contract);
    }
    crm_core::validate(&records[0]).map_err(Failure::unprocessable)?;
    let now = crate::now_ms();
    state.db.create_as(&caller.session, &records, now).await?.map_err(refused)?;
    let id = records[0].id.to_string();
    Ok((StatusCode::CREATED, Json(item(&readable(&state, &caller, record_type, &id).await?))))
}

/// `PATCH /api/v1/{collection}/{id}`: changes the fields given (`null` clears one).
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path((name, id)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> Result<Json<Value>, Failure> {
    let record_type = collection(&name)?;
    no_params(raw.as_deref())?;
    let current = readable(&state, &caller, record_type, &id).await?;
    let mut edit: crm_doc::Edit = body_fields(record_type, &body, Some(&current))?.into_iter().collect();
    if edit.is_empty() {
        return Err(Failure::unprocessable(Problem::new(Code::NothingToChange)));
    }
    let contract = match record_type {
        RecordType::Deal => move_deal(&state, &caller, &current.record, &mut edit).await?,
        _ => None,
    };
    let now = crate::now_ms();
    state.db.edit_as(&caller.session, current.record.id.0, &edit, now).await?.map_err(refused)?;
    if let Some(contract) = contract {
        state.db.create_as(&caller.session, &[contract], now).await?.map_err(refused)?;
    }
    Ok(Json(item(&readable(&state, &caller, record_type, &id).await?)))
}

/// `DELETE /api/v1/{collection}/{id}`: marks the record deleted (for the roles that may
/// delete), as a device does; devices drop it at their next sync.
pub async fn remove(
    State(state): State<AppState>,
    caller: Caller,
    Path((name, id)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
) -> Result<StatusCode, Failure> {
    let record_type = collection(&name)?;
    no_params(raw.as_deref())?;
    let current = readable(&state, &caller, record_type, &id).await?;
    if current.record.is_deleted() {
        return Err(unknown(&id));
    }
    let edit: crm_doc::Edit =
        [(crm_core::DELETED_FIELD.to_string(), Some(FieldValue::Text("yes".into())))].into_iter().collect();
    state.db.edit_as(&caller.session, current.record.id.0, &edit, crate::now_ms()).await?.map_err(refused)?;
    Ok(StatusCode::NO_CONTENT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_next_token_carries_its_query_and_a_forged_one_is_refused() {
        let q = ListQuery::parse("accounts", RecordType::Account, Some("limit=2&city=Amiens")).unwrap();
        assert_eq!((q.limit, q.filters.clone()), (2, vec![("city".to_string(), "Amiens".to_string())]));
        let token = ListQuery { after: Some(uuid::Uuid::now_v7().to_string()), ..q }.token();
        let again = ListQuery::parse("accounts", RecordType::Account, Some(&format!("next={token}"))).unwrap();
        assert_eq!(again.filters, vec![("city".to_string(), "Amiens".to_string())]);
        // Another collection's token, a made-up one, or more parameters beside it.
        assert!(ListQuery::parse("deals", RecordType::Deal, Some(&format!("next={token}"))).is_err());
        assert!(ListQuery::parse("accounts", RecordType::Account, Some("next=abc")).is_err());
        assert!(ListQuery::parse("accounts", RecordType::Account, Some(&format!("next={token}&city=Lyon"))).is_err());
        let forged = URL_SAFE_NO_PAD.encode(br#"{"c":"accounts","a":"x' OR 1=1","l":5}"#);
        assert!(ListQuery::parse("accounts", RecordType::Account, Some(&format!("next={forged}"))).is_err());
    }

    #[test]
    fn unknown_repeated_or_out_of_range_parameters_are_refused_never_ignored() {
        let refused = |q: &str| ListQuery::parse("accounts", RecordType::Account, Some(q)).unwrap_err();
        let e = refused("cursor=abc");
        assert_eq!((e.status, e.problem.code), (StatusCode::BAD_REQUEST, Code::ApiParamUnknown));
        assert!(e.problem.text(crm_core::Lang::Fr).contains("cursor"));
        assert_eq!(refused("limit=0").problem.code, Code::ApiParamInvalid);
        assert_eq!(refused("limit=5000").problem.code, Code::ApiParamInvalid);
        assert_eq!(refused("city=A&city=B").problem.code, Code::ApiParamInvalid);
        assert_eq!(refused("updated_since=hier").problem.code, Code::ApiParamInvalid);
        let q = ListQuery::parse("accounts", RecordType::Account, Some("updated_since=2026-12-01")).unwrap();
        assert_eq!(q.updated_since, Some(1_796_083_200_000));
    }
}
