//! Educator feedback on portfolio items: comments (append-only), acceptance of an item as
//! evidence for a unit of an enrolment (withdrawn with a reason, the row kept), the
//! accepted items of a unit (the assessment record), and the portfolio's entries in the
//! record's timeline (what each reader may see of them, and their labels).
//!
//! Who may do what: the learner and the educators who teach them comment; only an
//! educator of the enrolment's course accepts an item for a unit of that enrolment, or
//! withdraws that acceptance; admin staff and auditors read (never a self-reflection);
//! partners read none of it (404).

use std::collections::{HashMap, HashSet};

use chrono::Utc;
use sea_orm::prelude::Expr;
use sea_orm::sea_query::{Condition, Query};
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde::Serialize;

use super::history::{self, Change};
use super::page_of;
use super::portfolio::{self, Reader};
use crate::error::AppError;
use crate::models::portfolio::{ItemKind, UnitTag};
use crate::models::portfolio_feedback::{
    AcceptInput, AcceptanceRow, AcceptedEvidence, Comment, UnitChoice, Withdrawal,
};
use crate::models::{CurrentUser, HistoryEntry, PER_PAGE, Page};
use crate::server::auth::Caller;
use crate::server::entities::{
    account, course, course_educator, enrolment, enrolment_unit, learner, portfolio_acceptance,
    portfolio_comment, portfolio_file, portfolio_item, unit,
};

async fn names<C: ConnectionTrait>(
    db: &C,
    ids: impl IntoIterator<Item = i64>,
) -> Result<HashMap<i64, String>, AppError> {
    let ids: Vec<i64> = ids
        .into_iter()
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    Ok(account::Entity::find()
        .filter(account::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.display_name))
        .collect())
}

async fn courses_taught<C: ConnectionTrait>(
    db: &C,
    educator_id: i64,
) -> Result<Vec<i64>, AppError> {
    Ok(course_educator::Entity::find()
        .filter(course_educator::Column::AccountId.eq(educator_id))
        .all(db)
        .await?
        .into_iter()
        .map(|c| c.course_id)
        .collect())
}

// ---------------------------------------------------------------------------------------
// Comments.

/// Page `page` of an item's comments, oldest first; page 0 means the last page (the
/// newest comments).
pub async fn comments<C: ConnectionTrait>(
    db: &C,
    item: &portfolio_item::Model,
    learner: &learner::Model,
    page: u64,
) -> Result<Page<Comment>, AppError> {
    let select = portfolio_comment::Entity::find()
        .filter(portfolio_comment::Column::ItemId.eq(item.id))
        .order_by_asc(portfolio_comment::Column::CreatedAt)
        .order_by_asc(portfolio_comment::Column::Id);
    let page = if page == 0 {
        let total = select.clone().count(db).await?;
        total.div_ceil(PER_PAGE).max(1)
    } else {
        page
    };
    let (rows, total, page) = page_of(db, select, page).await?;
    let authors = names(db, rows.iter().map(|r| r.author_id)).await?;
    let items = rows
        .into_iter()
        .map(|r| Comment {
            id: r.id,
            author: authors.get(&r.author_id).cloned().unwrap_or_default(),
            author_role: if learner.account_id == Some(r.author_id) {
                "Learner".into()
            } else {
                "Educator".into()
            },
            body: r.body,
            created_at: r.created_at,
        })
        .collect();
    Ok(Page {
        items,
        total,
        page,
        per_page: PER_PAGE,
    })
}

#[derive(Serialize)]
struct CommentRecord<'a> {
    item_id: i64,
    body: &'a str,
}

