//! Demo data for trying Trackrecord: loaded into an empty database when asked.

use app::domain::packaging::UnitKind;
use app::domain::{Email, Role, Usi};
use app::models::catalogue::QualificationForm;
use app::models::profile::ProfileForm;
use app::server::AppState;
use app::server::db::begin_write;
use app::server::entities::{account, course, course_educator, learner, learner_share};
use app::server::services::{accounts, catalogue, enrolments, learners};
use chrono::{NaiveDate, Utc};
use sea_orm::{ActiveValue::NotSet, ActiveValue::Set, EntityTrait, PaginatorTrait};

mod assessment;
mod attendance;
mod completion;
mod corrections;
mod evidence;
mod mappings;
mod plans;
mod portfolio;
mod record;
mod reviews;
mod skills;

/// The course code of the small RPL cohort (three learners; no attendance, plans or
/// results yet), which shows partners that a cohort under five gives no figures.
pub const RPL_COURSE: &str = mappings::RPL_COURSE;

/// The password of every demo account (demo data only; never in a real deployment).
pub const DEMO_PASSWORD: &str = "learn-and-grow-2026";

/// Sign-ins printed at start: (role, email).
pub const DEMO_SIGN_INS: [(&str, &str); 6] = [
    ("Administrative staff", "admin@demo.trackrecord.test"),
    ("Educator", "educator@demo.trackrecord.test"),
    ("Student", "student@demo.trackrecord.test"),
    ("Industry partner", "partner@demo.trackrecord.test"),
    ("Auditor", "auditor@demo.trackrecord.test"),
    (
        "Educator, second assessor",
        "assessor@demo.trackrecord.test",
    ),
];

/// The first eight demo learners (the browser tests know some of them by name).
const STUDENTS: [(&str, &str); 8] = [
    ("Mia", "Nguyen"),
    ("Liam", "O'Connor"),
    ("Aisha", "Rahman"),
    ("Noah", "Papadopoulos"),
    ("Chloe", "Tan"),
    ("Jack", "Wilson"),
    ("Zara", "Singh"),
    ("Ethan", "Kowalski"),
];

/// Names for the rest of the cohort, combined so that no family name repeats.
const GIVEN: [&str; 13] = [
    "Olivia", "Lucas", "Amelia", "Mateo", "Isla", "Kai", "Ava", "Hamish", "Priya", "Leo", "Sienna",
    "Tariq", "Ruby",
];
const FAMILY: [&str; 52] = [
    "Abbott",
    "Baker",
    "Castillo",
    "Dimitriou",
    "Edwards",
    "Fraser",
    "Garcia",
    "Hughes",
    "Ibrahim",
    "Jensen",
    "Kaur",
    "Lopez",
    "Murray",
    "Novak",
    "Okoro",
    "Patel",
    "Quinn",
    "Rossi",
    "Sato",
    "Turner",
    "Ulloa",
    "Vega",
    "Walsh",
    "Xu",
    "Young",
    "Zhang",
    "Ahmed",
    "Brennan",
    "Chen",
    "Doyle",
    "Evans",
    "Fitzgerald",
    "Gupta",
    "Hall",
    "Ivanova",
    "Jones",
    "Kim",
    "Lee",
    "Martin",
    "Nakamura",
    "O'Brien",
    "Price",
    "Reid",
    "Stewart",
    "Taylor",
    "Usman",
    "Vu",
    "White",
    "Yilmaz",
    "Zhou",
    "Morgan",
    "Clarke",
];

/// The sixty demo learners: the eight above, then generated names.
fn demo_learner_names() -> Vec<(String, String)> {
    STUDENTS
        .iter()
        .map(|(g, f)| ((*g).to_owned(), (*f).to_owned()))
        .chain(
            FAMILY
                .iter()
                .enumerate()
                .map(|(i, f)| (GIVEN[(i * 5) % GIVEN.len()].to_owned(), (*f).to_owned())),
        )
        .collect()
}

