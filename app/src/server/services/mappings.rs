//! Competency mappings: mapping sets per qualification and skills framework, their
//! versions and mappings, partner review (comments, suggestions, decisions), what partners
//! learn from an approved set (de-identified attainment per skill), and the industry
//! skills a learner reached.
//!
//! Who may do what (every function checks it, whatever the page shows):
//! - educators who teach a course of the qualification, and administrative staff, edit;
//! - other educators and auditors read;
//! - a partner reads a set only when asked to review it, and never a first draft; they
//!   comment, suggest and decide while it is in review;
//! - learners see only the skills of their own achieved units (the learner service).
//!
//! Every change checks the set's `version` (optimistic lock: 409 naming who changed what),
//! bumps it, and appends to the history with before and after.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::{NotSet, Set},
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde::Serialize;

use super::history::{self, Change};
use super::notifications::notify;
use super::page_of;
use crate::domain::Role;
use crate::error::AppError;
use crate::models::assessment::Outcome;
use crate::models::mapping::{
    Aggregate, Choice, CohortChoice, CommentInput, CommentKind, CommentRow, LearnerSkill,
    MappingInput, MappingRow, NewSet, Reviewer, SetDetail, SetPermissions, SetRow, SetStatus,
    SetsPage, SkillAttainment, SkillChoice, Strength, UnitChoice, VersionInfo, shows_figures,
};
use crate::models::{CurrentUser, PER_PAGE, Page};
use crate::server::auth::Caller;
use crate::server::entities::{
    account, account_organisation, account_role, assessment_task, competency_mapping, course,
    course_educator, enrolment, industry_skill, mapping_comment, mapping_reviewer, mapping_set,
    mapping_set_version, organisation, qualification, qualification_unit, skills_framework, unit,
    unit_decision,
};

/// The most skills the add-mapping form offers at once (search narrows them).
pub const MAX_SKILL_OPTIONS: u64 = 200;

fn status_of(set: &mapping_set::Model) -> SetStatus {
    SetStatus::parse(&set.status).unwrap_or(SetStatus::Draft)
}

fn caller_user(caller: &Caller) -> Result<&CurrentUser, AppError> {
    caller.user.as_ref().ok_or(AppError::Unauthorized)
}

async fn find_set<C: ConnectionTrait>(db: &C, id: i64) -> Result<mapping_set::Model, AppError> {
    mapping_set::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// The qualifications an educator teaches a course of.
async fn taught_qualifications<C: ConnectionTrait>(
    db: &C,
    educator: i64,
) -> Result<HashSet<i64>, AppError> {
    let courses: Vec<i64> = course_educator::Entity::find()
        .filter(course_educator::Column::AccountId.eq(educator))
        .all(db)
        .await?
        .into_iter()
        .map(|c| c.course_id)
        .collect();
    if courses.is_empty() {
        return Ok(HashSet::new());
    }
    Ok(course::Entity::find()
        .filter(course::Column::Id.is_in(courses))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|c| c.qualification_id)
        .collect())
}

async fn may_edit_qualification<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    qualification_id: i64,
) -> Result<bool, AppError> {
    Ok(user.has(Role::Admin)
        || (user.has(Role::Educator)
            && taught_qualifications(db, user.id)
                .await?
                .contains(&qualification_id)))
}

async fn is_reviewer<C: ConnectionTrait>(
    db: &C,
    set_id: i64,
    account: i64,
) -> Result<bool, AppError> {
    Ok(mapping_reviewer::Entity::find_by_id((set_id, account))
        .one(db)
        .await?
        .is_some())
}

/// What `user` may do with `set`; 404 when they may not even see it (partners not asked
/// to review it, or a first draft; learners), so set ids cannot be probed.
async fn permissions<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    set: &mapping_set::Model,
) -> Result<SetPermissions, AppError> {
    let edit = may_edit_qualification(db, user, set.qualification_id).await?;
    if edit || user.has_any(&[Role::Educator, Role::Auditor, Role::Admin]) {
        return Ok(SetPermissions {
            edit,
            review: false,
        });
    }
    if user.has(Role::Partner) && is_reviewer(db, set.id, user.id).await? {
        let visible = status_of(set).visible_to_partners() || set.approved_version.is_some();
        if visible {
            return Ok(SetPermissions {
                edit: false,
                review: true,
            });
        }
    }
    Err(AppError::NotFound)
}

/// The set, checked for editing by `caller` against the version their form was made from.
async fn editable_set<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    set_id: i64,
    lock: i64,
) -> Result<mapping_set::Model, AppError> {
    let user = caller_user(caller)?;
    let set = find_set(db, set_id).await?;
    if !permissions(db, user, &set).await?.edit {
        return Err(AppError::Forbidden);
    }
    if set.version != lock {
        return Err(history::conflict(db, "mapping_set", set.id, lock).await?);
    }
    Ok(set)
}

fn frozen(set: &mapping_set::Model) -> AppError {
    match status_of(set) {
        SetStatus::Approved => AppError::Conflict(format!(
            "Version {} is approved and frozen: nothing in it can change. Start version {} to make changes.",
            set.working_version,
            set.working_version + 1
        )),
        _ => AppError::Conflict(
            "This version is with the partners for review: it cannot change until they request changes or approve it."
                .into(),
        ),
    }
}

/// Bumps the set's lock version, status and time; returns the new lock.
async fn touch<C: ConnectionTrait>(
    db: &C,
    set: &mapping_set::Model,
    status: SetStatus,
    working: i64,
    approved: Option<i64>,
) -> Result<i64, AppError> {
    let next = set.version + 1;
    let mut active: mapping_set::ActiveModel = set.clone().into();
    active.status = Set(status.as_str().to_owned());
    active.working_version = Set(working);
    active.approved_version = Set(approved);
    active.version = Set(next);
    active.updated_at = Set(Utc::now());
    active.update(db).await?;
    Ok(next)
}

/// What the history keeps of a set-level change.
#[derive(Serialize)]
struct SetState<'a> {
    status: &'a str,
    working_version: i64,
    approved_version: Option<i64>,
}

/// What the history keeps of a mapping.
#[derive(Serialize)]
struct MappingState {
    version: i64,
    unit_id: i64,
    task_id: i64,
    skill_id: i64,
    strength: String,
    note: String,
}

impl From<&competency_mapping::Model> for MappingState {
    fn from(m: &competency_mapping::Model) -> Self {
        MappingState {
            version: m.version,
            unit_id: m.unit_id,
            task_id: m.task_id,
            skill_id: m.skill_id,
            strength: m.strength.clone(),
            note: m.note.clone(),
        }
    }
}

async fn log<C: ConnectionTrait, T: Serialize>(
    db: &C,
    caller: &Caller,
    set_id: i64,
    action: &'static str,
    before: Option<&T>,
    after: Option<&T>,
    lock: i64,
) -> Result<(), AppError> {
    history::record(
        db,
        caller,
        Change {
            entity: "mapping_set",
            entity_id: set_id,
            learner_id: None,
            action,
            reason: None,
            before,
            after,
            version: Some(lock),
        },
    )
    .await
}

/// What the history keeps of a comment.
#[derive(Serialize)]
struct CommentState<'a> {
    set_id: i64,
    mapping_id: Option<i64>,
    kind: &'a str,
    body: &'a str,
    suggested_strength: Option<&'a str>,
    resolved: bool,
}