/// Adds a comment by the caller (the learner or one of their educators: see the caller's
/// [`Reader`]) to `item`, with history.
pub async fn add_comment<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    item: &portfolio_item::Model,
    body: &str,
) -> Result<i64, AppError> {
    let user = caller.user.as_ref().ok_or(AppError::Unauthorized)?;
    let id = portfolio_comment::Entity::insert(portfolio_comment::ActiveModel {
        id: NotSet,
        item_id: Set(item.id),
        learner_id: Set(item.learner_id),
        author_id: Set(user.id),
        body: Set(body.to_owned()),
        created_at: Set(Utc::now()),
    })
    .exec(db)
    .await?
    .last_insert_id;
    history::record(
        db,
        caller,
        Change {
            entity: "portfolio_comment",
            entity_id: id,
            learner_id: Some(item.learner_id),
            action: "create",
            reason: None,
            before: None,
            after: Some(&CommentRecord {
                item_id: item.id,
                body,
            }),
            version: None,
        },
    )
    .await?;
    Ok(id)
}

// ---------------------------------------------------------------------------------------
// Acceptance as evidence.

/// The learner's enrolled units, in active enrolments of courses `educator_id` teaches:
/// what the educator may accept an item for.
pub async fn choices<C: ConnectionTrait>(
    db: &C,
    educator_id: i64,
    learner_id: i64,
) -> Result<Vec<UnitChoice>, AppError> {
    let courses = courses_taught(db, educator_id).await?;
    let enrolments = enrolment::Entity::find()
        .filter(enrolment::Column::LearnerId.eq(learner_id))
        .filter(enrolment::Column::CourseId.is_in(courses))
        .filter(enrolment::Column::Status.eq("active"))
        .all(db)
        .await?;
    let codes: HashMap<i64, String> = course::Entity::find()
        .filter(
            course::Column::Id.is_in(enrolments.iter().map(|e| e.course_id).collect::<Vec<_>>()),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.code))
        .collect();
    let course_of: HashMap<i64, i64> = enrolments.iter().map(|e| (e.id, e.course_id)).collect();
    let links = enrolment_unit::Entity::find()
        .filter(
            enrolment_unit::Column::EnrolmentId
                .is_in(course_of.keys().copied().collect::<Vec<_>>()),
        )
        .all(db)
        .await?;
    let units: HashMap<i64, unit::Model> = unit::Entity::find()
        .filter(unit::Column::Id.is_in(links.iter().map(|l| l.unit_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let mut out: Vec<UnitChoice> = links
        .into_iter()
        .filter_map(|l| {
            let u = units.get(&l.unit_id)?;
            let code = course_of
                .get(&l.enrolment_id)
                .and_then(|c| codes.get(c))
                .cloned()
                .unwrap_or_default();
            Some(UnitChoice {
                enrolment_id: l.enrolment_id,
                unit_id: l.unit_id,
                label: format!("{code} — {} {}", u.code, u.title),
            })
        })
        .collect();
    out.sort_by(|a, b| a.label.cmp(&b.label));
    Ok(out)
}

#[derive(Serialize)]
struct AcceptanceRecord<'a> {
    item_id: i64,
    item_title: &'a str,
    enrolment_id: i64,
    unit_id: i64,
    unit_code: &'a str,
    note: Option<&'a str>,
    withdrawn_reason: Option<&'a str>,
}

/// Accepts `item` as evidence for a unit of one of the learner's enrolments: the unit must
/// be one of [`choices`] for the caller (an educator of the course), and not accepted
/// already (a withdrawn acceptance does not count). With history.
pub async fn accept<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    item: &portfolio_item::Model,
    input: &AcceptInput,
) -> Result<i64, AppError> {
    let user = caller.user.as_ref().ok_or(AppError::Unauthorized)?;
    // One acceptance at a time per item (PostgreSQL; SQLite's write transaction already
    // holds the lock), so the duplicate check below holds.
    portfolio_item::Entity::find_by_id(item.id)
        .lock_exclusive()
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let allowed = choices(db, user.id, item.learner_id).await?;
    if !allowed
        .iter()
        .any(|c| c.enrolment_id == input.enrolment_id && c.unit_id == input.unit_id)
    {
        return Err(AppError::field(
            "target",
            "Choose one of this learner's units in a course you teach.",
        ));
    }
    let current = portfolio_acceptance::Entity::find()
        .filter(portfolio_acceptance::Column::ItemId.eq(item.id))
        .filter(portfolio_acceptance::Column::EnrolmentId.eq(input.enrolment_id))
        .filter(portfolio_acceptance::Column::UnitId.eq(input.unit_id))
        .filter(portfolio_acceptance::Column::WithdrawnAt.is_null())
        .count(db)
        .await?;
    if current > 0 {
        return Err(AppError::field("target", "Already accepted for this unit."));
    }
    let unit_code = unit::Entity::find_by_id(input.unit_id)
        .one(db)
        .await?
        .map(|u| u.code)
        .unwrap_or_default();
    let id = portfolio_acceptance::Entity::insert(portfolio_acceptance::ActiveModel {
        id: NotSet,
        item_id: Set(item.id),
        learner_id: Set(item.learner_id),
        enrolment_id: Set(input.enrolment_id),
        unit_id: Set(input.unit_id),
        note: Set(input.note.clone()),
        accepted_by: Set(user.id),
        accepted_at: Set(Utc::now()),
        withdrawn_at: Set(None),
        withdrawn_by: Set(None),
        withdrawn_reason: Set(None),
    })
    .exec(db)
    .await?
    .last_insert_id;
    history::record(
        db,
        caller,
        Change {
            entity: "portfolio_acceptance",
            entity_id: id,
            learner_id: Some(item.learner_id),
            action: "create",
            reason: None,
            before: None,
            after: Some(&AcceptanceRecord {
                item_id: item.id,
                item_title: &item.title,
                enrolment_id: input.enrolment_id,
                unit_id: input.unit_id,
                unit_code: &unit_code,
                note: input.note.as_deref(),
                withdrawn_reason: None,
            }),
            version: None,
        },
    )
    .await?;
    Ok(id)
}

