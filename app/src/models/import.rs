//! Bulk import of learners (and their enrolments) from CSV: the file format, the checks
//! that need no database, and the wire types of the preview.
//!
//! Every row is checked with the same typed form as the single-record path
//! ([`ProfileForm::validate`]); the database checks (USI taken, course exists, packaging
//! rules) live in `server::services::import`.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::models::Page;
use crate::models::profile::{Profile, ProfileForm};

/// The largest file accepted, in bytes (8 MiB: about 50,000 typical rows).
pub const MAX_BYTES: usize = 8 * 1024 * 1024;
/// The most data rows one import may hold.
pub const MAX_ROWS: usize = 20_000;
/// The most problems kept and listed for one file (the count is always exact).
pub const MAX_LISTED_PROBLEMS: usize = 1_000;

/// The columns a file may have: (header, what goes in it, required).
pub const COLUMNS: [(&str, &str, bool); 16] = [
    ("given_name", "Given name(s), as on legal documents", true),
    ("family_name", "Family name, as on legal documents", true),
    ("preferred_name", "The name the learner goes by", false),
    ("date_of_birth", "YYYY-MM-DD, e.g. 2004-03-17", true),
    (
        "usi",
        "Unique Student Identifier (10 characters), or empty",
        false,
    ),
    ("email", "Contact email", false),
    ("phone", "Contact phone, 8 to 15 digits", false),
    ("address_street", "Street address", false),
    ("address_suburb", "Suburb or town", false),
    (
        "address_state",
        "ACT, NSW, NT, QLD, SA, TAS, VIC or WA",
        false,
    ),
    ("address_postcode", "Four digits", false),
    ("emergency_name", "Emergency contact's name", false),
    ("emergency_phone", "Emergency contact's phone", false),
    (
        "course_code",
        "Course to enrol in, e.g. CPC30220-2026-S1; empty for no enrolment",
        false,
    ),
    (
        "commenced_on",
        "Commencement date, YYYY-MM-DD (with a course)",
        false,
    ),
    (
        "units",
        "Unit codes separated by semicolons: every core unit and the electives chosen",
        false,
    ),
];

/// One thing wrong with a file: where (row as numbered in the file, the header being row 1;
/// 0 for the file as a whole), which column, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportProblem {
    /// Row (line) number in the file; 0 for the whole file.
    pub row: u32,
    /// Column name, empty when the problem is about the whole row or file.
    pub column: String,
    /// What is wrong, in words a person can act on.
    pub message: String,
}

impl ImportProblem {
    fn new(row: u32, column: &str, message: impl Into<String>) -> Self {
        ImportProblem {
            row,
            column: column.to_owned(),
            message: message.into(),
        }
    }
}

/// An enrolment asked for by a row, before the database checks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowEnrolment {
    /// Course code, upper case.
    pub course_code: String,
    /// Commencement date.
    pub commenced_on: NaiveDate,
    /// Unit codes, upper case, without repeats, in the order given.
    pub units: Vec<String>,
}

/// A row that passed the checks that need no database.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportRow {
    /// Row number in the file.
    pub row: u32,
    /// The validated profile.
    pub profile: Profile,
    /// The enrolment, if the row names a course.
    pub enrolment: Option<RowEnrolment>,
}

/// A file after the checks that need no database.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CheckedFile {
    /// Rows with no problem so far.
    pub rows: Vec<ImportRow>,
    /// Problems, by row.
    pub problems: Vec<ImportProblem>,
    /// Data rows in the file (not counting the header and blank lines).
    pub data_rows: usize,
}

/// Reads uploaded bytes as UTF-8 text, with or without a byte-order mark.
pub fn decode(bytes: &[u8]) -> Result<&str, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        format!(
            "The file is not UTF-8 text (a byte at position {} cannot be read). In a spreadsheet, save it as \"CSV UTF-8\".",
            e.valid_up_to() + 1
        )
    })
}

