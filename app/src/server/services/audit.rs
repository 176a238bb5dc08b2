//! The append-only security and access logs: writing and browsing.

use chrono::{NaiveDate, NaiveTime, Utc};
use sea_orm::sea_query::ExprTrait as _;
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use crate::error::AppError;
use crate::models::{AccessEvent, LogFilter, PER_PAGE, Page, SecurityEvent};
use crate::server::auth::Caller;
use crate::server::entities::{access_log, account, learner, security_log};

/// What one security event says.
pub struct SecurityEntry<'a> {
    /// One of [`crate::models::SECURITY_EVENTS`].
    pub event: &'static str,
    /// Who did it.
    pub actor_id: Option<i64>,
    /// Whose account it concerns.
    pub subject_id: Option<i64>,
    /// The email typed, for sign-in events.
    pub email: Option<&'a str>,
    /// More detail.
    pub detail: String,
}

/// Appends a security event.
pub async fn security<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    entry: SecurityEntry<'_>,
) -> Result<(), AppError> {
    security_log::Entity::insert(security_log::ActiveModel {
        id: NotSet,
        at: Set(Utc::now()),
        event: Set(entry.event.to_owned()),
        actor_id: Set(entry.actor_id),
        subject_id: Set(entry.subject_id),
        email: Set(entry.email.map(str::to_owned)),
        ip: Set(caller.ip.clone()),
        detail: Set(entry.detail),
    })
    .exec(db)
    .await?;
    Ok(())
}

/// Appends an access event: `actor_id` did `action` on learner `learner_id`'s record.
pub async fn access<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    actor_id: i64,
    learner_id: i64,
    action: &str,
) -> Result<(), AppError> {
    access_log::Entity::insert(access_log::ActiveModel {
        id: NotSet,
        at: Set(Utc::now()),
        actor_id: Set(actor_id),
        learner_id: Set(learner_id),
        action: Set(action.to_owned()),
        ip: Set(caller.ip.clone()),
    })
    .exec(db)
    .await?;
    Ok(())
}

fn parse_day(text: &str, field: &str) -> Result<Option<NaiveDate>, AppError> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map(Some)
        .map_err(|_| AppError::field(field, "Enter a date like 2026-12-31."))
}

/// A time range `[from, to)`, either end open.
type Range = (Option<chrono::DateTime<Utc>>, Option<chrono::DateTime<Utc>>);

/// The date range of a filter as UTC instants `[from, to_exclusive)`.
fn range(filter: &LogFilter) -> Result<Range, AppError> {
    let from = parse_day(&filter.from, "from")?;
    let to = parse_day(&filter.to, "to")?;
    if let (Some(f), Some(t)) = (from, to)
        && f > t
    {
        return Err(AppError::field(
            "to",
            "The end date is before the start date.",
        ));
    }
    Ok((
        from.map(|d| d.and_time(NaiveTime::MIN).and_utc()),
        to.and_then(|d| d.succ_opt())
            .map(|d| d.and_time(NaiveTime::MIN).and_utc()),
    ))
}

async fn account_ids_matching<C: ConnectionTrait>(
    db: &C,
    text: &str,
) -> Result<Vec<i64>, AppError> {
    Ok(account::Entity::find()
        .select_only()
        .column(account::Column::Id)
        .filter(account::Column::Email.contains(text.trim().to_lowercase()))
        .limit(500)
        .into_tuple()
        .all(db)
        .await?)
}

async fn emails<C: ConnectionTrait>(
    db: &C,
    ids: Vec<i64>,
) -> Result<std::collections::HashMap<i64, String>, AppError> {
    if ids.is_empty() {
        return Ok(Default::default());
    }
    Ok(account::Entity::find()
        .filter(account::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.email))
        .collect())
}

/// One page of the security log, newest first.
pub async fn list_security<C: ConnectionTrait>(
    db: &C,
    filter: &LogFilter,
    page: u64,
) -> Result<Page<SecurityEvent>, AppError> {
    let (from, to) = range(filter)?;
    let mut q = security_log::Entity::find();
    if !filter.kind.is_empty() {
        q = q.filter(security_log::Column::Event.eq(filter.kind.clone()));
    }
    if !filter.actor.trim().is_empty() {
        let ids = account_ids_matching(db, &filter.actor).await?;
        q = q.filter(
            security_log::Column::ActorId
                .is_in(ids.clone())
                .or(security_log::Column::SubjectId.is_in(ids))
                .or(security_log::Column::Email.contains(filter.actor.trim().to_lowercase())),
        );
    }
    if let Some(from) = from {
        q = q.filter(security_log::Column::At.gte(from));
    }
    if let Some(to) = to {
        q = q.filter(security_log::Column::At.lt(to));
    }
    let (fetched, total, page) =
        super::page_of(db, q.order_by_desc(security_log::Column::Id), page).await?;
    let rows = fetched;
    let ids = rows
        .iter()
        .flat_map(|r| [r.actor_id, r.subject_id])
        .flatten()
        .collect();
    let names = emails(db, ids).await?;
    let items = rows
        .into_iter()
        .map(|r| SecurityEvent {
            id: r.id,
            at: r.at,
            event: r.event,
            actor: r.actor_id.and_then(|id| names.get(&id).cloned()),
            subject: r.subject_id.and_then(|id| names.get(&id).cloned()),
            email: r.email,
            ip: r.ip,
            detail: r.detail,
        })
        .collect();
    Ok(Page {
        items,
        total,
        page,
        per_page: PER_PAGE,
    })
}

/// One page of the access log, newest first.
pub async fn list_access<C: ConnectionTrait>(
    db: &C,
    filter: &LogFilter,
    page: u64,
) -> Result<Page<AccessEvent>, AppError> {
    let (from, to) = range(filter)?;
    let mut q = access_log::Entity::find();
    if !filter.kind.is_empty() {
        q = q.filter(access_log::Column::Action.eq(filter.kind.clone()));
    }
    if !filter.actor.trim().is_empty() {
        q = q.filter(
            access_log::Column::ActorId.is_in(account_ids_matching(db, &filter.actor).await?),
        );
    }
    if let Some(from) = from {
        q = q.filter(access_log::Column::At.gte(from));
    }
    if let Some(to) = to {
        q = q.filter(access_log::Column::At.lt(to));
    }
    let (fetched, total, page) =
        super::page_of(db, q.order_by_desc(access_log::Column::Id), page).await?;
    let rows = fetched;
    let names = emails(db, rows.iter().map(|r| r.actor_id).collect()).await?;
    let learner_ids: Vec<i64> = rows.iter().map(|r| r.learner_id).collect();
    let learners: std::collections::HashMap<i64, String> = learner::Entity::find()
        .filter(learner::Column::Id.is_in(learner_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|l| (l.id, format!("{} {}", l.given_name, l.family_name)))
        .collect();
    let items = rows
        .into_iter()
        .map(|r| AccessEvent {
            id: r.id,
            at: r.at,
            actor: names.get(&r.actor_id).cloned().unwrap_or_default(),
            learner_id: r.learner_id,
            learner_name: learners.get(&r.learner_id).cloned().unwrap_or_default(),
            action: r.action,
            ip: r.ip,
        })
        .collect();
    Ok(Page {
        items,
        total,
        page,
        per_page: PER_PAGE,
    })
}