/// Loads the demo data set if the database has no accounts yet. Returns whether it did.
pub async fn seed_if_empty(state: &AppState) -> Result<bool, app::error::AppError> {
    if account::Entity::find().count(&state.db).await? > 0 {
        return Ok(false);
    }
    let hash = state.hasher.hash(DEMO_PASSWORD).await?;
    let txn = begin_write(&state.db).await?;
    let mut ids = std::collections::HashMap::new();
    let staff = [
        (
            "admin@demo.trackrecord.test",
            "Priya Shah",
            vec![Role::Admin],
        ),
        (
            "educator@demo.trackrecord.test",
            "Tom Becker",
            vec![Role::Educator],
        ),
        (
            "educator2@demo.trackrecord.test",
            "Grace Okafor",
            vec![Role::Educator],
        ),
        (
            "partner@demo.trackrecord.test",
            "Sam Lee (BuildRight Constructions)",
            vec![Role::Partner],
        ),
        (
            "auditor@demo.trackrecord.test",
            "Helen Ward (Regulator)",
            vec![Role::Auditor],
        ),
        (
            "assessor@demo.trackrecord.test",
            "Sam Lee",
            vec![Role::Educator],
        ),
    ];
    for (email, name, roles) in staff {
        let id = create(&txn, email, name, &roles, &hash).await?;
        ids.insert(email, id);
    }
    let caller = app::server::auth::Caller::default();
    let mut qualification_ids = Vec::new();
    for form in demo_qualifications() {
        let q = form.validate().map_err(app::error::AppError::Validation)?;
        qualification_ids.push(catalogue::create_qualification(&txn, &caller, &q).await?);
    }
    let now = Utc::now();
    let mut courses = Vec::new();
    for (code, title, qualification, educator, start, end, location, mode) in [
        (
            "CPC30220-2026-S1",
            "Certificate III in Carpentry — 2026 Semester 1",
            0,
            "educator@demo.trackrecord.test",
            (2026, 2, 2),
            (2026, 11, 27),
            "Footscray campus",
            "classroom",
        ),
        (
            "BSB40120-2026-S1",
            "Certificate IV in Business — 2026 Semester 1",
            1,
            "educator2@demo.trackrecord.test",
            (2026, 2, 2),
            (2026, 11, 27),
            "Online",
            "online",
        ),
        (
            "CPC30220-2026-S2",
            "Certificate III in Carpentry — 2026 Semester 2",
            0,
            "educator@demo.trackrecord.test",
            (2026, 7, 13),
            (2027, 4, 30),
            "Geelong campus",
            "blended",
        ),
    ] {
        let date = |(y, m, d): (i32, u32, u32)| NaiveDate::from_ymd_opt(y, m, d);
        let res = course::Entity::insert(course::ActiveModel {
            id: NotSet,
            code: Set(code.into()),
            title: Set(title.into()),
            qualification_id: Set(Some(qualification_ids[qualification])),
            start_date: Set(date(start)),
            end_date: Set(date(end)),
            location: Set(Some(location.into())),
            delivery_mode: Set(Some(mode.into())),
            version: Set(1),
        })
        .exec(&txn)
        .await?;
        course_educator::Entity::insert(course_educator::ActiveModel {
            course_id: Set(res.last_insert_id),
            account_id: Set(ids[educator]),
        })
        .exec(&txn)
        .await?;
        let detail =
            catalogue::qualification_detail(&txn, qualification_ids[qualification]).await?;
        courses.push((res.last_insert_id, date(start), detail));
    }
    // Sam Lee assesses beside Tom Becker in the first Carpentry course.
    course_educator::Entity::insert(course_educator::ActiveModel {
        course_id: Set(courses[0].0),
        account_id: Set(ids["assessor@demo.trackrecord.test"]),
    })
    .exec(&txn)
    .await?;
    let mut seeded = Vec::new();
    for (i, (given, family)) in demo_learner_names().iter().enumerate() {
        let email = if i == 0 {
            "student@demo.trackrecord.test".to_owned()
        } else {
            format!(
                "{}.{}@demo.trackrecord.test",
                given.to_lowercase(),
                family.to_lowercase().replace('\'', "")
            )
        };
        // The first eight learners have accounts (they can sign in); the rest have not yet.
        let account_id = if i < STUDENTS.len() {
            Some(
                create(
                    &txn,
                    &email,
                    &format!("{given} {family}"),
                    &[Role::Student],
                    &hash,
                )
                .await?,
            )
        } else {
            None
        };
        let body = format!("{}{}7Q{:03}", &given[..1], &family[..1], 200 + i * 37);
        let usi = Usi::with_check(&format!(
            "{:X<9}",
            body.to_uppercase().replace(['I', 'O', '\'', '0', '1'], "X")
        ))
        .map(String::from);
        let i32_i = i32::try_from(i).unwrap_or(0);
        let u32_i = u32::try_from(i).unwrap_or(0);
        let dob =
            NaiveDate::from_ymd_opt(1990 + (i32_i % 17), 1 + (u32_i % 12), 1 + (u32_i * 7) % 28)
                .unwrap_or_default();
        let profile = ProfileForm {
            given_name: given.clone(),
            family_name: family.clone(),
            date_of_birth: dob.to_string(),
            usi: usi.unwrap_or_default(),
            email: email.clone(),
            phone: format!("0412 555 {:03}", 100 + i),
            address_suburb: ["Footscray", "Geelong", "Bendigo", "Ballarat"][i % 4].into(),
            address_state: "VIC".into(),
            address_postcode: ["3011", "3220", "3550", "3350"][i % 4].into(),
            ..ProfileForm::default()
        }
        .validate()
        .map_err(app::error::AppError::Validation)?;
        let learner_id = learners::create(&txn, &caller, &profile).await?;
        if account_id.is_some() {
            learner::Entity::update(learner::ActiveModel {
                id: Set(learner_id),
                account_id: Set(account_id),
                ..Default::default()
            })
            .exec(&txn)
            .await?;
        }
        // Every core unit, and the electives the packaging rules ask for, varied by learner.
        let (course_id, start, detail) = &courses[i % courses.len()];
        let electives: Vec<i64> = detail
            .units
            .iter()
            .filter(|u| u.kind == UnitKind::Elective)
            .map(|u| u.id)
            .collect();
        let wanted = usize::try_from(detail.row.electives_required).unwrap_or(0);
        let mut units: Vec<i64> = detail
            .units
            .iter()
            .filter(|u| u.kind == UnitKind::Core)
            .map(|u| u.id)
            .collect();
        units.extend(
            (0..wanted).filter_map(|k| electives.get((i + k) % electives.len().max(1)).copied()),
        );
        let enrolment_id = enrolments::enrol(
            &txn,
            &caller,
            enrolments::Enrol {
                learner_id,
                course_id: *course_id,
                commenced_on: start.unwrap_or_default(),
                prior_skills: (i % 5 == 0)
                    .then_some("Two years as a labourer on residential sites."),
                units,
            },
        )
        .await?;
        seeded.push((learner_id, enrolment_id));
        if i == 0 {
            learner_share::Entity::insert(learner_share::ActiveModel {
                id: NotSet,
                learner_id: Set(learner_id),
                partner_id: Set(ids["partner@demo.trackrecord.test"]),
                created_at: Set(now),
                revoked_at: Set(None),
            })
            .exec(&txn)
            .await?;
        }
    }
    // Feature data (plans, attendance, …) builds on the learners and enrolments above.
    // Each feature's seeding lives in its own module of `demo/` and is called here.
    record::seed(&txn, &caller, &seeded).await?;
    plans::seed(&txn).await?;
    corrections::seed(&txn).await?;
    let course_ids: Vec<i64> = courses.iter().map(|(id, _, _)| *id).collect();
    attendance::seed(&txn, &course_ids).await?;
    assessment::seed(&txn, &course_ids, &seeded).await?;
    evidence::seed(&txn, state.storage.as_ref(), &course_ids, &seeded).await?;
    reviews::seed(&txn, &seeded).await?;
    completion::seed(&txn, &seeded).await?;
    portfolio::seed(&txn, state.storage.as_ref(), &seeded).await?;
    skills::seed(&txn, ids["admin@demo.trackrecord.test"]).await?;
    mappings::seed(
        &txn,
        &caller,
        ids["educator@demo.trackrecord.test"],
        ids["partner@demo.trackrecord.test"],
    )
    .await?;
    txn.commit().await?;
    Ok(true)
}

