//! The security and access logs, for administrative staff and auditors.

use leptos::prelude::*;

use crate::error::AppError;
use crate::models::{AccessEvent, LogFilter, Page, SecurityEvent};

#[cfg(feature = "ssr")]
use crate::{
    domain::Role,
    server::{
        ctx::{require_role, respond, state},
        services::audit,
    },
};

/// A page of the security log.
#[server(endpoint = "logs/security")]
pub async fn security_log(filter: LogFilter, page: u64) -> Result<Page<SecurityEvent>, AppError> {
    respond(async move {
        require_role(&[Role::Admin, Role::Auditor])?;
        audit::list_security(&state()?.db, &filter, page).await
    })
    .await
}

/// A page of the access log.
#[server(endpoint = "logs/access")]
pub async fn access_log(filter: LogFilter, page: u64) -> Result<Page<AccessEvent>, AppError> {
    respond(async move {
        require_role(&[Role::Admin, Role::Auditor])?;
        audit::list_access(&state()?.db, &filter, page).await
    })
    .await
}
