//! The student's skills portfolio: who may see what, items (create, edit with conflict
//! detection, remove — each with history), their skills, unit tags and files, and the
//! set-based readers other areas use (sharing, feedback, the printable portfolio).
//!
//! Who may do what: the learner owns their portfolio (the only writer); educators who
//! teach the learner read every item; admin staff and auditors read every item except
//! self-reflections (those stay between the learner, their educators and whoever the
//! learner shares them with); partners and link visitors read only what is shared (see the
//! sharing service). Whoever may not read a portfolio is told it does not exist (404).

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::Utc;
use sea_orm::prelude::Expr;
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, JoinType, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde::Serialize;

use super::history::{self, Change};
use super::page_of;
use crate::domain::Role;
use crate::error::AppError;
use crate::models::portfolio::{
    ItemAcceptance, ItemFile, ItemInput, ItemKind, ItemSummary, PortfolioItem, UnitTag, excerpt,
};
use crate::models::{CurrentUser, PER_PAGE, Page};
use crate::server::auth::Caller;
use crate::server::entities::{
    account, course, enrolment, enrolment_unit, learner, portfolio_acceptance, portfolio_file,
    portfolio_item, portfolio_item_skill, portfolio_item_unit, stored_file, unit,
};
use crate::server::policy::teaches;

/// How the caller reads a portfolio.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Reader {
    /// The learner: reads and writes everything.
    Owner,
    /// An educator who teaches the learner: reads everything, comments, accepts evidence.
    Educator,
    /// Admin staff or an auditor: reads everything but self-reflections.
    Staff,
}

impl Reader {
    /// Whether this reader sees items of `kind`.
    pub fn sees(self, kind: ItemKind) -> bool {
        self != Reader::Staff || kind != ItemKind::Reflection
    }

    /// The kinds this reader sees.
    pub fn kinds(self) -> Vec<ItemKind> {
        ItemKind::ALL
            .into_iter()
            .filter(|k| self.sees(*k))
            .collect()
    }
}

