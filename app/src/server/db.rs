//! Connecting to the database and starting write transactions that cannot deadlock.

use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, Database, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};

/// Opens a pool for `url` (`sqlite://…?mode=rwc` or `postgres://…`) and brings the schema up to date.
///
/// SQLite is tuned for a web server: WAL so readers never wait for the writer, foreign
/// keys enforced, a busy timeout, and `synchronous = NORMAL` (durable under WAL).
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    let mut opts = ConnectOptions::new(url.to_owned());
    opts.max_connections(if url.starts_with("sqlite") { 8 } else { 16 })
        .min_connections(1)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|o| {
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
                .create_if_missing(true)
        });
    let db = Database::connect(opts).await?;
    Migrator::up(&db, None).await?;
    Ok(db)
}

/// Begins a transaction that will write.
///
/// On SQLite it is `BEGIN IMMEDIATE`: the write lock is taken up front, so a transaction
/// that reads then writes waits its turn (busy timeout) instead of failing with
/// "database is locked" when another writer committed in between. PostgreSQL needs no
/// such care; services lock the rows they read-then-write (`SELECT … FOR UPDATE`).
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    let mode = match db.get_database_backend() {
        DbBackend::Sqlite => Some(SqliteTransactionMode::Immediate),
        _ => None,
    };
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: mode,
        ..Default::default()
    })
    .await
}
