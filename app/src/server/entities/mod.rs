//! SeaORM entities, one file per table, mirroring the migrations.

pub mod access_log;
pub mod account;
pub mod account_role;
pub mod attendance;
pub mod class_session;
pub mod counter;
pub mod course;
pub mod course_educator;
pub mod enrolment;
pub mod enrolment_unit;
pub mod history;
pub mod learner;
pub mod learner_share;
pub mod password_token;
pub mod qualification;
pub mod qualification_unit;
pub mod security_log;
pub mod session;
pub mod sign_in_failure;
pub mod unit;
