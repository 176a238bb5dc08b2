//! Sharing the portfolio: the student shares chosen items (or the whole portfolio) with a
//! named partner account or through a link, revokes any time, and sees every view.
//!
//! A link's token is 256 random bits shown once; only its SHA-256 is kept. Partners and
//! link visitors see exactly the shared items that are not removed, read-only; a share does
//! not open the learner's record (`policy::learner_access` does not know about it). Every
//! view of a share's list and every file downloaded through it appends a
//! `portfolio_share_view` row. Creating and revoking record history ("portfolio_share").

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use sea_orm::prelude::Expr;
use sea_orm::sea_query::{Condition, Query};
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
    QuerySelect, Select,
};
use serde::Serialize;

use super::history::{self, Change};
use super::page_of;
use super::portfolio;
use crate::domain::Role;
use crate::error::AppError;
use crate::models::portfolio::ItemKind;
use crate::models::share::{
    ItemChoice, LINK_VISITOR, PartnerOption, ShareDetail, ShareInput, ShareKind, ShareRow,
    ShareStatus, SharedRow, SharedView, ViewRow, expiry_instant, last_day,
};
use crate::models::{CurrentUser, PER_PAGE, Page};
use crate::server::auth::{Caller, hash_token, new_token};
use crate::server::entities::{
    account, account_role, learner, portfolio_file, portfolio_item, portfolio_share,
    portfolio_share_item, portfolio_share_view, stored_file,
};