/// The portfolio policy for `learner_id`. `write`: only the learner writes (others who may
/// read are refused with 403; whoever may not read gets 404).
pub async fn access<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    learner_id: i64,
    write: bool,
) -> Result<(learner::Model, Reader), AppError> {
    let learner = learner::Entity::find_by_id(learner_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let reader = if learner.account_id == Some(user.id) {
        Reader::Owner
    } else if user.has(Role::Educator) && teaches(db, user.id, learner_id).await? {
        Reader::Educator
    } else if user.has_any(&[Role::Admin, Role::Auditor]) {
        Reader::Staff
    } else {
        return Err(AppError::NotFound);
    };
    if write && reader != Reader::Owner {
        return Err(AppError::Forbidden);
    }
    Ok((learner, reader))
}

/// An item that is not removed, or 404.
pub async fn item<C: ConnectionTrait>(db: &C, id: i64) -> Result<portfolio_item::Model, AppError> {
    portfolio_item::Entity::find_by_id(id)
        .filter(portfolio_item::Column::DeletedAt.is_null())
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Item `id` with the policy applied: 404 when the caller may not read it (including a
/// reflection for staff), 403 when `write` and the caller is not the learner.
pub async fn item_access<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    id: i64,
    write: bool,
) -> Result<(portfolio_item::Model, learner::Model, Reader), AppError> {
    let found = item(db, id).await?;
    let (learner, reader) = access(db, user, found.learner_id, false).await?;
    let kind = ItemKind::parse(&found.kind).unwrap_or(ItemKind::Evidence);
    if !reader.sees(kind) {
        return Err(AppError::NotFound);
    }
    if write && reader != Reader::Owner {
        return Err(AppError::Forbidden);
    }
    Ok((found, learner, reader))
}

/// Items of each kind `reader` sees (not removed).
pub async fn counts<C: ConnectionTrait>(
    db: &C,
    learner_id: i64,
    reader: Reader,
) -> Result<Vec<(ItemKind, u64)>, AppError> {
    #[derive(FromQueryResult)]
    struct Row {
        kind: String,
        n: i64,
    }
    let rows = portfolio_item::Entity::find()
        .select_only()
        .column(portfolio_item::Column::Kind)
        .column_as(portfolio_item::Column::Id.count(), "n")
        .filter(portfolio_item::Column::LearnerId.eq(learner_id))
        .filter(portfolio_item::Column::DeletedAt.is_null())
        .group_by(portfolio_item::Column::Kind)
        .into_model::<Row>()
        .all(db)
        .await?;
    Ok(reader
        .kinds()
        .into_iter()
        .map(|k| {
            let n = rows
                .iter()
                .find(|r| r.kind == k.as_str())
                .map_or(0, |r| r.n.max(0) as u64);
            (k, n)
        })
        .collect())
}

/// One page of a learner's items `reader` sees, newest change first (optionally of one kind).
pub async fn list<C: ConnectionTrait>(
    db: &C,
    learner_id: i64,
    reader: Reader,
    kind: Option<ItemKind>,
    page: u64,
) -> Result<Page<ItemSummary>, AppError> {
    let kinds: Vec<&str> = reader
        .kinds()
        .into_iter()
        .filter(|k| kind.is_none_or(|only| only == *k))
        .map(ItemKind::as_str)
        .collect();
    let select = portfolio_item::Entity::find()
        .filter(portfolio_item::Column::LearnerId.eq(learner_id))
        .filter(portfolio_item::Column::DeletedAt.is_null())
        .filter(portfolio_item::Column::Kind.is_in(kinds))
        .order_by_desc(portfolio_item::Column::UpdatedAt)
        .order_by_desc(portfolio_item::Column::Id);
    let (rows, total, page) = page_of(db, select, page).await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let files = file_counts(db, &ids).await?;
    let units = units_of_items(db, &ids).await?;
    let accepted: HashSet<i64> = portfolio_acceptance::Entity::find()
        .filter(portfolio_acceptance::Column::ItemId.is_in(ids.clone()))
        .filter(portfolio_acceptance::Column::WithdrawnAt.is_null())
        .all(db)
        .await?
        .into_iter()
        .map(|a| a.item_id)
        .collect();
    let items = rows
        .into_iter()
        .map(|r| ItemSummary {
            id: r.id,
            kind: ItemKind::parse(&r.kind).unwrap_or(ItemKind::Evidence),
            excerpt: excerpt(&r.body, 160),
            title: r.title,
            organisation: r.organisation,
            files: files.get(&r.id).copied().unwrap_or(0),
            units: units
                .get(&r.id)
                .map(|u| u.iter().map(|t| t.code.clone()).collect())
                .unwrap_or_default(),
            accepted: accepted.contains(&r.id),
            updated_at: r.updated_at,
        })
        .collect();
    Ok(Page {
        items,
        total,
        page,
        per_page: PER_PAGE,
    })
}

async fn file_counts<C: ConnectionTrait>(
    db: &C,
    ids: &[i64],
) -> Result<HashMap<i64, u64>, AppError> {
    #[derive(FromQueryResult)]
    struct Row {
        item_id: i64,
        n: i64,
    }
    Ok(portfolio_file::Entity::find()
        .select_only()
        .column(portfolio_file::Column::ItemId)
        .column_as(portfolio_file::Column::Id.count(), "n")
        .filter(portfolio_file::Column::ItemId.is_in(ids.to_vec()))
        .filter(portfolio_file::Column::RemovedAt.is_null())
        .group_by(portfolio_file::Column::ItemId)
        .into_model::<Row>()
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.item_id, r.n.max(0) as u64))
        .collect())
}

