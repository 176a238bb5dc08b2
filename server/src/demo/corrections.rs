//! Demo correction requests: two open (one past the 30-day answer deadline, so "overdue"
//! shows) and one rejected with its reason.

use app::error::AppError;
use app::server::entities::{account, correction_request, learner};
use chrono::{Duration, Utc};
use sea_orm::{
    ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};

/// Adds the demo requests to the demo learners (by family name).
pub async fn seed<C: ConnectionTrait>(db: &C) -> Result<(), AppError> {
    let admin = account::Entity::find()
        .filter(account::Column::Email.eq("admin@demo.trackrecord.test"))
        .one(db)
        .await?
        .map(|a| a.id);
    let now = Utc::now();
    let requests = [
        (
            "Rahman",
            "preferred_name",
            "Aish",
            "Everyone at work and college calls me Aish.",
            35,
            None,
        ),
        (
            "Tan",
            "address_street",
            "12 Hopkins Street",
            "I moved in January; the street is missing from my address.",
            3,
            None,
        ),
        (
            "O'Connor",
            "given_name",
            "William",
            "Liam is short for William, which is on my passport.",
            20,
            Some(
                "Your enrolment form and your USI record both say Liam. Bring your passport to the office and we will correct both together.",
            ),
        ),
    ];
    for (family, field, value, reason, days_ago, rejected) in requests {
        let Some(l) = learner::Entity::find()
            .filter(learner::Column::FamilyName.eq(family))
            .one(db)
            .await?
        else {
            continue;
        };
        let current = app::server::services::corrections::value_of(&l, field);
        let filed = now - Duration::days(days_ago);
        correction_request::Entity::insert(correction_request::ActiveModel {
            id: NotSet,
            learner_id: Set(l.id),
            field: Set(field.into()),
            current_value: Set(current),
            requested_value: Set(value.into()),
            reason: Set(reason.into()),
            status: Set(if rejected.is_some() {
                "rejected"
            } else {
                "open"
            }
            .into()),
            created_by: Set(l.account_id),
            created_at: Set(filed),
            decided_by: Set(rejected.and(admin)),
            decided_at: Set(rejected.map(|_| filed + Duration::days(4))),
            decision_reason: Set(rejected.map(str::to_owned)),
        })
        .exec(db)
        .await?;
    }
    Ok(())
}
