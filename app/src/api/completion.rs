//! Completion: the completion section of a learner's record, issuing and reissuing
//! certificates (administrative staff only), the certification register and its
//! "awaiting issue" list, certificates with their transcripts, and follow-up.
//!
//! Who may do what: a certificate is read by its learner, administrative staff, auditors
//! and the educators of its course; partners and everyone else are told it does not exist.
//! The register is read by administrative staff and auditors (all) and educators (their
//! courses). Follow-ups are recorded by the learner, administrative staff and the learner's
//! educators; read by them and auditors.

use leptos::prelude::*;

use crate::error::AppError;
use crate::models::Page;
use crate::models::completion::{
    AwaitingRow, CertificateDetail, CertificateRow, FollowUpForm, FollowUpRow, IssueForm,
    LearnerCompletion, ReissueForm,
};

#[cfg(feature = "ssr")]
use crate::{
    domain::Role,
    models::CurrentUser,
    models::completion::{CertificateKind, CertificateStatus},
    server::{
        ctx::{require_role, require_user, respond, state},
        db::begin_write,
        entities::learner,
        policy::{Access, learner_access},
        services::{audit, completion},
    },
};
#[cfg(feature = "ssr")]
use sea_orm::EntityTrait;

/// The learner's record as completion reads it: 404 for whoever may not read the record,
/// and for partners (they see only what a learner shares, and certificates are not shared).
/// Returns the learner, whether it is the caller's own, and whether the caller may write.
#[cfg(feature = "ssr")]
async fn readable<C: sea_orm::ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    learner_id: i64,
) -> Result<(learner::Model, bool, bool), AppError> {
    let l = learner_access(db, user, learner_id, Access::Read).await?;
    let own = l.account_id == Some(user.id);
    let writes = learner_access(db, user, learner_id, Access::Write)
        .await
        .is_ok();
    if !(own || writes || user.has(Role::Auditor)) {
        return Err(AppError::NotFound);
    }
    Ok((l, own, writes))
}

/// The completion section: per enrolment, what the units earn and the certificates issued.
#[server(endpoint = "completion/learner")]
pub async fn get_completion(learner_id: i64) -> Result<LearnerCompletion, AppError> {
    respond(async move {
        let (user, caller) = require_user()?;
        let db = state()?.db;
        let (l, own, writes) = readable(&db, &user, learner_id).await?;
        if !own {
            audit::access(&db, &caller, user.id, l.id, "view_completion").await?;
        }
        completion::for_learner(&db, &user, &l, own || writes).await
    })
    .await
}

/// Issues the qualification or a statement of attainment for an enrolment (administrative
/// staff), checking the completion rules. Lands on the new certificate.
#[server(endpoint = "completion/issue")]
pub async fn issue_certificate(enrolment_id: i64, form: IssueForm) -> Result<i64, AppError> {
    respond(async move {
        let (_, caller) = require_role(&[Role::Admin])?;
        let issue = form.validate().map_err(AppError::Validation)?;
        let db = state()?.db;
        let txn = begin_write(&db).await?;
        let id = completion::issue(&txn, &caller, enrolment_id, &issue).await?;
        txn.commit().await?;
        leptos_axum::redirect(&format!("/certificates/{id}?issued=1"));
        Ok(id)
    })
    .await
}

/// Reissues a current certificate with a reason (administrative staff); the original is
/// kept, marked replaced. Lands on the new certificate.
#[server(endpoint = "completion/reissue")]
pub async fn reissue_certificate(id: i64, form: ReissueForm) -> Result<i64, AppError> {
    respond(async move {
        let (_, caller) = require_role(&[Role::Admin])?;
        let reissue = form.validate().map_err(AppError::Validation)?;
        let db = state()?.db;
        let txn = begin_write(&db).await?;
        let new_id = completion::reissue(&txn, &caller, id, &reissue).await?;
        txn.commit().await?;
        leptos_axum::redirect(&format!("/certificates/{new_id}?reissued=1"));
        Ok(new_id)
    })
    .await
}

/// One certificate with its units (the certificate, print and transcript pages).
#[server(endpoint = "completion/certificate")]
pub async fn get_certificate(id: i64) -> Result<CertificateDetail, AppError> {
    respond(async move {
        let (user, caller) = require_user()?;
        let db = state()?.db;
        let cert = completion::find(&db, id).await?;
        completion::may_read(&db, &user, &cert).await?;
        if user.learner_id != Some(cert.learner_id) {
            let own = learner::Entity::find_by_id(cert.learner_id)
                .one(&db)
                .await
                .map_err(AppError::from)?
                .is_some_and(|l| l.account_id == Some(user.id));
            if !own {
                audit::access(&db, &caller, user.id, cert.learner_id, "view_certificate").await?;
            }
        }
        completion::detail(&db, &user, cert).await
    })
    .await
}

/// The certification register: search by number or learner name, filter by kind and status.
#[server(endpoint = "completion/register")]
pub async fn list_certificates(
    #[server(default)] q: String,
    #[server(default)] kind: String,
    #[server(default)] status: String,
    #[server(default)] page: u64,
) -> Result<Page<CertificateRow>, AppError> {
    respond(async move {
        let (user, _) = require_user()?;
        let db = state()?.db;
        let scope = completion::register_scope(&db, &user).await?;
        completion::register(
            &db,
            scope,
            &q,
            CertificateKind::parse(&kind),
            CertificateStatus::parse(&status),
            page,
        )
        .await
    })
    .await
}

/// Enrolments eligible for the qualification without a current certificate, longest
/// waiting first, flagged after 30 days.
#[server(endpoint = "completion/awaiting")]
pub async fn awaiting_issue(#[server(default)] page: u64) -> Result<Page<AwaitingRow>, AppError> {
    respond(async move {
        let (user, _) = require_user()?;
        let db = state()?.db;
        let scope = completion::register_scope(&db, &user).await?;
        completion::awaiting(&db, scope, chrono::Utc::now().date_naive(), page).await
    })
    .await
}

/// A learner's follow-ups (employment, further study), newest first.
#[server(endpoint = "completion/follow_ups")]
pub async fn learner_follow_ups(
    learner_id: i64,
    #[server(default)] page: u64,
) -> Result<Page<FollowUpRow>, AppError> {
    respond(async move {
        let (user, caller) = require_user()?;
        let db = state()?.db;
        let (l, own, _) = readable(&db, &user, learner_id).await?;
        if !own {
            audit::access(&db, &caller, user.id, l.id, "view_follow_ups").await?;
        }
        completion::follow_ups(&db, l.id, page).await
    })
    .await
}

/// Records where a learner is now: by the learner ("Where are you now?"), administrative
/// staff or the learner's educators.
#[server(endpoint = "completion/follow_up")]
pub async fn record_follow_up(learner_id: i64, form: FollowUpForm) -> Result<i64, AppError> {
    respond(async move {
        let (user, caller) = require_user()?;
        let db = state()?.db;
        let txn = begin_write(&db).await?;
        let (l, own, writes) = readable(&txn, &user, learner_id).await?;
        if !(own || writes) {
            return Err(AppError::Forbidden);
        }
        let follow_up = form.validate().map_err(AppError::Validation)?;
        let id = completion::record_follow_up(&txn, &caller, &l, &follow_up).await?;
        txn.commit().await?;
        leptos_axum::redirect(&format!("/learners/{learner_id}?followed_up=1"));
        Ok(id)
    })
    .await
}
