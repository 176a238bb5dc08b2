//! Industry skills frameworks: browse (staff, partners and auditors), and import a
//! framework or a new version of one from CSV (administrative staff).
//!
//! The file's text is posted in a form field (pasted, or read from a chosen file), so the
//! forms work as plain posts. The preview computes the diff and writes nothing; the apply
//! posts the same text with the version the preview was computed against, and is refused
//! (409) if another import moved the framework on in between.

use leptos::prelude::*;

use crate::error::AppError;
use crate::models::Page;
use crate::models::skills::{
    FrameworkDetail, FrameworkRow, SkillsImportForm, SkillsPage, SkillsPreview,
};

#[cfg(feature = "ssr")]
use crate::{
    domain::Role,
    server::{
        ctx::{require_role, respond, state},
        db::begin_write,
        services::skills,
    },
};

/// Who may browse frameworks and skills.
#[cfg(feature = "ssr")]
const READERS: [Role; 4] = [Role::Admin, Role::Educator, Role::Partner, Role::Auditor];

/// Frameworks by code, a page at a time.
#[server(endpoint = "skills/frameworks")]
pub async fn list_frameworks(page: u64) -> Result<Page<FrameworkRow>, AppError> {
    respond(async move {
        require_role(&READERS)?;
        skills::list(&state()?.db, page).await
    })
    .await
}

/// One framework with its versions.
#[server(endpoint = "skills/framework")]
pub async fn get_framework(id: i64) -> Result<FrameworkDetail, AppError> {
    respond(async move {
        require_role(&READERS)?;
        skills::detail(&state()?.db, id).await
    })
    .await
}

/// A page of a framework's skills, searched by label or uri and filtered by group.
#[server(endpoint = "skills/skills")]
pub async fn list_skills(
    id: i64,
    q: String,
    group: String,
    retired: bool,
    page: u64,
) -> Result<SkillsPage, AppError> {
    respond(async move {
        require_role(&READERS)?;
        skills::skills(&state()?.db, id, &q, &group, retired, page).await
    })
    .await
}

/// What importing the file would do: its skills, and for a new version the skills added,
/// removed, renamed and changed. Writes nothing (administrative staff).
#[server(endpoint = "skills/preview_import")]
pub async fn preview_import(form: SkillsImportForm) -> Result<SkillsPreview, AppError> {
    respond(async move {
        require_role(&[Role::Admin])?;
        skills::preview(&state()?.db, &form).await
    })
    .await
}

/// Imports the file as a new framework, or as the next version of one, all or nothing
/// (administrative staff). Returns the framework's id.
#[server(endpoint = "skills/apply_import")]
pub async fn apply_import(form: SkillsImportForm) -> Result<i64, AppError> {
    respond(async move {
        let (_, caller) = require_role(&[Role::Admin])?;
        let db = state()?.db;
        let txn = begin_write(&db).await?;
        let (id, version) = skills::apply(&txn, &caller, &form).await?;
        txn.commit().await?;
        leptos_axum::redirect(&format!("/skills/{id}?applied={version}"));
        Ok(id)
    })
    .await
}
