//! Industry skills frameworks: browse (staff, partners and auditors), and import a
//! framework or a new version of one from CSV (administrative staff).
//!
//! The file's text is posted in a form field (pasted, or read from a chosen file in the
//! browser), so the forms work as plain posts. "Check" keeps the checked file
//! (`skills_import`, like the bulk import's batches) and lands on its preview, which
//! computes the diff; "Apply" posts the kept file's id with the version the preview was
//! computed against, and is refused (409) if another import moved the framework on since.

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

/// Checks the file (and a new framework's details) and keeps it for the preview page,
/// `/skills/import/:id`, where the diff is shown; nothing else is written. Returns the
/// kept import's id (administrative staff).
#[server(endpoint = "skills/preview_import")]
pub async fn preview_import(form: SkillsImportForm) -> Result<i64, AppError> {
    respond(async move {
        let (_, caller) = require_role(&[Role::Admin])?;
        let db = state()?.db;
        let txn = begin_write(&db).await?;
        let id = skills::stage(&txn, &caller, &form).await?;
        txn.commit().await?;
        leptos_axum::redirect(&format!("/skills/import/{id}"));
        Ok(id)
    })
    .await
}

/// What applying a checked file would do now: its skills, and for a new version the
/// skills added, removed, renamed and changed against the current version
/// (administrative staff).
#[server(endpoint = "skills/staged")]
pub async fn staged_import(id: i64) -> Result<SkillsPreview, AppError> {
    respond(async move {
        require_role(&[Role::Admin])?;
        skills::staged_preview(&state()?.db, id).await
    })
    .await
}

/// Applies a checked file as a new framework, or as the next version of one, all or
/// nothing (administrative staff). `base_version` is the version its preview was made
/// against: if another import moved the framework on since, nothing is applied (409).
/// Returns the framework's id.
#[server(endpoint = "skills/apply_import")]
pub async fn apply_import(id: i64, base_version: i64) -> Result<i64, AppError> {
    respond(async move {
        let (_, caller) = require_role(&[Role::Admin])?;
        let db = state()?.db;
        let txn = begin_write(&db).await?;
        let (framework, version) = skills::apply_staged(&txn, &caller, id, base_version).await?;
        txn.commit().await?;
        leptos_axum::redirect(&format!("/skills/{framework}?applied={version}"));
        Ok(framework)
    })
    .await
}
