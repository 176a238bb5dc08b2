//! The catalogue: qualifications with their units, and courses that deliver them.

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
    sea_query::Expr,
};

use super::history::{self, Change};
use crate::domain::packaging::UnitKind;
use crate::error::AppError;
use crate::models::catalogue::{
    Course, CourseDetail, CourseForm, CourseRow, Qualification, QualificationDetail,
    QualificationForm, QualificationRow, UnitRow,
};
use crate::models::{PER_PAGE, Page};
use crate::server::auth::Caller;
use crate::server::entities::{
    account, course, course_educator, enrolment, enrolment_unit, qualification, qualification_unit,
    unit,
};

/// Creates a qualification with its units. A unit code already in the catalogue is reused
/// (units are shared between qualifications); its title must then match.
pub async fn create_qualification<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    q: &Qualification,
) -> Result<i64, AppError> {
    if qualification::Entity::find()
        .filter(qualification::Column::Code.eq(q.code.clone()))
        .count(db)
        .await?
        > 0
    {
        return Err(AppError::field(
            "code",
            format!("{} is already in the catalogue.", q.code),
        ));
    }
    let id = qualification::Entity::insert(qualification::ActiveModel {
        id: NotSet,
        code: Set(q.code.clone()),
        title: Set(q.title.clone()),
        level: Set(i16::from(q.level)),
        electives_required: Set(q.electives_required as i32),
        status: Set("current".into()),
        created_at: Set(Utc::now()),
        version: Set(1),
    })
    .exec(db)
    .await?
    .last_insert_id;
    link_units(db, id, &q.units).await?;
    let change = Change {
        entity: "qualification",
        entity_id: id,
        learner_id: None,
        action: "create",
        reason: None,
        before: None,
        after: Some(q),
        version: Some(1),
    };
    history::record(db, caller, change).await?;
    Ok(id)
}

/// Links a qualification to its units, creating units not yet in the catalogue. A unit
/// code already there is reused (units are shared between qualifications); its title
/// must then match.
async fn link_units<C: ConnectionTrait>(
    db: &C,
    id: i64,
    units: &[crate::models::catalogue::UnitLine],
) -> Result<(), AppError> {
    let codes: Vec<String> = units.iter().map(|u| u.code.clone()).collect();
    let existing: HashMap<String, unit::Model> = unit::Entity::find()
        .filter(unit::Column::Code.is_in(codes))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.code.clone(), u))
        .collect();
    let mut problems = Vec::new();
    for line in units {
        let unit_id = match existing.get(&line.code) {
            Some(u) if u.title != line.title => {
                problems.push(format!(
                    "{} is already in the catalogue as '{}'; use that title.",
                    u.code, u.title
                ));
                continue;
            }
            Some(u) => u.id,
            None => {
                unit::Entity::insert(unit::ActiveModel {
                    id: NotSet,
                    code: Set(line.code.clone()),
                    title: Set(line.title.clone()),
                    nominal_hours: Set(line.hours as i32),
                })
                .exec(db)
                .await?
                .last_insert_id
            }
        };
        qualification_unit::Entity::insert(qualification_unit::ActiveModel {
            qualification_id: Set(id),
            unit_id: Set(unit_id),
            kind: Set(line.kind.as_str().into()),
        })
        .exec(db)
        .await?;
    }
    if !problems.is_empty() {
        let mut errors = crate::error::FieldErrors::new();
        errors.insert("units_csv".into(), problems);
        return Err(AppError::Validation(errors));
    }
    Ok(())
}

async fn rows<C: ConnectionTrait>(
    db: &C,
    quals: Vec<qualification::Model>,
) -> Result<Vec<QualificationRow>, AppError> {
    let ids: Vec<i64> = quals.iter().map(|q| q.id).collect();
    let links = qualification_unit::Entity::find()
        .filter(qualification_unit::Column::QualificationId.is_in(ids))
        .all(db)
        .await?;
    Ok(quals
        .into_iter()
        .map(|q| {
            let count = |kind: &str| {
                links
                    .iter()
                    .filter(|l| l.qualification_id == q.id && l.kind == kind)
                    .count() as u32
            };
            QualificationRow {
                id: q.id,
                code: q.code,
                title: q.title,
                level: u8::try_from(q.level).unwrap_or(0),
                core: count("core"),
                electives_offered: count("elective"),
                electives_required: u32::try_from(q.electives_required).unwrap_or(0),
            }
        })
        .collect())
}

