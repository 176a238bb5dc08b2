//! The learner's own edits (contact details) and correction requests: filing, listing,
//! deciding. Accepting applies the change through the profile's validation and update
//! path ([`learners::update`]), so it gets the same checks, conflict detection and history.

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::sea_query::{Expr, Order};
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};
use serde::Serialize;

use super::history::{self, Change};
use super::learners;
use crate::domain::Role;
use crate::error::{AppError, FieldErrors};
use crate::models::correction::{
    ContactForm, Correction, CorrectionDetail, CorrectionRow, FIELDS, FieldValue, OwnRecord,
    field_label, is_overdue, profile_field_mut, status_label,
};
use crate::models::profile::ProfileForm;
use crate::models::{CurrentUser, PER_PAGE, Page};
use crate::server::auth::Caller;
use crate::server::entities::{account, correction_request as request, learner};

/// What the caller wants to do with correction requests about a learner.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Use {
    /// See requests and decisions: the learner, administrative staff, auditors.
    Read,
    /// File a request: the learner only.
    File,
    /// Accept or reject: administrative staff only.
    Decide,
    /// Update contact details: the learner and administrative staff. Checked after the
    /// record policy ([`crate::server::policy::learner_access`]), so it only refuses (403).
    Contact,
}

/// Who may do what with a learner's correction requests and contact details. Whoever may
/// not read them is told they do not exist (404); whoever may read but not act, 403.
pub fn allowed(user: &CurrentUser, l: &learner::Model, what: Use) -> Result<(), AppError> {
    let own = l.account_id == Some(user.id);
    let admin = user.has(Role::Admin);
    let read = own || admin || user.has(Role::Auditor);
    let ok = match what {
        Use::Read => read,
        Use::File => own,
        Use::Decide => admin,
        Use::Contact => own || admin,
    };
    // Contact details: the caller already passed the record policy (they may read it).
    let read = read || what == Use::Contact;
    match (read, ok) {
        (_, true) => Ok(()),
        (true, false) => Err(AppError::Forbidden),
        (false, false) => Err(AppError::NotFound),
    }
}

