//! Demo attendance: weekly sessions of each demo course over the ten weeks before the
//! course ends, marked by the course's educator through the service (so history is
//! written), with a realistic mix and three learners below 70%.

use std::collections::{BTreeMap, HashMap};

use app::domain::Role;
use app::error::AppError;
use app::models::CurrentUser;
use app::models::attendance::NewSession;
use app::server::auth::Caller;
use app::server::entities::{account, course, course_educator, enrolment, learner};
use app::server::services::attendance::{self, Marking};
use chrono::{Duration, NaiveDate, NaiveTime};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

const TOPICS: [&str; 10] = [
    "Safety induction and site hazards",
    "Tools and equipment check-out",
    "Reading plans and specifications",
    "Setting out and measuring",
    "Materials handling",
    "Workshop practice",
    "Quality checks and defects",
    "Working with others on site",
    "Review and practice assessment",
    "Assessment preparation",
];

/// Each learner's marks, oldest session first: P present, A absent, L late, E excused.
/// Aisha Rahman (60%), Jack Wilson (44%) and Ethan Kowalski (60%) are below 70%.
const PATTERNS: [(&str, &str); 8] = [
    ("Nguyen", "PPPLPPPPPP"),
    ("O'Connor", "PPPPAPPPPP"),
    ("Rahman", "PAPPAPAAPP"),
    ("Papadopoulos", "PLPPPAPLPP"),
    ("Tan", "PPPPEPPLPP"),
    ("Wilson", "PAAPEAPAAP"),
    ("Singh", "PPPPPPPPPP"),
    ("Kowalski", "PPAAPLAPAP"),
];

/// The last day of the demo term.
fn term_end() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 27).unwrap_or_default()
}

/// Seeds attendance for `course_ids` (called once, inside the demo transaction).
pub async fn seed<C: ConnectionTrait>(db: &C, course_ids: &[i64]) -> Result<(), AppError> {
    let patterns: HashMap<&str, &str> = PATTERNS.into_iter().collect();
    for (n, &course_id) in course_ids.iter().enumerate() {
        let course = course::Entity::find_by_id(course_id)
            .one(db)
            .await?
            .ok_or(AppError::NotFound)?;
        let Some(teacher) = course_educator::Entity::find()
            .filter(course_educator::Column::CourseId.eq(course_id))
            .one(db)
            .await?
        else {
            continue;
        };
        let Some(educator) = account::Entity::find_by_id(teacher.account_id)
            .one(db)
            .await?
        else {
            continue;
        };
        let caller = Caller {
            user: Some(CurrentUser {
                id: educator.id,
                email: educator.email.clone(),
                display_name: educator.display_name.clone(),
                roles: vec![Role::Educator],
                learner_id: None,
            }),
            ..Caller::default()
        };
        let learner_ids: Vec<i64> = enrolment::Entity::find()
            .filter(enrolment::Column::CourseId.eq(course_id))
            .filter(enrolment::Column::Status.eq("active"))
            .all(db)
            .await?
            .into_iter()
            .map(|e| e.learner_id)
            .collect();
        let class = learner::Entity::find()
            .filter(learner::Column::Id.is_in(learner_ids))
            .all(db)
            .await?;
        // Course 1 meets on Tuesdays, course 2 on Thursdays, in the ten weeks to term end.
        let weekday_offset = [3, 1][n % 2];
        for (week, topic) in TOPICS.iter().enumerate() {
            let date =
                term_end() - Duration::days(weekday_offset) - Duration::weeks(9 - week as i64);
            let session = NewSession {
                date,
                starts_at: NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default(),
                ends_at: NaiveTime::from_hms_opt(12, 30, 0).unwrap_or_default(),
                topic: (*topic).to_owned(),
            };
            let session_id = attendance::create_session(db, &caller, &course, &session).await?;
            let mut marks = BTreeMap::new();
            let mut notes = BTreeMap::new();
            for l in &class {
                let pattern = patterns
                    .get(l.family_name.as_str())
                    .copied()
                    .unwrap_or("PPPPPPPPPP");
                let status = match pattern.as_bytes().get(week) {
                    Some(b'A') => "absent",
                    Some(b'L') => "late",
                    Some(b'E') => {
                        notes.insert(l.id.to_string(), "Medical certificate provided".to_owned());
                        "excused"
                    }
                    _ => "present",
                };
                marks.insert(l.id.to_string(), status.to_owned());
            }
            let marking = Marking {
                session_id,
                version: 1,
                marks: &marks,
                notes: &notes,
                rest_present: false,
            };
            attendance::mark(db, &caller, &course, marking).await?;
        }
    }
    Ok(())
}
