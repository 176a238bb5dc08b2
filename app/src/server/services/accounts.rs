//! Accounts: creating, listing, roles, activation and passwords.

use chrono::{Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait as _, Func};
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use crate::domain::{Email, Role};
use crate::error::{AppError, FieldErrors};
use crate::models::{AccountRow, CurrentUser, PER_PAGE, Page, PasswordLink};
use crate::server::auth::{hash_token, new_token};
use crate::server::entities::{account, account_role, learner, password_token};

/// How long a set-password link works.
pub const LINK_HOURS: i64 = 72;

/// The roles of an account, sorted.
pub async fn roles_of<C: ConnectionTrait>(db: &C, account_id: i64) -> Result<Vec<Role>, AppError> {
    let mut roles: Vec<Role> = account_role::Entity::find()
        .filter(account_role::Column::AccountId.eq(account_id))
        .all(db)
        .await?
        .iter()
        .filter_map(|r| Role::parse(&r.role))
        .collect();
    roles.sort();
    Ok(roles)
}

/// The wire form of a signed-in account.
pub async fn current_user<C: ConnectionTrait>(
    db: &C,
    acc: account::Model,
) -> Result<CurrentUser, AppError> {
    let roles = roles_of(db, acc.id).await?;
    let learner_id = learner::Entity::find()
        .select_only()
        .column(learner::Column::Id)
        .filter(learner::Column::AccountId.eq(acc.id))
        .into_tuple::<i64>()
        .one(db)
        .await?;
    Ok(CurrentUser {
        id: acc.id,
        email: acc.email,
        display_name: acc.display_name,
        roles,
        learner_id,
    })
}

/// Finds an account by its (normalised) email.
pub async fn find_by_email<C: ConnectionTrait>(
    db: &C,
    email: &str,
) -> Result<Option<account::Model>, AppError> {
    Ok(account::Entity::find()
        .filter(account::Column::Email.eq(email))
        .one(db)
        .await?)
}

/// Checks the fields of a new or edited account.
pub fn validate(
    email: &str,
    display_name: &str,
    roles: &[String],
) -> Result<(Email, String, Vec<Role>), AppError> {
    let mut errors = FieldErrors::new();
    let email = Email::parse(email)
        .map_err(|m| errors.insert("email".into(), vec![m]))
        .ok();
    let name = display_name.trim().to_owned();
    if name.is_empty() {
        errors.insert(
            "display_name".into(),
            vec!["Enter the person's name.".into()],
        );
    } else if name.chars().count() > 120 {
        errors.insert(
            "display_name".into(),
            vec!["Use at most 120 characters.".into()],
        );
    }
    let mut parsed = Vec::new();
    for r in roles {
        match Role::parse(r) {
            Some(role) if !parsed.contains(&role) => parsed.push(role),
            Some(_) => {}
            None => {
                errors.insert("roles".into(), vec![format!("'{r}' is not a role.")]);
            }
        }
    }
    if parsed.is_empty() && !errors.contains_key("roles") {
        errors.insert("roles".into(), vec!["Choose at least one role.".into()]);
    }
    match email {
        Some(email) if errors.is_empty() => {
            parsed.sort();
            Ok((email, name, parsed))
        }
        _ => Err(AppError::Validation(errors)),
    }
}

/// Creates an account with roles and no password; the caller issues a set-password link.
pub async fn create<C: ConnectionTrait>(
    db: &C,
    email: &Email,
    name: &str,
    roles: &[Role],
) -> Result<i64, AppError> {
    if find_by_email(db, email.as_str()).await?.is_some() {
        return Err(AppError::field(
            "email",
            "An account with this email already exists.",
        ));
    }
    let now = Utc::now();
    let res = account::Entity::insert(account::ActiveModel {
        id: NotSet,
        email: Set(email.as_str().to_owned()),
        display_name: Set(name.to_owned()),
        password_hash: Set(None),
        active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
    })
    .exec(db)
    .await?;
    set_roles(db, res.last_insert_id, roles).await?;
    Ok(res.last_insert_id)
}

/// Replaces an account's roles.
pub async fn set_roles<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    roles: &[Role],
) -> Result<(), AppError> {
    account_role::Entity::delete_many()
        .filter(account_role::Column::AccountId.eq(account_id))
        .exec(db)
        .await?;
    if !roles.is_empty() {
        account_role::Entity::insert_many(roles.iter().map(|r| account_role::ActiveModel {
            account_id: Set(account_id),
            role: Set(r.as_str().to_owned()),
        }))
        .exec(db)
        .await?;
    }
    Ok(())
}