/// A current acceptance the caller may withdraw, with its item: 404 when the caller may not
/// read the item (or it is withdrawn already), 403 unless the caller teaches the course of
/// the acceptance's enrolment.
pub async fn acceptance_to_withdraw<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    id: i64,
) -> Result<(portfolio_acceptance::Model, portfolio_item::Model), AppError> {
    let row = portfolio_acceptance::Entity::find_by_id(id)
        .filter(portfolio_acceptance::Column::WithdrawnAt.is_null())
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let (item, _, reader) = portfolio::item_access(db, user, row.item_id, false).await?;
    if reader != Reader::Educator {
        return Err(AppError::Forbidden);
    }
    let course_id = enrolment::Entity::find_by_id(row.enrolment_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?
        .course_id;
    if !courses_taught(db, user.id).await?.contains(&course_id) {
        return Err(AppError::Forbidden);
    }
    Ok((row, item))
}

/// Withdraws an acceptance (the row stays, with who, when and why), with history.
pub async fn withdraw<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    row: &portfolio_acceptance::Model,
    item: &portfolio_item::Model,
    reason: &str,
) -> Result<(), AppError> {
    let user = caller.user.as_ref().ok_or(AppError::Unauthorized)?;
    let res = portfolio_acceptance::Entity::update_many()
        .col_expr(
            portfolio_acceptance::Column::WithdrawnAt,
            Expr::value(Some(Utc::now())),
        )
        .col_expr(
            portfolio_acceptance::Column::WithdrawnBy,
            Expr::value(Some(user.id)),
        )
        .col_expr(
            portfolio_acceptance::Column::WithdrawnReason,
            Expr::value(Some(reason.to_owned())),
        )
        .filter(portfolio_acceptance::Column::Id.eq(row.id))
        .filter(portfolio_acceptance::Column::WithdrawnAt.is_null())
        .exec(db)
        .await?;
    if res.rows_affected != 1 {
        return Err(AppError::Conflict(
            "This acceptance was withdrawn meanwhile. Reload to see the item's evidence now."
                .into(),
        ));
    }
    let unit_code = unit::Entity::find_by_id(row.unit_id)
        .one(db)
        .await?
        .map(|u| u.code)
        .unwrap_or_default();
    let record = |withdrawn_reason| AcceptanceRecord {
        item_id: item.id,
        item_title: &item.title,
        enrolment_id: row.enrolment_id,
        unit_id: row.unit_id,
        unit_code: &unit_code,
        note: row.note.as_deref(),
        withdrawn_reason,
    };
    history::record(
        db,
        caller,
        Change {
            entity: "portfolio_acceptance",
            entity_id: row.id,
            learner_id: Some(row.learner_id),
            action: "withdraw",
            reason: Some(reason),
            before: Some(&record(None)),
            after: Some(&record(Some(reason))),
            version: None,
        },
    )
    .await
}