async fn units_of_items<C: ConnectionTrait>(
    db: &C,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<UnitTag>>, AppError> {
    let tags = portfolio_item_unit::Entity::find()
        .filter(portfolio_item_unit::Column::ItemId.is_in(ids.to_vec()))
        .all(db)
        .await?;
    let unit_ids: Vec<i64> = tags.iter().map(|t| t.unit_id).collect();
    let units: HashMap<i64, unit::Model> = unit::Entity::find()
        .filter(unit::Column::Id.is_in(unit_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let mut out: HashMap<i64, Vec<UnitTag>> = HashMap::new();
    for t in tags {
        if let Some(u) = units.get(&t.unit_id) {
            out.entry(t.item_id).or_default().push(UnitTag {
                id: u.id,
                code: u.code.clone(),
                title: u.title.clone(),
            });
        }
    }
    for v in out.values_mut() {
        v.sort_by(|a, b| a.code.cmp(&b.code));
    }
    Ok(out)
}

/// Whole items for `rows` (in the same order), with skills, units, files and current
/// acceptances: a fixed number of statements whatever the number of items.
pub async fn views<C: ConnectionTrait>(
    db: &C,
    rows: Vec<portfolio_item::Model>,
) -> Result<Vec<PortfolioItem>, AppError> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut skills: HashMap<i64, Vec<String>> = HashMap::new();
    for s in portfolio_item_skill::Entity::find()
        .filter(portfolio_item_skill::Column::ItemId.is_in(ids.clone()))
        .all(db)
        .await?
    {
        skills.entry(s.item_id).or_default().push(s.skill);
    }
    let mut units = units_of_items(db, &ids).await?;
    let mut files: HashMap<i64, Vec<ItemFile>> = HashMap::new();
    for (f, stored) in portfolio_file::Entity::find()
        .find_also_related(stored_file::Entity)
        .filter(portfolio_file::Column::ItemId.is_in(ids.clone()))
        .filter(portfolio_file::Column::RemovedAt.is_null())
        .order_by_asc(portfolio_file::Column::UploadedAt)
        .order_by_asc(portfolio_file::Column::Id)
        .all(db)
        .await?
    {
        let Some(stored) = stored else { continue };
        files.entry(f.item_id).or_default().push(ItemFile {
            id: f.id,
            filename: f.filename,
            media_type: stored.media_type,
            size: stored.size,
            uploaded_at: f.uploaded_at,
        });
    }
    let mut acceptances = acceptances_of(db, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let mut item_skills = skills.remove(&r.id).unwrap_or_default();
            item_skills.sort_by_key(|s| s.to_lowercase());
            PortfolioItem {
                id: r.id,
                learner_id: r.learner_id,
                kind: ItemKind::parse(&r.kind).unwrap_or(ItemKind::Evidence),
                title: r.title,
                body: r.body,
                organisation: r.organisation,
                role: r.role,
                start_date: r.start_date,
                end_date: r.end_date,
                hours: r.hours,
                supervisor: r.supervisor,
                skills: item_skills,
                units: units.remove(&r.id).unwrap_or_default(),
                files: files.remove(&r.id).unwrap_or_default(),
                acceptances: acceptances.remove(&r.id).unwrap_or_default(),
                version: r.version,
                created_at: r.created_at,
                updated_at: r.updated_at,
            }
        })
        .collect())
}