/// Splits CSV text into records (RFC 4180: quoted fields may hold commas, quotes as `""`
/// and line breaks). Each record comes with the line it starts on. Blank lines are skipped.
pub fn parse_csv(text: &str) -> Result<Vec<(u32, Vec<String>)>, ImportProblem> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut records = Vec::new();
    let mut fields: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut line: u32 = 1;
    let mut start = 1;
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    let mut end_record = |fields: &mut Vec<String>, field: &mut String, start: u32| {
        fields.push(std::mem::take(field));
        let record = std::mem::take(fields);
        if !(record.len() == 1 && record[0].trim().is_empty()) {
            records.push((start, record));
        }
    };
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                '\n' => {
                    line += 1;
                    field.push('\n');
                }
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.trim().is_empty() => {
                field.clear();
                quoted = true;
            }
            ',' => fields.push(std::mem::take(&mut field)),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                end_record(&mut fields, &mut field, start);
                line += 1;
                start = line;
            }
            _ => field.push(c),
        }
    }
    if quoted {
        return Err(ImportProblem::new(
            start,
            "",
            "A quoted value is not closed: a \" is missing from this row onwards.",
        ));
    }
    if !fields.is_empty() || !field.is_empty() {
        end_record(&mut fields, &mut field, start);
    }
    Ok(records)
}

/// Normalises a header cell: `Given name` and `GIVEN-NAME` both read as `given_name`.
fn header_name(cell: &str) -> String {
    cell.trim().to_lowercase().replace([' ', '-'], "_")
}

/// Checks a whole file's text: header names, row count, then every row with the profile
/// form, the enrolment columns, and USIs repeated within the file.
pub fn check_text(text: &str) -> CheckedFile {
    let mut out = CheckedFile::default();
    let records = match parse_csv(text) {
        Ok(r) => r,
        Err(problem) => {
            out.problems.push(problem);
            return out;
        }
    };
    let Some(((header_row, header), data)) = records.split_first() else {
        out.problems.push(ImportProblem::new(
            0,
            "",
            "The file is empty. Use the template: a header row, then one row per learner.",
        ));
        return out;
    };
    out.data_rows = data.len();
    // Header: every name known, none twice, the required ones present.
    let mut index: HashMap<&'static str, usize> = HashMap::new();
    for (i, cell) in header.iter().enumerate() {
        let name = header_name(cell);
        match COLUMNS.iter().find(|(c, _, _)| *c == name) {
            Some((c, _, _)) if index.contains_key(c) => out.problems.push(ImportProblem::new(
                *header_row,
                c,
                format!("The column {c} appears twice."),
            )),
            Some((c, _, _)) => {
                index.insert(c, i);
            }
            None => out.problems.push(ImportProblem::new(
                *header_row,
                cell.trim(),
                format!(
                    "'{}' is not a column of the import. The columns are: {}.",
                    cell.trim(),
                    COLUMNS.map(|(c, _, _)| c).join(", ")
                ),
            )),
        }
    }
    for (c, _, required) in COLUMNS {
        if required && !index.contains_key(c) {
            out.problems.push(ImportProblem::new(
                *header_row,
                c,
                format!("The header row needs a {c} column."),
            ));
        }
    }
    if !out.problems.is_empty() {
        return out;
    }
    if data.is_empty() {
        out.problems.push(ImportProblem::new(
            0,
            "",
            "The file has a header row but no learners.",
        ));
        return out;
    }
    if data.len() > MAX_ROWS {
        out.problems.push(ImportProblem::new(
            0,
            "",
            format!(
                "The file has {} rows; import at most {} at a time. Split it into smaller files.",
                data.len(),
                MAX_ROWS
            ),
        ));
        return out;
    }
    let mut usi_rows: HashMap<String, u32> = HashMap::new();
    for (row, cells) in data {
        let row = *row;
        if cells.len() != header.len() {
            out.problems.push(ImportProblem::new(
                row,
                "",
                format!(
                    "This row has {} values but the header has {}. Check for a missing comma, or a comma in a value that is not in quotes.",
                    cells.len(),
                    header.len()
                ),
            ));
            continue;
        }
        let get = |c: &str| index.get(c).map(|i| cells[*i].clone()).unwrap_or_default();
        let form = ProfileForm {
            given_name: get("given_name"),
            family_name: get("family_name"),
            preferred_name: get("preferred_name"),
            date_of_birth: get("date_of_birth"),
            usi: get("usi"),
            email: get("email"),
            phone: get("phone"),
            address_street: get("address_street"),
            address_suburb: get("address_suburb"),
            address_state: get("address_state"),
            address_postcode: get("address_postcode"),
            emergency_name: get("emergency_name"),
            emergency_phone: get("emergency_phone"),
        };
        let before = out.problems.len();
        let profile = match form.validate() {
            Ok(p) => Some(p),
            Err(errors) => {
                // In the order of the columns, so a row's problems read left to right.
                for (name, _) in form.fields() {
                    for message in errors.get(name).into_iter().flatten() {
                        out.problems
                            .push(ImportProblem::new(row, name, message.clone()));
                    }
                }
                None
            }
        };
        if let Some(usi) = profile.as_ref().and_then(|p| p.usi.clone()) {
            match usi_rows.get(&usi) {
                Some(first) => out.problems.push(ImportProblem::new(
                    row,
                    "usi",
                    format!("Row {first} has the same USI; each learner has their own."),
                )),
                None => {
                    usi_rows.insert(usi, row);
                }
            }
        }
        let enrolment = row_enrolment(row, &get, &mut out.problems);
        if let Some(profile) = profile
            && out.problems.len() == before
        {
            out.rows.push(ImportRow {
                row,
                profile,
                enrolment,
            });
        }
    }
    out
}