/// Every acceptance of an item, current ones first (oldest first), then withdrawn ones
/// (latest first); `educator_id`: the caller when they are an educator of the learner
/// (they may withdraw those of courses they teach).
pub async fn acceptances<C: ConnectionTrait>(
    db: &C,
    item_id: i64,
    educator_id: Option<i64>,
) -> Result<Vec<AcceptanceRow>, AppError> {
    let rows = portfolio_acceptance::Entity::find()
        .filter(portfolio_acceptance::Column::ItemId.eq(item_id))
        .order_by_asc(portfolio_acceptance::Column::AcceptedAt)
        .order_by_asc(portfolio_acceptance::Column::Id)
        .all(db)
        .await?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let taught: HashSet<i64> = match educator_id {
        Some(id) => courses_taught(db, id).await?.into_iter().collect(),
        None => HashSet::new(),
    };
    let units: HashMap<i64, unit::Model> = unit::Entity::find()
        .filter(unit::Column::Id.is_in(rows.iter().map(|r| r.unit_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let enrolments: HashMap<i64, i64> = enrolment::Entity::find()
        .filter(
            enrolment::Column::Id.is_in(rows.iter().map(|r| r.enrolment_id).collect::<Vec<_>>()),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e.course_id))
        .collect();
    let codes: HashMap<i64, String> = course::Entity::find()
        .filter(course::Column::Id.is_in(enrolments.values().copied().collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.code))
        .collect();
    let people = names(
        db,
        rows.iter()
            .flat_map(|r| std::iter::once(r.accepted_by).chain(r.withdrawn_by)),
    )
    .await?;
    let mut out: Vec<AcceptanceRow> = rows
        .into_iter()
        .filter_map(|r| {
            let u = units.get(&r.unit_id)?;
            let course_id = enrolments.get(&r.enrolment_id).copied();
            let withdrawn = r.withdrawn_at.map(|at| Withdrawal {
                by: r
                    .withdrawn_by
                    .and_then(|id| people.get(&id).cloned())
                    .unwrap_or_default(),
                at,
                reason: r.withdrawn_reason.clone().unwrap_or_default(),
            });
            Some(AcceptanceRow {
                id: r.id,
                unit: UnitTag {
                    id: u.id,
                    code: u.code.clone(),
                    title: u.title.clone(),
                },
                course_code: course_id
                    .and_then(|c| codes.get(&c).cloned())
                    .unwrap_or_default(),
                enrolment_id: r.enrolment_id,
                accepted_by: people.get(&r.accepted_by).cloned().unwrap_or_default(),
                accepted_at: r.accepted_at,
                note: r.note,
                can_withdraw: withdrawn.is_none() && course_id.is_some_and(|c| taught.contains(&c)),
                withdrawn,
            })
        })
        .collect();
    out.sort_by(|a, b| match (&a.withdrawn, &b.withdrawn) {
        (None, None) => a.accepted_at.cmp(&b.accepted_at),
        (None, Some(_)) => std::cmp::Ordering::Less,
        (Some(_), None) => std::cmp::Ordering::Greater,
        (Some(x), Some(y)) => y.at.cmp(&x.at),
    });
    Ok(out)
}

/// The items currently accepted as evidence for `unit_id` of `enrolment_id` that `reader`
/// sees (staff never see self-reflections), oldest acceptance first.
pub async fn accepted_for_unit<C: ConnectionTrait>(
    db: &C,
    enrolment_id: i64,
    unit_id: i64,
    reader: Reader,
) -> Result<Vec<AcceptedEvidence>, AppError> {
    let rows = portfolio_acceptance::Entity::find()
        .filter(portfolio_acceptance::Column::EnrolmentId.eq(enrolment_id))
        .filter(portfolio_acceptance::Column::UnitId.eq(unit_id))
        .filter(portfolio_acceptance::Column::WithdrawnAt.is_null())
        .order_by_asc(portfolio_acceptance::Column::AcceptedAt)
        .order_by_asc(portfolio_acceptance::Column::Id)
        .all(db)
        .await?;
    let kinds: Vec<&str> = reader.kinds().into_iter().map(ItemKind::as_str).collect();
    let items: HashMap<i64, portfolio_item::Model> = portfolio_item::Entity::find()
        .filter(
            portfolio_item::Column::Id.is_in(rows.iter().map(|r| r.item_id).collect::<Vec<_>>()),
        )
        .filter(portfolio_item::Column::DeletedAt.is_null())
        .filter(portfolio_item::Column::Kind.is_in(kinds))
        .all(db)
        .await?
        .into_iter()
        .map(|i| (i.id, i))
        .collect();
    let people = names(db, rows.iter().map(|r| r.accepted_by)).await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let item = items.get(&r.item_id)?;
            Some(AcceptedEvidence {
                id: r.id,
                item_id: item.id,
                title: item.title.clone(),
                kind: ItemKind::parse(&item.kind).unwrap_or(ItemKind::Evidence),
                accepted_by: people.get(&r.accepted_by).cloned().unwrap_or_default(),
                accepted_at: r.accepted_at,
                note: r.note,
            })
        })
        .collect())
}

