//! Parse-don't-validate types shared by the browser and the server.

pub mod email;
pub mod packaging;
pub mod password;
pub mod role;
pub mod usi;

pub use email::Email;
pub use role::Role;
pub use usi::Usi;