/// Appends a comment's creation or resolution to the history.
async fn log_comment<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    comment_id: i64,
    action: &'static str,
    before: Option<&CommentState<'_>>,
    after: &CommentState<'_>,
) -> Result<(), AppError> {
    history::record(
        db,
        caller,
        Change {
            entity: "mapping_comment",
            entity_id: comment_id,
            learner_id: None,
            action,
            reason: None,
            before,
            after: Some(after),
            version: None,
        },
    )
    .await
}

/// Names of accounts, with their organisation when the name does not already say it.
async fn names<C: ConnectionTrait>(
    db: &C,
    ids: impl IntoIterator<Item = i64>,
) -> Result<HashMap<i64, String>, AppError> {
    let ids: Vec<i64> = ids
        .into_iter()
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let orgs = organisations_of(db, &ids).await?;
    Ok(account::Entity::find()
        .filter(account::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|a| {
            let name = match orgs.get(&a.id) {
                Some(org) if !a.display_name.contains(org.as_str()) => {
                    format!("{} ({org})", a.display_name)
                }
                _ => a.display_name,
            };
            (a.id, name)
        })
        .collect())
}

/// The organisations of the given accounts (those that have one).
pub async fn organisations_of<C: ConnectionTrait>(
    db: &C,
    ids: &[i64],
) -> Result<HashMap<i64, String>, AppError> {
    let links = account_organisation::Entity::find()
        .filter(account_organisation::Column::AccountId.is_in(ids.to_vec()))
        .all(db)
        .await?;
    if links.is_empty() {
        return Ok(HashMap::new());
    }
    let orgs: HashMap<i64, String> = organisation::Entity::find()
        .filter(
            organisation::Column::Id
                .is_in(links.iter().map(|l| l.organisation_id).collect::<Vec<_>>()),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    Ok(links
        .into_iter()
        .filter_map(|l| {
            orgs.get(&l.organisation_id)
                .map(|n| (l.account_id, n.clone()))
        })
        .collect())
}

/// Links a partner account to the organisation named `name` (made if new); an empty name
/// unlinks it.
pub async fn set_organisation<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    name: &str,
) -> Result<(), AppError> {
    let name = name.trim();
    account_organisation::Entity::delete_many()
        .filter(account_organisation::Column::AccountId.eq(account_id))
        .exec(db)
        .await?;
    if name.is_empty() {
        return Ok(());
    }
    if name.chars().count() > 200 {
        return Err(AppError::field(
            "organisation",
            "Use at most 200 characters.",
        ));
    }
    let org = match organisation::Entity::find()
        .filter(organisation::Column::Name.eq(name))
        .one(db)
        .await?
    {
        Some(o) => o.id,
        None => {
            organisation::Entity::insert(organisation::ActiveModel {
                id: NotSet,
                name: Set(name.to_owned()),
                created_at: Set(Utc::now()),
            })
            .exec(db)
            .await?
            .last_insert_id
        }
    };
    account_organisation::Entity::insert(account_organisation::ActiveModel {
        account_id: Set(account_id),
        organisation_id: Set(org),
    })
    .exec(db)
    .await?;
    Ok(())
}

/// The organisation of one account, if any.
pub async fn organisation_of<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
) -> Result<Option<String>, AppError> {
    Ok(organisations_of(db, &[account_id])
        .await?
        .remove(&account_id))
}

/// The people who work on a set: its creator and whoever changed its mappings.
async fn editors<C: ConnectionTrait>(
    db: &C,
    set: &mapping_set::Model,
) -> Result<Vec<i64>, AppError> {
    let mut ids: Vec<i64> = competency_mapping::Entity::find()
        .select_only()
        .column(competency_mapping::Column::UpdatedBy)
        .filter(competency_mapping::Column::SetId.eq(set.id))
        .distinct()
        .into_tuple()
        .all(db)
        .await?;
    ids.push(set.created_by);
    Ok(ids)
}

async fn reviewers_of<C: ConnectionTrait>(db: &C, set_id: i64) -> Result<Vec<i64>, AppError> {
    Ok(mapping_reviewer::Entity::find()
        .filter(mapping_reviewer::Column::SetId.eq(set_id))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.account_id)
        .collect())
}

fn link(set_id: i64) -> String {
    format!("/mappings/{set_id}")
}

/// Starts a mapping set (draft, version 1) for a qualification and framework.
pub async fn create<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    new: &NewSet,
) -> Result<i64, AppError> {
    let user = caller_user(caller)?;
    let q = qualification::Entity::find_by_id(new.qualification_id)
        .one(db)
        .await?
        .ok_or_else(|| {
            AppError::field("qualification_id", "Choose a qualification from the list.")
        })?;
    let f = skills_framework::Entity::find_by_id(new.framework_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::field("framework_id", "Choose a framework from the list."))?;
    if !may_edit_qualification(db, user, q.id).await? {
        return Err(AppError::field(
            "qualification_id",
            "You can map only the qualifications of courses you teach.",
        ));
    }
    let taken = mapping_set::Entity::find()
        .filter(mapping_set::Column::QualificationId.eq(q.id))
        .filter(mapping_set::Column::FrameworkId.eq(f.id))
        .one(db)
        .await?;
    if let Some(t) = taken {
        return Err(AppError::Conflict(format!(
            "{} is already mapped to {} (\"{}\"): open that mapping set to change it.",
            q.code, f.code, t.title
        )));
    }
    let title = if new.title.is_empty() {
        format!("{} {} → {}", q.code, q.title, f.code)
    } else {
        new.title.clone()
    };
    let now = Utc::now();
    let id = mapping_set::Entity::insert(mapping_set::ActiveModel {
        id: NotSet,
        qualification_id: Set(q.id),
        framework_id: Set(f.id),
        title: Set(title),
        status: Set(SetStatus::Draft.as_str().to_owned()),
        working_version: Set(1),
        approved_version: Set(None),
        version: Set(1),
        created_by: Set(user.id),
        created_at: Set(now),
        updated_at: Set(now),
    })
    .exec(db)
    .await?
    .last_insert_id;
    start_version(db, id, 1, user.id).await?;
    let after = SetState {
        status: SetStatus::Draft.as_str(),
        working_version: 1,
        approved_version: None,
    };
    log(db, caller, id, "create", None, Some(&after), 1).await?;
    Ok(id)
}

async fn start_version<C: ConnectionTrait>(
    db: &C,
    set_id: i64,
    number: i64,
    by: i64,
) -> Result<(), AppError> {
    mapping_set_version::Entity::insert(mapping_set_version::ActiveModel {
        id: NotSet,
        set_id: Set(set_id),
        number: Set(number),
        started_by: Set(by),
        started_at: Set(Utc::now()),
        submitted_at: Set(None),
        approved_by: Set(None),
        approved_at: Set(None),
    })
    .exec(db)
    .await?;
    Ok(())
}

