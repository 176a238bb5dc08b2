//! Demo portfolios: items written by the eight demo students themselves, through the
//! portfolio service (history written), tagged with their own units and skills.
//!
//! Mia Nguyen (learner 0) has six items — two reflections in Markdown, two work
//! placements with hours and a supervisor, an activity, and an evidence item with a small
//! generated photo. Liam O'Connor (1), Noah Papadopoulos (3) and Zara Singh (6) have four or
//! five items of mixed kinds each, a reflection among them; the others two or three.
//! The content is fixed, so every demo database looks the same.
//!
//! Liam also has a link share of his whole portfolio that expired three days ago, under
//! the known token [`EXPIRED_LINK_TOKEN`] (demo data only: real links get 256 random bits),
//! so `/s/<token>` shows what a visitor of an expired link sees.

use app::domain::Role;
use app::error::AppError;
use app::models::CurrentUser;
use app::models::evidence::MediaType;
use app::models::portfolio::{ItemForm, UnitTag};
use app::server::auth::Caller;
use app::server::auth::hash_token;
use app::server::entities::{account, learner, portfolio_item, portfolio_share};
use app::server::services::{evidence, portfolio};
use app::server::storage::Storage;
use chrono::{Duration, Utc};
use sea_orm::{ActiveValue::NotSet, ActiveValue::Set, ConnectionTrait, EntityTrait};

/// The token of the demo's expired link share (Liam O'Connor's portfolio).
pub const EXPIRED_LINK_TOKEN: &str = "demo-expired-link-liam-oconnor";

