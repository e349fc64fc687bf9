//! The server's two schemas, one per engine (`migrations/server-sqlite` and
//! `migrations/server-postgres`), written twice by hand: they must give the same tables
//! with the same columns, or a query that works on one engine fails on the other.

use crm_tests::{Backend, ServerDatabase};
use sqlx::Row;
use std::collections::BTreeSet;

async fn columns(backend: Backend) -> BTreeSet<(String, String)> {
    let database = ServerDatabase::create(backend).await;
    let db = crm_server::db::Db::connect(&database.url).await.unwrap();
    let rows =
        match backend {
            Backend::Sqlite => {
                sqlx::query(
                    "SELECT m.name AS t, p.name AS c FROM sqlite_master m, pragma_table_info(m.name) p \
                 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'",
                )
                .fetch_all(db.pool())
                .await
            }
            Backend::Postgres => sqlx::query(
                "SELECT CAST(table_name AS TEXT) AS t, CAST(column_name AS TEXT) AS c FROM information_schema.columns \
                 WHERE table_schema = 'public'",
            )
            .fetch_all(db.pool())
            .await,
        }
        .unwrap();
    db.close().await;
    rows.iter()
        .map(|r| (r.try_get::<String, _>("t").unwrap(), r.try_get::<String, _>("c").unwrap()))
        .filter(|(t, _)| t != "_sqlx_migrations")
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sqlite_and_postgresql_migrations_make_the_same_tables_and_columns() {
    let sqlite = columns(Backend::Sqlite).await;
    let postgres = columns(Backend::Postgres).await;
    assert!(sqlite.len() > 40, "the check reads the schema: {sqlite:?}");
    let only_sqlite: Vec<_> = sqlite.difference(&postgres).collect();
    let only_postgres: Vec<_> = postgres.difference(&sqlite).collect();
    assert!(
        only_sqlite.is_empty() && only_postgres.is_empty(),
        "SQLite only: {only_sqlite:?}; PostgreSQL only: {only_postgres:?}"
    );
}
