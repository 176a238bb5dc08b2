//! The catalogue: qualifications with units (import and browse) and courses.

use leptos::prelude::*;

use crate::error::AppError;
use crate::models::Page;
use crate::models::catalogue::{
    CourseRow, QualificationDetail, QualificationForm, QualificationRow,
};

#[cfg(feature = "ssr")]
use crate::{
    domain::Role,
    server::{
        ctx::{require_role, require_user, respond, state},
        db::begin_write,
        services::catalogue,
    },
};

/// Qualifications in the catalogue, a page at a time (anyone signed in).
#[server(endpoint = "catalogue/qualifications")]
pub async fn list_qualifications(page: u64) -> Result<Page<QualificationRow>, AppError> {
    respond(async move {
        require_user()?;
        catalogue::list_qualifications(&state()?.db, page).await
    })
    .await
}

/// One qualification with its units (anyone signed in).
#[server(endpoint = "catalogue/qualification")]
pub async fn get_qualification(id: i64) -> Result<QualificationDetail, AppError> {
    respond(async move {
        require_user()?;
        catalogue::qualification_detail(&state()?.db, id).await
    })
    .await
}

/// Adds a qualification with its units, typed or pasted as CSV (administrative staff).
/// All or nothing: one bad line and nothing is saved.
#[server(endpoint = "catalogue/create_qualification")]
pub async fn create_qualification(form: QualificationForm) -> Result<i64, AppError> {
    respond(async move {
        let (_, caller) = require_role(&[Role::Admin])?;
        let q = form.validate().map_err(AppError::Validation)?;
        let db = state()?.db;
        let txn = begin_write(&db).await?;
        let id = catalogue::create_qualification(&txn, &caller, &q).await?;
        txn.commit().await?;
        leptos_axum::redirect(&format!("/catalogue/{id}?saved=1"));
        Ok(id)
    })
    .await
}

/// Courses, a page at a time (staff and auditors).
#[server(endpoint = "catalogue/courses")]
pub async fn list_courses(page: u64) -> Result<Page<CourseRow>, AppError> {
    respond(async move {
        require_role(&[Role::Admin, Role::Educator, Role::Auditor])?;
        catalogue::list_courses(&state()?.db, page).await
    })
    .await
}