async fn acceptances_of<C: ConnectionTrait>(
    db: &C,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<ItemAcceptance>>, AppError> {
    let rows = portfolio_acceptance::Entity::find()
        .filter(portfolio_acceptance::Column::ItemId.is_in(ids.to_vec()))
        .filter(portfolio_acceptance::Column::WithdrawnAt.is_null())
        .order_by_asc(portfolio_acceptance::Column::AcceptedAt)
        .all(db)
        .await?;
    if rows.is_empty() {
        return Ok(HashMap::new());
    }
    let units: HashMap<i64, unit::Model> = unit::Entity::find()
        .filter(unit::Column::Id.is_in(rows.iter().map(|r| r.unit_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let courses: HashMap<i64, String> = enrolment::Entity::find()
        .select_only()
        .column(enrolment::Column::Id)
        .column(course::Column::Code)
        .join(JoinType::InnerJoin, enrolment_course())
        .filter(
            enrolment::Column::Id.is_in(rows.iter().map(|r| r.enrolment_id).collect::<Vec<_>>()),
        )
        .into_tuple::<(i64, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let names: HashMap<i64, String> = account::Entity::find()
        .filter(account::Column::Id.is_in(rows.iter().map(|r| r.accepted_by).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.display_name))
        .collect();
    let mut out: HashMap<i64, Vec<ItemAcceptance>> = HashMap::new();
    for r in rows {
        let Some(u) = units.get(&r.unit_id) else {
            continue;
        };
        out.entry(r.item_id).or_default().push(ItemAcceptance {
            id: r.id,
            unit: UnitTag {
                id: u.id,
                code: u.code.clone(),
                title: u.title.clone(),
            },
            course_code: courses.get(&r.enrolment_id).cloned().unwrap_or_default(),
            enrolment_id: r.enrolment_id,
            accepted_by: names.get(&r.accepted_by).cloned().unwrap_or_default(),
            accepted_at: r.accepted_at,
            note: r.note,
        });
    }
    Ok(out)
}

fn enrolment_course() -> sea_orm::RelationDef {
    enrolment::Entity::belongs_to(course::Entity)
        .from(enrolment::Column::CourseId)
        .to(course::Column::Id)
        .into()
}

/// One whole item.
pub async fn view<C: ConnectionTrait>(
    db: &C,
    row: portfolio_item::Model,
) -> Result<PortfolioItem, AppError> {
    views(db, vec![row])
        .await?
        .pop()
        .ok_or_else(|| AppError::internal("portfolio view", "item missing"))
}

/// The units a learner is enrolled in (any enrolment), by code: what items can be tagged with.
pub async fn units_of_learner<C: ConnectionTrait>(
    db: &C,
    learner_id: i64,
) -> Result<Vec<UnitTag>, AppError> {
    let enrolments: Vec<i64> = enrolment::Entity::find()
        .filter(enrolment::Column::LearnerId.eq(learner_id))
        .all(db)
        .await?
        .into_iter()
        .map(|e| e.id)
        .collect();
    let unit_ids: HashSet<i64> = enrolment_unit::Entity::find()
        .filter(enrolment_unit::Column::EnrolmentId.is_in(enrolments))
        .all(db)
        .await?
        .into_iter()
        .map(|u| u.unit_id)
        .collect();
    Ok(unit::Entity::find()
        .filter(unit::Column::Id.is_in(unit_ids))
        .order_by_asc(unit::Column::Code)
        .all(db)
        .await?
        .into_iter()
        .map(|u| UnitTag {
            id: u.id,
            code: u.code,
            title: u.title,
        })
        .collect())
}

/// What history keeps of an item.
#[derive(Serialize)]
struct ItemRecord<'a> {
    kind: &'a str,
    title: &'a str,
    body: &'a str,
    organisation: Option<&'a str>,
    role: Option<&'a str>,
    start_date: Option<String>,
    end_date: Option<String>,
    hours: Option<i64>,
    supervisor: Option<&'a str>,
    skills: Vec<String>,
    units: Vec<i64>,
}

fn record_of<'a>(input: &'a ItemInput, units: &[i64]) -> ItemRecord<'a> {
    ItemRecord {
        kind: input.kind.as_str(),
        title: &input.title,
        body: &input.body,
        organisation: input.organisation.as_deref(),
        role: input.role.as_deref(),
        start_date: input.start_date.map(|d| d.to_string()),
        end_date: input.end_date.map(|d| d.to_string()),
        hours: input.hours,
        supervisor: input.supervisor.as_deref(),
        skills: input.skills.clone(),
        units: units.to_vec(),
    }
}

/// The unit ids checked against the learner's enrolled units (sorted, no repeats).
async fn checked_units<C: ConnectionTrait>(
    db: &C,
    learner_id: i64,
    units: &[i64],
) -> Result<Vec<i64>, AppError> {
    let allowed: HashSet<i64> = units_of_learner(db, learner_id)
        .await?
        .into_iter()
        .map(|u| u.id)
        .collect();
    let mut out: Vec<i64> = units.to_vec();
    out.sort_unstable();
    out.dedup();
    if out.iter().any(|u| !allowed.contains(u)) {
        return Err(AppError::field(
            "units",
            "Choose only units you are enrolled in.",
        ));
    }
    Ok(out)
}

async fn write_tags<C: ConnectionTrait>(
    db: &C,
    item_id: i64,
    input: &ItemInput,
    units: &[i64],
) -> Result<(), AppError> {
    portfolio_item_skill::Entity::delete_many()
        .filter(portfolio_item_skill::Column::ItemId.eq(item_id))
        .exec(db)
        .await?;
    portfolio_item_unit::Entity::delete_many()
        .filter(portfolio_item_unit::Column::ItemId.eq(item_id))
        .exec(db)
        .await?;
    if !input.skills.is_empty() {
        portfolio_item_skill::Entity::insert_many(input.skills.iter().map(|s| {
            portfolio_item_skill::ActiveModel {
                item_id: Set(item_id),
                skill: Set(s.clone()),
            }
        }))
        .exec_without_returning(db)
        .await?;
    }
    if !units.is_empty() {
        portfolio_item_unit::Entity::insert_many(units.iter().map(|u| {
            portfolio_item_unit::ActiveModel {
                item_id: Set(item_id),
                unit_id: Set(*u),
            }
        }))
        .exec_without_returning(db)
        .await?;
    }
    Ok(())
}

/// Adds an item to the caller's portfolio (the caller must be the learner: see [`access`]).
pub async fn create<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    learner_id: i64,
    input: &ItemInput,
    units: &[i64],
) -> Result<i64, AppError> {
    let user = caller.user.as_ref().ok_or(AppError::Unauthorized)?;
    let units = checked_units(db, learner_id, units).await?;
    let now = Utc::now();
    let res = portfolio_item::Entity::insert(portfolio_item::ActiveModel {
        id: NotSet,
        learner_id: Set(learner_id),
        kind: Set(input.kind.as_str().to_owned()),
        title: Set(input.title.clone()),
        body: Set(input.body.clone()),
        organisation: Set(input.organisation.clone()),
        role: Set(input.role.clone()),
        start_date: Set(input.start_date),
        end_date: Set(input.end_date),
        hours: Set(input.hours),
        supervisor: Set(input.supervisor.clone()),
        version: Set(1),
        created_by: Set(user.id),
        created_at: Set(now),
        updated_at: Set(now),
        deleted_at: Set(None),
    })
    .exec(db)
    .await?;
    let id = res.last_insert_id;
    write_tags(db, id, input, &units).await?;
    history::record(
        db,
        caller,
        Change {
            entity: "portfolio_item",
            entity_id: id,
            learner_id: Some(learner_id),
            action: "create",
            reason: None,
            before: None,
            after: Some(&record_of(input, &units)),
            version: Some(1),
        },
    )
    .await?;
    Ok(id)
}

async fn input_of<C: ConnectionTrait>(
    db: &C,
    current: &portfolio_item::Model,
) -> Result<(ItemInput, Vec<i64>), AppError> {
    let item = view(db, current.clone()).await?;
    let units = item.units.iter().map(|u| u.id).collect();
    Ok((
        ItemInput {
            kind: item.kind,
            title: item.title,
            body: item.body,
            organisation: item.organisation,
            role: item.role,
            start_date: item.start_date,
            end_date: item.end_date,
            hours: item.hours,
            supervisor: item.supervisor,
            skills: item.skills,
        },
        units,
    ))
}

/// Saves an edit made against `version`: refused (409, naming who changed what) when the
/// item moved on meanwhile — e.g. edited on another device — so nothing is overwritten
/// silently. The kind of an item does not change.
pub async fn update<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    current: &portfolio_item::Model,
    version: i64,
    input: &ItemInput,
    units: &[i64],
) -> Result<i64, AppError> {
    if input.kind.as_str() != current.kind {
        return Err(AppError::field(
            "kind",
            "An item's kind cannot change: add a new item of the other kind instead.",
        ));
    }
    if current.version != version {
        return Err(history::conflict(db, "portfolio_item", current.id, version).await?);
    }
    let units = checked_units(db, current.learner_id, units).await?;
    let (before, before_units) = input_of(db, current).await?;
    let next = version + 1;
    let res = portfolio_item::Entity::update_many()
        .col_expr(
            portfolio_item::Column::Title,
            Expr::value(input.title.clone()),
        )
        .col_expr(
            portfolio_item::Column::Body,
            Expr::value(input.body.clone()),
        )
        .col_expr(
            portfolio_item::Column::Organisation,
            Expr::value(input.organisation.clone()),
        )
        .col_expr(
            portfolio_item::Column::Role,
            Expr::value(input.role.clone()),
        )
        .col_expr(
            portfolio_item::Column::StartDate,
            Expr::value(input.start_date),
        )
        .col_expr(portfolio_item::Column::EndDate, Expr::value(input.end_date))
        .col_expr(portfolio_item::Column::Hours, Expr::value(input.hours))
        .col_expr(
            portfolio_item::Column::Supervisor,
            Expr::value(input.supervisor.clone()),
        )
        .col_expr(portfolio_item::Column::Version, Expr::value(next))
        .col_expr(portfolio_item::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(portfolio_item::Column::Id.eq(current.id))
        .filter(portfolio_item::Column::Version.eq(version))
        .filter(portfolio_item::Column::DeletedAt.is_null())
        .exec(db)
        .await?;
    if res.rows_affected != 1 {
        return Err(history::conflict(db, "portfolio_item", current.id, version).await?);
    }
    write_tags(db, current.id, input, &units).await?;
    history::record(
        db,
        caller,
        Change {
            entity: "portfolio_item",
            entity_id: current.id,
            learner_id: Some(current.learner_id),
            action: "update",
            reason: None,
            before: Some(&record_of(&before, &before_units)),
            after: Some(&record_of(input, &units)),
            version: Some(next),
        },
    )
    .await?;
    Ok(next)
}

/// Removes an item from the portfolio (kept, with history; shares stop showing it).
pub async fn remove<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    current: &portfolio_item::Model,
    version: i64,
) -> Result<(), AppError> {
    if current.version != version {
        return Err(history::conflict(db, "portfolio_item", current.id, version).await?);
    }
    let (before, before_units) = input_of(db, current).await?;
    let res = portfolio_item::Entity::update_many()
        .col_expr(
            portfolio_item::Column::DeletedAt,
            Expr::value(Some(Utc::now())),
        )
        .col_expr(portfolio_item::Column::Version, Expr::value(version + 1))
        .filter(portfolio_item::Column::Id.eq(current.id))
        .filter(portfolio_item::Column::Version.eq(version))
        .filter(portfolio_item::Column::DeletedAt.is_null())
        .exec(db)
        .await?;
    if res.rows_affected != 1 {
        return Err(history::conflict(db, "portfolio_item", current.id, version).await?);
    }
    history::record(
        db,
        caller,
        Change {
            entity: "portfolio_item",
            entity_id: current.id,
            learner_id: Some(current.learner_id),
            action: "delete",
            reason: None,
            before: Some(&record_of(&before, &before_units)),
            after: None::<&ItemRecord>,
            version: Some(version + 1),
        },
    )
    .await
}

