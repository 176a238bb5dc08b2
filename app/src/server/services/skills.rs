//! Industry skills frameworks: browse frameworks and their skills, preview a framework
//! file against the current version (nothing written), and apply it in one transaction.
//!
//! A skill keeps its row (and id) across versions: a new label or description is written
//! in place, a removed skill is retired (`retired_in_version`), never deleted, and a uri
//! that comes back is un-retired.

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::prelude::Expr;
use sea_orm::sea_query::{ExprTrait, Func};
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Select,
};
use serde::Serialize;

use super::history::{self, Change};
use super::page_of;
use crate::error::AppError;
use crate::models::skills::{
    DiffCounts, FrameworkDetail, FrameworkDiff, FrameworkRow, MAX_LISTED_CHANGES, SkillListRow,
    SkillRow, SkillsImportForm, SkillsPage, SkillsPreview, VersionRow, diff,
};
use crate::models::{PER_PAGE, Page};
use crate::server::auth::Caller;
use crate::server::entities::{
    account, industry_skill, skills_framework, skills_framework_version, skills_import,
};

/// Rows of a sample shown for a new framework.
const SAMPLE: usize = 20;

/// Frameworks by code, a page at a time, with their current skill counts.
pub async fn list<C: ConnectionTrait>(db: &C, page: u64) -> Result<Page<FrameworkRow>, AppError> {
    let (rows, total, page) = page_of(
        db,
        skills_framework::Entity::find().order_by_asc(skills_framework::Column::Code),
        page,
    )
    .await?;
    let mut items = Vec::with_capacity(rows.len());
    for f in rows {
        let skills = current_skills(f.id).count(db).await?;
        items.push(FrameworkRow {
            id: f.id,
            code: f.code,
            title: f.title,
            version: f.current_version,
            skills,
            updated_at: f.updated_at,
        });
    }
    Ok(Page {
        items,
        total,
        page,
        per_page: PER_PAGE,
    })
}

fn current_skills(framework_id: i64) -> sea_orm::Select<industry_skill::Entity> {
    industry_skill::Entity::find()
        .filter(industry_skill::Column::FrameworkId.eq(framework_id))
        .filter(industry_skill::Column::RetiredInVersion.is_null())
}

async fn framework<C: ConnectionTrait>(
    db: &C,
    id: i64,
) -> Result<skills_framework::Model, AppError> {
    skills_framework::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// The most versions a framework page lists.
const MAX_VERSIONS: u64 = 100;

/// One framework with its versions (newest first, at most 100) and the groups of its skills.
pub async fn detail<C: ConnectionTrait>(db: &C, id: i64) -> Result<FrameworkDetail, AppError> {
    let f = framework(db, id).await?;
    let versions = skills_framework_version::Entity::find()
        .filter(skills_framework_version::Column::FrameworkId.eq(id))
        .order_by_desc(skills_framework_version::Column::Number)
        .limit(MAX_VERSIONS)
        .all(db)
        .await?;
    let by: Vec<i64> = versions.iter().map(|v| v.created_by).collect();
    let names: HashMap<i64, String> = account::Entity::find()
        .filter(account::Column::Id.is_in(by))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.display_name))
        .collect();
    let groups: Vec<String> = current_skills(id)
        .select_only()
        .column(industry_skill::Column::GroupLabel)
        .distinct()
        .order_by_asc(industry_skill::Column::GroupLabel)
        .into_tuple::<String>()
        .all(db)
        .await?
        .into_iter()
        .filter(|g| !g.is_empty())
        .collect();
    Ok(FrameworkDetail {
        id: f.id,
        code: f.code,
        title: f.title,
        description: f.description,
        version: f.current_version,
        versions: versions
            .into_iter()
            .map(|v| VersionRow {
                number: v.number,
                note: v.note,
                skills: v.skill_count,
                counts: DiffCounts {
                    added: v.added as u32,
                    removed: v.removed as u32,
                    renamed: v.renamed as u32,
                    changed: v.changed as u32,
                    unchanged: 0,
                },
                by: names.get(&v.created_by).cloned(),
                at: v.created_at,
            })
            .collect(),
        groups,
    })
}

/// A page of a framework's skills by label: matching `q` (in the label or uri, any case),
/// in `group` when given, and the retired ones too when `retired`.
pub async fn skills<C: ConnectionTrait>(
    db: &C,
    id: i64,
    q: &str,
    group: &str,
    retired: bool,
    page: u64,
) -> Result<SkillsPage, AppError> {
    framework(db, id).await?;
    let select = skills_query(id, q, group, retired);
    let (rows, total, page) = page_of(db, select, page).await?;
    Ok(Page {
        items: rows
            .into_iter()
            .map(|s| SkillListRow {
                id: s.id,
                uri: s.uri,
                label: s.label,
                description: s.description,
                group: s.group_label,
                first_version: s.first_version,
                retired_in_version: s.retired_in_version,
            })
            .collect(),
        total,
        page,
        per_page: PER_PAGE,
    })
}