/// One page of qualifications, by code.
pub async fn list_qualifications<C: ConnectionTrait>(
    db: &C,
    page: u64,
) -> Result<Page<QualificationRow>, AppError> {
    let (fetched, total, page) = super::page_of(
        db,
        qualification::Entity::find().order_by_asc(qualification::Column::Code),
        page,
    )
    .await?;
    let items = rows(db, fetched).await?;
    Ok(Page {
        items,
        total,
        page,
        per_page: PER_PAGE,
    })
}

/// A qualification with its units, core first.
pub async fn qualification_detail<C: ConnectionTrait>(
    db: &C,
    id: i64,
) -> Result<QualificationDetail, AppError> {
    let q = qualification::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let row = rows(db, vec![q]).await?.remove(0);
    let links = qualification_unit::Entity::find()
        .filter(qualification_unit::Column::QualificationId.eq(id))
        .all(db)
        .await?;
    let kinds: HashMap<i64, UnitKind> = links
        .iter()
        .filter_map(|l| Some((l.unit_id, UnitKind::parse(&l.kind)?)))
        .collect();
    let mut units: Vec<UnitRow> = unit::Entity::find()
        .filter(unit::Column::Id.is_in(kinds.keys().copied().collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|u| UnitRow {
            id: u.id,
            kind: kinds.get(&u.id).copied().unwrap_or(UnitKind::Elective),
            code: u.code,
            title: u.title,
            hours: u32::try_from(u.nominal_hours).unwrap_or(0),
        })
        .collect();
    units.sort_by(|a, b| {
        (a.kind != UnitKind::Core, &a.code).cmp(&(b.kind != UnitKind::Core, &b.code))
    });
    Ok(QualificationDetail { row, units })
}

/// One page of courses, newest start first.
pub async fn list_courses<C: ConnectionTrait>(
    db: &C,
    page: u64,
) -> Result<Page<CourseRow>, AppError> {
    let (fetched, total, page) = super::page_of(
        db,
        course::Entity::find()
            .order_by_desc(course::Column::StartDate)
            .order_by_asc(course::Column::Code),
        page,
    )
    .await?;
    let courses = fetched;
    let qual_ids: Vec<i64> = courses.iter().filter_map(|c| c.qualification_id).collect();
    let quals: HashMap<i64, String> = qualification::Entity::find()
        .filter(qualification::Column::Id.is_in(qual_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|q| (q.id, format!("{} {}", q.code, q.title)))
        .collect();
    let course_ids: Vec<i64> = courses.iter().map(|c| c.id).collect();
    // One grouped count for the page's courses, not a row per enrolment.
    let enrolled: HashMap<i64, i64> = enrolment::Entity::find()
        .select_only()
        .column(enrolment::Column::CourseId)
        .column_as(enrolment::Column::Id.count(), "n")
        .filter(enrolment::Column::CourseId.is_in(course_ids))
        .group_by(enrolment::Column::CourseId)
        .into_tuple::<(i64, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let items = courses
        .into_iter()
        .map(|c| CourseRow {
            enrolled: enrolled.get(&c.id).copied().unwrap_or(0).unsigned_abs(),
            id: c.id,
            code: c.code,
            title: c.title,
            qualification: c.qualification_id.and_then(|q| quals.get(&q).cloned()),
            start_date: c.start_date,
        })
        .collect();
    Ok(Page {
        items,
        total,
        page,
        per_page: PER_PAGE,
    })
}

/// Creates a course delivering a qualification, taught by `educators`; writes history.
pub async fn create_course<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    c: &Course,
    educators: &[i64],
) -> Result<i64, AppError> {
    if course::Entity::find()
        .filter(course::Column::Code.eq(c.code.clone()))
        .count(db)
        .await?
        > 0
    {
        return Err(AppError::field(
            "code",
            format!("A course with code {} exists already.", c.code),
        ));
    }
    if qualification::Entity::find_by_id(c.qualification_id)
        .one(db)
        .await?
        .is_none()
    {
        return Err(AppError::field(
            "qualification_id",
            "Choose the qualification this course delivers.",
        ));
    }
    let id = course::Entity::insert(course::ActiveModel {
        id: NotSet,
        code: Set(c.code.clone()),
        title: Set(c.title.clone()),
        qualification_id: Set(Some(c.qualification_id)),
        start_date: Set(Some(c.start_date)),
        end_date: Set(Some(c.end_date)),
        location: Set(c.location.clone()),
        delivery_mode: Set(Some(c.delivery_mode.clone())),
        version: Set(1),
    })
    .exec(db)
    .await?
    .last_insert_id;
    if !educators.is_empty() {
        course_educator::Entity::insert_many(educators.iter().map(|e| {
            course_educator::ActiveModel {
                course_id: Set(id),
                account_id: Set(*e),
            }
        }))
        .exec(db)
        .await?;
    }
    let change = Change {
        entity: "course",
        entity_id: id,
        learner_id: None,
        action: "create",
        reason: None,
        before: None,
        after: Some(c),
        version: Some(1),
    };
    history::record(db, caller, change).await?;
    Ok(id)
}

/// Qualifications as (id, "code title") for a form's choices.
pub async fn qualification_options<C: ConnectionTrait>(
    db: &C,
) -> Result<Vec<(i64, String)>, AppError> {
    Ok(qualification::Entity::find()
        .order_by_asc(qualification::Column::Code)
        .all(db)
        .await?
        .into_iter()
        .map(|q| (q.id, format!("{} {}", q.code, q.title)))
        .collect())
}

/// A course as kept in history: its fields and its educators' account ids.
#[derive(serde::Serialize)]
struct CourseRecord<'a> {
    #[serde(flatten)]
    course: &'a Course,
    educators: Vec<i64>,
}

/// One course with its educators (404 when there is none).
pub async fn course_detail<C: ConnectionTrait>(db: &C, id: i64) -> Result<CourseDetail, AppError> {
    let c = course::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let educator_ids: Vec<i64> = course_educator::Entity::find()
        .filter(course_educator::Column::CourseId.eq(id))
        .all(db)
        .await?
        .into_iter()
        .map(|e| e.account_id)
        .collect();
    let educators = account::Entity::find()
        .filter(account::Column::Id.is_in(educator_ids))
        .order_by_asc(account::Column::DisplayName)
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.display_name))
        .collect();
    let qualification = match c.qualification_id {
        Some(q) => qualification::Entity::find_by_id(q)
            .one(db)
            .await?
            .map(|q| format!("{} {}", q.code, q.title)),
        None => None,
    };
    let enrolled = enrolment::Entity::find()
        .filter(enrolment::Column::CourseId.eq(id))
        .count(db)
        .await?;
    Ok(CourseDetail {
        id,
        form: CourseForm {
            code: c.code,
            title: c.title,
            qualification_id: c
                .qualification_id
                .map(|q| q.to_string())
                .unwrap_or_default(),
            start_date: c.start_date.map(|d| d.to_string()).unwrap_or_default(),
            end_date: c.end_date.map(|d| d.to_string()).unwrap_or_default(),
            location: c.location.unwrap_or_default(),
            delivery_mode: c.delivery_mode.unwrap_or_default(),
        },
        qualification,
        educators,
        enrolled,
        version: c.version,
    })
}