#[derive(Serialize)]
struct FileRecord<'a> {
    item_id: i64,
    filename: &'a str,
    sha256: &'a str,
    size: i64,
    media_type: &'a str,
}

/// Attaches stored content to an item under `filename` (sanitised already), with history.
pub async fn attach<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    item: &portfolio_item::Model,
    stored: &stored_file::Model,
    filename: &str,
) -> Result<i64, AppError> {
    let user = caller.user.as_ref().ok_or(AppError::Unauthorized)?;
    let res = portfolio_file::Entity::insert(portfolio_file::ActiveModel {
        id: NotSet,
        item_id: Set(item.id),
        learner_id: Set(item.learner_id),
        file_id: Set(stored.id),
        filename: Set(filename.to_owned()),
        uploaded_by: Set(user.id),
        uploaded_at: Set(Utc::now()),
        removed_at: Set(None),
        removed_by: Set(None),
    })
    .exec(db)
    .await?;
    touch(db, item.id).await?;
    history::record(
        db,
        caller,
        Change {
            entity: "portfolio_file",
            entity_id: res.last_insert_id,
            learner_id: Some(item.learner_id),
            action: "create",
            reason: None,
            before: None,
            after: Some(&FileRecord {
                item_id: item.id,
                filename,
                sha256: &stored.sha256,
                size: stored.size,
                media_type: &stored.media_type,
            }),
            version: None,
        },
    )
    .await?;
    Ok(res.last_insert_id)
}

