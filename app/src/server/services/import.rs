//! Bulk import of learners and enrolments: the database checks, the stored upload with its
//! problems, the preview, and the all-or-nothing import with batched inserts.

use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde::Serialize;

use crate::domain::packaging::{UnitKind, check_selection};
use crate::error::AppError;
use crate::models::import::{
    CheckedFile, ImportBatchRow, ImportPreview, ImportProblem, ImportRow, MAX_LISTED_PROBLEMS,
    SampleRow, check_text,
};
use crate::models::{PER_PAGE, Page};
use crate::server::auth::Caller;
use crate::server::entities::{
    account, course, enrolment, enrolment_unit, history, import_batch, import_problem, learner,
    qualification, qualification_unit, unit,
};

/// Rows per multi-row INSERT: well under SQLite's and PostgreSQL's bind-parameter limits.
const CHUNK: usize = 500;

/// A batch waiting to be imported.
pub const CHECKED: &str = "checked";
/// A batch whose rows are in the database.
pub const IMPORTED: &str = "imported";

/// An enrolment that passed every check, with ids resolved.
#[derive(Clone, Debug)]
pub struct ReadyEnrolment {
    /// Course id.
    pub course_id: i64,
    /// Course code (for history).
    pub course_code: String,
    /// Commencement date.
    pub commenced_on: NaiveDate,
    /// Unit ids.
    pub unit_ids: Vec<i64>,
    /// Unit codes, sorted (for history).
    pub unit_codes: Vec<String>,
}

/// A row that passed every check.
#[derive(Clone, Debug)]
pub struct ReadyRow {
    /// The row as read.
    pub row: ImportRow,
    /// Its enrolment, resolved.
    pub enrolment: Option<ReadyEnrolment>,
}

/// A file after every check, the database's included.
#[derive(Debug, Default)]
pub struct Checked {
    /// Rows ready to import.
    pub ready: Vec<ReadyRow>,
    /// Problems, by row.
    pub problems: Vec<ImportProblem>,
    /// Data rows in the file.
    pub data_rows: usize,
}

impl Checked {
    /// Rows with at least one problem (file-level problems count as none).
    pub fn problem_rows(&self) -> usize {
        self.problems
            .iter()
            .filter(|p| p.row > 0)
            .map(|p| p.row)
            .collect::<HashSet<_>>()
            .len()
    }
}

/// What enrolling in a course can offer: the qualification's units and electives.
struct Offer {
    course_id: i64,
    qualification: String,
    electives: u32,
    units: Vec<(i64, String, UnitKind)>,
}

/// Checks a file's text against the rules and the database as it is now.
pub async fn check<C: ConnectionTrait>(db: &C, text: &str) -> Result<Checked, AppError> {
    let CheckedFile {
        rows,
        mut problems,
        data_rows,
    } = check_text(text);
    // USIs already held by a learner.
    let usis: Vec<String> = rows.iter().filter_map(|r| r.profile.usi.clone()).collect();
    let mut taken: HashSet<String> = HashSet::new();
    for chunk in usis.chunks(CHUNK) {
        let found: Vec<Option<String>> = learner::Entity::find()
            .select_only()
            .column(learner::Column::Usi)
            .filter(learner::Column::Usi.is_in(chunk.to_vec()))
            .into_tuple()
            .all(db)
            .await?;
        taken.extend(found.into_iter().flatten());
    }
    // Courses named, with what each offers.
    let codes: Vec<String> = rows
        .iter()
        .filter_map(|r| r.enrolment.as_ref().map(|e| e.course_code.clone()))
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let offers = offers(db, &codes).await?;
    let mut ready = Vec::with_capacity(rows.len());
    for row in rows {
        let mut row_problems = Vec::new();
        let n = row.row;
        if row.profile.usi.as_ref().is_some_and(|u| taken.contains(u)) {
            row_problems.push(ImportProblem {
                row: n,
                column: "usi".into(),
                message:
                    "Another learner already has this USI. Check it, or find that learner's record."
                        .into(),
            });
        }
        let enrolment = match &row.enrolment {
            None => None,
            Some(e) => match offers.get(&e.course_code) {
                None => {
                    row_problems.push(ImportProblem {
                        row: n,
                        column: "course_code".into(),
                        message: format!("No course has the code {}.", e.course_code),
                    });
                    None
                }
                Some(Err(message)) => {
                    row_problems.push(ImportProblem {
                        row: n,
                        column: "course_code".into(),
                        message: message.clone(),
                    });
                    None
                }
                Some(Ok(offer)) => {
                    let mut ids = Vec::new();
                    let mut codes = Vec::new();
                    for code in &e.units {
                        match offer.units.iter().find(|(_, c, _)| c == code) {
                            Some((id, c, _)) => {
                                ids.push(*id);
                                codes.push(c.clone());
                            }
                            None => row_problems.push(ImportProblem {
                                row: n,
                                column: "units".into(),
                                message: format!(
                                    "{code} is not a unit of {}.",
                                    offer.qualification
                                ),
                            }),
                        }
                    }
                    if let Err(messages) = check_selection(&offer.units, offer.electives, &ids) {
                        row_problems.extend(messages.into_iter().map(|m| ImportProblem {
                            row: n,
                            column: "units".into(),
                            message: m,
                        }));
                    }
                    codes.sort();
                    Some(ReadyEnrolment {
                        course_id: offer.course_id,
                        course_code: e.course_code.clone(),
                        commenced_on: e.commenced_on,
                        unit_ids: ids,
                        unit_codes: codes,
                    })
                }
            },
        };
        if row_problems.is_empty() {
            ready.push(ReadyRow { row, enrolment });
        } else {
            problems.extend(row_problems);
        }
    }
    // By row, keeping each row's problems in column order.
    problems.sort_by_key(|p| p.row);
    Ok(Checked {
        ready,
        problems,
        data_rows,
    })
}

