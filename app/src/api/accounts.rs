//! Account management for administrative staff.

use leptos::prelude::*;

use crate::error::AppError;
use crate::models::{AccountRow, Page, PasswordLink};

#[cfg(feature = "ssr")]
use crate::{
    domain::Role,
    server::{
        ctx::{require_role, respond, state},
        db::begin_write,
        services::{
            accounts,
            audit::{self, SecurityEntry},
            mappings, sessions,
        },
    },
};

/// Checkbox values of a role form, one per role (`Some` when ticked).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RoleBoxes {
    /// Administrative staff.
    pub role_admin: Option<String>,
    /// Educator.
    pub role_educator: Option<String>,
    /// Student.
    pub role_student: Option<String>,
    /// Industry partner.
    pub role_partner: Option<String>,
    /// Auditor.
    pub role_auditor: Option<String>,
}

impl RoleBoxes {
    /// The names of the ticked roles.
    pub fn ticked(&self) -> Vec<String> {
        [
            (&self.role_admin, "admin"),
            (&self.role_educator, "educator"),
            (&self.role_student, "student"),
            (&self.role_partner, "partner"),
            (&self.role_auditor, "auditor"),
        ]
        .into_iter()
        .filter(|(v, _)| v.is_some())
        .map(|(_, name)| name.to_owned())
        .collect()
    }
}

/// Accounts matching `q` (email or name) and `role`, a page at a time.
#[server(endpoint = "accounts/list")]
pub async fn list_accounts(
    q: String,
    role: String,
    page: u64,
) -> Result<Page<AccountRow>, AppError> {
    respond(async move {
        require_role(&[Role::Admin])?;
        let role = if role.is_empty() {
            None
        } else {
            Some(Role::parse(&role).ok_or_else(|| AppError::field("role", "Unknown role."))?)
        };
        accounts::list(&state()?.db, &q, role, page).await
    })
    .await
}

/// One account.
#[server(endpoint = "accounts/get")]
pub async fn get_account(id: i64) -> Result<AccountRow, AppError> {
    respond(async move {
        require_role(&[Role::Admin])?;
        accounts::row(&state()?.db, id).await
    })
    .await
}

/// Creates an account and returns a one-time link for its holder to set a password.
#[server(endpoint = "accounts/create")]
pub async fn create_account(
    email: String,
    display_name: String,
    #[server(default)] roles: RoleBoxes,
    #[server(default)] organisation: String,
) -> Result<(i64, PasswordLink), AppError> {
    respond(async move {
        let (admin, caller) = require_role(&[Role::Admin])?;
        let (email, name, roles) = accounts::validate(&email, &display_name, &roles.ticked())?;
        let state = state()?;
        let txn = begin_write(&state.db).await?;
        let id = accounts::create(&txn, &email, &name, &roles).await?;
        if roles.contains(&Role::Partner) {
            mappings::set_organisation(&txn, id, &organisation).await?;
        }
        let link = accounts::issue_password_link(&txn, id).await?;
        let roles_text = roles
            .iter()
            .map(|r| r.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let entry = SecurityEntry {
            event: "account_created",
            actor_id: Some(admin.id),
            subject_id: Some(id),
            email: None,
            detail: format!("roles: {roles_text}"),
        };
        audit::security(&txn, &caller, entry).await?;
        txn.commit().await?;
        leptos_axum::redirect(&format!("/admin/accounts/{id}?new_link={}", link.token));
        Ok((id, link))
    })
    .await
}

/// Updates an account's details, roles and whether it may sign in. Deactivating ends its
/// sessions. Administrators cannot remove their own admin role or deactivate themselves.
#[server(endpoint = "accounts/update")]
pub async fn update_account(
    id: i64,
    email: String,
    display_name: String,
    active: Option<String>,
    #[server(default)] roles: RoleBoxes,
    #[server(default)] organisation: String,
) -> Result<AccountRow, AppError> {
    respond(async move {
        let (admin, caller) = require_role(&[Role::Admin])?;
        let (email, name, roles) = accounts::validate(&email, &display_name, &roles.ticked())?;
        let active = active.is_some();
        if id == admin.id && (!active || !roles.contains(&Role::Admin)) {
            return Err(AppError::field(
                "roles",
                "You cannot remove your own administrator access; ask another administrator.",
            ));
        }
        let state = state()?;
        let txn = begin_write(&state.db).await?;
        let before = accounts::row(&txn, id).await?;
        accounts::update(&txn, id, &email, &name, active).await?;
        let log = |event: &'static str, detail: String| SecurityEntry {
            event,
            actor_id: Some(admin.id),
            subject_id: Some(id),
            email: None,
            detail,
        };
        if before.roles != roles {
            accounts::set_roles(&txn, id, &roles).await?;
            let names = |rs: &[Role]| rs.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(", ");
            audit::security(
                &txn,
                &caller,
                log(
                    "roles_changed",
                    format!("{} → {}", names(&before.roles), names(&roles)),
                ),
            )
            .await?;
        }
        if before.active && !active {
            let n = sessions::end_all(&txn, id).await?;
            audit::security(
                &txn,
                &caller,
                log("account_deactivated", format!("{n} sessions ended")),
            )
            .await?;
        }
        if before.email != email.as_str()
            || before.display_name != name
            || (!before.active && active)
        {
            let detail = format!(
                "email: {} → {}; name: {} → {}; active: {} → {}",
                before.email, email, before.display_name, name, before.active, active
            );
            audit::security(&txn, &caller, log("account_updated", detail)).await?;
        }
        let organisation = if roles.contains(&Role::Partner) {
            organisation.trim()
        } else {
            ""
        };
        if before.organisation.as_deref().unwrap_or("") != organisation {
            mappings::set_organisation(&txn, id, organisation).await?;
            let detail = format!(
                "organisation: {} → {}",
                before.organisation.as_deref().unwrap_or("none"),
                if organisation.is_empty() {
                    "none"
                } else {
                    organisation
                }
            );
            audit::security(&txn, &caller, log("account_updated", detail)).await?;
        }
        let after = accounts::row(&txn, id).await?;
        txn.commit().await?;
        leptos_axum::redirect(&format!("/admin/accounts/{id}?saved=1"));
        Ok(after)
    })
    .await
}

/// Issues a new one-time set-password link for an account (earlier links stop working).
#[server(endpoint = "accounts/password_link")]
pub async fn issue_password_link(id: i64) -> Result<PasswordLink, AppError> {
    respond(async move {
        let (admin, caller) = require_role(&[Role::Admin])?;
        let state = state()?;
        let txn = begin_write(&state.db).await?;
        let account = accounts::row(&txn, id).await?;
        if !account.active {
            return Err(AppError::Conflict(
                "This account is deactivated; reactivate it first.".into(),
            ));
        }
        let link = accounts::issue_password_link(&txn, id).await?;
        let entry = SecurityEntry {
            event: "password_link_issued",
            actor_id: Some(admin.id),
            subject_id: Some(id),
            email: None,
            detail: String::new(),
        };
        audit::security(&txn, &caller, entry).await?;
        txn.commit().await?;
        leptos_axum::redirect(&format!("/admin/accounts/{id}?new_link={}", link.token));
        Ok(link)
    })
    .await
}