/// The skills of framework `id` by label: current ones (or all with `retired`), those whose
/// label or uri contains `q` (any case, `%` and `_` taken literally), in `group` if given.
pub fn skills_query(
    id: i64,
    q: &str,
    group: &str,
    retired: bool,
) -> Select<industry_skill::Entity> {
    let mut select =
        industry_skill::Entity::find().filter(industry_skill::Column::FrameworkId.eq(id));
    if !retired {
        select = select.filter(industry_skill::Column::RetiredInVersion.is_null());
    }
    let q = q.trim().to_lowercase();
    if !q.is_empty() {
        let escaped = q
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        let pattern = format!("%{escaped}%");
        let like = |col: industry_skill::Column| {
            Expr::expr(Func::lower(Expr::col((industry_skill::Entity, col))))
                .like(sea_orm::sea_query::LikeExpr::new(pattern.clone()).escape('\\'))
        };
        select = select.filter(
            Condition::any()
                .add(like(industry_skill::Column::Label))
                .add(like(industry_skill::Column::Uri)),
        );
    }
    let group = group.trim();
    if !group.is_empty() {
        select = select.filter(industry_skill::Column::GroupLabel.eq(group));
    }
    select
        .order_by_asc(industry_skill::Column::Label)
        .order_by_asc(industry_skill::Column::Id)
}

fn row_of(s: &industry_skill::Model) -> SkillRow {
    SkillRow {
        uri: s.uri.clone(),
        label: s.label.clone(),
        description: s.description.clone(),
        group: s.group_label.clone(),
    }
}

/// What the checked form is about: a new framework, or a version of an existing one.
struct Checked {
    framework: Option<skills_framework::Model>,
    new: Option<crate::models::skills::FrameworkForm>,
    rows: Vec<SkillRow>,
    /// Every skill of the framework (current and retired), by uri.
    existing: HashMap<String, industry_skill::Model>,
    diff: FrameworkDiff,
}

/// Checks the form and file, and computes the diff against the framework as it is.
async fn check<C: ConnectionTrait>(db: &C, form: &SkillsImportForm) -> Result<Checked, AppError> {
    let current = if form.framework_id != 0 {
        Some(framework(db, form.framework_id).await?)
    } else {
        None
    };
    let (new, rows) = form.validate().map_err(AppError::Validation)?;
    if let Some(new) = &new {
        let taken = skills_framework::Entity::find()
            .filter(skills_framework::Column::Code.eq(new.code.as_str()))
            .one(db)
            .await?;
        if taken.is_some() {
            return Err(AppError::field(
                "code",
                format!(
                    "A framework with the code {} exists. Open it to import a new version.",
                    new.code
                ),
            ));
        }
    }
    let existing: HashMap<String, industry_skill::Model> = match &current {
        Some(f) => industry_skill::Entity::find()
            .filter(industry_skill::Column::FrameworkId.eq(f.id))
            .all(db)
            .await?
            .into_iter()
            .map(|s| (s.uri.clone(), s))
            .collect(),
        None => HashMap::new(),
    };
    let mut now: Vec<&industry_skill::Model> = existing
        .values()
        .filter(|s| s.retired_in_version.is_none())
        .collect();
    now.sort_by(|a, b| a.label.cmp(&b.label).then(a.id.cmp(&b.id)));
    let now: Vec<SkillRow> = now.into_iter().map(row_of).collect();
    let diff = diff(&now, &rows);
    Ok(Checked {
        framework: current,
        new,
        rows,
        existing,
        diff,
    })
}

/// The refusal of an apply against a version that is no longer the current one.
async fn stale<C: ConnectionTrait>(db: &C, id: i64, base: i64) -> Result<AppError, AppError> {
    let current = framework(db, id).await?.current_version;
    let who = match history::changes_since(db, "skills_framework", id, base)
        .await?
        .into_iter()
        .filter_map(|(who, _)| who)
        .next_back()
    {
        Some(who) => format!(" by {who}"),
        None => String::new(),
    };
    Ok(AppError::Conflict(format!(
        "This framework changed while you were looking at the preview: version {current} was imported{who}. Nothing was applied. Check the file again to see the differences from version {current}."
    )))
}

