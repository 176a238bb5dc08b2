//! Competency mappings: mapping sets, their mappings and versions, partner review, the
//! partner's aggregate view, the learner's industry skills, and the CSV/JSON export (axum
//! routes). The service checks who may do what on every call.

use std::collections::BTreeMap;

use leptos::prelude::*;

use crate::error::AppError;
use crate::models::mapping::{
    Aggregate, CommentForm, LearnerSkill, MappingForm, NewSetForm, SetDetail, SetsPage, SkillChoice,
};

#[cfg(feature = "ssr")]
use crate::{
    models::mapping::{check_decision, validate_change},
    models::share::ticked,
    server::{
        ctx::{require_user, respond, state},
        db::begin_write,
        policy::{Access, learner_access},
        services::{audit, mappings},
    },
};

/// Where a set's page is, with a message key.
#[cfg(feature = "ssr")]
fn back(set_id: i64, saved: &str, anchor: &str) {
    leptos_axum::redirect(&format!("/mappings/{set_id}?saved={saved}{anchor}"));
}

/// The mapping sets the caller may see, with what the new-set form offers.
#[server(endpoint = "mappings/list")]
pub async fn list_mapping_sets(#[server(default)] page: u64) -> Result<SetsPage, AppError> {
    respond(async move {
        let (user, _) = require_user()?;
        mappings::list(&state()?.db, &user, page).await
    })
    .await
}

/// Starts a mapping set for a qualification and framework (educators of the
/// qualification's courses, and administrative staff).
#[server(endpoint = "mappings/create")]
pub async fn create_mapping_set(form: NewSetForm) -> Result<i64, AppError> {
    respond(async move {
        let (_, caller) = require_user()?;
        let new = form.validate().map_err(AppError::Validation)?;
        let db = state()?.db;
        let txn = begin_write(&db).await?;
        let id = mappings::create(&txn, &caller, &new).await?;
        txn.commit().await?;
        back(id, "created", "");
        Ok(id)
    })
    .await
}

/// A mapping set at `version` (0: the one the caller sees by default).
#[server(endpoint = "mappings/get")]
pub async fn get_mapping_set(
    id: i64,
    #[server(default)] version: i64,
) -> Result<SetDetail, AppError> {
    respond(async move {
        let (user, _) = require_user()?;
        mappings::detail(&state()?.db, &user, id, version).await
    })
    .await
}

/// The framework's current skills matching `q`, for the add-mapping form (editors).
#[server(endpoint = "mappings/skills")]
pub async fn mapping_skill_options(
    id: i64,
    #[server(default)] q: String,
) -> Result<Vec<SkillChoice>, AppError> {
    respond(async move {
        let (user, _) = require_user()?;
        mappings::skill_options(&state()?.db, &user, id, &q).await
    })
    .await
}

/// Maps a unit (or task) to a skill in the working version.
#[server(endpoint = "mappings/add")]
pub async fn add_mapping(set_id: i64, lock: i64, form: MappingForm) -> Result<i64, AppError> {
    respond(async move {
        let (_, caller) = require_user()?;
        let input = form.validate().map_err(AppError::Validation)?;
        let db = state()?.db;
        let txn = begin_write(&db).await?;
        let lock = mappings::add_mapping(&txn, &caller, set_id, lock, &input).await?;
        txn.commit().await?;
        back(set_id, "added", "#mappings");
        Ok(lock)
    })
    .await
}

/// Changes a mapping's strength and note in the working version.
#[server(endpoint = "mappings/update")]
pub async fn update_mapping(
    set_id: i64,
    lock: i64,
    mapping_id: i64,
    strength: String,
    #[server(default)] note: String,
) -> Result<i64, AppError> {
    respond(async move {
        let (_, caller) = require_user()?;
        let (strength, note) = validate_change(&strength, &note).map_err(AppError::Validation)?;
        let db = state()?.db;
        let txn = begin_write(&db).await?;
        let lock =
            mappings::update_mapping(&txn, &caller, set_id, lock, mapping_id, strength, &note)
                .await?;
        txn.commit().await?;
        back(set_id, "updated", "#mappings");
        Ok(lock)
    })
    .await
}