/// Checks that the unit is in the set's qualification, the task (if any) is one of that
/// unit's tasks in a course of the qualification, and the skill is a current skill of the
/// set's framework.
async fn check_mapping<C: ConnectionTrait>(
    db: &C,
    set: &mapping_set::Model,
    input: &MappingInput,
) -> Result<(), AppError> {
    let in_qualification =
        qualification_unit::Entity::find_by_id((set.qualification_id, input.unit_id))
            .one(db)
            .await?
            .is_some();
    if !in_qualification {
        return Err(AppError::field(
            "unit_id",
            "Choose one of the qualification's units.",
        ));
    }
    if input.task_id != 0 {
        let task = assessment_task::Entity::find_by_id(input.task_id)
            .one(db)
            .await?;
        let ok = match task {
            Some(t) if t.unit_id == input.unit_id => course::Entity::find_by_id(t.course_id)
                .one(db)
                .await?
                .is_some_and(|c| c.qualification_id == Some(set.qualification_id)),
            _ => false,
        };
        if !ok {
            return Err(AppError::field(
                "task_id",
                "Choose one of this unit's assessment tasks, or the whole unit.",
            ));
        }
    }
    let skill = industry_skill::Entity::find_by_id(input.skill_id)
        .one(db)
        .await?;
    match skill {
        Some(s) if s.framework_id == set.framework_id && s.retired_in_version.is_none() => Ok(()),
        Some(s) if s.framework_id == set.framework_id => Err(AppError::field(
            "skill_id",
            "That skill was retired from the framework: choose a current one.",
        )),
        _ => Err(AppError::field(
            "skill_id",
            "Choose one of the framework's skills.",
        )),
    }
}

/// Adds a mapping to the working version. Returns the set's new lock version.
pub async fn add_mapping<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    set_id: i64,
    lock: i64,
    input: &MappingInput,
) -> Result<i64, AppError> {
    let set = editable_set(db, caller, set_id, lock).await?;
    if !status_of(&set).editable() {
        return Err(frozen(&set));
    }
    check_mapping(db, &set, input).await?;
    let exists = competency_mapping::Entity::find()
        .filter(competency_mapping::Column::SetId.eq(set.id))
        .filter(competency_mapping::Column::Version.eq(set.working_version))
        .filter(competency_mapping::Column::UnitId.eq(input.unit_id))
        .filter(competency_mapping::Column::TaskId.eq(input.task_id))
        .filter(competency_mapping::Column::SkillId.eq(input.skill_id))
        .one(db)
        .await?;
    if exists.is_some() {
        return Err(AppError::field(
            "skill_id",
            "This unit (or task) is already mapped to that skill: change the existing mapping instead.",
        ));
    }
    let user = caller_user(caller)?;
    let row = competency_mapping::ActiveModel {
        id: NotSet,
        set_id: Set(set.id),
        version: Set(set.working_version),
        unit_id: Set(input.unit_id),
        task_id: Set(input.task_id),
        skill_id: Set(input.skill_id),
        strength: Set(input.strength.as_str().to_owned()),
        note: Set(input.note.clone()),
        updated_by: Set(user.id),
        updated_at: Set(Utc::now()),
    }
    .insert(db)
    .await?;
    let lock = touch(
        db,
        &set,
        status_of(&set),
        set.working_version,
        set.approved_version,
    )
    .await?;
    log(
        db,
        caller,
        set.id,
        "create",
        None,
        Some(&MappingState::from(&row)),
        lock,
    )
    .await?;
    Ok(lock)
}

async fn working_mapping<C: ConnectionTrait>(
    db: &C,
    set: &mapping_set::Model,
    mapping_id: i64,
) -> Result<competency_mapping::Model, AppError> {
    let m = competency_mapping::Entity::find_by_id(mapping_id)
        .filter(competency_mapping::Column::SetId.eq(set.id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if m.version != set.working_version || !status_of(set).editable() {
        return Err(if m.version != set.working_version {
            AppError::Conflict(format!(
                "That mapping belongs to version {}, which is frozen: change it in version {}.",
                m.version, set.working_version
            ))
        } else {
            frozen(set)
        });
    }
    Ok(m)
}

/// Changes a mapping's strength and note (checked by [`validate_change`]) in the working
/// version.
///
/// [`validate_change`]: crate::models::mapping::validate_change
pub async fn update_mapping<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    set_id: i64,
    lock: i64,
    mapping_id: i64,
    strength: Strength,
    note: &str,
) -> Result<i64, AppError> {
    let set = editable_set(db, caller, set_id, lock).await?;
    let m = working_mapping(db, &set, mapping_id).await?;
    let before = MappingState::from(&m);
    let mut active: competency_mapping::ActiveModel = m.into();
    active.strength = Set(strength.as_str().to_owned());
    active.note = Set(note.to_owned());
    active.updated_by = Set(caller_user(caller)?.id);
    active.updated_at = Set(Utc::now());
    let after = active.update(db).await?;
    let lock = touch(
        db,
        &set,
        status_of(&set),
        set.working_version,
        set.approved_version,
    )
    .await?;
    log(
        db,
        caller,
        set.id,
        "update",
        Some(&before),
        Some(&MappingState::from(&after)),
        lock,
    )
    .await?;
    Ok(lock)
}

/// Removes a mapping from the working version (earlier versions keep theirs).
pub async fn remove_mapping<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    set_id: i64,
    lock: i64,
    mapping_id: i64,
) -> Result<i64, AppError> {
    let set = editable_set(db, caller, set_id, lock).await?;
    let m = working_mapping(db, &set, mapping_id).await?;
    let before = MappingState::from(&m);
    competency_mapping::Entity::delete_by_id(m.id)
        .exec(db)
        .await?;
    let lock = touch(
        db,
        &set,
        status_of(&set),
        set.working_version,
        set.approved_version,
    )
    .await?;
    log(db, caller, set.id, "delete", Some(&before), None, lock).await?;
    Ok(lock)
}

async fn partner_ids<C: ConnectionTrait>(db: &C) -> Result<HashSet<i64>, AppError> {
    let ids: Vec<i64> = account_role::Entity::find()
        .select_only()
        .column(account_role::Column::AccountId)
        .filter(account_role::Column::Role.eq(Role::Partner.as_str()))
        .into_tuple()
        .all(db)
        .await?;
    let active: Vec<i64> = account::Entity::find()
        .select_only()
        .column(account::Column::Id)
        .filter(account::Column::Id.is_in(ids))
        .filter(account::Column::Active.eq(true))
        .into_tuple()
        .all(db)
        .await?;
    Ok(active.into_iter().collect())
}

async fn comment_row<C: ConnectionTrait>(
    db: &C,
    set: &mapping_set::Model,
    author: i64,
    kind: CommentKind,
    body: &str,
    mapping: Option<&competency_mapping::Model>,
    suggested: Option<Strength>,
) -> Result<i64, AppError> {
    Ok(
        mapping_comment::Entity::insert(mapping_comment::ActiveModel {
            id: NotSet,
            set_id: Set(set.id),
            version: Set(mapping.map(|m| m.version).unwrap_or(set.working_version)),
            mapping_id: Set(mapping.map(|m| m.id)),
            unit_id: Set(mapping.map(|m| m.unit_id)),
            skill_id: Set(mapping.map(|m| m.skill_id)),
            author_id: Set(author),
            kind: Set(kind.as_str().to_owned()),
            body: Set(body.to_owned()),
            suggested_strength: Set(suggested.map(|s| s.as_str().to_owned())),
            resolved_by: Set(None),
            resolved_at: Set(None),
            created_at: Set(Utc::now()),
        })
        .exec(db)
        .await?
        .last_insert_id,
    )
}

