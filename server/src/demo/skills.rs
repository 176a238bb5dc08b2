//! A demo industry skills framework, imported by the demo administrator through the
//! service (so its version and history are written like a real import): "Construction
//! industry skills (demo)", version 1, fifteen ESCO-style skills in four groups.

use app::domain::Role;
use app::error::AppError;
use app::models::CurrentUser;
use app::models::skills::SkillsImportForm;
use app::server::auth::Caller;
use app::server::services::skills;
use sea_orm::ConnectionTrait;

/// (uri suffix, label, group).
const SKILLS: [(&str, &str, &str); 15] = [
    (
        "1a2b3c4d-0001-4e6f-8a9b-c0d1e2f30001",
        "read construction drawings",
        "Planning",
    ),
    (
        "1a2b3c4d-0002-4e6f-8a9b-c0d1e2f30002",
        "calculate material quantities for construction",
        "Planning",
    ),
    (
        "1a2b3c4d-0003-4e6f-8a9b-c0d1e2f30003",
        "set out building lines",
        "Planning",
    ),
    (
        "1a2b3c4d-0004-4e6f-8a9b-c0d1e2f30004",
        "install wooden frames",
        "Carpentry",
    ),
    (
        "1a2b3c4d-0005-4e6f-8a9b-c0d1e2f30005",
        "install roof trusses",
        "Carpentry",
    ),
    (
        "1a2b3c4d-0006-4e6f-8a9b-c0d1e2f30006",
        "fit doors and windows",
        "Carpentry",
    ),
    (
        "1a2b3c4d-0007-4e6f-8a9b-c0d1e2f30007",
        "construct timber stairs",
        "Carpentry",
    ),
    (
        "1a2b3c4d-0008-4e6f-8a9b-c0d1e2f30008",
        "use power tools safely",
        "Tools and equipment",
    ),
    (
        "1a2b3c4d-0009-4e6f-8a9b-c0d1e2f30009",
        "maintain hand tools",
        "Tools and equipment",
    ),
    (
        "1a2b3c4d-0010-4e6f-8a9b-c0d1e2f30010",
        "operate a nail gun",
        "Tools and equipment",
    ),
    (
        "1a2b3c4d-0011-4e6f-8a9b-c0d1e2f30011",
        "apply health and safety standards in construction",
        "Health and safety",
    ),
    (
        "1a2b3c4d-0012-4e6f-8a9b-c0d1e2f30012",
        "work safely at heights",
        "Health and safety",
    ),
    (
        "1a2b3c4d-0013-4e6f-8a9b-c0d1e2f30013",
        "use personal protective equipment",
        "Health and safety",
    ),
    (
        "1a2b3c4d-0014-4e6f-8a9b-c0d1e2f30014",
        "erect and dismantle scaffolding",
        "Health and safety",
    ),
    (
        "1a2b3c4d-0015-4e6f-8a9b-c0d1e2f30015",
        "dispose of construction waste",
        "Health and safety",
    ),
];

/// The framework file, as an administrator would upload it.
pub fn csv() -> String {
    let mut out = String::from("uri,label,description,group\n");
    for (id, label, group) in SKILLS {
        out.push_str(&format!(
            "http://data.europa.eu/esco/skill/{id},{label},,{group}\n"
        ));
    }
    out
}

/// Imports the demo framework as `admin` (the demo administrator's account id).
pub async fn seed<C: ConnectionTrait>(db: &C, admin: i64) -> Result<(), AppError> {
    let caller = Caller {
        user: Some(CurrentUser {
            id: admin,
            email: "admin@demo.trackrecord.test".into(),
            display_name: "Priya Shah".into(),
            roles: vec![Role::Admin],
            learner_id: None,
        }),
        ..Caller::default()
    };
    let form = SkillsImportForm {
        code: "DEMO-CONSTR".into(),
        title: "Construction industry skills (demo)".into(),
        description: "A small ESCO-style framework of construction skills, for trying out the skills framework pages.".into(),
        note: "Demo version".into(),
        csv: csv(),
        ..SkillsImportForm::default()
    };
    skills::apply(db, &caller, &form).await?;
    Ok(())
}
