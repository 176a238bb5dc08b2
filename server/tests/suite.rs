//! The server suite as one test binary (one link instead of one per file): each file of
//! `server/tests/` is a module here, sharing `common`. Run one area with a filter, e.g.
//! `cargo test -p server --test suite assessment::`.

#[path = "assessment.rs"]
mod assessment;
#[path = "attendance.rs"]
mod attendance;
#[path = "catalogue.rs"]
mod catalogue;
#[path = "cli.rs"]
mod cli;
mod common;
#[path = "completion.rs"]
mod completion;
mod corpus;
#[path = "corrections.rs"]
mod corrections;
#[path = "dashboard.rs"]
mod dashboard;
#[path = "demo.rs"]
mod demo;
#[path = "enrolment.rs"]
mod enrolment;
#[path = "evidence.rs"]
mod evidence;
#[path = "foundation.rs"]
mod foundation;
#[path = "history_walk.rs"]
mod history_walk;
#[path = "hostile_uploads.rs"]
mod hostile_uploads;
#[path = "identity.rs"]
mod identity;
#[path = "import.rs"]
mod import;
#[path = "learner_list.rs"]
mod learner_list;
#[path = "learner_record.rs"]
mod learner_record;
#[path = "mappings.rs"]
mod mappings;
#[path = "page_status.rs"]
mod page_status;
#[path = "plans.rs"]
mod plans;
#[path = "portfolio.rs"]
mod portfolio;
#[path = "portfolio_edit.rs"]
mod portfolio_edit;
#[path = "portfolio_export.rs"]
mod portfolio_export;
#[path = "portfolio_feedback.rs"]
mod portfolio_feedback;
#[path = "record_sections.rs"]
mod record_sections;
#[path = "reviews.rs"]
mod reviews;
#[path = "risk.rs"]
mod risk;
#[path = "shares.rs"]
mod shares;
#[path = "skills.rs"]
mod skills;
