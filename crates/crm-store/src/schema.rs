//! Client migrations, tracked with SQLite's `user_version`.

use crate::StoreError;
use rusqlite::Connection;

const MIGRATIONS: &[&str] = &[
    include_str!("../../../migrations/client/0001_init.sql"),
    include_str!("../../../migrations/client/0002_media.sql"),
    include_str!("../../../migrations/client/0003_scope.sql"),
    include_str!("../../../migrations/client/0004_search_fast_delete.sql"),
    include_str!("../../../migrations/client/0005_rejection_problem.sql"),
    include_str!("../../../migrations/client/0006_duplicate_keys.sql"),
    include_str!("../../../migrations/client/0007_imports.sql"),
    include_str!("../../../migrations/client/0008_lead_keys.sql"),
    include_str!("../../../migrations/client/0009_report_indexes.sql"),
];

pub fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let version = version as usize;
    if version > MIGRATIONS.len() {
        return Err(StoreError::Invalid(format!(
            "this data directory was written by a newer version of the CRM (schema {version}); update the app"
        )));
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(version) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}