/// One demo item: the form as the student would post it, and which of the learner's units
/// (by position in their enrolled units, by code) it is tagged with.
struct Demo {
    form: ItemForm,
    units: &'static [usize],
    photo: Option<(&'static str, [u8; 3])>,
}

fn reflection(title: &str, body: &str, skills: &str, units: &'static [usize]) -> Demo {
    Demo {
        form: ItemForm {
            kind: "reflection".into(),
            title: title.into(),
            body: body.into(),
            skills: skills.into(),
            ..ItemForm::default()
        },
        units,
        photo: None,
    }
}

#[allow(clippy::too_many_arguments)]
fn work(
    title: &str,
    employer: &str,
    role: &str,
    (start, end): (&str, &str),
    hours: &str,
    supervisor: &str,
    body: &str,
    skills: &str,
    units: &'static [usize],
) -> Demo {
    Demo {
        form: ItemForm {
            kind: "work_experience".into(),
            title: title.into(),
            body: body.into(),
            organisation: employer.into(),
            role: role.into(),
            start_date: start.into(),
            end_date: end.into(),
            hours: hours.into(),
            supervisor: supervisor.into(),
            skills: skills.into(),
        },
        units,
        photo: None,
    }
}

fn activity(title: &str, organisation: &str, start: &str, body: &str, skills: &str) -> Demo {
    Demo {
        form: ItemForm {
            kind: "activity".into(),
            title: title.into(),
            body: body.into(),
            organisation: organisation.into(),
            start_date: start.into(),
            skills: skills.into(),
            ..ItemForm::default()
        },
        units: &[],
        photo: None,
    }
}

fn evidence_item(
    title: &str,
    body: &str,
    skills: &str,
    units: &'static [usize],
    photo: Option<(&'static str, [u8; 3])>,
) -> Demo {
    Demo {
        form: ItemForm {
            kind: "evidence".into(),
            title: title.into(),
            body: body.into(),
            skills: skills.into(),
            ..ItemForm::default()
        },
        units,
        photo,
    }
}

/// Mia Nguyen's six items (Carpentry, Semester 1).
fn mia() -> Vec<Demo> {
    vec![
        reflection(
            "Week 6: setting out my first wall frame",
            "## What went well\n\nI set out the **bottom and top plates** together and marked every stud at 450 centres. \
             Tom checked my measurements and they were all within 2 mm.\n\n## What I would do differently\n\n\
             - Check the slab for level *before* marking, not after.\n- Use a sharper pencil: thick lines cost me a millimetre each.\n\n\
             Next week I want to try the [AS 1684 span tables](https://www.standards.org.au/) for the lintels myself.",
            "setting out, measuring, reading plans",
            &[3, 5],
        ),
        reflection(
            "Learning to ask for help on site",
            "On my first placement I tried to work out the stair calculations alone and lost half a day.\n\n\
             > Ask early, ask once, write the answer down.\n\nThat is what my supervisor told me, and now I keep a notebook in my tool bag.",
            "communication, teamwork",
            &[0],
        ),
        work(
            "Apprentice carpenter placement",
            "BuildRight Constructions",
            "Apprentice carpenter (first year)",
            ("2026-02-16", "2026-03-27"),
            "152",
            "Dee Moss",
            "Framed internal walls for a six-unit townhouse project, installed noggins and bracing, \
             and helped stand and plumb the frames.\n\nI learned to read the frame layout drawings and to check for square with the 3-4-5 method.",
            "framing, bracing, working safely at height",
            &[5, 3],
        ),
        work(
            "Weekend labouring",
            "Westside Renovations",
            "Labourer",
            ("2025-09-06", "2026-01-31"),
            "96",
            "Mark Feeney",
            "Demolition of a small rear deck and a laundry, sorting materials for recycling, \
             and keeping the site clean and safe.",
            "demolition, site housekeeping, manual handling",
            &[2, 1],
        ),
        activity(
            "Habitat for Humanity build day",
            "Habitat for Humanity Victoria",
            "2026-04-18",
            "Volunteered on a community build in Sunshine: cut and fitted skirting boards with a team of six volunteers.",
            "volunteering, finishing carpentry, teamwork",
        ),
        evidence_item(
            "Photo of my finished wall frame",
            "The wall frame from week 6, stood and braced, before the plumber's inspection.",
            "framing",
            &[5],
            Some(("my-wall-frame.png", [176, 122, 70])),
        ),
    ]
}

/// Carpentry items for the other Carpentry learners; `n` of them.
fn carpentry(n: usize, name: &str) -> Vec<Demo> {
    let all = vec![
        reflection(
            "What I learned installing a floor",
            &format!(
                "## Bearers and joists\n\n{name}'s notes: check every bearer with a string line before laying joists. \
                 I found one that was **12 mm** low and packed it.\n\n## Next time\n\n- Start from the highest point.\n- Keep the offcuts sorted by length."
            ),
            "flooring, levelling",
            &[4],
        ),
        work(
            "Work placement: residential framing",
            "Hammer & Sons Carpentry",
            "Apprentice",
            ("2026-03-02", "2026-04-10"),
            "120",
            "Luca Ferrari",
            "Framed walls and roof trusses for two new homes, and learned to use the nail gun safely.",
            "framing, power tools, working safely",
            &[5, 0],
        ),
        activity(
            "Apprentice of the month nomination",
            "Geelong Master Builders",
            "2026-05-01",
            "Nominated by my employer for tidy work and turning up early every day.",
            "reliability",
        ),
        evidence_item(
            "Tool safety checklist",
            "My completed pre-start checklist for the circular saw and nail gun.",
            "tool safety",
            &[0],
            None,
        ),
        reflection(
            "Reading plans with confidence",
            "At first the section drawings confused me. Now I start with the **legend** and the **scale**, then follow one wall at a time.",
            "reading plans",
            &[3],
        ),
    ];
    all.into_iter().take(n).collect()
}

/// Business items for the Business learners; `n` of them.
fn business(n: usize, name: &str) -> Vec<Demo> {
    let all = vec![
        reflection(
            "Critical thinking in my first report",
            &format!(
                "## The problem\n\n{name}'s team had three suppliers and no clear way to choose.\n\n\
                 ## What I did\n\nI built a simple *weighted criteria* table: price, delivery time, reliability.\n\n\
                 ## What I learned\n\nWriting the criteria down **before** looking at quotes kept me honest."
            ),
            "critical thinking, decision making",
            &[0],
        ),
        work(
            "Office administration placement",
            "Bayside Community Legal",
            "Administration assistant",
            ("2026-03-09", "2026-05-29"),
            "180",
            "Ruth Adeyemi",
            "Managed the reception inbox, booked client appointments and kept the file register up to date.",
            "customer service, scheduling, record keeping",
            &[1, 3],
        ),
        activity(
            "Student representative",
            "Trackrecord Training student council",
            "2026-02-16",
            "Represented the online Business cohort at monthly student council meetings.",
            "public speaking, representing others",
        ),
        evidence_item(
            "Risk register for the café project",
            "The risk register I wrote for the class café project, with likelihood and consequence ratings.",
            "risk management",
            &[2],
            None,
        ),
        reflection(
            "Managing my study time",
            "I moved my study to early mornings and used a weekly priority list. Late submissions went from three to none.",
            "time management",
            &[2],
        ),
    ];
    all.into_iter().take(n).collect()
}

/// Seeds the portfolios of the learners with accounts in `seeded` (learner id, enrolment).
pub async fn seed<C: ConnectionTrait>(
    db: &C,
    storage: &dyn Storage,
    seeded: &[(i64, i64)],
) -> Result<(), AppError> {
    for (i, &(learner_id, _)) in seeded.iter().enumerate().take(8) {
        let Some(l) = learner::Entity::find_by_id(learner_id).one(db).await? else {
            continue;
        };
        let Some(account_id) = l.account_id else {
            continue;
        };
        let Some(a) = account::Entity::find_by_id(account_id).one(db).await? else {
            continue;
        };
        let caller = Caller {
            user: Some(CurrentUser {
                id: a.id,
                email: a.email.clone(),
                display_name: a.display_name.clone(),
                roles: vec![Role::Student],
                learner_id: Some(learner_id),
            }),
            ..Caller::default()
        };
        // The demo's courses go Carpentry S1, Business, Carpentry S2 in turn.
        let business_learner = i % 3 == 1;
        let n = match i {
            1 | 3 | 6 => 5,
            2 | 5 => 3,
            _ => 2,
        };
        let items = match (i, business_learner) {
            (0, _) => mia(),
            (_, true) => business(n, &l.given_name),
            (_, false) => carpentry(n, &l.given_name),
        };
        let units: Vec<UnitTag> = portfolio::units_of_learner(db, learner_id).await?;
        for demo in items {
            let input = demo.form.validate().map_err(AppError::Validation)?;
            let tags: Vec<i64> = demo
                .units
                .iter()
                .filter_map(|k| units.get(*k % units.len().max(1)).map(|u| u.id))
                .collect();
            let id = portfolio::create(db, &caller, learner_id, &input, &tags).await?;
            if let Some((filename, colour)) = demo.photo {
                let bytes = super::evidence::png(32, 24, colour);
                let stored = evidence::store(db, storage, &bytes, MediaType::Png).await?;
                let item = portfolio_item::Entity::find_by_id(id)
                    .one(db)
                    .await?
                    .ok_or(AppError::NotFound)?;
                portfolio::attach(db, &caller, &item, &stored, filename).await?;
            }
        }
        if i == 1 {
            let now = Utc::now();
            portfolio_share::Entity::insert(portfolio_share::ActiveModel {
                id: NotSet,
                learner_id: Set(learner_id),
                kind: Set("link".into()),
                partner_id: Set(None),
                token_hash: Set(Some(hash_token(EXPIRED_LINK_TOKEN))),
                label: Set(Some("Open day at BuildRight".into())),
                whole_portfolio: Set(true),
                expires_at: Set(Some(now - Duration::days(3))),
                created_by: Set(a.id),
                created_at: Set(now - Duration::days(33)),
                revoked_at: Set(None),
            })
            .exec(db)
            .await?;
        }
    }
    Ok(())
}