/// The learner record of the signed-in student (their own portfolio), or 404.
pub async fn own_learner<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
) -> Result<learner::Model, AppError> {
    learner::Entity::find()
        .filter(learner::Column::AccountId.eq(user.id))
        .order_by_asc(learner::Column::Id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// A learner's name as shown.
pub fn name_of(l: &learner::Model) -> String {
    format!("{} {}", first_name(l), l.family_name)
}

/// What a learner likes to be called.
pub fn first_name(l: &learner::Model) -> String {
    l.preferred_name
        .clone()
        .filter(|p| !p.trim().is_empty())
        .unwrap_or_else(|| l.given_name.clone())
}

fn status_of(s: &portfolio_share::Model, now: DateTime<Utc>) -> ShareStatus {
    if s.revoked_at.is_some() {
        ShareStatus::Revoked
    } else if s.expires_at.is_some_and(|at| at <= now) {
        ShareStatus::Expired
    } else {
        ShareStatus::Active
    }
}

/// Active partner accounts, by name: whom a student may share with.
pub async fn partners<C: ConnectionTrait>(db: &C) -> Result<Vec<PartnerOption>, AppError> {
    Ok(account::Entity::find()
        .filter(account::Column::Active.eq(true))
        .filter(
            account::Column::Id.in_subquery(
                Query::select()
                    .column(account_role::Column::AccountId)
                    .from(account_role::Entity)
                    .and_where(account_role::Column::Role.eq(Role::Partner.as_str()))
                    .to_owned(),
            ),
        )
        .order_by_asc(account::Column::DisplayName)
        .order_by_asc(account::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|a| PartnerOption {
            id: a.id,
            name: a.display_name,
            email: a.email,
        })
        .collect())
}

/// The learner's items (not removed), newest change first: what a share can show.
pub async fn item_choices<C: ConnectionTrait>(
    db: &C,
    learner_id: i64,
) -> Result<Vec<ItemChoice>, AppError> {
    Ok(portfolio_item::Entity::find()
        .filter(portfolio_item::Column::LearnerId.eq(learner_id))
        .filter(portfolio_item::Column::DeletedAt.is_null())
        .order_by_desc(portfolio_item::Column::UpdatedAt)
        .order_by_desc(portfolio_item::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|i| ItemChoice {
            id: i.id,
            kind: ItemKind::parse(&i.kind).unwrap_or(ItemKind::Evidence),
            title: i.title,
        })
        .collect())
}

/// What history keeps of a share (never the token).
#[derive(Serialize)]
struct ShareRecord<'a> {
    kind: &'a str,
    partner_id: Option<i64>,
    label: Option<&'a str>,
    whole_portfolio: bool,
    expires_at: Option<DateTime<Utc>>,
    items: Vec<i64>,
    revoked_at: Option<DateTime<Utc>>,
}

/// Creates a share of learner `learner_id`'s portfolio (the caller must be the learner:
/// see [`portfolio::access`]). Returns the share's id and, for a link, its token — the
/// only time it exists in clear.
pub async fn create<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    learner_id: i64,
    input: &ShareInput,
) -> Result<(i64, Option<String>), AppError> {
    let user = caller.user.as_ref().ok_or(AppError::Unauthorized)?;
    if let Some(partner_id) = input.partner_id {
        let ok = partners(db).await?.iter().any(|p| p.id == partner_id);
        if !ok {
            return Err(AppError::field(
                "partner_id",
                "Choose a partner from the list.",
            ));
        }
    }
    if !input.items.is_empty() {
        let mine: HashSet<i64> = portfolio_item::Entity::find()
            .select_only()
            .column(portfolio_item::Column::Id)
            .filter(portfolio_item::Column::LearnerId.eq(learner_id))
            .filter(portfolio_item::Column::DeletedAt.is_null())
            .filter(portfolio_item::Column::Id.is_in(input.items.clone()))
            .into_tuple::<i64>()
            .all(db)
            .await?
            .into_iter()
            .collect();
        if input.items.iter().any(|i| !mine.contains(i)) {
            return Err(AppError::field(
                "items",
                "Choose only items of your own portfolio.",
            ));
        }
    }
    let token = match input.kind {
        ShareKind::Link => Some(new_token().map_err(|e| AppError::internal("random token", e))?),
        ShareKind::Partner => None,
    };
    let expires_at = input.expires_on.map(expiry_instant);
    let res = portfolio_share::Entity::insert(portfolio_share::ActiveModel {
        id: NotSet,
        learner_id: Set(learner_id),
        kind: Set(input.kind.as_str().to_owned()),
        partner_id: Set(input.partner_id),
        token_hash: Set(token.as_deref().map(hash_token)),
        label: Set(input.label.clone()),
        whole_portfolio: Set(input.whole),
        expires_at: Set(expires_at),
        created_by: Set(user.id),
        created_at: Set(Utc::now()),
        revoked_at: Set(None),
    })
    .exec(db)
    .await?;
    let id = res.last_insert_id;
    if !input.items.is_empty() {
        portfolio_share_item::Entity::insert_many(input.items.iter().map(|item| {
            portfolio_share_item::ActiveModel {
                share_id: Set(id),
                item_id: Set(*item),
            }
        }))
        .exec_without_returning(db)
        .await?;
    }
    history::record(
        db,
        caller,
        Change {
            entity: "portfolio_share",
            entity_id: id,
            learner_id: Some(learner_id),
            action: "create",
            reason: None,
            before: None,
            after: Some(&ShareRecord {
                kind: input.kind.as_str(),
                partner_id: input.partner_id,
                label: input.label.as_deref(),
                whole_portfolio: input.whole,
                expires_at,
                items: input.items.clone(),
                revoked_at: None,
            }),
            version: None,
        },
    )
    .await?;
    Ok((id, token))
}