/// The enrolment columns of one row: none when `course_code` is empty.
fn row_enrolment(
    row: u32,
    get: &impl Fn(&str) -> String,
    problems: &mut Vec<ImportProblem>,
) -> Option<RowEnrolment> {
    let course_code = get("course_code").trim().to_uppercase();
    let commenced = get("commenced_on");
    let units: Vec<String> = get("units")
        .split([';', '\n'])
        .map(|u| u.trim().to_uppercase())
        .filter(|u| !u.is_empty())
        .fold(Vec::new(), |mut acc, u| {
            if !acc.contains(&u) {
                acc.push(u);
            }
            acc
        });
    if course_code.is_empty() {
        if !commenced.trim().is_empty() || !units.is_empty() {
            problems.push(ImportProblem::new(
                row,
                "course_code",
                "Give the course to enrol in, or leave commenced_on and units empty.",
            ));
        }
        return None;
    }
    let commenced_on = NaiveDate::parse_from_str(commenced.trim(), "%Y-%m-%d").ok();
    if commenced_on.is_none() {
        problems.push(ImportProblem::new(
            row,
            "commenced_on",
            "Enter the commencement date, like 2026-02-02.",
        ));
    }
    Some(RowEnrolment {
        course_code,
        commenced_on: commenced_on?,
        units,
    })
}

/// The template file's text: the header and one example row.
pub fn template() -> String {
    format!(
        "{}\nMia,Nguyen,,2004-03-17,,mia.nguyen@example.org,0412 345 678,1 Main St,Footscray,VIC,3011,Anh Nguyen,0398 765 432,CPC30220-2026-S1,2026-02-02,CPCCCA2002;CPCCCA2011\n",
        COLUMNS.map(|(c, _, _)| c).join(",")
    )
}

/// An upload as listed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportBatchRow {
    /// Id.
    pub id: i64,
    /// File name as uploaded.
    pub filename: String,
    /// When it was uploaded.
    pub created_at: DateTime<Utc>,
    /// Who uploaded it (email).
    pub uploaded_by: Option<String>,
    /// `checked` (waiting to be imported) or `imported`.
    pub status: String,
    /// Data rows.
    pub row_count: u32,
    /// Rows with problems.
    pub problem_rows: u32,
}

/// The first rows that would be imported, as shown in the preview.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SampleRow {
    /// Row number in the file.
    pub row: u32,
    /// "Family, Given".
    pub name: String,
    /// Date of birth.
    pub date_of_birth: NaiveDate,
    /// USI, if given.
    pub usi: Option<String>,
    /// Course code, if any.
    pub course: Option<String>,
    /// Units chosen.
    pub units: usize,
}