// ---------------------------------------------------------------------------------------
// The record's timeline.

/// What a reader of a learner's record history sees of the portfolio.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum HistoryScope {
    /// The learner and their educators: every portfolio entry.
    All,
    /// Admin staff and auditors: nothing about self-reflections.
    NoReflections,
    /// Anyone else who may read the record (a partner it is shared with): no portfolio
    /// entries (they see only what the learner shares with them, on the share's pages).
    None,
}

/// The scope of `user` for the portfolio entries of `learner_id`'s history.
pub async fn history_scope<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    learner_id: i64,
) -> Result<HistoryScope, AppError> {
    Ok(match portfolio::access(db, user, learner_id, false).await {
        Ok((_, Reader::Owner | Reader::Educator)) => HistoryScope::All,
        Ok((_, Reader::Staff)) => HistoryScope::NoReflections,
        Err(AppError::NotFound | AppError::Forbidden) => HistoryScope::None,
        Err(other) => return Err(other),
    })
}

const PORTFOLIO_ENTITIES: [&str; 4] = [
    "portfolio_item",
    "portfolio_file",
    "portfolio_comment",
    "portfolio_acceptance",
];

/// The condition on `history` rows of `learner_id` that keeps what `scope` may see: a
/// subquery, so paging stays right.
pub fn history_filter(learner_id: i64, scope: HistoryScope) -> Condition {
    use crate::server::entities::history as h;
    match scope {
        HistoryScope::All => Condition::all(),
        HistoryScope::None => Condition::all().add(h::Column::Entity.is_not_in(PORTFOLIO_ENTITIES)),
        HistoryScope::NoReflections => {
            let reflections = Query::select()
                .column(portfolio_item::Column::Id)
                .from(portfolio_item::Entity)
                .and_where(portfolio_item::Column::LearnerId.eq(learner_id))
                .and_where(portfolio_item::Column::Kind.eq(ItemKind::Reflection.as_str()))
                .to_owned();
            let files = Query::select()
                .column(portfolio_file::Column::Id)
                .from(portfolio_file::Entity)
                .and_where(portfolio_file::Column::ItemId.in_subquery(reflections.clone()))
                .to_owned();
            let comments = Query::select()
                .column(portfolio_comment::Column::Id)
                .from(portfolio_comment::Entity)
                .and_where(portfolio_comment::Column::ItemId.in_subquery(reflections.clone()))
                .to_owned();
            let acceptances = Query::select()
                .column(portfolio_acceptance::Column::Id)
                .from(portfolio_acceptance::Entity)
                .and_where(portfolio_acceptance::Column::ItemId.in_subquery(reflections.clone()))
                .to_owned();
            let mut all = Condition::all();
            for (entity, ids) in [
                ("portfolio_item", reflections),
                ("portfolio_file", files),
                ("portfolio_comment", comments),
                ("portfolio_acceptance", acceptances),
            ] {
                all = all.add(
                    Condition::any()
                        .add(h::Column::Entity.ne(entity))
                        .add(h::Column::EntityId.not_in_subquery(ids)),
                );
            }
            all
        }
    }
}

