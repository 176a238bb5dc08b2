//! The learner record's sections (background, pre-training assessment, consent, needs):
//! one typed value per learner and section, versioned, with history on every save.

use chrono::Utc;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, sea_query::Expr,
};
use serde::{Serialize, de::DeserializeOwned};

use super::history::{self, Change};
use crate::error::AppError;
use crate::models::record::{RecordSections, Versioned};
use crate::server::auth::Caller;
use crate::server::entities::{account, learner_section};

/// The sections, by the name they are stored and recorded in history under.
pub const BACKGROUND: &str = "background";
/// Pre-training assessment.
pub const PRE_TRAINING: &str = "pre_training";
/// Privacy and consent.
pub const CONSENT: &str = "consent";
/// Needs and accommodations.
pub const NEEDS: &str = "needs";

/// Saves one section. `version` is the one the editor saw (0: there was none yet); if the
/// section moved on since, nothing is saved and the answer says who changed what.
/// Returns the new version.
pub async fn save<C: ConnectionTrait, T: Serialize + DeserializeOwned>(
    db: &C,
    caller: &Caller,
    learner_id: i64,
    section: &'static str,
    version: i64,
    value: &T,
    reason: Option<&str>,
) -> Result<i64, AppError> {
    let current = learner_section::Entity::find_by_id((learner_id, section.to_owned()))
        .one(db)
        .await?;
    let seen = current.as_ref().map_or(0, |c| c.version);
    if seen != version {
        return Err(history::conflict(db, section, learner_id, version).await?);
    }
    let data = serde_json::to_string(value).map_err(|e| AppError::internal("section json", e))?;
    let before: Option<T> = current
        .as_ref()
        .and_then(|c| serde_json::from_str(&c.data).ok());
    let next = version + 1;
    let now = Utc::now();
    let who = caller.user.as_ref().map(|u| u.id);
    if current.is_some() {
        let res = learner_section::Entity::update_many()
            .col_expr(learner_section::Column::Data, Expr::value(data))
            .col_expr(learner_section::Column::Version, Expr::value(next))
            .col_expr(learner_section::Column::UpdatedAt, Expr::value(now))
            .col_expr(learner_section::Column::UpdatedBy, Expr::value(who))
            .filter(learner_section::Column::LearnerId.eq(learner_id))
            .filter(learner_section::Column::Section.eq(section))
            .filter(learner_section::Column::Version.eq(version))
            .exec(db)
            .await?;
        if res.rows_affected != 1 {
            return Err(history::conflict(db, section, learner_id, version).await?);
        }
    } else {
        learner_section::Entity::insert(learner_section::ActiveModel {
            learner_id: Set(learner_id),
            section: Set(section.to_owned()),
            data: Set(data),
            version: Set(next),
            updated_at: Set(now),
            updated_by: Set(who),
        })
        .exec(db)
        .await?;
    }
    history::record(
        db,
        caller,
        Change {
            entity: section,
            entity_id: learner_id,
            learner_id: Some(learner_id),
            action: if current.is_some() {
                "update"
            } else {
                "create"
            },
            reason: reason.map(str::trim).filter(|r| !r.is_empty()),
            before: before.as_ref(),
            after: Some(value),
            version: Some(next),
        },
    )
    .await?;
    Ok(next)
}

/// The sections of one learner's record. `needs_visible`: whether the caller may see
/// needs and accommodations (admin staff, the learner's educators, the learner).
pub async fn of_learner<C: ConnectionTrait>(
    db: &C,
    learner_id: i64,
    needs_visible: bool,
    can_edit: bool,
) -> Result<RecordSections, AppError> {
    let rows = learner_section::Entity::find()
        .filter(learner_section::Column::LearnerId.eq(learner_id))
        .all(db)
        .await?;
    let editors: std::collections::HashMap<i64, String> = account::Entity::find()
        .filter(account::Column::Id.is_in(rows.iter().filter_map(|r| r.updated_by)))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.display_name))
        .collect();
    let pick = |name: &str| rows.iter().find(|r| r.section == name);
    fn versioned<T: DeserializeOwned>(
        row: Option<&learner_section::Model>,
        editors: &std::collections::HashMap<i64, String>,
    ) -> Option<Versioned<T>> {
        let row = row?;
        Some(Versioned {
            value: serde_json::from_str(&row.data).ok()?,
            version: row.version,
            updated: Some(format!(
                "{} by {}",
                row.updated_at.format("%Y-%m-%d %H:%M UTC"),
                row.updated_by
                    .and_then(|id| editors.get(&id).cloned())
                    .unwrap_or_else(|| "the system".into())
            )),
        })
    }
    Ok(RecordSections {
        background: versioned(pick(BACKGROUND), &editors),
        pre_training: versioned(pick(PRE_TRAINING), &editors),
        consent: versioned(pick(CONSENT), &editors),
        needs: if needs_visible {
            versioned(pick(NEEDS), &editors)
        } else {
            None
        },
        needs_visible,
        can_edit,
    })
}
