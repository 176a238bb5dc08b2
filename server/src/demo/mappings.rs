//! Demo competency mappings: the demo partner works for "BuildRight Constructions"; Tom
//! Becker mapped the Carpentry qualification's core units to the demo construction skills
//! framework, sent the set to the partner, resolved their comment, and the partner
//! approved version 1. All through the service, so history and notifications are real.
//!
//! A small RPL cohort of the Carpentry qualification (three new learners) shows partners
//! that a cohort under five learners gives no figures.

use app::domain::Role;
use app::domain::packaging::UnitKind;
use app::error::AppError;
use app::models::CurrentUser;
use app::models::mapping::{CommentForm, MappingForm, NewSetForm};
use app::models::profile::ProfileForm;
use app::server::auth::Caller;
use app::server::entities::{
    course, course_educator, industry_skill, qualification, skills_framework, unit,
};
use app::server::services::{catalogue, enrolments, learners, mappings};
use chrono::NaiveDate;
use sea_orm::{
    ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};

/// The demo partner's organisation.
pub const ORGANISATION: &str = "BuildRight Constructions";

/// The approved set's title.
pub const TITLE: &str = "Carpentry units → construction industry skills";

/// (unit code, skill label, strength, note).
const MAPPINGS: [(&str, &str, &str, &str); 10] = [
    (
        "CPCCCA2002",
        "use power tools safely",
        "develops",
        "Pre-start checks and safe use of saws and drills in every practical.",
    ),
    (
        "CPCCCA2002",
        "maintain hand tools",
        "masters",
        "Sharpening, setting and storing hand tools is assessed on its own.",
    ),
    (
        "CPCCCA2002",
        "operate a nail gun",
        "introduces",
        "Demonstrated in the workshop; learners use it under supervision.",
    ),
    (
        "CPCCCA2011",
        "calculate material quantities for construction",
        "introduces",
        "Ordering timber and fixings for a small job from a cutting list.",
    ),
    (
        "CPCCCA3001",
        "apply health and safety standards in construction",
        "develops",
        "Hazard identification and safe work method statements before demolition.",
    ),
    (
        "CPCCCA3001",
        "dispose of construction waste",
        "develops",
        "Sorting and recycling demolition waste on the training site.",
    ),
    (
        "CPCCCA3002",
        "set out building lines",
        "masters",
        "Builder's lines, profiles and square checks from a site plan.",
    ),
    (
        "CPCCCA3002",
        "read construction drawings",
        "develops",
        "Reading site plans and dimensions to set out.",
    ),
    (
        "CPCCCA3003",
        "use personal protective equipment",
        "introduces",
        "Knee, eye and hearing protection when laying and fixing floors.",
    ),
    (
        "CPCCCA3004",
        "install wooden frames",
        "masters",
        "Full wall frame built, stood and braced to plan.",
    ),
];

/// The RPL cohort's course code.
pub const RPL_COURSE: &str = "CPC30220-2026-RPL";

/// The RPL cohort: three new learners (given, family, suburb, postcode).
const RPL_LEARNERS: [(&str, &str, &str, &str); 3] = [
    ("Hana", "Moretti", "Footscray", "3011"),
    ("Owen", "Lindqvist", "Sunshine", "3020"),
    ("Farah", "Haddad", "Werribee", "3030"),
];

fn caller(id: i64, email: &str, name: &str, role: Role) -> Caller {
    Caller {
        user: Some(CurrentUser {
            id,
            email: email.into(),
            display_name: name.into(),
            roles: vec![role],
            learner_id: None,
        }),
        ..Caller::default()
    }
}

