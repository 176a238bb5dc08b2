//! The catalogue: qualifications with units (import and browse) and courses.

use leptos::prelude::*;

use crate::error::AppError;
use crate::models::Page;
use crate::models::catalogue::{
    CourseDetail, CourseForm, CourseRow, QualificationDetail, QualificationForm, QualificationRow,
};

#[cfg(feature = "ssr")]
use crate::{
    domain::Role,
    server::{
        ctx::{require_role, require_user, respond, state},
        db::begin_write,
        services::{accounts, catalogue},
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

/// What the new-course form offers: qualifications and educators (administrative staff).
#[server(endpoint = "catalogue/course_choices")]
pub async fn course_choices() -> Result<(Vec<(i64, String)>, Vec<(i64, String)>), AppError> {
    respond(async move {
        require_role(&[Role::Admin])?;
        let db = state()?.db;
        Ok((
            catalogue::qualification_options(&db).await?,
            accounts::holders_of(&db, Role::Educator).await?,
        ))
    })
    .await
}

/// Creates a course (administrative staff); `educators` are ticked account ids.
#[server(endpoint = "catalogue/create_course")]
pub async fn create_course(
    form: CourseForm,
    #[server(default)] educators: std::collections::BTreeMap<String, String>,
) -> Result<i64, AppError> {
    respond(async move {
        let (_, caller) = require_role(&[Role::Admin])?;
        let course = form.validate().map_err(AppError::Validation)?;
        let db = state()?.db;
        let educators = educator_ids(&db, &educators).await?;
        let txn = begin_write(&db).await?;
        let id = catalogue::create_course(&txn, &caller, &course, &educators).await?;
        txn.commit().await?;
        leptos_axum::redirect("/courses?created=1");
        Ok(id)
    })
    .await
}

/// One course with its educators (staff and auditors).
#[server(endpoint = "catalogue/course")]
pub async fn get_course(id: i64) -> Result<CourseDetail, AppError> {
    respond(async move {
        require_role(&[Role::Admin, Role::Educator, Role::Auditor])?;
        catalogue::course_detail(&state()?.db, id).await
    })
    .await
}

/// Saves a course (administrative staff). `version` is the one the editor saw: if the
/// course changed since, nothing is saved and the answer says what changed.
#[server(endpoint = "catalogue/update_course")]
pub async fn update_course(
    id: i64,
    version: i64,
    form: CourseForm,
    #[server(default)] educators: std::collections::BTreeMap<String, String>,
) -> Result<i64, AppError> {
    respond(async move {
        let (_, caller) = require_role(&[Role::Admin])?;
        let course = form.validate().map_err(AppError::Validation)?;
        let db = state()?.db;
        let educators = educator_ids(&db, &educators).await?;
        let txn = begin_write(&db).await?;
        let next =
            catalogue::update_course(&txn, &caller, id, version, &course, &educators).await?;
        txn.commit().await?;
        leptos_axum::redirect(&format!("/courses/{id}?saved=1"));
        Ok(next)
    })
    .await
}

/// Ticked educator boxes (`educators[<account id>]=on`) as account ids, each an educator.
#[cfg(feature = "ssr")]
async fn educator_ids(
    db: &sea_orm::DatabaseConnection,
    ticked: &std::collections::BTreeMap<String, String>,
) -> Result<Vec<i64>, AppError> {
    let refuse = || AppError::field("educators", "Choose educators from the list.");
    let ids = ticked
        .keys()
        .map(|k| k.parse::<i64>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| refuse())?;
    let known = accounts::holders_of(db, Role::Educator).await?;
    if ids.iter().any(|e| !known.iter().any(|(id, _)| id == e)) {
        return Err(refuse());
    }
    Ok(ids)
}

/// A qualification as its edit form shows it, with its version (administrative staff).
#[server(endpoint = "catalogue/qualification_form")]
pub async fn get_qualification_form(id: i64) -> Result<(QualificationForm, i64), AppError> {
    respond(async move {
        require_role(&[Role::Admin])?;
        catalogue::qualification_form(&state()?.db, id).await
    })
    .await
}

/// Saves a qualification's title, level, packaging and units (administrative staff),
/// checked by the same rules as an import. `version` is the one the editor saw.
#[server(endpoint = "catalogue/update_qualification")]
pub async fn update_qualification(
    id: i64,
    version: i64,
    form: QualificationForm,
) -> Result<i64, AppError> {
    respond(async move {
        let (_, caller) = require_role(&[Role::Admin])?;
        let q = form.validate().map_err(AppError::Validation)?;
        let db = state()?.db;
        let txn = begin_write(&db).await?;
        let next = catalogue::update_qualification(&txn, &caller, id, version, &q).await?;
        txn.commit().await?;
        leptos_axum::redirect(&format!("/catalogue/{id}?updated=1"));
        Ok(next)
    })
    .await
}