/// Share `share_id` of learner `learner_id`, or 404.
pub async fn share_of<C: ConnectionTrait>(
    db: &C,
    learner_id: i64,
    share_id: i64,
) -> Result<portfolio_share::Model, AppError> {
    portfolio_share::Entity::find_by_id(share_id)
        .filter(portfolio_share::Column::LearnerId.eq(learner_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

async fn chosen_items<C: ConnectionTrait>(db: &C, share_id: i64) -> Result<Vec<i64>, AppError> {
    Ok(portfolio_share_item::Entity::find()
        .select_only()
        .column(portfolio_share_item::Column::ItemId)
        .filter(portfolio_share_item::Column::ShareId.eq(share_id))
        .order_by_asc(portfolio_share_item::Column::ItemId)
        .into_tuple::<i64>()
        .all(db)
        .await?)
}

/// Revokes a share now (with history). Revoking a revoked share changes nothing.
pub async fn revoke<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    share: &portfolio_share::Model,
) -> Result<(), AppError> {
    if share.revoked_at.is_some() {
        return Ok(());
    }
    let now = Utc::now();
    let res = portfolio_share::Entity::update_many()
        .col_expr(portfolio_share::Column::RevokedAt, Expr::value(Some(now)))
        .filter(portfolio_share::Column::Id.eq(share.id))
        .filter(portfolio_share::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    if res.rows_affected != 1 {
        return Ok(());
    }
    let items = chosen_items(db, share.id).await?;
    let record = |revoked_at| ShareRecord {
        kind: &share.kind,
        partner_id: share.partner_id,
        label: share.label.as_deref(),
        whole_portfolio: share.whole_portfolio,
        expires_at: share.expires_at,
        items: items.clone(),
        revoked_at,
    };
    history::record(
        db,
        caller,
        Change {
            entity: "portfolio_share",
            entity_id: share.id,
            learner_id: Some(share.learner_id),
            action: "update",
            reason: Some("Revoked by the student"),
            before: Some(&record(None)),
            after: Some(&record(Some(now))),
            version: None,
        },
    )
    .await
}

/// The items a share shows now (not removed; the whole portfolio or the chosen ones).
fn shown_items(share: &portfolio_share::Model) -> Select<portfolio_item::Entity> {
    let mut select = portfolio_item::Entity::find()
        .filter(portfolio_item::Column::LearnerId.eq(share.learner_id))
        .filter(portfolio_item::Column::DeletedAt.is_null());
    if !share.whole_portfolio {
        select = select.filter(
            portfolio_item::Column::Id.in_subquery(
                Query::select()
                    .column(portfolio_share_item::Column::ItemId)
                    .from(portfolio_share_item::Entity)
                    .and_where(portfolio_share_item::Column::ShareId.eq(share.id))
                    .to_owned(),
            ),
        );
    }
    select
}

/// How many items each share shows now: one statement for the chosen-item shares, one for
/// the whole-portfolio ones.
async fn item_counts<C: ConnectionTrait>(
    db: &C,
    shares: &[portfolio_share::Model],
) -> Result<HashMap<i64, u64>, AppError> {
    #[derive(FromQueryResult)]
    struct Row {
        share_id: i64,
        n: i64,
    }
    #[derive(FromQueryResult)]
    struct LearnerRow {
        learner_id: i64,
        n: i64,
    }
    let chosen: Vec<i64> = shares
        .iter()
        .filter(|s| !s.whole_portfolio)
        .map(|s| s.id)
        .collect();
    let mut out: HashMap<i64, u64> = HashMap::new();
    if !chosen.is_empty() {
        for r in portfolio_share_item::Entity::find()
            .select_only()
            .column(portfolio_share_item::Column::ShareId)
            .column_as(portfolio_share_item::Column::ItemId.count(), "n")
            .filter(portfolio_share_item::Column::ShareId.is_in(chosen))
            .filter(
                portfolio_share_item::Column::ItemId.in_subquery(
                    Query::select()
                        .column(portfolio_item::Column::Id)
                        .from(portfolio_item::Entity)
                        .and_where(portfolio_item::Column::DeletedAt.is_null())
                        .to_owned(),
                ),
            )
            .group_by(portfolio_share_item::Column::ShareId)
            .into_model::<Row>()
            .all(db)
            .await?
        {
            out.insert(r.share_id, r.n.max(0) as u64);
        }
    }
    let learners: HashSet<i64> = shares
        .iter()
        .filter(|s| s.whole_portfolio)
        .map(|s| s.learner_id)
        .collect();
    if !learners.is_empty() {
        let per_learner: HashMap<i64, u64> = portfolio_item::Entity::find()
            .select_only()
            .column(portfolio_item::Column::LearnerId)
            .column_as(portfolio_item::Column::Id.count(), "n")
            .filter(portfolio_item::Column::LearnerId.is_in(learners))
            .filter(portfolio_item::Column::DeletedAt.is_null())
            .group_by(portfolio_item::Column::LearnerId)
            .into_model::<LearnerRow>()
            .all(db)
            .await?
            .into_iter()
            .map(|r| (r.learner_id, r.n.max(0) as u64))
            .collect();
        for s in shares.iter().filter(|s| s.whole_portfolio) {
            out.insert(s.id, per_learner.get(&s.learner_id).copied().unwrap_or(0));
        }
    }
    Ok(out)
}

async fn names<C: ConnectionTrait>(
    db: &C,
    ids: impl IntoIterator<Item = i64>,
) -> Result<HashMap<i64, String>, AppError> {
    let ids: Vec<i64> = ids.into_iter().collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(account::Entity::find()
        .filter(account::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.display_name))
        .collect())
}

/// Rows for the student's list: a fixed number of statements for any number of shares.
async fn rows_of<C: ConnectionTrait>(
    db: &C,
    shares: Vec<portfolio_share::Model>,
) -> Result<Vec<ShareRow>, AppError> {
    #[derive(FromQueryResult)]
    struct ViewCount {
        share_id: i64,
        n: i64,
        last: Option<DateTime<Utc>>,
    }
    let now = Utc::now();
    let counts = item_counts(db, &shares).await?;
    let partner_names = names(db, shares.iter().filter_map(|s| s.partner_id)).await?;
    let ids: Vec<i64> = shares.iter().map(|s| s.id).collect();
    let views: HashMap<i64, (u64, Option<DateTime<Utc>>)> = portfolio_share_view::Entity::find()
        .select_only()
        .column(portfolio_share_view::Column::ShareId)
        .column_as(portfolio_share_view::Column::Id.count(), "n")
        .column_as(portfolio_share_view::Column::ViewedAt.max(), "last")
        .filter(portfolio_share_view::Column::ShareId.is_in(ids))
        .group_by(portfolio_share_view::Column::ShareId)
        .into_model::<ViewCount>()
        .all(db)
        .await?
        .into_iter()
        .map(|v| (v.share_id, (v.n.max(0) as u64, v.last)))
        .collect();
    Ok(shares
        .into_iter()
        .map(|s| {
            let kind = ShareKind::parse(&s.kind).unwrap_or(ShareKind::Link);
            let audience = match (kind, s.partner_id) {
                (ShareKind::Partner, Some(p)) => partner_names.get(&p).cloned().unwrap_or_default(),
                _ => "Anyone with the link".to_owned(),
            };
            let (views, last_viewed) = views.get(&s.id).copied().unwrap_or((0, None));
            ShareRow {
                id: s.id,
                kind,
                audience,
                label: s.label.clone(),
                whole: s.whole_portfolio,
                item_count: counts.get(&s.id).copied().unwrap_or(0),
                expires_on: s.expires_at.map(last_day),
                status: status_of(&s, now),
                created_at: s.created_at,
                revoked_at: s.revoked_at,
                views,
                last_viewed,
            }
        })
        .collect())
}

/// One page of a learner's shares, newest first.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    learner_id: i64,
    page: u64,
) -> Result<Page<ShareRow>, AppError> {
    let select = portfolio_share::Entity::find()
        .filter(portfolio_share::Column::LearnerId.eq(learner_id))
        .order_by_desc(portfolio_share::Column::CreatedAt)
        .order_by_desc(portfolio_share::Column::Id);
    let (rows, total, page) = page_of(db, select, page).await?;
    Ok(Page {
        items: rows_of(db, rows).await?,
        total,
        page,
        per_page: PER_PAGE,
    })
}

/// One share for its student: what it shows now and a page of its view log.
pub async fn detail<C: ConnectionTrait>(
    db: &C,
    share: portfolio_share::Model,
    page: u64,
) -> Result<ShareDetail, AppError> {
    let items = shown_items(&share)
        .order_by_desc(portfolio_item::Column::UpdatedAt)
        .order_by_desc(portfolio_item::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|i| ItemChoice {
            id: i.id,
            kind: ItemKind::parse(&i.kind).unwrap_or(ItemKind::Evidence),
            title: i.title,
        })
        .collect();
    let select = portfolio_share_view::Entity::find()
        .filter(portfolio_share_view::Column::ShareId.eq(share.id))
        .order_by_desc(portfolio_share_view::Column::ViewedAt)
        .order_by_desc(portfolio_share_view::Column::Id);
    let (views, total, page) = page_of(db, select, page).await?;
    let viewers = names(db, views.iter().filter_map(|v| v.viewer_id)).await?;
    let titles: HashMap<i64, String> = portfolio_item::Entity::find()
        .filter(
            portfolio_item::Column::Id
                .is_in(views.iter().filter_map(|v| v.item_id).collect::<Vec<_>>()),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|i| (i.id, i.title))
        .collect();
    let views = views
        .into_iter()
        .map(|v| ViewRow {
            viewer: v
                .viewer_id
                .and_then(|id| viewers.get(&id).cloned())
                .unwrap_or_else(|| LINK_VISITOR.to_owned()),
            what: match v.item_id {
                None => "Opened the shared portfolio".to_owned(),
                Some(id) => format!(
                    "Downloaded a file of “{}”",
                    titles.get(&id).cloned().unwrap_or_default()
                ),
            },
            viewed_at: v.viewed_at,
        })
        .collect();
    let row = rows_of(db, vec![share])
        .await?
        .pop()
        .ok_or_else(|| AppError::internal("share row", "missing"))?;
    Ok(ShareDetail {
        row,
        items,
        views: Page {
            items: views,
            total,
            page,
            per_page: PER_PAGE,
        },
    })
}

fn in_force() -> Condition {
    Condition::all()
        .add(portfolio_share::Column::RevokedAt.is_null())
        .add(
            Condition::any()
                .add(portfolio_share::Column::ExpiresAt.is_null())
                .add(portfolio_share::Column::ExpiresAt.gt(Utc::now())),
        )
}

/// One page of the portfolios shared with partner `partner_id` that are in force.
pub async fn shared_with<C: ConnectionTrait>(
    db: &C,
    partner_id: i64,
    page: u64,
) -> Result<Page<SharedRow>, AppError> {
    let select = portfolio_share::Entity::find()
        .filter(portfolio_share::Column::Kind.eq(ShareKind::Partner.as_str()))
        .filter(portfolio_share::Column::PartnerId.eq(partner_id))
        .filter(in_force())
        .order_by_desc(portfolio_share::Column::CreatedAt)
        .order_by_desc(portfolio_share::Column::Id);
    let (rows, total, page) = page_of(db, select, page).await?;
    let counts = item_counts(db, &rows).await?;
    let learners: HashMap<i64, String> = learner::Entity::find()
        .filter(learner::Column::Id.is_in(rows.iter().map(|r| r.learner_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|l| (l.id, name_of(&l)))
        .collect();
    Ok(Page {
        items: rows
            .into_iter()
            .map(|s| SharedRow {
                share_id: s.id,
                learner_name: learners.get(&s.learner_id).cloned().unwrap_or_default(),
                label: s.label,
                item_count: counts.get(&s.id).copied().unwrap_or(0),
                expires_on: s.expires_at.map(last_day),
                created_at: s.created_at,
            })
            .collect(),
        total,
        page,
        per_page: PER_PAGE,
    })
}

/// Share `share_id` if it is with partner `user` and in force; 404 otherwise (whether it
/// exists, was revoked, expired or is someone else's).
pub async fn partner_share<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    share_id: i64,
) -> Result<portfolio_share::Model, AppError> {
    if !user.has(Role::Partner) {
        return Err(AppError::NotFound);
    }
    portfolio_share::Entity::find_by_id(share_id)
        .filter(portfolio_share::Column::Kind.eq(ShareKind::Partner.as_str()))
        .filter(portfolio_share::Column::PartnerId.eq(user.id))
        .filter(in_force())
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// What a link token opens.
pub enum LinkState {
    /// In force.
    Open(portfolio_share::Model),
    /// Past its last day.
    Expired(portfolio_share::Model),
}

/// The link share of `token`: 404 for an unknown or revoked link (including a well-formed
/// guess), the share when open or expired.
pub async fn link_share<C: ConnectionTrait>(db: &C, token: &str) -> Result<LinkState, AppError> {
    let token = token.trim();
    if token.is_empty() || token.len() > 128 {
        return Err(AppError::NotFound);
    }
    let share = portfolio_share::Entity::find()
        .filter(portfolio_share::Column::TokenHash.eq(hash_token(token)))
        .filter(portfolio_share::Column::Kind.eq(ShareKind::Link.as_str()))
        .filter(portfolio_share::Column::RevokedAt.is_null())
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(match status_of(&share, Utc::now()) {
        ShareStatus::Active => LinkState::Open(share),
        _ => LinkState::Expired(share),
    })
}

/// The learner a share belongs to.
pub async fn learner_of<C: ConnectionTrait>(
    db: &C,
    share: &portfolio_share::Model,
) -> Result<learner::Model, AppError> {
    learner::Entity::find_by_id(share.learner_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// A page of what a share shows, whole items (set-based), for its partner or link visitor.
pub async fn shared_view<C: ConnectionTrait>(
    db: &C,
    share: &portfolio_share::Model,
    page: u64,
) -> Result<SharedView, AppError> {
    let learner = learner_of(db, share).await?;
    let select = shown_items(share)
        .order_by_desc(portfolio_item::Column::UpdatedAt)
        .order_by_desc(portfolio_item::Column::Id);
    let (rows, total, page) = page_of(db, select, page).await?;
    let mut items = portfolio::views(db, rows).await?;
    // Acceptances name educators and enrolments: the record stays with the provider.
    for item in &mut items {
        item.acceptances.clear();
    }
    Ok(SharedView {
        share_id: share.id,
        learner_name: name_of(&learner),
        label: share.label.clone(),
        expires_on: share.expires_at.map(last_day),
        items: Page {
            items,
            total,
            page,
            per_page: PER_PAGE,
        },
    })
}

/// Appends a view of `share` (its list when `item_id` is `None`, else a file of that item)
/// by `viewer_id` (`None`: a link visitor).
pub async fn log_view<C: ConnectionTrait>(
    db: &C,
    share: &portfolio_share::Model,
    viewer_id: Option<i64>,
    item_id: Option<i64>,
) -> Result<(), AppError> {
    portfolio_share_view::Entity::insert(portfolio_share_view::ActiveModel {
        id: NotSet,
        share_id: Set(share.id),
        learner_id: Set(share.learner_id),
        viewer_id: Set(viewer_id),
        item_id: Set(item_id),
        viewed_at: Set(Utc::now()),
    })
    .exec(db)
    .await?;
    Ok(())
}

/// File `file_id` if `share` shows its item now; 404 otherwise.
pub async fn shared_file<C: ConnectionTrait>(
    db: &C,
    share: &portfolio_share::Model,
    file_id: i64,
) -> Result<(portfolio_file::Model, stored_file::Model), AppError> {
    let (f, stored) = portfolio::file(db, file_id).await?;
    if f.learner_id != share.learner_id {
        return Err(AppError::NotFound);
    }
    let shown = shown_items(share)
        .filter(portfolio_item::Column::Id.eq(f.item_id))
        .one(db)
        .await?
        .is_some();
    if !shown {
        return Err(AppError::NotFound);
    }
    Ok((f, stored))
}
