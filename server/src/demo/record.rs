//! Demo data for the record's sections: background, pre-training assessment, consent,
//! needs, and a few enrolments that were deferred or withdrawn.

use app::error::AppError;
use app::models::record::{BackgroundForm, ConsentForm, NeedsForm, PreTrainingForm, StatusForm};
use app::server::auth::Caller;
use app::server::services::{enrolments, sections};
use sea_orm::ConnectionTrait;

/// Fills the sections of the demo learners: `(learner_id, enrolment_id)` in creation order.
pub async fn seed<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    learners: &[(i64, i64)],
) -> Result<(), AppError> {
    let levels = ["12", "12", "11", "10", "12", "09"];
    for (i, (learner_id, enrolment_id)) in learners.iter().copied().enumerate() {
        let background = BackgroundForm {
            school_level: levels[i % levels.len()].into(),
            school_year: (2010 + i % 14).to_string(),
            prior_qualifications: if i % 4 == 0 {
                "CPC20220 Certificate II in Construction Pathways (2023)".into()
            } else {
                String::new()
            },
        }
        .validate()
        .map_err(AppError::Validation)?;
        sections::save(
            db,
            caller,
            learner_id,
            sections::BACKGROUND,
            0,
            &background,
            None,
        )
        .await?;
        let consent = ConsentForm {
            privacy_accepted_on: "2026-01-28".into(),
            share_with_employer: if i % 3 == 0 {
                "on".into()
            } else {
                String::new()
            },
            surveys: if i % 2 == 0 {
                "on".into()
            } else {
                String::new()
            },
        }
        .validate()
        .map_err(AppError::Validation)?;
        sections::save(db, caller, learner_id, sections::CONSENT, 0, &consent, None).await?;
        if i % 3 != 2 {
            let lln = PreTrainingForm {
                assessed_on: "2026-01-29".into(),
                assessor: "Tom Becker".into(),
                language: ["3", "4", "2"][i % 3].into(),
                literacy: ["3", "2", "3"][i % 3].into(),
                numeracy: ["2", "3", "1"][i % 3].into(),
                notes: if i % 3 == 1 {
                    "Numeracy support in the first four weeks.".into()
                } else {
                    String::new()
                },
            }
            .validate()
            .map_err(AppError::Validation)?;
            sections::save(
                db,
                caller,
                learner_id,
                sections::PRE_TRAINING,
                0,
                &lln,
                None,
            )
            .await?;
        }
        if i % 9 == 4 {
            let needs = NeedsForm {
                needs: "Dyslexia (assessed 2024).".into(),
                accommodations:
                    "Extra time in written assessments; questions read aloud on request.".into(),
            }
            .validate()
            .map_err(AppError::Validation)?;
            sections::save(db, caller, learner_id, sections::NEEDS, 0, &needs, None).await?;
        }
        // Two learners paused their studies, one left.
        let status = match i {
            13 | 25 => Some((
                "deferred",
                "2026-06-15",
                "Family reasons; expects to return next term.",
            )),
            31 => Some(("withdrawn", "2026-04-20", "Moved interstate for work.")),
            _ => None,
        };
        if let Some((status, on, reason)) = status {
            let current = enrolments::find(db, enrolment_id).await?;
            let form = StatusForm {
                status: status.into(),
                effective_on: on.into(),
                reason: reason.into(),
            };
            enrolments::change_status(db, caller, &current, current.version, &form).await?;
        }
    }
    Ok(())
}