/// What applying the form's file would do. Writes nothing.
pub async fn preview<C: ConnectionTrait>(
    db: &C,
    form: &SkillsImportForm,
) -> Result<SkillsPreview, AppError> {
    let checked = check(db, form).await?;
    let (framework_id, code, title, base) = match (&checked.framework, &checked.new) {
        (Some(f), _) => (f.id, f.code.clone(), f.title.clone(), f.current_version),
        (None, Some(n)) => (0, n.code.clone(), n.title.clone(), 0),
        (None, None) => return Err(AppError::NotFound),
    };
    Ok(SkillsPreview {
        framework_id,
        code,
        title,
        base_version: base,
        next_version: base + 1,
        rows: checked.rows.len() as u32,
        sample: checked.rows.iter().take(SAMPLE).cloned().collect(),
        counts: checked.diff.counts(),
        diff: checked.diff.truncated(MAX_LISTED_CHANGES),
    })
}

#[derive(Serialize)]
struct FrameworkRecord<'a> {
    code: &'a str,
    title: &'a str,
    version: i64,
    skills: u32,
    added: u32,
    removed: u32,
    renamed: u32,
    changed: u32,
}

#[derive(Serialize)]
struct SkillRecord<'a> {
    uri: &'a str,
    label: &'a str,
    description: &'a str,
    group: &'a str,
}

fn skill_record(s: &SkillRow) -> SkillRecord<'_> {
    SkillRecord {
        uri: &s.uri,
        label: &s.label,
        description: &s.description,
        group: &s.group,
    }
}