/// Sends the working version for review by `reviewers` (partner accounts; they replace
/// the earlier list). Needs at least one mapping and one reviewer.
pub async fn submit<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    set_id: i64,
    lock: i64,
    reviewers: &[i64],
    note: &str,
) -> Result<i64, AppError> {
    let set = editable_set(db, caller, set_id, lock).await?;
    if !status_of(&set).can_submit() {
        return Err(frozen(&set));
    }
    let mappings = competency_mapping::Entity::find()
        .filter(competency_mapping::Column::SetId.eq(set.id))
        .filter(competency_mapping::Column::Version.eq(set.working_version))
        .count(db)
        .await?;
    if mappings == 0 {
        return Err(AppError::field(
            "reviewers",
            "Map at least one unit to a skill before sending the set for review.",
        ));
    }
    let partners = partner_ids(db).await?;
    let mut chosen: Vec<i64> = reviewers.to_vec();
    chosen.sort_unstable();
    chosen.dedup();
    if chosen.is_empty() {
        return Err(AppError::field(
            "reviewers",
            "Choose at least one industry partner to review the set.",
        ));
    }
    if chosen.iter().any(|r| !partners.contains(r)) {
        return Err(AppError::field(
            "reviewers",
            "Reviewers must be active industry partner accounts.",
        ));
    }
    let note = note.trim();
    if note.chars().count() > crate::models::mapping::COMMENT_MAX {
        return Err(AppError::field(
            "note",
            format!(
                "Use at most {} characters.",
                crate::models::mapping::COMMENT_MAX
            ),
        ));
    }
    mapping_reviewer::Entity::delete_many()
        .filter(mapping_reviewer::Column::SetId.eq(set.id))
        .exec(db)
        .await?;
    let now = Utc::now();
    mapping_reviewer::Entity::insert_many(chosen.iter().map(|r| mapping_reviewer::ActiveModel {
        set_id: Set(set.id),
        account_id: Set(*r),
        added_at: Set(now),
    }))
    .exec(db)
    .await?;
    mapping_set_version::Entity::update_many()
        .col_expr(
            mapping_set_version::Column::SubmittedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(mapping_set_version::Column::SetId.eq(set.id))
        .filter(mapping_set_version::Column::Number.eq(set.working_version))
        .exec(db)
        .await?;
    let user = caller_user(caller)?;
    let again = status_of(&set) == SetStatus::ChangesRequested;
    comment_row(db, &set, user.id, CommentKind::Submitted, note, None, None).await?;
    let before = SetState {
        status: &set.status,
        working_version: set.working_version,
        approved_version: set.approved_version,
    };
    let lock = touch(
        db,
        &set,
        SetStatus::InReview,
        set.working_version,
        set.approved_version,
    )
    .await?;
    let after = SetState {
        status: SetStatus::InReview.as_str(),
        working_version: set.working_version,
        approved_version: set.approved_version,
    };
    log(
        db,
        caller,
        set.id,
        "update",
        Some(&before),
        Some(&after),
        lock,
    )
    .await?;
    let text = format!(
        "{} {} \"{}\" (version {}) for your review",
        user.display_name,
        if again { "sent back" } else { "sent" },
        set.title,
        set.working_version
    );
    notify(db, &chosen, user.id, &text, &link(set.id)).await?;
    Ok(lock)
}

/// A partner's (or an editor's) comment on the set or on one of its mappings; a partner's
/// comment with a strength is a suggested change. Tells the other side.
pub async fn comment<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    set_id: i64,
    input: &CommentInput,
) -> Result<i64, AppError> {
    let user = caller_user(caller)?;
    let set = find_set(db, set_id).await?;
    let can = permissions(db, user, &set).await?;
    if !can.edit && !can.review {
        return Err(AppError::Forbidden);
    }
    if input.suggested.is_some() && !can.review {
        return Err(AppError::field(
            "suggested_strength",
            "Educators change the mapping itself rather than suggest a change.",
        ));
    }
    let mapping = match input.mapping_id {
        Some(id) => {
            let m = competency_mapping::Entity::find_by_id(id)
                .filter(competency_mapping::Column::SetId.eq(set.id))
                .one(db)
                .await?
                .ok_or_else(|| AppError::field("mapping_id", "That mapping is not in this set."))?;
            // Partners comment only on what they can see.
            if can.review && !partner_sees_version(&set, m.version) {
                return Err(AppError::NotFound);
            }
            Some(m)
        }
        None => None,
    };
    let kind = if input.suggested.is_some() {
        CommentKind::Suggestion
    } else {
        CommentKind::Comment
    };
    let id = comment_row(
        db,
        &set,
        user.id,
        kind,
        &input.body,
        mapping.as_ref(),
        input.suggested,
    )
    .await?;
    log_comment(
        db,
        caller,
        id,
        "create",
        None,
        &CommentState {
            set_id: set.id,
            mapping_id: mapping.as_ref().map(|m| m.id),
            kind: kind.as_str(),
            body: &input.body,
            suggested_strength: input.suggested.map(Strength::as_str),
            resolved: false,
        },
    )
    .await?;
    let about = match &mapping {
        Some(m) => mapping_words(db, m).await?,
        None => "the set".to_owned(),
    };
    let (to, what) = if can.review {
        (editors(db, &set).await?, kind.label().to_lowercase())
    } else {
        (reviewers_of(db, set.id).await?, "reply".to_owned())
    };
    let text = format!(
        "{} left a {what} on {about} in \"{}\"",
        user.display_name, set.title
    );
    notify(
        db,
        &to,
        user.id,
        &text,
        &format!("{}#comment-{id}", link(set.id)),
    )
    .await?;
    Ok(id)
}

fn partner_sees_version(set: &mapping_set::Model, version: i64) -> bool {
    let status = status_of(set);
    version < set.working_version
        || status.visible_to_partners()
        || set.approved_version == Some(version)
}

async fn mapping_words<C: ConnectionTrait>(
    db: &C,
    m: &competency_mapping::Model,
) -> Result<String, AppError> {
    let unit = unit::Entity::find_by_id(m.unit_id).one(db).await?;
    let skill = industry_skill::Entity::find_by_id(m.skill_id)
        .one(db)
        .await?;
    Ok(format!(
        "{} → {}",
        unit.map(|u| u.code).unwrap_or_default(),
        skill.map(|s| s.label).unwrap_or_default()
    ))
}