/// Sets the stored password hash.
pub async fn set_password_hash<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    hash: String,
) -> Result<(), AppError> {
    account::Entity::update_many()
        .col_expr(account::Column::PasswordHash, Expr::value(hash))
        .col_expr(account::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(account::Column::Id.eq(account_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Issues a one-time set-password link; earlier unused links of the account stop working.
pub async fn issue_password_link<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
) -> Result<PasswordLink, AppError> {
    let now = Utc::now();
    password_token::Entity::update_many()
        .col_expr(password_token::Column::UsedAt, Expr::value(now))
        .filter(password_token::Column::AccountId.eq(account_id))
        .filter(password_token::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    let token = new_token().map_err(|e| AppError::internal("random token", e))?;
    let expires_at = now + Duration::hours(LINK_HOURS);
    password_token::Entity::insert(password_token::ActiveModel {
        token_hash: Set(hash_token(&token)),
        account_id: Set(account_id),
        created_at: Set(now),
        expires_at: Set(expires_at),
        used_at: Set(None),
    })
    .exec(db)
    .await?;
    Ok(PasswordLink {
        path: format!("/set-password?token={token}"),
        token,
        expires_at,
    })
}

/// Takes a set-password token: the account it belongs to, if valid; marks it used.
pub async fn redeem_password_token<C: ConnectionTrait>(
    db: &C,
    token: &str,
) -> Result<account::Model, AppError> {
    let invalid = || {
        AppError::field(
            "token",
            "This link is not valid any more. Ask your administrator for a new one.",
        )
    };
    let row = password_token::Entity::find_by_id(hash_token(token))
        .one(db)
        .await?
        .ok_or_else(invalid)?;
    if row.used_at.is_some() || row.expires_at < Utc::now() {
        return Err(invalid());
    }
    let used = password_token::Entity::update_many()
        .col_expr(password_token::Column::UsedAt, Expr::value(Utc::now()))
        .filter(password_token::Column::TokenHash.eq(row.token_hash))
        .filter(password_token::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    if used.rows_affected != 1 {
        return Err(invalid());
    }
    let acc = account::Entity::find_by_id(row.account_id)
        .one(db)
        .await?
        .ok_or_else(invalid)?;
    if !acc.active {
        return Err(invalid());
    }
    Ok(acc)
}

/// One page of accounts, filtered by text (email or name) and role, by name.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    query: &str,
    role: Option<Role>,
    page: u64,
) -> Result<Page<AccountRow>, AppError> {
    let mut q = account::Entity::find();
    let text = query.trim().to_lowercase();
    if !text.is_empty() {
        q = q.filter(
            Condition::any()
                .add(account::Column::Email.contains(&text))
                .add(
                    Expr::expr(Func::lower(Expr::col(account::Column::DisplayName)))
                        .like(format!("%{text}%")),
                ),
        );
    }
    if let Some(role) = role {
        q = q.filter(
            account::Column::Id.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(account_role::Column::AccountId)
                    .from(account_role::Entity)
                    .and_where(account_role::Column::Role.eq(role.as_str()))
                    .to_owned(),
            ),
        );
    }
    let (fetched, total, page) = super::page_of(
        db,
        q.order_by_asc(account::Column::DisplayName)
            .order_by_asc(account::Column::Id),
        page,
    )
    .await?;
    let rows = fetched;
    let ids: Vec<i64> = rows.iter().map(|a| a.id).collect();
    let roles = account_role::Entity::find()
        .filter(account_role::Column::AccountId.is_in(ids.clone()))
        .all(db)
        .await?;
    let orgs = super::mappings::organisations_of(db, &ids).await?;
    let items = rows
        .into_iter()
        .map(|a| {
            let mut rs: Vec<Role> = roles
                .iter()
                .filter(|r| r.account_id == a.id)
                .filter_map(|r| Role::parse(&r.role))
                .collect();
            rs.sort();
            AccountRow {
                id: a.id,
                email: a.email,
                display_name: a.display_name,
                roles: rs,
                active: a.active,
                has_password: a.password_hash.is_some(),
                created_at: a.created_at,
                organisation: orgs.get(&a.id).cloned(),
            }
        })
        .collect();
    Ok(Page {
        items,
        total,
        page,
        per_page: PER_PAGE,
    })
}

/// One account as listed.
pub async fn row<C: ConnectionTrait>(db: &C, account_id: i64) -> Result<AccountRow, AppError> {
    let a = account::Entity::find_by_id(account_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(AccountRow {
        roles: roles_of(db, a.id).await?,
        organisation: super::mappings::organisation_of(db, a.id).await?,
        id: a.id,
        email: a.email,
        display_name: a.display_name,
        active: a.active,
        has_password: a.password_hash.is_some(),
        created_at: a.created_at,
    })
}

/// Updates name, email and active flag.
pub async fn update<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    email: &Email,
    name: &str,
    active: bool,
) -> Result<(), AppError> {
    if let Some(other) = find_by_email(db, email.as_str()).await?
        && other.id != account_id
    {
        return Err(AppError::field(
            "email",
            "An account with this email already exists.",
        ));
    }
    let res = account::Entity::update_many()
        .col_expr(account::Column::Email, Expr::value(email.as_str()))
        .col_expr(account::Column::DisplayName, Expr::value(name))
        .col_expr(account::Column::Active, Expr::value(active))
        .col_expr(account::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(account::Column::Id.eq(account_id))
        .exec(db)
        .await?;
    if res.rows_affected == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// Active accounts holding `role`, as (id, name), for a form's choices (at most 500).
pub async fn holders_of<C: ConnectionTrait>(
    db: &C,
    role: Role,
) -> Result<Vec<(i64, String)>, AppError> {
    let ids: Vec<i64> = account_role::Entity::find()
        .select_only()
        .column(account_role::Column::AccountId)
        .filter(account_role::Column::Role.eq(role.as_str()))
        .limit(500)
        .into_tuple()
        .all(db)
        .await?;
    Ok(account::Entity::find()
        .filter(account::Column::Id.is_in(ids))
        .filter(account::Column::Active.eq(true))
        .order_by_asc(account::Column::DisplayName)
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.display_name))
        .collect())
}