/// An uploaded file as checked: the summary, a page of problems, the first rows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportPreview {
    /// The upload.
    pub batch: ImportBatchRow,
    /// Rows ready to import.
    pub ready_rows: u32,
    /// Enrolments the ready rows ask for.
    pub enrolments: u32,
    /// Problems in all (only the first [`MAX_LISTED_PROBLEMS`] are listed).
    pub problem_count: u32,
    /// One page of the problems, by row.
    pub problems: Page<ImportProblem>,
    /// The first rows that would be imported (when there are no problems).
    pub sample: Vec<SampleRow>,
    /// Learners and enrolments created, once imported.
    pub imported: Option<(u32, u32)>,
    /// When it was imported.
    pub imported_at: Option<DateTime<Utc>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "given_name,family_name,date_of_birth,usi,course_code,commenced_on,units";

    fn usi(body: &str) -> String {
        crate::domain::Usi::with_check(body)
            .unwrap()
            .as_str()
            .to_owned()
    }

    #[test]
    fn quoted_values_may_hold_commas_quotes_and_line_breaks() {
        let records =
            parse_csv("a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\n\n\"multi\nline\",z\n").unwrap();
        assert_eq!(
            records,
            vec![
                (1, vec!["a".to_string(), "b".into()]),
                (2, vec!["x, y".to_string(), "say \"hi\"".into()]),
                (4, vec!["multi\nline".to_string(), "z".into()]),
            ]
        );
        assert_eq!(parse_csv("a\n\"open").unwrap_err().row, 2);
    }

    #[test]
    fn a_byte_order_mark_is_ignored_and_other_encodings_refused() {
        assert_eq!(decode(b"\xEF\xBB\xBFa,b").unwrap(), "a,b");
        assert!(decode(b"caf\xE9").unwrap_err().contains("UTF-8"));
    }

    #[test]
    fn headers_are_checked_before_rows() {
        let checked = check_text("Given Name,surname,date_of_birth,date_of_birth\nA,B,C,D\n");
        let cols: Vec<&str> = checked.problems.iter().map(|p| p.column.as_str()).collect();
        assert_eq!(cols, ["surname", "date_of_birth", "family_name"]);
        assert!(checked.problems.iter().all(|p| p.row == 1));
        assert!(checked.rows.is_empty());
        assert_eq!(check_text("").problems[0].row, 0);
    }

    #[test]
    fn each_bad_value_is_named_by_row_and_column() {
        let good = usi("BNGH7C75F");
        let text = format!(
            "{HEADER}\nMia,Nguyen,2004-03-17,{good},,,\n,Tran,17/03/2004,ABC,,,\nAna,Lee,2003-01-01,{good},,,\nBo,Li,2003-01-01,,C1,,X;Y\nCy,Wu,2003-01-01,,,2026-02-02,\nDi,Ho,2003-01-01\n"
        );
        let checked = check_text(&text);
        let found: Vec<(u32, &str)> = checked
            .problems
            .iter()
            .map(|p| (p.row, p.column.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (3, "given_name"),
                (3, "date_of_birth"),
                (3, "usi"),
                (4, "usi"),
                (5, "commenced_on"),
                (6, "course_code"),
                (7, ""),
            ]
        );
        assert!(checked.problems[3].message.contains("Row 2"));
        assert_eq!(checked.rows.len(), 1);
        assert_eq!(checked.data_rows, 6);
    }

    #[test]
    fn enrolment_columns_are_read() {
        let text = format!("{HEADER}\nMia,Nguyen,2004-03-17,,c1,2026-02-02,a1; A1 ;b2\n");
        let row = &check_text(&text).rows[0];
        let e = row.enrolment.as_ref().unwrap();
        assert_eq!(e.course_code, "C1");
        assert_eq!(e.units, ["A1", "B2"]);
        assert_eq!(row.row, 2);
    }

    #[test]
    fn too_many_rows_are_refused() {
        let mut text = String::from("given_name,family_name,date_of_birth\n");
        for _ in 0..=MAX_ROWS {
            text.push_str("A,B,2000-01-01\n");
        }
        let checked = check_text(&text);
        assert!(checked.problems[0].message.contains("at most 20000"));
        assert!(checked.rows.is_empty());
    }

    #[test]
    fn the_downloadable_template_is_this_one() {
        assert_eq!(
            include_str!("../../../public/learners-import-template.csv"),
            template()
        );
    }

    #[test]
    fn the_template_checks_clean_apart_from_the_database() {
        let checked = check_text(&template());
        assert!(checked.problems.is_empty(), "{:?}", checked.problems);
        assert_eq!(checked.rows.len(), 1);
    }
}