/// An editor marks a comment or suggestion resolved; its author is told.
pub async fn resolve<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    set_id: i64,
    comment_id: i64,
) -> Result<(), AppError> {
    let user = caller_user(caller)?;
    let set = find_set(db, set_id).await?;
    if !permissions(db, user, &set).await?.edit {
        return Err(AppError::Forbidden);
    }
    let c = mapping_comment::Entity::find_by_id(comment_id)
        .filter(mapping_comment::Column::SetId.eq(set.id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let kind = CommentKind::parse(&c.kind).unwrap_or(CommentKind::Comment);
    if !kind.resolvable() {
        return Err(AppError::Conflict(
            "Decisions are kept as they were made; only comments and suggestions are resolved."
                .into(),
        ));
    }
    if c.resolved_at.is_some() {
        return Err(AppError::Conflict(
            "That comment was already resolved.".into(),
        ));
    }
    let author = c.author_id;
    let state = |resolved: bool| CommentState {
        set_id: c.set_id,
        mapping_id: c.mapping_id,
        kind: &c.kind,
        body: &c.body,
        suggested_strength: c.suggested_strength.as_deref(),
        resolved,
    };
    log_comment(
        db,
        caller,
        c.id,
        "update",
        Some(&state(false)),
        &state(true),
    )
    .await?;
    let mut active: mapping_comment::ActiveModel = c.clone().into();
    active.resolved_by = Set(Some(user.id));
    active.resolved_at = Set(Some(Utc::now()));
    active.update(db).await?;
    let text = format!(
        "{} resolved your comment on \"{}\"",
        user.display_name, set.title
    );
    notify(
        db,
        &[author],
        user.id,
        &text,
        &format!("{}#comment-{comment_id}", link(set.id)),
    )
    .await?;
    Ok(())
}

/// An assigned partner requests changes (a reason is needed) or approves the version in
/// review; approving freezes it.
pub async fn decide<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    set_id: i64,
    lock: i64,
    changes: bool,
    body: &str,
) -> Result<i64, AppError> {
    let user = caller_user(caller)?;
    let set = find_set(db, set_id).await?;
    if !permissions(db, user, &set).await?.review {
        return Err(AppError::Forbidden);
    }
    if set.version != lock {
        return Err(history::conflict(db, "mapping_set", set.id, lock).await?);
    }
    if !status_of(&set).awaiting_partner() {
        return Err(AppError::Conflict(format!(
            "This set is not waiting for a review decision (it is {}).",
            status_of(&set).label().to_lowercase()
        )));
    }
    let (kind, status, approved) = if changes {
        (
            CommentKind::ChangesRequested,
            SetStatus::ChangesRequested,
            set.approved_version,
        )
    } else {
        (
            CommentKind::Approved,
            SetStatus::Approved,
            Some(set.working_version),
        )
    };
    comment_row(db, &set, user.id, kind, body, None, None).await?;
    if !changes {
        mapping_set_version::Entity::update_many()
            .col_expr(
                mapping_set_version::Column::ApprovedBy,
                sea_orm::sea_query::Expr::value(user.id),
            )
            .col_expr(
                mapping_set_version::Column::ApprovedAt,
                sea_orm::sea_query::Expr::value(Utc::now()),
            )
            .filter(mapping_set_version::Column::SetId.eq(set.id))
            .filter(mapping_set_version::Column::Number.eq(set.working_version))
            .exec(db)
            .await?;
    }
    let before = SetState {
        status: &set.status,
        working_version: set.working_version,
        approved_version: set.approved_version,
    };
    let lock = touch(db, &set, status, set.working_version, approved).await?;
    let after = SetState {
        status: status.as_str(),
        working_version: set.working_version,
        approved_version: approved,
    };
    log(
        db,
        caller,
        set.id,
        "update",
        Some(&before),
        Some(&after),
        lock,
    )
    .await?;
    let text = if changes {
        format!(
            "{} requested changes to \"{}\" (version {})",
            user.display_name, set.title, set.working_version
        )
    } else {
        format!(
            "{} approved \"{}\": version {} is frozen",
            user.display_name, set.title, set.working_version
        )
    };
    let mut to = editors(db, &set).await?;
    to.extend(reviewers_of(db, set.id).await?);
    notify(db, &to, user.id, &text, &link(set.id)).await?;
    Ok(lock)
}

/// Starts the next version of an approved set: a draft copy of the approved mappings.
pub async fn new_version<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    set_id: i64,
    lock: i64,
) -> Result<i64, AppError> {
    let set = editable_set(db, caller, set_id, lock).await?;
    if status_of(&set) != SetStatus::Approved {
        return Err(AppError::Conflict(format!(
            "Version {} is still open ({}): change it rather than start another.",
            set.working_version,
            status_of(&set).label().to_lowercase()
        )));
    }
    let user = caller_user(caller)?;
    let next = set.working_version + 1;
    let rows = competency_mapping::Entity::find()
        .filter(competency_mapping::Column::SetId.eq(set.id))
        .filter(competency_mapping::Column::Version.eq(set.working_version))
        .all(db)
        .await?;
    if !rows.is_empty() {
        competency_mapping::Entity::insert_many(rows.into_iter().map(|m| {
            competency_mapping::ActiveModel {
                id: NotSet,
                set_id: Set(m.set_id),
                version: Set(next),
                unit_id: Set(m.unit_id),
                task_id: Set(m.task_id),
                skill_id: Set(m.skill_id),
                strength: Set(m.strength),
                note: Set(m.note),
                updated_by: Set(m.updated_by),
                updated_at: Set(m.updated_at),
            }
        }))
        .exec(db)
        .await?;
    }
    start_version(db, set.id, next, user.id).await?;
    let before = SetState {
        status: &set.status,
        working_version: set.working_version,
        approved_version: set.approved_version,
    };
    let lock = touch(db, &set, SetStatus::Draft, next, set.approved_version).await?;
    let after = SetState {
        status: SetStatus::Draft.as_str(),
        working_version: next,
        approved_version: set.approved_version,
    };
    log(
        db,
        caller,
        set.id,
        "update",
        Some(&before),
        Some(&after),
        lock,
    )
    .await?;
    Ok(lock)
}

/// Mapping sets the caller may see, most recently changed first.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    page: u64,
) -> Result<SetsPage, AppError> {
    let staff = user.has_any(&[Role::Admin, Role::Educator, Role::Auditor]);
    let mut select = mapping_set::Entity::find();
    if !staff {
        if !user.has(Role::Partner) {
            return Err(AppError::Forbidden);
        }
        let assigned: Vec<i64> = mapping_reviewer::Entity::find()
            .select_only()
            .column(mapping_reviewer::Column::SetId)
            .filter(mapping_reviewer::Column::AccountId.eq(user.id))
            .into_tuple()
            .all(db)
            .await?;
        select = select
            .filter(mapping_set::Column::Id.is_in(assigned))
            .filter(
                sea_orm::Condition::any()
                    .add(mapping_set::Column::Status.ne(SetStatus::Draft.as_str()))
                    .add(mapping_set::Column::ApprovedVersion.is_not_null()),
            );
    }
    let (rows, total, page) = page_of(
        db,
        select
            .order_by_desc(mapping_set::Column::UpdatedAt)
            .order_by_desc(mapping_set::Column::Id),
        page,
    )
    .await?;
    let qids: Vec<i64> = rows.iter().map(|s| s.qualification_id).collect();
    let fids: Vec<i64> = rows.iter().map(|s| s.framework_id).collect();
    let sids: Vec<i64> = rows.iter().map(|s| s.id).collect();
    let quals = qualification_labels(db, Some(qids)).await?;
    let frames = framework_labels(db, Some(fids)).await?;
    let open = open_counts(db, &sids).await?;
    let items = rows
        .into_iter()
        .map(|s| SetRow {
            id: s.id,
            status: status_of(&s),
            qualification: quals.get(&s.qualification_id).cloned().unwrap_or_default(),
            framework: frames.get(&s.framework_id).cloned().unwrap_or_default(),
            open_comments: open.get(&s.id).copied().unwrap_or(0),
            title: s.title,
            working_version: s.working_version,
            approved_version: s.approved_version,
            updated_at: s.updated_at,
        })
        .collect();
    let can_create = user.has_any(&[Role::Admin, Role::Educator]);
    let (qualifications, frameworks) = if can_create {
        let mut qs: Vec<Choice> = if user.has(Role::Admin) {
            qualification_labels(db, None).await?
        } else {
            let taught: Vec<i64> = taught_qualifications(db, user.id)
                .await?
                .into_iter()
                .collect();
            qualification_labels(db, Some(taught)).await?
        }
        .into_iter()
        .map(|(id, label)| Choice { id, label })
        .collect();
        qs.sort_by(|a, b| a.label.cmp(&b.label));
        let mut fs: Vec<Choice> = framework_labels(db, None)
            .await?
            .into_iter()
            .map(|(id, label)| Choice { id, label })
            .collect();
        fs.sort_by(|a, b| a.label.cmp(&b.label));
        (qs, fs)
    } else {
        (Vec::new(), Vec::new())
    };
    Ok(SetsPage {
        sets: Page {
            items,
            total,
            page,
            per_page: PER_PAGE,
        },
        can_create,
        qualifications,
        frameworks,
    })
}

