//! Column and index shorthands for migrations from 0015 on, so each table reads as its
//! columns rather than as builder boilerplate. Every helper makes the same column type on
//! SQLite and PostgreSQL.

use sea_orm_migration::prelude::*;

/// `id BIGINT` primary key, auto-increment.
pub fn id(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col)
        .big_integer()
        .not_null()
        .auto_increment()
        .primary_key()
        .to_owned()
}

/// A `BIGINT NOT NULL` column (a reference or a count).
pub fn int(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).big_integer().not_null().to_owned()
}

/// A nullable `BIGINT` column.
pub fn int_null(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).big_integer().null().to_owned()
}

/// A `VARCHAR(len) NOT NULL` column.
pub fn string(col: impl IntoIden, len: u32) -> ColumnDef {
    ColumnDef::new(col).string_len(len).not_null().to_owned()
}

/// A nullable `VARCHAR(len)` column.
pub fn string_null(col: impl IntoIden, len: u32) -> ColumnDef {
    ColumnDef::new(col).string_len(len).null().to_owned()
}

/// A `TEXT NOT NULL` column.
pub fn text(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).text().not_null().to_owned()
}

/// A nullable `TEXT` column.
pub fn text_null(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).text().null().to_owned()
}

/// A timestamp-with-time-zone `NOT NULL` column.
pub fn ts(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

/// A nullable timestamp-with-time-zone column.
pub fn ts_null(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col)
        .timestamp_with_time_zone()
        .null()
        .to_owned()
}

/// A nullable `DATE` column.
pub fn date_null(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).date().null().to_owned()
}

/// A `BOOLEAN NOT NULL` column with a default.
pub fn boolean(col: impl IntoIden, default: bool) -> ColumnDef {
    ColumnDef::new(col)
        .boolean()
        .not_null()
        .default(default)
        .to_owned()
}

/// A foreign key from `table.col` to `to.id` (every table here keys on `id`).
pub fn fk(
    table: impl IntoIden,
    col: impl IntoIden,
    to: impl IntoIden,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from_tbl(table)
        .from_col(col)
        .to_tbl(to)
        .to_col(Alias::new("id"))
        .to_owned()
}

/// Creates index `name` on `table (cols…)`.
pub async fn index(
    m: &SchemaManager<'_>,
    name: &str,
    table: impl IntoIden,
    cols: &[&str],
    unique: bool,
) -> Result<(), DbErr> {
    let mut ix = Index::create();
    ix.name(name).table(table);
    for c in cols {
        ix.col(Alias::new(*c));
    }
    if unique {
        ix.unique();
    }
    m.create_index(ix.to_owned()).await
}
