//! Full-text search over every local record (FTS5, accents ignored, prefix matching).

use crate::{Store, StoreError};
use rusqlite::params;
use serde::Serialize;

#[derive(Clone, Debug, Serialize, ts_rs::TS)]
pub struct SearchHit {
    pub id: String,
    #[serde(rename = "type")]
    #[ts(as = "crm_core::RecordType")]
    pub record_type: String,
    /// The account the hit belongs to; the hit itself for an account.
    pub account_id: Option<String>,
    pub label: String,
    pub snippet: String,
}

impl Store {
    /// Records matching every word of `query` (each word as a prefix): first those whose
    /// name matches, best first; then the others that mention the words, newest first.
    /// Ranking every match (thousands for a common word in visit reports) is what made
    /// a search slow; names are few, and newest-first needs no ranking at all.
    pub fn search(&self, query: &str, limit: usize) -> Result<Vec<SearchHit>, StoreError> {
        let Some(fts) = fts_query(query) else { return Ok(Vec::new()) };
        let mut hits =
            self.search_with("WHERE search MATCH ?1 ORDER BY rank LIMIT ?2", &format!("label : ({fts})"), limit)?;
        if hits.len() < limit {
            let named: std::collections::HashSet<String> = hits.iter().map(|h| h.id.clone()).collect();
            let others = self.search_with(
                "WHERE search MATCH ?1 ORDER BY search.rowid DESC LIMIT ?2",
                &fts,
                limit + named.len(),
            )?;
            hits.extend(others.into_iter().filter(|h| !named.contains(&h.id)).take(limit - named.len()));
        }
        Ok(hits)
    }

    fn search_with(&self, clause: &str, fts: &str, limit: usize) -> Result<Vec<SearchHit>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT r.id, r.doc_type, r.account_id, r.label, snippet(search, 1, '[', ']', '…', 12) \
             FROM search JOIN records r ON r.rowid = search.rowid {clause}"
        ))?;
        let rows = stmt.query_map(params![fts, limit as i64], |r| {
            Ok(SearchHit {
                id: r.get(0)?,
                record_type: r.get(1)?,
                account_id: r.get(2)?,
                label: r.get(3)?,
                snippet: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

/// Turns what a user typed into an FTS5 query: words quoted (so no user text is ever
/// read as FTS syntax), each a prefix, all required.
fn fts_query(query: &str) -> Option<String> {
    let words: Vec<String> = query
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(16)
        .map(|w| format!("\"{w}\"*"))
        .collect();
    if words.is_empty() { None } else { Some(words.join(" ")) }
}

#[cfg(test)]
mod tests {
    #[test]
    fn user_text_never_becomes_fts_syntax() {
        assert_eq!(super::fts_query("Dupont OR \"x\" NEAR("), Some("\"Dupont\"* \"OR\"* \"x\"* \"NEAR\"*".into()));
        assert_eq!(super::fts_query("  -- "), None);
    }
}