/// The most qualifications or frameworks a chooser lists.
const MAX_CHOICES: u64 = 500;

/// "CODE Title" by id for the rows of `E` (at most [`MAX_CHOICES`]; only `ids` when given).
async fn code_title_labels<E: EntityTrait, C: ConnectionTrait>(
    db: &C,
    [id, code, title]: [E::Column; 3],
    ids: Option<Vec<i64>>,
) -> Result<HashMap<i64, String>, AppError> {
    let mut select = E::find()
        .select_only()
        .columns([id, code, title])
        .limit(MAX_CHOICES);
    if let Some(ids) = ids {
        select = select.filter(id.is_in(ids));
    }
    Ok(select
        .into_tuple::<(i64, String, String)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, code, title)| (id, format!("{code} {title}")))
        .collect())
}

async fn qualification_labels<C: ConnectionTrait>(
    db: &C,
    ids: Option<Vec<i64>>,
) -> Result<HashMap<i64, String>, AppError> {
    use qualification::Column as Q;
    code_title_labels::<qualification::Entity, _>(db, [Q::Id, Q::Code, Q::Title], ids).await
}

async fn framework_labels<C: ConnectionTrait>(
    db: &C,
    ids: Option<Vec<i64>>,
) -> Result<HashMap<i64, String>, AppError> {
    use skills_framework::Column as F;
    code_title_labels::<skills_framework::Entity, _>(db, [F::Id, F::Code, F::Title], ids).await
}

async fn open_counts<C: ConnectionTrait>(
    db: &C,
    set_ids: &[i64],
) -> Result<HashMap<i64, u64>, AppError> {
    if set_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(i64, i64)> = mapping_comment::Entity::find()
        .select_only()
        .column(mapping_comment::Column::SetId)
        .column_as(mapping_comment::Column::Id.count(), "n")
        .filter(mapping_comment::Column::SetId.is_in(set_ids.to_vec()))
        .filter(mapping_comment::Column::Kind.is_in([
            CommentKind::Comment.as_str(),
            CommentKind::Suggestion.as_str(),
        ]))
        .filter(mapping_comment::Column::ResolvedAt.is_null())
        .group_by(mapping_comment::Column::SetId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|(s, n)| (s, n as u64)).collect())
}

/// The qualification's units (core first, then by code) with their tasks in its courses.
async fn units_of<C: ConnectionTrait>(
    db: &C,
    qualification_id: i64,
) -> Result<Vec<UnitChoice>, AppError> {
    let links = qualification_unit::Entity::find()
        .filter(qualification_unit::Column::QualificationId.eq(qualification_id))
        .all(db)
        .await?;
    let kinds: HashMap<i64, String> = links.into_iter().map(|l| (l.unit_id, l.kind)).collect();
    let units = unit::Entity::find()
        .filter(unit::Column::Id.is_in(kinds.keys().copied().collect::<Vec<_>>()))
        .all(db)
        .await?;
    let courses: Vec<i64> = course::Entity::find()
        .filter(course::Column::QualificationId.eq(qualification_id))
        .all(db)
        .await?
        .into_iter()
        .map(|c| c.id)
        .collect();
    let mut tasks: HashMap<i64, Vec<(i64, String)>> = HashMap::new();
    if !courses.is_empty() {
        for t in assessment_task::Entity::find()
            .filter(assessment_task::Column::CourseId.is_in(courses))
            .order_by_asc(assessment_task::Column::Title)
            .all(db)
            .await?
        {
            tasks.entry(t.unit_id).or_default().push((t.id, t.title));
        }
    }
    let mut out: Vec<UnitChoice> = units
        .into_iter()
        .map(|u| UnitChoice {
            kind: kinds.get(&u.id).cloned().unwrap_or_default(),
            tasks: tasks.remove(&u.id).unwrap_or_default(),
            id: u.id,
            code: u.code,
            title: u.title,
        })
        .collect();
    out.sort_by(|a, b| (a.kind != "core", &a.code).cmp(&(b.kind != "core", &b.code)));
    Ok(out)
}