/// Marks the item changed now (a file came or went), so lists show it as recent.
async fn touch<C: ConnectionTrait>(db: &C, item_id: i64) -> Result<(), AppError> {
    portfolio_item::Entity::update_many()
        .col_expr(portfolio_item::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(portfolio_item::Column::Id.eq(item_id))
        .exec(db)
        .await?;
    Ok(())
}

/// A portfolio file that is not removed, with its stored content's row, or 404.
pub async fn file<C: ConnectionTrait>(
    db: &C,
    id: i64,
) -> Result<(portfolio_file::Model, stored_file::Model), AppError> {
    let (f, stored) = portfolio_file::Entity::find_by_id(id)
        .find_also_related(stored_file::Entity)
        .filter(portfolio_file::Column::RemovedAt.is_null())
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((f, stored.ok_or(AppError::NotFound)?))
}

/// Removes a file from its item (the row stays, with history).
pub async fn remove_file<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    f: &portfolio_file::Model,
    stored: &stored_file::Model,
) -> Result<(), AppError> {
    let user = caller.user.as_ref().ok_or(AppError::Unauthorized)?;
    let res = portfolio_file::Entity::update_many()
        .col_expr(
            portfolio_file::Column::RemovedAt,
            Expr::value(Some(Utc::now())),
        )
        .col_expr(
            portfolio_file::Column::RemovedBy,
            Expr::value(Some(user.id)),
        )
        .filter(portfolio_file::Column::Id.eq(f.id))
        .filter(portfolio_file::Column::RemovedAt.is_null())
        .exec(db)
        .await?;
    if res.rows_affected != 1 {
        return Err(AppError::NotFound);
    }
    touch(db, f.item_id).await?;
    history::record(
        db,
        caller,
        Change {
            entity: "portfolio_file",
            entity_id: f.id,
            learner_id: Some(f.learner_id),
            action: "delete",
            reason: None,
            before: Some(&FileRecord {
                item_id: f.item_id,
                filename: &f.filename,
                sha256: &stored.sha256,
                size: stored.size,
                media_type: &stored.media_type,
            }),
            after: None,
            version: None,
        },
    )
    .await
}