/// Removes a mapping from the working version.
#[server(endpoint = "mappings/remove")]
pub async fn remove_mapping(set_id: i64, lock: i64, mapping_id: i64) -> Result<i64, AppError> {
    respond(async move {
        let (_, caller) = require_user()?;
        let db = state()?.db;
        let txn = begin_write(&db).await?;
        let lock = mappings::remove_mapping(&txn, &caller, set_id, lock, mapping_id).await?;
        txn.commit().await?;
        back(set_id, "removed", "#mappings");
        Ok(lock)
    })
    .await
}

/// Sends the working version to the ticked partners (`reviewers[<id>]=on`) for review.
#[server(endpoint = "mappings/submit")]
pub async fn submit_mapping_set(
    set_id: i64,
    lock: i64,
    #[server(default)] reviewers: BTreeMap<String, String>,
    #[server(default)] note: String,
) -> Result<i64, AppError> {
    respond(async move {
        let (_, caller) = require_user()?;
        let db = state()?.db;
        let txn = begin_write(&db).await?;
        let lock =
            mappings::submit(&txn, &caller, set_id, lock, &ticked(&reviewers), &note).await?;
        txn.commit().await?;
        back(set_id, "submitted", "");
        Ok(lock)
    })
    .await
}

/// A comment on the set or one of its mappings (a suggestion when it proposes a strength).
#[server(endpoint = "mappings/comment")]
pub async fn comment_on_mapping_set(set_id: i64, form: CommentForm) -> Result<i64, AppError> {
    respond(async move {
        let (_, caller) = require_user()?;
        let input = form.validate().map_err(AppError::Validation)?;
        let db = state()?.db;
        let txn = begin_write(&db).await?;
        let id = mappings::comment(&txn, &caller, set_id, &input).await?;
        txn.commit().await?;
        back(set_id, "commented", &format!("#comment-{id}"));
        Ok(id)
    })
    .await
}

/// Marks a comment or suggestion resolved (editors).
#[server(endpoint = "mappings/resolve")]
pub async fn resolve_mapping_comment(set_id: i64, comment_id: i64) -> Result<(), AppError> {
    respond(async move {
        let (_, caller) = require_user()?;
        let db = state()?.db;
        let txn = begin_write(&db).await?;
        mappings::resolve(&txn, &caller, set_id, comment_id).await?;
        txn.commit().await?;
        back(set_id, "resolved", &format!("#comment-{comment_id}"));
        Ok(())
    })
    .await
}

/// A reviewing partner's decision on the version in review: `changes` (with what should
/// change) or `approve` (freezes the version).
#[server(endpoint = "mappings/decide")]
pub async fn decide_mapping_set(
    set_id: i64,
    lock: i64,
    decision: String,
    #[server(default)] body: String,
) -> Result<i64, AppError> {
    respond(async move {
        let (_, caller) = require_user()?;
        let changes = match decision.as_str() {
            "changes" => true,
            "approve" => false,
            _ => {
                return Err(AppError::field(
                    "decision",
                    "Choose to request changes or to approve.",
                ));
            }
        };
        let body = check_decision(changes, &body).map_err(AppError::Validation)?;
        let db = state()?.db;
        let txn = begin_write(&db).await?;
        let lock = mappings::decide(&txn, &caller, set_id, lock, changes, &body).await?;
        txn.commit().await?;
        back(
            set_id,
            if changes {
                "changes_requested"
            } else {
                "approved"
            },
            "",
        );
        Ok(lock)
    })
    .await
}

/// Starts the next version of an approved set as a draft copy (editors).
#[server(endpoint = "mappings/new_version")]
pub async fn new_mapping_version(set_id: i64, lock: i64) -> Result<i64, AppError> {
    respond(async move {
        let (_, caller) = require_user()?;
        let db = state()?.db;
        let txn = begin_write(&db).await?;
        let lock = mappings::new_version(&txn, &caller, set_id, lock).await?;
        txn.commit().await?;
        back(set_id, "new_version", "");
        Ok(lock)
    })
    .await
}