/// For each course code found: what it offers, or why it takes no enrolments.
async fn offers<C: ConnectionTrait>(
    db: &C,
    codes: &[String],
) -> Result<HashMap<String, Result<Offer, String>>, AppError> {
    let mut out = HashMap::new();
    if codes.is_empty() {
        return Ok(out);
    }
    let courses = course::Entity::find()
        .filter(course::Column::Code.is_in(codes.to_vec()))
        .all(db)
        .await?;
    let qual_ids: Vec<i64> = courses.iter().filter_map(|c| c.qualification_id).collect();
    let quals: HashMap<i64, qualification::Model> = qualification::Entity::find()
        .filter(qualification::Column::Id.is_in(qual_ids.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|q| (q.id, q))
        .collect();
    let links = qualification_unit::Entity::find()
        .filter(qualification_unit::Column::QualificationId.is_in(qual_ids))
        .all(db)
        .await?;
    let unit_codes: HashMap<i64, String> = unit::Entity::find()
        .filter(unit::Column::Id.is_in(links.iter().map(|l| l.unit_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.code))
        .collect();
    for c in courses {
        let offer = match c.qualification_id.and_then(|q| quals.get(&q)) {
            None => Err("This course has no qualification, so it takes no enrolments.".to_owned()),
            Some(q) => Ok(Offer {
                course_id: c.id,
                qualification: q.code.clone(),
                electives: u32::try_from(q.electives_required).unwrap_or(0),
                units: links
                    .iter()
                    .filter(|l| l.qualification_id == q.id)
                    .map(|l| {
                        (
                            l.unit_id,
                            unit_codes.get(&l.unit_id).cloned().unwrap_or_default(),
                            UnitKind::parse(&l.kind).unwrap_or(UnitKind::Elective),
                        )
                    })
                    .collect(),
            }),
        };
        out.insert(c.code, offer);
    }
    Ok(out)
}

async fn store_problems<C: ConnectionTrait>(
    db: &C,
    batch_id: i64,
    problems: &[ImportProblem],
) -> Result<(), AppError> {
    import_problem::Entity::delete_many()
        .filter(import_problem::Column::BatchId.eq(batch_id))
        .exec(db)
        .await?;
    let listed = &problems[..problems.len().min(MAX_LISTED_PROBLEMS)];
    for chunk in listed.chunks(CHUNK) {
        import_problem::Entity::insert_many(chunk.iter().map(|p| import_problem::ActiveModel {
            id: NotSet,
            batch_id: Set(batch_id),
            row: Set(i32::try_from(p.row).unwrap_or(i32::MAX)),
            column: Set(p.column.chars().take(255).collect()),
            message: Set(p.message.clone()),
        }))
        .exec_without_returning(db)
        .await?;
    }
    Ok(())
}

fn count(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// Stores an uploaded file with the results of its [`check`]; returns the batch id.
pub async fn create_batch<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    filename: &str,
    text: &str,
    checked: &Checked,
) -> Result<i64, AppError> {
    let filename: String = filename
        .trim()
        .chars()
        .filter(|c| !c.is_control())
        .take(255)
        .collect();
    let id = import_batch::Entity::insert(import_batch::ActiveModel {
        id: NotSet,
        created_by: Set(caller.user.as_ref().map(|u| u.id)),
        created_at: Set(Utc::now()),
        filename: Set(if filename.is_empty() {
            "pasted.csv".into()
        } else {
            filename
        }),
        content: Set(text.to_owned()),
        row_count: Set(count(checked.data_rows)),
        ready_rows: Set(count(checked.ready.len())),
        problem_rows: Set(count(checked.problem_rows())),
        problem_count: Set(count(checked.problems.len())),
        enrolments: Set(count(
            checked
                .ready
                .iter()
                .filter(|r| r.enrolment.is_some())
                .count(),
        )),
        status: Set(CHECKED.into()),
        imported_at: Set(None),
        imported_by: Set(None),
        learners_created: Set(None),
        enrolments_created: Set(None),
    })
    .exec(db)
    .await?
    .last_insert_id;
    store_problems(db, id, &checked.problems).await?;
    Ok(id)
}

async fn emails<C: ConnectionTrait>(
    db: &C,
    ids: Vec<i64>,
) -> Result<HashMap<i64, String>, AppError> {
    Ok(account::Entity::find()
        .filter(account::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.email))
        .collect())
}

fn batch_row(b: &import_batch::Model, who: &HashMap<i64, String>) -> ImportBatchRow {
    ImportBatchRow {
        id: b.id,
        filename: b.filename.clone(),
        created_at: b.created_at,
        uploaded_by: b.created_by.and_then(|id| who.get(&id).cloned()),
        status: b.status.clone(),
        row_count: u32::try_from(b.row_count).unwrap_or(0),
        problem_rows: u32::try_from(b.problem_rows).unwrap_or(0),
    }
}

/// Uploads, newest first, a page at a time.
pub async fn list<C: ConnectionTrait>(db: &C, page: u64) -> Result<Page<ImportBatchRow>, AppError> {
    let (fetched, total, page) = super::page_of(
        db,
        import_batch::Entity::find()
            .order_by_desc(import_batch::Column::CreatedAt)
            .order_by_desc(import_batch::Column::Id),
        page,
    )
    .await?;
    let who = emails(db, fetched.iter().filter_map(|b| b.created_by).collect()).await?;
    Ok(Page {
        items: fetched.iter().map(|b| batch_row(b, &who)).collect(),
        total,
        page,
        per_page: PER_PAGE,
    })
}

/// How many rows the preview shows before the import.
const SAMPLE: usize = 10;

/// One upload as checked: summary, a page of its problems, the first rows to import.
pub async fn preview<C: ConnectionTrait>(
    db: &C,
    id: i64,
    page: u64,
) -> Result<ImportPreview, AppError> {
    let b = import_batch::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let (fetched, total, page) = super::page_of(
        db,
        import_problem::Entity::find()
            .filter(import_problem::Column::BatchId.eq(id))
            .order_by_asc(import_problem::Column::Row)
            .order_by_asc(import_problem::Column::Id),
        page,
    )
    .await?;
    let problems = Page {
        items: fetched
            .into_iter()
            .map(|p| ImportProblem {
                row: u32::try_from(p.row).unwrap_or(0),
                column: p.column,
                message: p.message,
            })
            .collect(),
        total,
        page,
        per_page: PER_PAGE,
    };
    // The first rows, read again from the stored file (no database needed for these).
    let sample = if b.status == CHECKED && b.problem_count == 0 {
        check_text(&b.content)
            .rows
            .into_iter()
            .take(SAMPLE)
            .map(|r| SampleRow {
                row: r.row,
                name: format!("{}, {}", r.profile.family_name, r.profile.given_name),
                date_of_birth: r.profile.date_of_birth,
                usi: r.profile.usi,
                units: r.enrolment.as_ref().map_or(0, |e| e.units.len()),
                course: r.enrolment.map(|e| e.course_code),
            })
            .collect()
    } else {
        Vec::new()
    };
    let who = emails(db, b.created_by.into_iter().collect()).await?;
    let n = |v: i32| u32::try_from(v).unwrap_or(0);
    Ok(ImportPreview {
        batch: batch_row(&b, &who),
        ready_rows: n(b.ready_rows),
        enrolments: n(b.enrolments),
        problem_count: n(b.problem_count),
        problems,
        sample,
        imported: b
            .learners_created
            .zip(b.enrolments_created)
            .map(|(l, e)| (n(l), n(e))),
        imported_at: b.imported_at,
    })
}

/// What an enrolment records, as kept in history (the shape `services::enrolments` writes).
#[derive(Serialize)]
struct EnrolmentRecord<'a> {
    course: &'a str,
    status: &'a str,
    commenced_on: Option<NaiveDate>,
    prior_skills: Option<&'a str>,
    units: &'a [String],
}