/// Skills across a learner's items `reader` sees, with how many items show each (most first).
pub async fn skills_summary<C: ConnectionTrait>(
    db: &C,
    learner_id: i64,
    reader: Reader,
) -> Result<Vec<(String, u64)>, AppError> {
    let kinds: Vec<&str> = reader.kinds().into_iter().map(ItemKind::as_str).collect();
    let items: Vec<i64> = portfolio_item::Entity::find()
        .select_only()
        .column(portfolio_item::Column::Id)
        .filter(portfolio_item::Column::LearnerId.eq(learner_id))
        .filter(portfolio_item::Column::DeletedAt.is_null())
        .filter(portfolio_item::Column::Kind.is_in(kinds))
        .into_tuple::<i64>()
        .all(db)
        .await?;
    let mut counts: BTreeMap<String, (String, u64)> = BTreeMap::new();
    for s in portfolio_item_skill::Entity::find()
        .filter(portfolio_item_skill::Column::ItemId.is_in(items))
        .all(db)
        .await?
    {
        let e = counts
            .entry(s.skill.to_lowercase())
            .or_insert_with(|| (s.skill.clone(), 0));
        e.1 += 1;
    }
    let mut out: Vec<(String, u64)> = counts.into_values().collect();
    out.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then_with(|| a.0.to_lowercase().cmp(&b.0.to_lowercase()))
    });
    Ok(out)
}
