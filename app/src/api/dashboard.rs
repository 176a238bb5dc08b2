//! The educator progress dashboard: a course's cohort × units matrix, at-risk list and
//! chart figures; the courses whose dashboard the caller may open.

use leptos::prelude::*;

use crate::error::AppError;
use crate::models::Page;
use crate::models::dashboard::{CourseDashboard, DashboardCourse};

#[cfg(feature = "ssr")]
use crate::{
    models::dashboard::FilterForm,
    server::{
        ctx::{require_user, respond, state},
        policy::Access,
        services::{attendance, dashboard},
    },
};

/// A course's dashboard, page `page` of the learners matching the filters (each may be
/// empty; an unknown value means "any"; `outcome` is the state filter). Admin staff, the course's educators and auditors;
/// everyone else is told the course does not exist (404).
#[server(endpoint = "dashboard/course")]
#[allow(clippy::too_many_arguments)]
pub async fn get_course_dashboard(
    course_id: i64,
    #[server(default)] unit: String,
    #[server(default)] status: String,
    #[server(default)] outcome: String,
    #[server(default)] risk: String,
    #[server(default)] q: String,
    #[server(default)] page: u64,
) -> Result<CourseDashboard, AppError> {
    respond(async move {
        let (user, _) = require_user()?;
        let db = state()?.db;
        let (course, _) = attendance::course_access(&db, &user, course_id, Access::Read).await?;
        let filter = FilterForm {
            unit,
            status,
            state: outcome,
            risk,
            q,
        }
        .read();
        dashboard::course_dashboard(&db, course, filter, page).await
    })
    .await
}

/// The courses whose dashboard the caller may open (admin staff and auditors: all;
/// educators: their own), by code, a page at a time. Students and partners: 404.
#[server(endpoint = "dashboard/courses")]
pub async fn dashboard_courses(
    #[server(default)] page: u64,
) -> Result<Page<DashboardCourse>, AppError> {
    respond(async move {
        let (user, _) = require_user()?;
        let db = state()?.db;
        dashboard::courses_for(&db, &user, page).await
    })
    .await
}