/// The result of an import attempt.
pub enum Outcome {
    /// Everything was imported: learners and enrolments created.
    Imported(u32, u32),
    /// The file no longer passes its check (the database changed): nothing was imported.
    Problems(Checked),
}

/// Imports a checked batch in the caller's transaction: every learner, enrolment, unit
/// choice and history entry, with multi-row inserts. The file is checked again first;
/// any problem and nothing is written. A batch imports once.
pub async fn import<C: ConnectionTrait>(
    db: &C,
    caller: &Caller,
    id: i64,
) -> Result<Outcome, AppError> {
    let b = import_batch::Entity::find_by_id(id)
        .lock_exclusive()
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if b.status != CHECKED {
        return Err(AppError::Conflict(format!(
            "This file was already imported{}. Nothing was imported again.",
            b.imported_at
                .map(|at| format!(" on {}", at.format("%-d %B %Y at %H:%M UTC")))
                .unwrap_or_default()
        )));
    }
    if b.problem_count > 0 {
        return Err(AppError::field(
            "_form",
            "This file has problems, so nothing can be imported from it. Fix them and upload the file again.",
        ));
    }
    let checked = check(db, &b.content).await?;
    if !checked.problems.is_empty() {
        return Ok(Outcome::Problems(checked));
    }
    let now = Utc::now();
    let actor = caller.user.as_ref().map(|u| u.id);
    let reason = format!("Imported from {} (import {id})", b.filename);
    let rows = &checked.ready;

    // Learners. Ids come back in the order of the VALUES (ascending within one statement).
    let mut learner_ids: Vec<i64> = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(CHUNK) {
        let mut ids = learner::Entity::insert_many(chunk.iter().map(|r| {
            let p = &r.row.profile;
            learner::ActiveModel {
                id: NotSet,
                account_id: Set(None),
                given_name: Set(p.given_name.clone()),
                family_name: Set(p.family_name.clone()),
                created_at: Set(now),
                preferred_name: Set(p.preferred_name.clone()),
                date_of_birth: Set(Some(p.date_of_birth)),
                usi: Set(p.usi.clone()),
                email: Set(p.email.clone()),
                phone: Set(p.phone.clone()),
                address_street: Set(p.address_street.clone()),
                address_suburb: Set(p.address_suburb.clone()),
                address_state: Set(p.address_state.clone()),
                address_postcode: Set(p.address_postcode.clone()),
                emergency_name: Set(p.emergency_name.clone()),
                emergency_phone: Set(p.emergency_phone.clone()),
                version: Set(1),
                updated_at: Set(Some(now)),
            }
        }))
        .exec_with_returning_keys(db)
        .await?;
        if ids.len() != chunk.len() {
            return Err(AppError::internal(
                "import",
                "learner insert returned a different number of ids",
            ));
        }
        ids.sort_unstable();
        learner_ids.extend(ids);
    }

    // Enrolments, for the rows that ask for one.
    let wanted: Vec<(i64, &ReadyEnrolment)> = rows
        .iter()
        .zip(&learner_ids)
        .filter_map(|(r, id)| r.enrolment.as_ref().map(|e| (*id, e)))
        .collect();
    let mut enrolment_ids: Vec<i64> = Vec::with_capacity(wanted.len());
    for chunk in wanted.chunks(CHUNK) {
        let mut ids = enrolment::Entity::insert_many(chunk.iter().map(|(learner_id, e)| {
            enrolment::ActiveModel {
                id: NotSet,
                learner_id: Set(*learner_id),
                course_id: Set(e.course_id),
                status: Set("active".into()),
                commenced_on: Set(Some(e.commenced_on)),
                prior_skills: Set(None),
                version: Set(1),
                status_on: Set(Some(e.commenced_on)),
                status_reason: Set(None),
            }
        }))
        .exec_with_returning_keys(db)
        .await?;
        if ids.len() != chunk.len() {
            return Err(AppError::internal(
                "import",
                "enrolment insert returned a different number of ids",
            ));
        }
        ids.sort_unstable();
        enrolment_ids.extend(ids);
    }
    let choices: Vec<(i64, i64)> = wanted
        .iter()
        .zip(&enrolment_ids)
        .flat_map(|((_, e), id)| e.unit_ids.iter().map(move |u| (*id, *u)))
        .collect();
    for chunk in choices.chunks(CHUNK * 4) {
        enrolment_unit::Entity::insert_many(chunk.iter().map(|(enrolment_id, unit_id)| {
            enrolment_unit::ActiveModel {
                enrolment_id: Set(*enrolment_id),
                unit_id: Set(*unit_id),
            }
        }))
        .exec_without_returning(db)
        .await?;
    }

    // History: one entry per learner and per enrolment, as the single-record paths write.
    let mut entries: Vec<history::ActiveModel> = Vec::with_capacity(rows.len() + wanted.len());
    for (r, id) in rows.iter().zip(&learner_ids) {
        entries.push(history::ActiveModel {
            id: NotSet,
            at: Set(now),
            actor_id: Set(actor),
            learner_id: Set(Some(*id)),
            entity: Set("learner".into()),
            entity_id: Set(*id),
            action: Set("create".into()),
            reason: Set(Some(reason.clone())),
            before: Set(None),
            after: Set(Some(json(&r.row.profile)?)),
            record_version: Set(Some(1)),
        });
    }
    for ((learner_id, e), id) in wanted.iter().zip(&enrolment_ids) {
        let record = EnrolmentRecord {
            course: &e.course_code,
            status: "active",
            commenced_on: Some(e.commenced_on),
            prior_skills: None,
            units: &e.unit_codes,
        };
        entries.push(history::ActiveModel {
            id: NotSet,
            at: Set(now),
            actor_id: Set(actor),
            learner_id: Set(Some(*learner_id)),
            entity: Set("enrolment".into()),
            entity_id: Set(*id),
            action: Set("create".into()),
            reason: Set(Some(reason.clone())),
            before: Set(None),
            after: Set(Some(json(&record)?)),
            record_version: Set(Some(1)),
        });
    }
    let mut entries = entries.into_iter().peekable();
    while entries.peek().is_some() {
        let chunk: Vec<history::ActiveModel> = entries.by_ref().take(CHUNK).collect();
        history::Entity::insert_many(chunk)
            .exec_without_returning(db)
            .await?;
    }

    // Mark the batch imported (once: the status must still be `checked`), and drop the
    // file's text: the records and their history now hold it.
    let (learners, enrolments) = (count(learner_ids.len()), count(enrolment_ids.len()));
    let res = import_batch::Entity::update_many()
        .col_expr(import_batch::Column::Status, Expr::value(IMPORTED))
        .col_expr(import_batch::Column::ImportedAt, Expr::value(Some(now)))
        .col_expr(import_batch::Column::ImportedBy, Expr::value(actor))
        .col_expr(
            import_batch::Column::LearnersCreated,
            Expr::value(Some(learners)),
        )
        .col_expr(
            import_batch::Column::EnrolmentsCreated,
            Expr::value(Some(enrolments)),
        )
        .col_expr(import_batch::Column::Content, Expr::value(String::new()))
        .filter(import_batch::Column::Id.eq(id))
        .filter(import_batch::Column::Status.eq(CHECKED))
        .exec(db)
        .await?;
    if res.rows_affected != 1 {
        return Err(AppError::Conflict(
            "This file was imported by someone else just now. Nothing was imported again.".into(),
        ));
    }
    Ok(Outcome::Imported(
        u32::try_from(learners).unwrap_or(0),
        u32::try_from(enrolments).unwrap_or(0),
    ))
}

/// Records what a failed import found, so the preview shows the file as it stands now.
pub async fn record_recheck<C: ConnectionTrait>(
    db: &C,
    id: i64,
    checked: &Checked,
) -> Result<(), AppError> {
    import_batch::Entity::update_many()
        .col_expr(
            import_batch::Column::ReadyRows,
            Expr::value(count(checked.ready.len())),
        )
        .col_expr(
            import_batch::Column::ProblemRows,
            Expr::value(count(checked.problem_rows())),
        )
        .col_expr(
            import_batch::Column::ProblemCount,
            Expr::value(count(checked.problems.len())),
        )
        .filter(import_batch::Column::Id.eq(id))
        .filter(import_batch::Column::Status.eq(CHECKED))
        .exec(db)
        .await?;
    store_problems(db, id, &checked.problems).await
}

fn json<T: Serialize>(v: &T) -> Result<String, AppError> {
    serde_json::to_string(v).map_err(|e| AppError::internal("history json", e))
}
