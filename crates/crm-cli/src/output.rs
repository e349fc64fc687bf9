//! Printing results: one JSON value with `--json`, readable text otherwise.

use crm_client::SearchHit;
use crm_client::Status;
use serde::Serialize;
use serde_json::Value;

pub struct Output {
    pub json: bool,
}

impl Output {
    pub fn value<T: Serialize>(&self, value: &T, text: &str) {
        if self.json {
            println!("{}", json(value));
        } else {
            println!("{text}");
        }
    }

    pub fn record<T: Serialize>(&self, record: &T) {
        let record = json(record);
        if self.json {
            println!("{record}");
            return;
        }
        print_fields(&record, "");
    }

    pub fn records<T: Serialize>(&self, records: &[T], columns: &[&str]) {
        let records: Vec<Value> = records.iter().map(json).collect();
        if self.json {
            println!("{}", Value::Array(records));
            return;
        }
        if records.is_empty() {
            println!("(none)");
        }
        for r in &records {
            let cols: Vec<String> = columns.iter().map(|c| text(&r[*c])).collect();
            let mark = if r["conflicts"].as_array().is_some_and(|c| !c.is_empty()) { "  [conflict]" } else { "" };
            println!("{}  {}{mark}", r["id"].as_str().unwrap_or(""), cols.join("  |  "));
        }
    }

    pub fn account_view<T: Serialize>(&self, view: &T) {
        let view = &json(view);
        if self.json {
            println!("{view}");
            return;
        }
        let mut fields = view.clone();
        if let Some(map) = fields.as_object_mut() {
            map.remove("contacts");
            map.remove("timeline");
        }
        print_fields(&fields, "");
        println!("\nContacts:");
        for c in view["contacts"].as_array().into_iter().flatten() {
            println!("  {}  {}  {}  {}", text(&c["id"]), text(&c["name"]), text(&c["job_title"]), text(&c["email"]));
        }
        println!("\nTimeline:");
        for a in view["timeline"].as_array().into_iter().flatten() {
            println!("  {}  {}  {}", text(&a["at"]), text(&a["kind"]), text(&a["subject"]));
            if let Some(body) = a["body"].as_str() {
                for line in body.lines() {
                    println!("      {line}");
                }
            }
        }
    }

    pub fn hits(&self, hits: &[SearchHit]) {
        if self.json {
            println!("{}", serde_json::to_string(hits).unwrap_or_else(|_| "[]".into()));
            return;
        }
        if hits.is_empty() {
            println!("No match.");
        }
        for h in hits {
            println!("{}  {:<8}  {}  — {}", h.id, h.record_type, h.label, h.snippet);
        }
    }

    pub fn status(&self, s: &Status) {
        if self.json {
            println!("{}", serde_json::to_string(s).unwrap_or_default());
            return;
        }
        match &s.user {
            Some(u) => println!("User:        {} <{}> ({})", u.name, u.email, u.role),
            None => println!("User:        not logged in"),
        }
        println!("Server:      {}", s.server_url.as_deref().unwrap_or("-"));
        println!("Device:      {}", s.device_id);
        println!("Pending:     {} change(s) not yet sent", s.pending);
        println!("Last sync:   {}", s.last_sync_at.as_deref().unwrap_or("never"));
        if s.rejected > 0 {
            println!("Refused:     {} change(s) (see `crm rejections`)", s.rejected);
        }
    }
}

/// A value as JSON (the types printed always serialise).
pub fn json<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

fn text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(text).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

fn print_fields(record: &Value, indent: &str) {
    let Some(map) = record.as_object() else { return };
    for (k, v) in map {
        if k == "conflicts" {
            for c in v.as_array().into_iter().flatten() {
                println!(
                    "{indent}CONFLICT on {}: kept {:?}, also written: {}",
                    text(&c["field"]),
                    text(&c["value"]),
                    text(&c["others"])
                );
            }
            continue;
        }
        println!("{indent}{k:<12} {}", text(v));
    }
}