/// The whole list is for administrative staff and auditors; others are told it does not exist.
pub fn may_list(user: &CurrentUser) -> Result<(), AppError> {
    if user.has_any(&[Role::Admin, Role::Auditor]) {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// The learner, or 404.
pub async fn learner_of<C: ConnectionTrait>(db: &C, id: i64) -> Result<learner::Model, AppError> {
    learner::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// The request, or 404.
pub async fn request_of<C: ConnectionTrait>(db: &C, id: i64) -> Result<request::Model, AppError> {
    request::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// The whole profile form of a stored learner (date of birth empty when not recorded).
fn form_of(l: &learner::Model) -> ProfileForm {
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    ProfileForm {
        given_name: l.given_name.clone(),
        family_name: l.family_name.clone(),
        preferred_name: s(&l.preferred_name),
        date_of_birth: l
            .date_of_birth
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
        usi: s(&l.usi),
        email: s(&l.email),
        phone: s(&l.phone),
        address_street: s(&l.address_street),
        address_suburb: s(&l.address_suburb),
        address_state: s(&l.address_state),
        address_postcode: s(&l.address_postcode),
        emergency_name: s(&l.emergency_name),
        emergency_phone: s(&l.emergency_phone),
    }
}

/// A field's value in the stored record.
pub fn value_of(l: &learner::Model, field: &str) -> Option<String> {
    let mut form = form_of(l);
    profile_field_mut(&mut form, field)
        .map(std::mem::take)
        .filter(|v| !v.is_empty())
}

/// The learner's record as their own forms start from it.
pub fn own_record(l: &learner::Model) -> OwnRecord {
    let form = form_of(l);
    let contact = ContactForm {
        email: form.email.clone(),
        phone: form.phone.clone(),
        address_street: form.address_street.clone(),
        address_suburb: form.address_suburb.clone(),
        address_state: form.address_state.clone(),
        address_postcode: form.address_postcode.clone(),
        emergency_name: form.emergency_name.clone(),
        emergency_phone: form.emergency_phone.clone(),
    };
    let fields = FIELDS
        .iter()
        .map(|(field, label)| FieldValue {
            field: (*field).to_owned(),
            label: (*label).to_owned(),
            value: value_of(l, field),
        })
        .collect();
    OwnRecord {
        learner_id: l.id,
        name: format!("{} {}", l.given_name, l.family_name),
        version: l.version,
        contact,
        fields,
    }
}

/// Messages about fields the form does not show, as one message for the whole form.
fn whole_form(errors: FieldErrors, shown: &[&str]) -> AppError {
    if errors.keys().all(|k| shown.contains(&k.as_str())) {
        return AppError::Validation(errors);
    }
    let text = errors
        .iter()
        .map(|(field, messages)| format!("{}: {}", field_label(field), messages.join(" ")))
        .collect::<Vec<_>>()
        .join(" ");
    AppError::field(
        "_form",
        format!("The record needs a correction by staff before this can be saved. {text}"),
    )
}

/// Saves a learner's contact details (identity fields untouched) if the record is still at
/// `version`. History names the caller. Returns the new version.
pub async fn update_contact<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    l: &learner::Model,
    version: i64,
    contact: &ContactForm,
) -> Result<i64, AppError> {
    let mut form = form_of(l);
    contact.apply_to(&mut form);
    let profile = form
        .validate()
        .map_err(|e| whole_form(e, &crate::models::correction::CONTACT_FIELDS))?;
    learners::update(db, caller, l.id, version, &profile, "").await
}

/// What a request's history entries record.
#[derive(Serialize)]
struct RequestState<'a> {
    field: &'a str,
    current_value: Option<&'a str>,
    requested_value: &'a str,
    reason: &'a str,
    status: &'a str,
    decision_reason: Option<&'a str>,
}

fn state_of(r: &request::Model) -> RequestState<'_> {
    RequestState {
        field: &r.field,
        current_value: r.current_value.as_deref(),
        requested_value: &r.requested_value,
        reason: &r.reason,
        status: &r.status,
        decision_reason: r.decision_reason.as_deref(),
    }
}

/// Files a correction request for learner `l` (already authorised), with history.
pub async fn file<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    l: &learner::Model,
    c: &Correction,
) -> Result<i64, AppError> {
    let pending = request::Entity::find()
        .filter(request::Column::LearnerId.eq(l.id))
        .filter(request::Column::Field.eq(c.field.as_str()))
        .filter(request::Column::Status.eq("open"))
        .one(db)
        .await?;
    if let Some(p) = pending {
        return Err(AppError::field(
            "field",
            format!(
                "You already asked to correct this detail (request #{}); it is waiting for a decision.",
                p.id
            ),
        ));
    }
    let current = value_of(l, &c.field);
    if current.as_deref() == Some(c.requested_value.as_str()) {
        return Err(AppError::field(
            "requested_value",
            "Your record already shows this value.",
        ));
    }
    let model = request::Model {
        id: 0,
        learner_id: l.id,
        field: c.field.clone(),
        current_value: current,
        requested_value: c.requested_value.clone(),
        reason: c.reason.clone(),
        status: "open".into(),
        created_by: caller.user.as_ref().map(|u| u.id),
        created_at: Utc::now(),
        decided_by: None,
        decided_at: None,
        decision_reason: None,
    };
    let id = request::Entity::insert(request::ActiveModel {
        id: NotSet,
        learner_id: Set(model.learner_id),
        field: Set(model.field.clone()),
        current_value: Set(model.current_value.clone()),
        requested_value: Set(model.requested_value.clone()),
        reason: Set(model.reason.clone()),
        status: Set(model.status.clone()),
        created_by: Set(model.created_by),
        created_at: Set(model.created_at),
        decided_by: Set(None),
        decided_at: Set(None),
        decision_reason: Set(None),
    })
    .exec(db)
    .await?
    .last_insert_id;
    history::record(
        db,
        caller,
        Change {
            entity: "correction_request",
            entity_id: id,
            learner_id: Some(l.id),
            action: "create",
            reason: None,
            before: None,
            after: Some(&state_of(&model)),
            version: None,
        },
    )
    .await?;
    Ok(id)
}