/// De-identified attainment per skill for a cohort of the set's qualification.
#[server(endpoint = "mappings/aggregate")]
pub async fn mapping_aggregate(
    set_id: i64,
    #[server(default)] course: i64,
) -> Result<Aggregate, AppError> {
    respond(async move {
        let (user, _) = require_user()?;
        mappings::aggregate(&state()?.db, &user, set_id, course).await
    })
    .await
}

/// The industry skills learner `learner_id`'s achieved units map to (whoever may read
/// their record; reads by others than the learner are access-logged).
#[server(endpoint = "mappings/learner_skills")]
pub async fn learner_industry_skills(learner_id: i64) -> Result<Vec<LearnerSkill>, AppError> {
    respond(async move {
        let (user, caller) = require_user()?;
        let db = state()?.db;
        let learner = learner_access(&db, &user, learner_id, Access::Read).await?;
        if learner.account_id != Some(user.id) {
            audit::access(&db, &caller, user.id, learner_id, "view_industry_skills").await?;
        }
        mappings::learner_skills(&db, learner_id).await
    })
    .await
}

/// Exports version `version` (0: the default one) of a set as CSV or JSON.
#[cfg(feature = "ssr")]
async fn export(
    app: crate::server::AppState,
    caller: Option<crate::server::auth::Caller>,
    id: String,
    query: BTreeMap<String, String>,
    json: bool,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    use http::{HeaderValue, StatusCode, header};

    use crate::models::mapping::ExportSet;

    let text = |status: StatusCode, message: String| {
        let mut res = (status, message).into_response();
        res.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
        res
    };
    let Some(user) = caller.and_then(|c| c.user) else {
        return text(StatusCode::UNAUTHORIZED, AppError::Unauthorized.to_string());
    };
    let Ok(id) = id.trim().parse::<i64>() else {
        return text(StatusCode::NOT_FOUND, AppError::NotFound.to_string());
    };
    let version = query
        .get("version")
        .and_then(|v| v.parse::<i64>().ok())
        .unwrap_or(0);
    let detail = match mappings::detail(&app.db, &user, id, version).await {
        Ok(d) => d,
        Err(err) => return text(err.status(), err.to_string()),
    };
    let set = ExportSet::of(&detail);
    let (body, mime, ext) = if json {
        match serde_json::to_string_pretty(&set) {
            Ok(b) => (b, "application/json", "json"),
            Err(e) => {
                let err = AppError::internal("mapping export json", e);
                return text(err.status(), err.to_string());
            }
        }
    } else {
        (set.to_csv(), "text/csv; charset=utf-8", "csv")
    };
    let name = format!("mapping-set-{id}-v{}.{ext}", set.version);
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    res
}

/// `GET /mappings/{id}/export.csv[?version=n]`.
#[cfg(feature = "ssr")]
pub async fn export_csv(
    axum::extract::State(app): axum::extract::State<crate::server::AppState>,
    caller: Option<axum::Extension<crate::server::auth::Caller>>,
    axum::extract::Path(id): axum::extract::Path<String>,
    axum::extract::Query(query): axum::extract::Query<BTreeMap<String, String>>,
) -> axum::response::Response {
    export(app, caller.map(|c| c.0), id, query, false).await
}

/// `GET /mappings/{id}/export.json[?version=n]`.
#[cfg(feature = "ssr")]
pub async fn export_json(
    axum::extract::State(app): axum::extract::State<crate::server::AppState>,
    caller: Option<axum::Extension<crate::server::auth::Caller>>,
    axum::extract::Path(id): axum::extract::Path<String>,
    axum::extract::Query(query): axum::extract::Query<BTreeMap<String, String>>,
) -> axum::response::Response {
    export(app, caller.map(|c| c.0), id, query, true).await
}

/// Where a set's exports download from.
pub fn export_href(set_id: i64, version: i64, json: bool) -> String {
    format!(
        "/mappings/{set_id}/export.{}?version={version}",
        if json { "json" } else { "csv" }
    )
}