/// Saves a course. `version` is the one the editor saw; the qualification cannot change
/// once learners are enrolled (their units belong to it). Writes history.
pub async fn update_course<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    id: i64,
    version: i64,
    c: &Course,
    educators: &[i64],
) -> Result<i64, AppError> {
    let current = course::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if current.version != version {
        return Err(history::conflict(db, "course", id, version).await?);
    }
    let taken = course::Entity::find()
        .filter(course::Column::Code.eq(c.code.clone()))
        .filter(course::Column::Id.ne(id))
        .count(db)
        .await?;
    if taken > 0 {
        return Err(AppError::field(
            "code",
            format!("A course with code {} exists already.", c.code),
        ));
    }
    if current.qualification_id != Some(c.qualification_id) {
        let enrolled = enrolment::Entity::find()
            .filter(enrolment::Column::CourseId.eq(id))
            .count(db)
            .await?;
        if enrolled > 0 {
            return Err(AppError::field(
                "qualification_id",
                "Learners are enrolled in this course, so it keeps its qualification.",
            ));
        }
        if qualification::Entity::find_by_id(c.qualification_id)
            .one(db)
            .await?
            .is_none()
        {
            return Err(AppError::field(
                "qualification_id",
                "Choose the qualification this course delivers.",
            ));
        }
    }
    let before_educators: Vec<i64> = course_educator::Entity::find()
        .filter(course_educator::Column::CourseId.eq(id))
        .order_by_asc(course_educator::Column::AccountId)
        .all(db)
        .await?
        .into_iter()
        .map(|e| e.account_id)
        .collect();
    let before = Course {
        code: current.code.clone(),
        title: current.title.clone(),
        qualification_id: current.qualification_id.unwrap_or_default(),
        start_date: current.start_date.unwrap_or_default(),
        end_date: current.end_date.unwrap_or_default(),
        location: current.location.clone(),
        delivery_mode: current.delivery_mode.clone().unwrap_or_default(),
    };
    let next = version + 1;
    let res = course::Entity::update_many()
        .col_expr(course::Column::Code, Expr::value(c.code.clone()))
        .col_expr(course::Column::Title, Expr::value(c.title.clone()))
        .col_expr(
            course::Column::QualificationId,
            Expr::value(Some(c.qualification_id)),
        )
        .col_expr(course::Column::StartDate, Expr::value(Some(c.start_date)))
        .col_expr(course::Column::EndDate, Expr::value(Some(c.end_date)))
        .col_expr(course::Column::Location, Expr::value(c.location.clone()))
        .col_expr(
            course::Column::DeliveryMode,
            Expr::value(Some(c.delivery_mode.clone())),
        )
        .col_expr(course::Column::Version, Expr::value(next))
        .filter(course::Column::Id.eq(id))
        .filter(course::Column::Version.eq(version))
        .exec(db)
        .await?;
    if res.rows_affected != 1 {
        return Err(history::conflict(db, "course", id, version).await?);
    }
    let mut after_educators = educators.to_vec();
    after_educators.sort_unstable();
    after_educators.dedup();
    if after_educators != before_educators {
        course_educator::Entity::delete_many()
            .filter(course_educator::Column::CourseId.eq(id))
            .exec(db)
            .await?;
        if !after_educators.is_empty() {
            course_educator::Entity::insert_many(after_educators.iter().map(|e| {
                course_educator::ActiveModel {
                    course_id: Set(id),
                    account_id: Set(*e),
                }
            }))
            .exec(db)
            .await?;
        }
    }
    history::record(
        db,
        caller,
        Change {
            entity: "course",
            entity_id: id,
            learner_id: None,
            action: "update",
            reason: None,
            before: Some(&CourseRecord {
                course: &before,
                educators: before_educators,
            }),
            after: Some(&CourseRecord {
                course: c,
                educators: after_educators,
            }),
            version: Some(next),
        },
    )
    .await?;
    Ok(next)
}