async fn create<C: sea_orm::ConnectionTrait>(
    db: &C,
    email: &str,
    name: &str,
    roles: &[Role],
    hash: &str,
) -> Result<i64, app::error::AppError> {
    let email = Email::parse(email).map_err(|m| app::error::AppError::field("email", m))?;
    let id = accounts::create(db, &email, name, roles).await?;
    accounts::set_password_hash(db, id, hash.to_owned()).await?;
    Ok(id)
}

/// Two qualifications shaped like real ones (codes, titles, packaging).
fn demo_qualifications() -> [QualificationForm; 2] {
    [
        QualificationForm {
            code: "CPC30220".into(),
            title: "Certificate III in Carpentry".into(),
            level: "3".into(),
            electives_required: "2".into(),
            units_csv: "CPCCCA2002,Use carpentry tools and equipment,core,24
CPCCCA2011,Handle carpentry materials,core,8
CPCCCA3001,Carry out general demolition of minor building structures,core,16
CPCCCA3002,Carry out setting out,core,20
CPCCCA3003,Install flooring systems,core,30
CPCCCA3004,Construct and erect wall frames,core,60
CPCCCA3010,Install windows and doors,elective,32
CPCCCA3012,Frame and fit wet area fixtures,elective,24
CPCCCA3013,Install lining panelling and moulding,elective,30
CPCCCA3014,Construct and install bulkheads,elective,24"
                .into(),
        },
        QualificationForm {
            code: "BSB40120".into(),
            title: "Certificate IV in Business".into(),
            level: "4".into(),
            electives_required: "3".into(),
            units_csv: "BSBCRT411,Apply critical thinking to work practices,core,40
BSBTWK401,Build and maintain business relationships,core,40
BSBPEF402,Develop personal work priorities,core,40
BSBXCM401,Apply communication strategies in the workplace,core,40
BSBOPS403,Apply business risk management processes,core,40
BSBSUS411,Implement and monitor environmentally sustainable work practices,elective,40
BSBTEC404,Use digital technologies to collaborate in a work environment,elective,40
BSBWRT411,Write complex documents,elective,40
BSBOPS404,Implement customer service strategies,elective,40"
                .into(),
        },
    ]
}
