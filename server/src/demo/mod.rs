//! Demo data for trying Trackrecord: loaded into an empty database when asked.

mod attendance;

use app::domain::{Email, Role, Usi};
use app::models::catalogue::QualificationForm;
use app::server::AppState;
use app::server::db::begin_write;
use app::server::entities::{account, course, course_educator, enrolment, learner, learner_share};
use app::server::services::{accounts, catalogue};
use chrono::{NaiveDate, Utc};
use sea_orm::{ActiveValue::NotSet, ActiveValue::Set, EntityTrait, PaginatorTrait};

/// The password of every demo account (demo data only; never in a real deployment).
pub const DEMO_PASSWORD: &str = "learn-and-grow-2026";

/// Sign-ins printed at start: (role, email).
pub const DEMO_SIGN_INS: [(&str, &str); 5] = [
    ("Administrative staff", "admin@demo.trackrecord.test"),
    ("Educator", "educator@demo.trackrecord.test"),
    ("Student", "student@demo.trackrecord.test"),
    ("Industry partner", "partner@demo.trackrecord.test"),
    ("Auditor", "auditor@demo.trackrecord.test"),
];

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
    let mut course_ids = Vec::new();
    for (n, (code, title, educator)) in [
        (
            "CPC30220-2026-S1",
            "Certificate III in Carpentry — 2026 Semester 1",
            "educator@demo.trackrecord.test",
        ),
        (
            "BSB40120-2026-S1",
            "Certificate IV in Business — 2026 Semester 1",
            "educator2@demo.trackrecord.test",
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let res = course::Entity::insert(course::ActiveModel {
            id: NotSet,
            code: Set(code.into()),
            title: Set(title.into()),
            qualification_id: Set(Some(qualification_ids[n])),
            start_date: Set(NaiveDate::from_ymd_opt(2026, 2, 2)),
            end_date: Set(NaiveDate::from_ymd_opt(2026, 11, 27)),
            location: Set(Some(["Footscray campus", "Online"][n].into())),
            delivery_mode: Set(Some(["classroom", "online"][n].into())),
        })
        .exec(&txn)
        .await?;
        course_educator::Entity::insert(course_educator::ActiveModel {
            course_id: Set(res.last_insert_id),
            account_id: Set(ids[educator]),
        })
        .exec(&txn)
        .await?;
        course_ids.push(res.last_insert_id);
    }
    for (i, (given, family)) in STUDENTS.iter().enumerate() {
        let email = if i == 0 {
            "student@demo.trackrecord.test".to_owned()
        } else {
            format!(
                "{}.{}@demo.trackrecord.test",
                given.to_lowercase(),
                family.to_lowercase().replace('\'', "")
            )
        };
        let account_id = create(
            &txn,
            &email,
            &format!("{given} {family}"),
            &[Role::Student],
            &hash,
        )
        .await?;
        let body = format!("{}{}7Q{:03}", &given[..1], &family[..1], 200 + i * 37);
        let usi = Usi::with_check(&format!(
            "{:X<9}",
            body.to_uppercase().replace(['I', 'O', '\'', '0', '1'], "X")
        ))
        .map(String::from);
        let res = learner::Entity::insert(learner::ActiveModel {
            id: NotSet,
            account_id: Set(Some(account_id)),
            given_name: Set((*given).into()),
            family_name: Set((*family).into()),
            created_at: Set(now),
            date_of_birth: Set(NaiveDate::from_ymd_opt(
                2000 + (i as i32 % 7),
                1 + (i as u32 % 12),
                3 + i as u32,
            )),
            usi: Set(usi),
            email: Set(Some(email.clone())),
            phone: Set(Some(format!("0412 555 {:03}", 100 + i))),
            address_suburb: Set(Some(
                ["Footscray", "Geelong", "Bendigo", "Ballarat"][i % 4].into(),
            )),
            address_state: Set(Some("VIC".into())),
            address_postcode: Set(Some(["3011", "3220", "3550", "3350"][i % 4].into())),
            version: Set(1),
            ..Default::default()
        })
        .exec(&txn)
        .await?;
        enrolment::Entity::insert(enrolment::ActiveModel {
            id: NotSet,
            learner_id: Set(res.last_insert_id),
            course_id: Set(course_ids[i % 2]),
            status: Set("active".into()),
            ..Default::default()
        })
        .exec(&txn)
        .await?;
        if i == 0 {
            learner_share::Entity::insert(learner_share::ActiveModel {
                id: NotSet,
                learner_id: Set(res.last_insert_id),
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
    attendance::seed(&txn, &course_ids).await?;
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