/// Marks an open request decided; a request decided meanwhile is a conflict.
async fn decide<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    r: &request::Model,
    status: &'static str,
    decision_reason: Option<String>,
) -> Result<(), AppError> {
    let now = Utc::now();
    let res = request::Entity::update_many()
        .col_expr(request::Column::Status, Expr::value(status))
        .col_expr(
            request::Column::DecidedBy,
            Expr::value(caller.user.as_ref().map(|u| u.id)),
        )
        .col_expr(request::Column::DecidedAt, Expr::value(Some(now)))
        .col_expr(
            request::Column::DecisionReason,
            Expr::value(decision_reason.clone()),
        )
        .filter(request::Column::Id.eq(r.id))
        .filter(request::Column::Status.eq("open"))
        .exec(db)
        .await?;
    if res.rows_affected != 1 {
        return Err(already_decided(db, r.id).await);
    }
    let after = request::Model {
        status: status.to_owned(),
        decided_by: caller.user.as_ref().map(|u| u.id),
        decided_at: Some(now),
        decision_reason,
        ..r.clone()
    };
    history::record(
        db,
        caller,
        Change {
            entity: "correction_request",
            entity_id: r.id,
            learner_id: Some(r.learner_id),
            action: "update",
            reason: after.decision_reason.as_deref(),
            before: Some(&state_of(r)),
            after: Some(&state_of(&after)),
            version: None,
        },
    )
    .await
}

async fn already_decided<C: ConnectionTrait>(db: &C, id: i64) -> AppError {
    let (status, who) = match request_of(db, id).await {
        Ok(r) => {
            let who = match r.decided_by {
                Some(a) => account::Entity::find_by_id(a)
                    .one(db)
                    .await
                    .ok()
                    .flatten()
                    .map(|a| a.display_name),
                None => None,
            };
            (r.status, who)
        }
        Err(_) => ("decided".into(), None),
    };
    AppError::Conflict(format!(
        "This request was already {} by {}. Nothing was changed.",
        status_label(&status).to_lowercase(),
        who.unwrap_or_else(|| "someone else".into())
    ))
}

/// Accepts request `id`: applies the requested value to the record (which must still be at
/// `version`, the one the decider saw), with history on the record and on the request.
pub async fn accept<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    id: i64,
    version: i64,
) -> Result<i64, AppError> {
    let r = request_of(db, id).await?;
    if r.status != "open" {
        return Err(already_decided(db, id).await);
    }
    let l = learner_of(db, r.learner_id).await?;
    let mut form = form_of(&l);
    match profile_field_mut(&mut form, &r.field) {
        Some(slot) => *slot = r.requested_value.clone(),
        None => {
            return Err(AppError::field(
                "_form",
                "This request names a detail the record does not have; reject it instead.",
            ));
        }
    }
    let profile = form.validate().map_err(|e| whole_form(e, &[]))?;
    let reason = format!("Correction request #{}: {}", r.id, r.reason);
    let next = learners::update(db, caller, l.id, version, &profile, &reason)
        .await
        .map_err(|e| match e {
            AppError::Validation(errors) => whole_form(errors, &[]),
            other => other,
        })?;
    decide(db, caller, &r, "accepted", None).await?;
    Ok(next)
}

/// Rejects request `id` with a reason the learner will see.
pub async fn reject<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    id: i64,
    reason: String,
) -> Result<(), AppError> {
    let r = request_of(db, id).await?;
    if r.status != "open" {
        return Err(already_decided(db, id).await);
    }
    decide(db, caller, &r, "rejected", Some(reason)).await
}

