//! Building the statements both engines accept: placeholders, multi-row inserts and
//! chunked `IN (…)` lists.

use super::Backend;

/// Rows per multi-row statement: well under SQLite's and PostgreSQL's parameter limits.
pub(super) const ROWS_PER_STATEMENT: usize = 500;

/// One placeholder: numbered (`$7`) for PostgreSQL, anonymous (`?`) for SQLite. The
/// SQLite driver looks every numbered placeholder up by name, a cost quadratic in their
/// number: seconds per 1,000-row push with `$N`, nothing with `?`. Statements built
/// with these take no other parameter.
fn placeholder(backend: Backend, n: usize) -> String {
    match backend {
        Backend::Postgres => format!("${n}"),
        Backend::Sqlite => "?".to_string(),
    }
}

/// `($1, $2), ($3, $4), …`: `rows` tuples of `cols` placeholders.
pub(super) fn placeholders(backend: Backend, rows: usize, cols: usize) -> String {
    (0..rows)
        .map(|r| format!("({})", (1..=cols).map(|c| placeholder(backend, r * cols + c)).collect::<Vec<_>>().join(", ")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `$1, $2, …, $n`
fn list_placeholders(backend: Backend, n: usize) -> String {
    (1..=n).map(|i| placeholder(backend, i)).collect::<Vec<_>>().join(", ")
}

/// The statements of `select` for all of `values`: `select` has `{list}` where the
/// values go, and each statement takes `ROWS_PER_STATEMENT` of them at most.
pub(super) fn select_in<'a, T>(
    backend: Backend,
    select: &'a str,
    values: &'a [T],
) -> impl Iterator<Item = sqlx::query::Query<'a, sqlx::Any, sqlx::any::AnyArguments>>
where
    T: for<'q> sqlx::Encode<'q, sqlx::Any> + sqlx::Type<sqlx::Any> + Sync,
{
    values.chunks(ROWS_PER_STATEMENT).map(move |chunk| {
        let sql = select.replace("{list}", &list_placeholders(backend, chunk.len()));
        chunk.iter().fold(sqlx::query(sqlx::AssertSqlSafe(sql)), |query, value| query.bind(value))
    })
}

/// The 64-bit key of a record's PostgreSQL advisory lock.
pub(super) fn advisory_key(doc: &uuid::Uuid) -> i64 {
    let b = doc.as_bytes();
    i64::from_le_bytes([b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]])
}