/// A qualification as its edit form shows it, with its version.
pub async fn qualification_form<C: ConnectionTrait>(
    db: &C,
    id: i64,
) -> Result<(QualificationForm, i64), AppError> {
    let q = qualification::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let detail = qualification_detail(db, id).await?;
    let units_csv = detail
        .units
        .iter()
        .map(|u| format!("{},{},{},{}", u.code, u.title, u.kind.as_str(), u.hours))
        .collect::<Vec<_>>()
        .join("\n");
    Ok((
        QualificationForm {
            code: q.code,
            title: q.title,
            level: q.level.to_string(),
            electives_required: q.electives_required.to_string(),
            units_csv,
        },
        q.version,
    ))
}

/// Saves a qualification: title, level, packaging and units. Its code is its identity and
/// does not change; a unit in any learner's enrolment cannot be taken out. Writes history.
pub async fn update_qualification<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    id: i64,
    version: i64,
    q: &Qualification,
) -> Result<i64, AppError> {
    let current = qualification::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if current.version != version {
        return Err(history::conflict(db, "qualification", id, version).await?);
    }
    if current.code != q.code {
        return Err(AppError::field(
            "code",
            "A qualification's code does not change; add the new qualification instead.",
        ));
    }
    let (before_form, _) = qualification_form(db, id).await?;
    let before = before_form.validate().ok();
    let links = qualification_unit::Entity::find()
        .filter(qualification_unit::Column::QualificationId.eq(id))
        .all(db)
        .await?;
    let kept: Vec<&str> = q.units.iter().map(|u| u.code.as_str()).collect();
    let dropped_ids: Vec<i64> = unit::Entity::find()
        .filter(unit::Column::Id.is_in(links.iter().map(|l| l.unit_id)))
        .all(db)
        .await?
        .into_iter()
        .filter(|u| !kept.contains(&u.code.as_str()))
        .map(|u| u.id)
        .collect();
    if !dropped_ids.is_empty() {
        let courses: Vec<i64> = course::Entity::find()
            .filter(course::Column::QualificationId.eq(id))
            .all(db)
            .await?
            .into_iter()
            .map(|c| c.id)
            .collect();
        let enrolments: Vec<i64> = enrolment::Entity::find()
            .filter(enrolment::Column::CourseId.is_in(courses))
            .all(db)
            .await?
            .into_iter()
            .map(|e| e.id)
            .collect();
        let used: Vec<i64> = enrolment_unit::Entity::find()
            .filter(enrolment_unit::Column::EnrolmentId.is_in(enrolments))
            .filter(enrolment_unit::Column::UnitId.is_in(dropped_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|l| l.unit_id)
            .collect();
        if !used.is_empty() {
            let mut codes: Vec<String> = unit::Entity::find()
                .filter(unit::Column::Id.is_in(used))
                .all(db)
                .await?
                .into_iter()
                .map(|u| u.code)
                .collect();
            codes.sort();
            return Err(AppError::field(
                "units_csv",
                format!(
                    "Learners are enrolled in {}, so it stays in the qualification.",
                    codes.join(", ")
                ),
            ));
        }
    }
    let next = version + 1;
    let res = qualification::Entity::update_many()
        .col_expr(qualification::Column::Title, Expr::value(q.title.clone()))
        .col_expr(
            qualification::Column::Level,
            Expr::value(i16::from(q.level)),
        )
        .col_expr(
            qualification::Column::ElectivesRequired,
            Expr::value(i32::try_from(q.electives_required).unwrap_or(i32::MAX)),
        )
        .col_expr(qualification::Column::Version, Expr::value(next))
        .filter(qualification::Column::Id.eq(id))
        .filter(qualification::Column::Version.eq(version))
        .exec(db)
        .await?;
    if res.rows_affected != 1 {
        return Err(history::conflict(db, "qualification", id, version).await?);
    }
    qualification_unit::Entity::delete_many()
        .filter(qualification_unit::Column::QualificationId.eq(id))
        .exec(db)
        .await?;
    link_units(db, id, &q.units).await?;
    history::record(
        db,
        caller,
        Change {
            entity: "qualification",
            entity_id: id,
            learner_id: None,
            action: "update",
            reason: None,
            before: before.as_ref(),
            after: Some(q),
            version: Some(next),
        },
    )
    .await?;
    Ok(next)
}