async fn rows<C: ConnectionTrait>(
    db: &C,
    fetched: Vec<request::Model>,
) -> Result<Vec<CorrectionRow>, AppError> {
    let ids: Vec<i64> = fetched.iter().map(|r| r.learner_id).collect();
    let names: HashMap<i64, String> = learner::Entity::find()
        .filter(learner::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|l| (l.id, format!("{} {}", l.given_name, l.family_name)))
        .collect();
    let now = Utc::now();
    Ok(fetched
        .into_iter()
        .map(|r| {
            let age_days = (now - r.created_at).num_days().max(0);
            CorrectionRow {
                id: r.id,
                learner_id: r.learner_id,
                learner_name: names.get(&r.learner_id).cloned().unwrap_or_default(),
                overdue: is_overdue(&r.status, age_days),
                age_days,
                field: r.field,
                current_value: r.current_value,
                requested_value: r.requested_value,
                reason: r.reason,
                status: r.status,
                created_at: r.created_at,
                decided_at: r.decided_at,
                decision_reason: r.decision_reason,
            }
        })
        .collect())
}

/// One page of every request, open ones first, oldest first; `status` filters when given.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    status: &str,
    page: u64,
) -> Result<Page<CorrectionRow>, AppError> {
    let mut q = request::Entity::find();
    if ["open", "accepted", "rejected"].contains(&status) {
        q = q.filter(request::Column::Status.eq(status));
    }
    let q = q
        .order_by(
            Expr::cust("CASE WHEN status = 'open' THEN 0 ELSE 1 END"),
            Order::Asc,
        )
        .order_by_asc(request::Column::CreatedAt)
        .order_by_asc(request::Column::Id);
    let (fetched, total, page) = super::page_of(db, q, page).await?;
    Ok(Page {
        items: rows(db, fetched).await?,
        total,
        page,
        per_page: PER_PAGE,
    })
}

/// One page of a learner's requests, newest first.
pub async fn for_learner<C: ConnectionTrait>(
    db: &C,
    learner_id: i64,
    page: u64,
) -> Result<Page<CorrectionRow>, AppError> {
    let q = request::Entity::find()
        .filter(request::Column::LearnerId.eq(learner_id))
        .order_by_desc(request::Column::CreatedAt)
        .order_by_desc(request::Column::Id);
    let (fetched, total, page) = super::page_of(db, q, page).await?;
    Ok(Page {
        items: rows(db, fetched).await?,
        total,
        page,
        per_page: PER_PAGE,
    })
}

/// How many requests wait for a decision, and how many of them are overdue.
pub async fn open_count<C: ConnectionTrait>(db: &C) -> Result<(u64, u64), AppError> {
    let open = request::Entity::find()
        .filter(request::Column::Status.eq("open"))
        .count(db)
        .await?;
    let due =
        Utc::now() - chrono::Duration::days(crate::models::correction::ANSWER_WITHIN_DAYS + 1);
    let overdue = request::Entity::find()
        .filter(request::Column::Status.eq("open"))
        .filter(request::Column::CreatedAt.lte(due))
        .count(db)
        .await?;
    Ok((open, overdue))
}

/// A request in full, for a caller already authorised to read it.
pub async fn detail<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    r: request::Model,
    l: &learner::Model,
) -> Result<CorrectionDetail, AppError> {
    let names: HashMap<i64, String> = account::Entity::find()
        .filter(account::Column::Id.is_in(r.created_by.into_iter().chain(r.decided_by)))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.display_name))
        .collect();
    let filed_by = r.created_by.and_then(|id| names.get(&id).cloned());
    let decided_by = r.decided_by.and_then(|id| names.get(&id).cloned());
    let value_now = value_of(l, &r.field);
    let can_decide = r.status == "open" && allowed(user, l, Use::Decide).is_ok();
    let row = rows(db, vec![r])
        .await?
        .pop()
        .ok_or_else(|| AppError::internal("correction detail", "row vanished"))?;
    Ok(CorrectionDetail {
        row,
        value_now,
        learner_version: l.version,
        filed_by,
        decided_by,
        can_decide,
    })
}