/// Friendly labels for the portfolio entries of a page of history ("Work experience added:
/// Site placement"), set on each entry's `label`.
pub async fn label_history<C: ConnectionTrait>(
    db: &C,
    entries: &mut [HistoryEntry],
) -> Result<(), AppError> {
    use crate::server::entities::history as h;
    let ids: Vec<i64> = entries
        .iter()
        .filter(|e| PORTFOLIO_ENTITIES.contains(&e.entity.as_str()))
        .map(|e| e.id)
        .collect();
    if ids.is_empty() {
        return Ok(());
    }
    let rows = h::Entity::find()
        .filter(h::Column::Id.is_in(ids))
        .all(db)
        .await?;
    let json = |r: &h::Model| -> serde_json::Value {
        r.after
            .as_deref()
            .or(r.before.as_deref())
            .and_then(|s| serde_json::from_str(s).ok())
            .unwrap_or_default()
    };
    // The item each entry is about.
    let item_of: HashMap<i64, i64> = rows
        .iter()
        .filter_map(|r| {
            let item = if r.entity == "portfolio_item" {
                r.entity_id
            } else {
                json(r)["item_id"].as_i64()?
            };
            Some((r.id, item))
        })
        .collect();
    let items: HashMap<i64, portfolio_item::Model> = portfolio_item::Entity::find()
        .filter(portfolio_item::Column::Id.is_in(item_of.values().copied().collect::<HashSet<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|i| (i.id, i))
        .collect();
    let rows: HashMap<i64, h::Model> = rows.into_iter().map(|r| (r.id, r)).collect();
    for e in entries.iter_mut() {
        let (Some(r), Some(item)) = (
            rows.get(&e.id),
            item_of.get(&e.id).and_then(|i| items.get(i)),
        ) else {
            continue;
        };
        let data = json(r);
        // The title as it was at that change (an item's title may change later).
        let title = data["title"]
            .as_str()
            .or(data["item_title"].as_str())
            .unwrap_or(&item.title);
        let kind = ItemKind::parse(&item.kind).unwrap_or(ItemKind::Evidence);
        let label = match (r.entity.as_str(), r.action.as_str()) {
            ("portfolio_item", "create") => format!("{} added: {title}", kind.label()),
            ("portfolio_item", "update") => format!("{} changed: {title}", kind.label()),
            ("portfolio_item", "delete") => format!("{} removed: {title}", kind.label()),
            ("portfolio_file", "create") => format!(
                "File added to {title}: {}",
                data["filename"].as_str().unwrap_or("a file")
            ),
            ("portfolio_file", "delete") => format!(
                "File removed from {title}: {}",
                data["filename"].as_str().unwrap_or("a file")
            ),
            ("portfolio_comment", _) => format!("Comment on {title}"),
            ("portfolio_acceptance", "create") => format!(
                "Accepted as evidence for {}: {title}",
                data["unit_code"].as_str().unwrap_or("a unit")
            ),
            ("portfolio_acceptance", _) => format!(
                "Evidence acceptance withdrawn for {}: {title}",
                data["unit_code"].as_str().unwrap_or("a unit")
            ),
            _ => continue,
        };
        e.label = Some(label);
    }
    Ok(())
}