/// Applies the form's file in the caller's transaction: creates the framework at version
/// 1, or writes version `base_version + 1` of it (409 when the framework is no longer at
/// `base_version`). Returns the framework's id and its new version.
pub async fn apply<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    form: &SkillsImportForm,
) -> Result<(i64, i64), AppError> {
    let user_id = caller
        .user
        .as_ref()
        .map(|u| u.id)
        .ok_or(AppError::Unauthorized)?;
    if form.framework_id != 0 {
        let current = framework(db, form.framework_id).await?;
        if current.current_version != form.base_version {
            return Err(stale(db, current.id, form.base_version).await?);
        }
    }
    let checked = check(db, form).await?;
    let now = Utc::now();
    let counts = checked.diff.counts();
    let note = Some(form.note.trim().to_owned()).filter(|n| !n.is_empty());
    let (id, code, title, before, version) = match (&checked.framework, &checked.new) {
        (None, Some(new)) => {
            let res = skills_framework::Entity::insert(skills_framework::ActiveModel {
                id: NotSet,
                code: Set(new.code.clone()),
                title: Set(new.title.clone()),
                description: Set(new.description.clone()),
                current_version: Set(1),
                created_by: Set(user_id),
                created_at: Set(now),
                updated_at: Set(now),
            })
            .exec(db)
            .await?;
            (
                res.last_insert_id,
                new.code.clone(),
                new.title.clone(),
                None,
                1,
            )
        }
        (Some(f), _) => {
            if checked.diff.is_empty() {
                return Err(AppError::field(
                    "csv",
                    format!(
                        "The file is the same as version {} of the framework: there is nothing to apply.",
                        f.current_version
                    ),
                ));
            }
            let next = f.current_version + 1;
            // Only the first of two applies against the same version moves it on.
            let moved = skills_framework::Entity::update_many()
                .col_expr(skills_framework::Column::CurrentVersion, Expr::value(next))
                .col_expr(skills_framework::Column::UpdatedAt, Expr::value(now))
                .filter(skills_framework::Column::Id.eq(f.id))
                .filter(skills_framework::Column::CurrentVersion.eq(form.base_version))
                .exec(db)
                .await?;
            if moved.rows_affected != 1 {
                return Err(stale(db, f.id, form.base_version).await?);
            }
            let before = current_skills(f.id).count(db).await? as u32;
            (f.id, f.code.clone(), f.title.clone(), Some(before), next)
        }
        (None, None) => return Err(AppError::NotFound),
    };

    // Added skills: new rows, or retired rows brought back (same id).
    let mut inserts = Vec::new();
    for s in &checked.diff.added {
        match checked.existing.get(&s.uri) {
            Some(old) => {
                industry_skill::Entity::update(industry_skill::ActiveModel {
                    id: Set(old.id),
                    label: Set(s.label.clone()),
                    description: Set(s.description.clone()),
                    group_label: Set(s.group.clone()),
                    retired_in_version: Set(None),
                    ..Default::default()
                })
                .exec(db)
                .await?;
            }
            None => inserts.push(industry_skill::ActiveModel {
                id: NotSet,
                framework_id: Set(id),
                uri: Set(s.uri.clone()),
                label: Set(s.label.clone()),
                description: Set(s.description.clone()),
                group_label: Set(s.group.clone()),
                first_version: Set(version),
                retired_in_version: Set(None),
            }),
        }
    }
    for chunk in inserts.chunks(500) {
        industry_skill::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    // Renamed and changed skills: written in place, so their ids stay.
    for change in checked.diff.renamed.iter().chain(&checked.diff.changed) {
        let Some(old) = checked.existing.get(&change.before.uri) else {
            continue;
        };
        industry_skill::Entity::update(industry_skill::ActiveModel {
            id: Set(old.id),
            label: Set(change.after.label.clone()),
            description: Set(change.after.description.clone()),
            group_label: Set(change.after.group.clone()),
            ..Default::default()
        })
        .exec(db)
        .await?;
        history::record(
            db,
            caller,
            Change {
                entity: "industry_skill",
                entity_id: old.id,
                learner_id: None,
                action: "update",
                reason: None,
                before: Some(&skill_record(&change.before)),
                after: Some(&skill_record(&change.after)),
                version: Some(version),
            },
        )
        .await?;
    }
    // Removed skills: retired, never deleted (other records may refer to them).
    let retired: Vec<i64> = checked
        .diff
        .removed
        .iter()
        .filter_map(|s| checked.existing.get(&s.uri).map(|m| m.id))
        .collect();
    for chunk in retired.chunks(500) {
        industry_skill::Entity::update_many()
            .col_expr(
                industry_skill::Column::RetiredInVersion,
                Expr::value(version),
            )
            .filter(industry_skill::Column::Id.is_in(chunk.to_vec()))
            .exec(db)
            .await?;
    }
    skills_framework_version::Entity::insert(skills_framework_version::ActiveModel {
        id: NotSet,
        framework_id: Set(id),
        number: Set(version),
        note: Set(note),
        skill_count: Set(checked.rows.len() as i64),
        added: Set(counts.added.into()),
        removed: Set(counts.removed.into()),
        renamed: Set(counts.renamed.into()),
        changed: Set(counts.changed.into()),
        created_by: Set(user_id),
        created_at: Set(now),
    })
    .exec(db)
    .await?;
    let after = FrameworkRecord {
        code: &code,
        title: &title,
        version,
        skills: checked.rows.len() as u32,
        added: counts.added,
        removed: counts.removed,
        renamed: counts.renamed,
        changed: counts.changed,
    };
    let before_record = before.map(|skills| FrameworkRecord {
        code: &code,
        title: &title,
        version: version - 1,
        skills,
        added: 0,
        removed: 0,
        renamed: 0,
        changed: 0,
    });
    history::record(
        db,
        caller,
        Change {
            entity: "skills_framework",
            entity_id: id,
            learner_id: None,
            action: if before_record.is_some() {
                "update"
            } else {
                "create"
            },
            reason: None,
            before: before_record.as_ref(),
            after: Some(&after),
            version: Some(version),
        },
    )
    .await?;
    Ok((id, version))
}

/// Checks the form and its file and, when both are right, keeps them for the preview page
/// and the apply. Returns the kept import's id. Nothing else is written.
pub async fn stage<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    form: &SkillsImportForm,
) -> Result<i64, AppError> {
    let user_id = caller
        .user
        .as_ref()
        .map(|u| u.id)
        .ok_or(AppError::Unauthorized)?;
    let checked = check(db, form).await?;
    let (code, title, description) = match (&checked.framework, &checked.new) {
        (Some(f), _) => (f.code.clone(), f.title.clone(), String::new()),
        (None, Some(n)) => (n.code.clone(), n.title.clone(), n.description.clone()),
        (None, None) => return Err(AppError::NotFound),
    };
    let res = skills_import::Entity::insert(skills_import::ActiveModel {
        id: NotSet,
        framework_id: Set(form.framework_id),
        code: Set(code),
        title: Set(title),
        description: Set(description),
        note: Set(form.note.trim().to_owned()),
        csv: Set(form.csv.clone()),
        created_by: Set(user_id),
        created_at: Set(Utc::now()),
    })
    .exec(db)
    .await?;
    Ok(res.last_insert_id)
}

/// The form of a kept import, against `base_version` of its framework.
async fn staged_form<C: ConnectionTrait>(
    db: &C,
    id: i64,
    base_version: i64,
) -> Result<SkillsImportForm, AppError> {
    let s = skills_import::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(SkillsImportForm {
        framework_id: s.framework_id,
        base_version,
        code: s.code,
        title: s.title,
        description: s.description,
        note: s.note,
        csv: s.csv,
    })
}

/// What applying a kept import would do now, against the framework's current version.
pub async fn staged_preview<C: ConnectionTrait>(
    db: &C,
    id: i64,
) -> Result<SkillsPreview, AppError> {
    let form = staged_form(db, id, 0).await?;
    preview(db, &form).await
}

/// Applies a kept import whose preview was made against `base_version` (see [`apply`]).
pub async fn apply_staged<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    id: i64,
    base_version: i64,
) -> Result<(i64, i64), AppError> {
    let form = staged_form(db, id, base_version).await?;
    apply(db, caller, &form).await
}