/// Seeds the organisation, the approved mapping set and the RPL cohort. `caller` is the
/// seeding caller (as for the other learners); `educator` and `partner` are the ids of
/// educator@ and partner@.
pub async fn seed<C: ConnectionTrait>(
    db: &C,
    seeding: &Caller,
    educator: i64,
    partner: i64,
) -> Result<(), AppError> {
    mappings::set_organisation(db, partner, ORGANISATION).await?;

    let carpentry = qualification::Entity::find()
        .filter(qualification::Column::Code.eq("CPC30220"))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let framework = skills_framework::Entity::find()
        .filter(skills_framework::Column::Code.eq("DEMO-CONSTR"))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let tom = caller(
        educator,
        "educator@demo.trackrecord.test",
        "Tom Becker",
        Role::Educator,
    );
    let sam = caller(
        partner,
        "partner@demo.trackrecord.test",
        "Sam Lee (BuildRight Constructions)",
        Role::Partner,
    );

    let new = NewSetForm {
        qualification_id: carpentry.id.to_string(),
        framework_id: framework.id.to_string(),
        title: TITLE.into(),
    }
    .validate()
    .map_err(AppError::Validation)?;
    let set_id = mappings::create(db, &tom, &new).await?;
    let mut lock = 1;
    let mut nail_gun = None;
    for (code, label, strength, note) in MAPPINGS {
        let unit = unit::Entity::find()
            .filter(unit::Column::Code.eq(code))
            .one(db)
            .await?
            .ok_or(AppError::NotFound)?;
        let skill = industry_skill::Entity::find()
            .filter(industry_skill::Column::FrameworkId.eq(framework.id))
            .filter(industry_skill::Column::Label.eq(label))
            .one(db)
            .await?
            .ok_or(AppError::NotFound)?;
        let input = MappingForm {
            unit_id: unit.id.to_string(),
            task_id: String::new(),
            skill_id: skill.id.to_string(),
            strength: strength.into(),
            note: note.into(),
        }
        .validate()
        .map_err(AppError::Validation)?;
        lock = mappings::add_mapping(db, &tom, set_id, lock, &input).await?;
        if label == "operate a nail gun" {
            nail_gun = Some((unit.id, skill.id));
        }
    }
    lock = mappings::submit(
        db,
        &tom,
        set_id,
        lock,
        &[partner],
        "First version for the 2026 Carpentry cohorts: core units only.",
    )
    .await?;
    let (unit_id, skill_id) = nail_gun.ok_or(AppError::NotFound)?;
    let mapping = app::server::entities::competency_mapping::Entity::find()
        .filter(app::server::entities::competency_mapping::Column::SetId.eq(set_id))
        .filter(app::server::entities::competency_mapping::Column::UnitId.eq(unit_id))
        .filter(app::server::entities::competency_mapping::Column::SkillId.eq(skill_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let comment = CommentForm {
        mapping_id: mapping.id.to_string(),
        body: "Our first-year apprentices use nail guns on site under a licence holder; \
               could the note say who supervises them in the workshop?"
            .into(),
        suggested_strength: String::new(),
    }
    .validate()
    .map_err(AppError::Validation)?;
    let comment_id = mappings::comment(db, &sam, set_id, &comment).await?;
    mappings::resolve(db, &tom, set_id, comment_id).await?;
    mappings::decide(
        db,
        &sam,
        set_id,
        lock,
        false,
        "Matches what we look for in first-year apprentices. Approved.",
    )
    .await?;

    rpl_cohort(db, seeding, educator, carpentry.id).await
}

/// A course of the Carpentry qualification with three new learners enrolled.
async fn rpl_cohort<C: ConnectionTrait>(
    db: &C,
    seeding: &Caller,
    educator: i64,
    qualification_id: i64,
) -> Result<(), AppError> {
    let start = NaiveDate::from_ymd_opt(2026, 3, 2);
    let course_id = course::Entity::insert(course::ActiveModel {
        id: NotSet,
        code: Set(RPL_COURSE.into()),
        title: Set("Certificate III in Carpentry — 2026 RPL cohort".into()),
        qualification_id: Set(Some(qualification_id)),
        start_date: Set(start),
        end_date: Set(NaiveDate::from_ymd_opt(2026, 9, 25)),
        location: Set(Some("Footscray campus".into())),
        delivery_mode: Set(Some("blended".into())),
        version: Set(1),
    })
    .exec(db)
    .await?
    .last_insert_id;
    course_educator::Entity::insert(course_educator::ActiveModel {
        course_id: Set(course_id),
        account_id: Set(educator),
    })
    .exec(db)
    .await?;
    let detail = catalogue::qualification_detail(db, qualification_id).await?;
    let wanted = usize::try_from(detail.row.electives_required).unwrap_or(0);
    let mut units: Vec<i64> = detail
        .units
        .iter()
        .filter(|u| u.kind == UnitKind::Core)
        .map(|u| u.id)
        .collect();
    units.extend(
        detail
            .units
            .iter()
            .filter(|u| u.kind == UnitKind::Elective)
            .map(|u| u.id)
            .take(wanted),
    );
    for (i, (given, family, suburb, postcode)) in RPL_LEARNERS.into_iter().enumerate() {
        let n = u32::try_from(i).unwrap_or(0);
        let profile = ProfileForm {
            given_name: given.into(),
            family_name: family.into(),
            date_of_birth: NaiveDate::from_ymd_opt(
                1985 + 3 * i32::try_from(i).unwrap_or(0),
                4 + n,
                9 + n,
            )
            .unwrap_or_default()
            .to_string(),
            email: format!(
                "{}.{}@demo.trackrecord.test",
                given.to_lowercase(),
                family.to_lowercase()
            ),
            phone: format!("0412 555 {:03}", 300 + i),
            address_suburb: suburb.into(),
            address_state: "VIC".into(),
            address_postcode: postcode.into(),
            ..ProfileForm::default()
        }
        .validate()
        .map_err(AppError::Validation)?;
        let learner_id = learners::create(db, seeding, &profile).await?;
        enrolments::enrol(
            db,
            seeding,
            enrolments::Enrol {
                learner_id,
                course_id,
                commenced_on: start.unwrap_or_default(),
                prior_skills: Some(
                    "Ten years or more as a carpenter's offsider; seeking recognition.",
                ),
                units: units.clone(),
            },
        )
        .await?;
    }
    Ok(())
}