/// A set as the caller may see it, at `version` (the working one when 0 or not theirs to
/// see; partners see the working version once it was sent, else the approved one).
pub async fn detail<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    set_id: i64,
    version: i64,
) -> Result<SetDetail, AppError> {
    let set = find_set(db, set_id).await?;
    let can = permissions(db, user, &set).await?;
    let status = status_of(&set);
    let default_version = if can.review && !status.visible_to_partners() {
        set.approved_version.unwrap_or(set.working_version)
    } else {
        set.working_version
    };
    let shown = if version > 0
        && version <= set.working_version
        && (!can.review || partner_sees_version(&set, version))
    {
        version
    } else {
        default_version
    };
    let q = qualification::Entity::find_by_id(set.qualification_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let f = skills_framework::Entity::find_by_id(set.framework_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let units = units_of(db, q.id).await?;
    let rows = competency_mapping::Entity::find()
        .filter(competency_mapping::Column::SetId.eq(set.id))
        .filter(competency_mapping::Column::Version.eq(shown))
        .all(db)
        .await?;
    let skill_ids: Vec<i64> = rows.iter().map(|m| m.skill_id).collect();
    let skills: HashMap<i64, industry_skill::Model> = industry_skill::Entity::find()
        .filter(industry_skill::Column::Id.is_in(skill_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let unit_by: HashMap<i64, &UnitChoice> = units.iter().map(|u| (u.id, u)).collect();
    let mut comments = mapping_comment::Entity::find()
        .filter(mapping_comment::Column::SetId.eq(set.id))
        .order_by_asc(mapping_comment::Column::Id)
        .all(db)
        .await?;
    if can.review {
        comments.retain(|c| partner_sees_version(&set, c.version));
    }
    let versions = mapping_set_version::Entity::find()
        .filter(mapping_set_version::Column::SetId.eq(set.id))
        .order_by_desc(mapping_set_version::Column::Number)
        .all(db)
        .await?;
    let counts: Vec<(i64, i64)> = competency_mapping::Entity::find()
        .select_only()
        .column(competency_mapping::Column::Version)
        .column_as(competency_mapping::Column::Id.count(), "n")
        .filter(competency_mapping::Column::SetId.eq(set.id))
        .group_by(competency_mapping::Column::Version)
        .into_tuple()
        .all(db)
        .await?;
    let counts: HashMap<i64, i64> = counts.into_iter().collect();
    let all_partners: Vec<i64> = partner_ids(db).await?.into_iter().collect();
    let assigned: HashSet<i64> = reviewers_of(db, set.id).await?.into_iter().collect();
    let people = names(
        db,
        rows.iter()
            .map(|m| m.updated_by)
            .chain(comments.iter().map(|c| c.author_id))
            .chain(comments.iter().filter_map(|c| c.resolved_by))
            .chain(versions.iter().filter_map(|v| v.approved_by))
            .chain(all_partners.iter().copied())
            .collect::<Vec<_>>(),
    )
    .await?;
    let open_by_mapping: HashMap<i64, u64> = comments
        .iter()
        .filter(|c| c.resolved_at.is_none())
        .filter(|c| CommentKind::parse(&c.kind).is_some_and(CommentKind::resolvable))
        .filter_map(|c| c.mapping_id)
        .fold(HashMap::new(), |mut acc, id| {
            *acc.entry(id).or_default() += 1;
            acc
        });
    let task_titles: HashMap<i64, String> =
        units.iter().flat_map(|u| u.tasks.iter().cloned()).collect();
    let mut mappings: Vec<MappingRow> = rows
        .iter()
        .map(|m| {
            let u = unit_by.get(&m.unit_id);
            let s = skills.get(&m.skill_id);
            MappingRow {
                id: m.id,
                unit_id: m.unit_id,
                unit_code: u.map(|u| u.code.clone()).unwrap_or_default(),
                unit_title: u.map(|u| u.title.clone()).unwrap_or_default(),
                task_id: m.task_id,
                task_title: (m.task_id != 0)
                    .then(|| task_titles.get(&m.task_id).cloned().unwrap_or_default()),
                skill_id: m.skill_id,
                skill_uri: s.map(|s| s.uri.clone()).unwrap_or_default(),
                skill_label: s.map(|s| s.label.clone()).unwrap_or_default(),
                strength: Strength::parse(&m.strength).unwrap_or(Strength::Introduces),
                note: m.note.clone(),
                updated_by: people.get(&m.updated_by).cloned(),
                updated_at: m.updated_at,
                open_comments: open_by_mapping.get(&m.id).copied().unwrap_or(0),
            }
        })
        .collect();
    mappings.sort_by(|a, b| {
        (&a.unit_code, a.task_id, &a.skill_label).cmp(&(&b.unit_code, b.task_id, &b.skill_label))
    });
    let mut used: Vec<SkillChoice> = skills
        .values()
        .map(|s| SkillChoice {
            id: s.id,
            uri: s.uri.clone(),
            label: s.label.clone(),
            group: s.group_label.clone(),
        })
        .collect();
    used.sort_by(|a, b| a.label.cmp(&b.label));
    let about: HashMap<i64, String> = {
        let ids: Vec<i64> = comments.iter().filter_map(|c| c.mapping_id).collect();
        let ms = competency_mapping::Entity::find()
            .filter(competency_mapping::Column::Id.is_in(ids))
            .all(db)
            .await?;
        let sk: HashMap<i64, String> = industry_skill::Entity::find()
            .filter(
                industry_skill::Column::Id.is_in(ms.iter().map(|m| m.skill_id).collect::<Vec<_>>()),
            )
            .all(db)
            .await?
            .into_iter()
            .map(|s| (s.id, s.label))
            .collect();
        ms.into_iter()
            .map(|m| {
                let code = unit_by
                    .get(&m.unit_id)
                    .map(|u| u.code.clone())
                    .unwrap_or_default();
                (
                    m.id,
                    format!(
                        "{code} → {}",
                        sk.get(&m.skill_id).cloned().unwrap_or_default()
                    ),
                )
            })
            .collect()
    };
    let comments = comments
        .into_iter()
        .map(|c| CommentRow {
            id: c.id,
            version: c.version,
            mapping_id: c.mapping_id,
            about: c
                .mapping_id
                .and_then(|m| about.get(&m).cloned())
                .unwrap_or_else(|| "The whole set".into()),
            kind: CommentKind::parse(&c.kind).unwrap_or(CommentKind::Comment),
            body: c.body,
            suggested: c.suggested_strength.as_deref().and_then(Strength::parse),
            author: people.get(&c.author_id).cloned().unwrap_or_default(),
            at: c.created_at,
            resolved: c
                .resolved_by
                .zip(c.resolved_at)
                .map(|(by, at)| (people.get(&by).cloned().unwrap_or_default(), at)),
        })
        .collect();
    let versions = versions
        .into_iter()
        .filter(|v| !can.review || partner_sees_version(&set, v.number))
        .map(|v| VersionInfo {
            number: v.number,
            status: if v.approved_at.is_some() {
                SetStatus::Approved
            } else if v.number == set.working_version {
                status
            } else {
                SetStatus::Draft
            },
            mappings: counts.get(&v.number).copied().unwrap_or(0) as u64,
            approved: v
                .approved_by
                .zip(v.approved_at)
                .map(|(by, at)| (people.get(&by).cloned().unwrap_or_default(), at)),
        })
        .collect();
    let mut reviewers: Vec<Reviewer> = if can.edit {
        all_partners
            .iter()
            .map(|id| Reviewer {
                id: *id,
                name: people.get(id).cloned().unwrap_or_default(),
                assigned: assigned.contains(id),
            })
            .collect()
    } else {
        assigned
            .iter()
            .map(|id| Reviewer {
                id: *id,
                name: people.get(id).cloned().unwrap_or_default(),
                assigned: true,
            })
            .collect()
    };
    reviewers.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(SetDetail {
        id: set.id,
        title: set.title.clone(),
        qualification_id: q.id,
        qualification: format!("{} {}", q.code, q.title),
        framework_id: f.id,
        framework: format!("{} {}", f.code, f.title),
        status,
        working_version: set.working_version,
        approved_version: set.approved_version,
        shown_version: shown,
        lock: set.version,
        versions,
        mappings,
        units,
        skills: used,
        comments,
        reviewers,
        can,
    })
}

/// Current skills of the set's framework matching `q`, for the add-mapping form (editors).
pub async fn skill_options<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    set_id: i64,
    q: &str,
) -> Result<Vec<SkillChoice>, AppError> {
    let set = find_set(db, set_id).await?;
    if !permissions(db, user, &set).await?.edit {
        return Err(AppError::Forbidden);
    }
    Ok(super::skills::skills_query(set.framework_id, q, "", false)
        .limit(MAX_SKILL_OPTIONS)
        .all(db)
        .await?
        .into_iter()
        .map(|s| SkillChoice {
            id: s.id,
            uri: s.uri,
            label: s.label,
            group: s.group_label,
        })
        .collect())
}

/// De-identified attainment per skill for one cohort (a course of the qualification)
/// under the last approved version: for each skill, how many of the cohort's learners
/// reached it through a unit they achieved. No figures below [`MIN_COHORT`] learners.
pub async fn aggregate<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    set_id: i64,
    course_id: i64,
) -> Result<Aggregate, AppError> {
    let set = find_set(db, set_id).await?;
    permissions(db, user, &set).await?;
    let courses = course::Entity::find()
        .filter(course::Column::QualificationId.eq(set.qualification_id))
        .order_by_asc(course::Column::Code)
        .limit(MAX_CHOICES)
        .all(db)
        .await?;
    let course_ids: Vec<i64> = courses.iter().map(|c| c.id).collect();
    let sizes: Vec<(i64, i64)> = if course_ids.is_empty() {
        Vec::new()
    } else {
        enrolment::Entity::find()
            .select_only()
            .column(enrolment::Column::CourseId)
            .column_as(
                sea_orm::sea_query::Expr::expr(sea_orm::sea_query::Func::count_distinct(
                    sea_orm::sea_query::Expr::col(enrolment::Column::LearnerId),
                )),
                "n",
            )
            .filter(enrolment::Column::CourseId.is_in(course_ids))
            .group_by(enrolment::Column::CourseId)
            .into_tuple()
            .all(db)
            .await?
    };
    let sizes: HashMap<i64, u64> = sizes.into_iter().map(|(c, n)| (c, n as u64)).collect();
    let cohorts: Vec<CohortChoice> = courses
        .iter()
        .map(|c| CohortChoice {
            id: c.id,
            label: format!("{} {}", c.code, c.title),
            size: sizes.get(&c.id).copied().unwrap_or(0),
        })
        .collect();
    let cohort = cohorts
        .iter()
        .find(|c| c.id == course_id)
        .or_else(|| cohorts.first())
        .cloned();
    let skills = match (&cohort, set.approved_version) {
        (Some(c), Some(version)) if shows_figures(c.size) => {
            Some(attainment(db, set.id, version, c.id).await?)
        }
        _ => None,
    };
    Ok(Aggregate {
        set_id: set.id,
        title: set.title,
        version: set.approved_version,
        cohorts,
        cohort,
        skills,
    })
}

async fn attainment<C: ConnectionTrait>(
    db: &C,
    set_id: i64,
    version: i64,
    course_id: i64,
) -> Result<Vec<SkillAttainment>, AppError> {
    let mappings = competency_mapping::Entity::find()
        .filter(competency_mapping::Column::SetId.eq(set_id))
        .filter(competency_mapping::Column::Version.eq(version))
        .all(db)
        .await?;
    let mut skills_of_unit: HashMap<i64, HashSet<i64>> = HashMap::new();
    for m in &mappings {
        skills_of_unit
            .entry(m.unit_id)
            .or_default()
            .insert(m.skill_id);
    }
    let decisions = unit_decision::Entity::find()
        .filter(unit_decision::Column::CourseId.eq(course_id))
        .filter(
            unit_decision::Column::UnitId.is_in(skills_of_unit.keys().copied().collect::<Vec<_>>()),
        )
        .all(db)
        .await?;
    let mut reached: BTreeMap<i64, HashSet<i64>> = BTreeMap::new();
    for d in decisions {
        if !Outcome::parse(&d.outcome).is_some_and(Outcome::achieved) {
            continue;
        }
        for skill in skills_of_unit.get(&d.unit_id).into_iter().flatten() {
            reached.entry(*skill).or_default().insert(d.learner_id);
        }
    }
    let labels: HashMap<i64, String> = industry_skill::Entity::find()
        .filter(
            industry_skill::Column::Id
                .is_in(mappings.iter().map(|m| m.skill_id).collect::<Vec<_>>()),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.label))
        .collect();
    let mut out: Vec<SkillAttainment> = labels
        .into_iter()
        .map(|(id, label)| SkillAttainment {
            skill_id: id,
            learners: reached.get(&id).map(|l| l.len() as u64).unwrap_or(0),
            label,
        })
        .collect();
    out.sort_by(|a, b| b.learners.cmp(&a.learners).then(a.label.cmp(&b.label)));
    Ok(out)
}

/// The industry skills a learner reached: under the last approved version of every set of
/// their courses' qualifications, the skills their achieved units map to.
pub async fn learner_skills<C: ConnectionTrait>(
    db: &C,
    learner_id: i64,
) -> Result<Vec<LearnerSkill>, AppError> {
    let achieved: Vec<(i64, i64)> = unit_decision::Entity::find()
        .filter(unit_decision::Column::LearnerId.eq(learner_id))
        .all(db)
        .await?
        .into_iter()
        .filter(|d| Outcome::parse(&d.outcome).is_some_and(Outcome::achieved))
        .map(|d| (d.course_id, d.unit_id))
        .collect();
    if achieved.is_empty() {
        return Ok(Vec::new());
    }
    let course_quals: HashMap<i64, i64> = course::Entity::find()
        .filter(course::Column::Id.is_in(achieved.iter().map(|(c, _)| *c).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|c| c.qualification_id.map(|q| (c.id, q)))
        .collect();
    let quals: Vec<i64> = course_quals.values().copied().collect();
    let sets = mapping_set::Entity::find()
        .filter(mapping_set::Column::QualificationId.is_in(quals))
        .filter(mapping_set::Column::ApprovedVersion.is_not_null())
        .all(db)
        .await?;
    let units: HashSet<i64> = achieved.iter().map(|(_, u)| *u).collect();
    let unit_codes: HashMap<i64, String> = unit::Entity::find()
        .filter(unit::Column::Id.is_in(units.iter().copied().collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.code))
        .collect();
    // The approved version of each set, all in one query.
    let approved = sets
        .iter()
        .fold(Condition::any(), |any, set| match set.approved_version {
            Some(version) => any.add(
                Condition::all()
                    .add(competency_mapping::Column::SetId.eq(set.id))
                    .add(competency_mapping::Column::Version.eq(version)),
            ),
            None => any,
        });
    let framework_of: HashMap<i64, i64> = sets.iter().map(|s| (s.id, s.framework_id)).collect();
    let rows = if framework_of.is_empty() {
        Vec::new()
    } else {
        competency_mapping::Entity::find()
            .filter(approved)
            .filter(
                competency_mapping::Column::UnitId.is_in(units.iter().copied().collect::<Vec<_>>()),
            )
            .order_by_asc(competency_mapping::Column::Id)
            .all(db)
            .await?
    };
    let mut by_skill: BTreeMap<i64, (Strength, Vec<String>, i64)> = BTreeMap::new();
    for m in rows {
        let strength = Strength::parse(&m.strength).unwrap_or(Strength::Introduces);
        let framework = framework_of.get(&m.set_id).copied().unwrap_or_default();
        let e = by_skill
            .entry(m.skill_id)
            .or_insert((strength, Vec::new(), framework));
        e.0 = e.0.max(strength);
        if let Some(code) = unit_codes.get(&m.unit_id)
            && !e.1.contains(code)
        {
            e.1.push(code.clone());
        }
    }
    if by_skill.is_empty() {
        return Ok(Vec::new());
    }
    let skills: HashMap<i64, industry_skill::Model> = industry_skill::Entity::find()
        .filter(industry_skill::Column::Id.is_in(by_skill.keys().copied().collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let frames: HashMap<i64, String> = skills_framework::Entity::find()
        .filter(
            skills_framework::Column::Id.is_in(framework_of.values().copied().collect::<Vec<_>>()),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|f| (f.id, f.code))
        .collect();
    let mut out: Vec<LearnerSkill> = by_skill
        .into_iter()
        .filter_map(|(id, (strength, mut units, framework))| {
            let s = skills.get(&id)?;
            units.sort();
            Some(LearnerSkill {
                skill_id: id,
                label: s.label.clone(),
                uri: s.uri.clone(),
                framework: frames.get(&framework).cloned().unwrap_or_default(),
                strength,
                units,
            })
        })
        .collect();
    out.sort_by(|a, b| a.label.cmp(&b.label));
    Ok(out)
}
