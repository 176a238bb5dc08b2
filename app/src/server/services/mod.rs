//! Services: every query of the product lives here, one module per area.

pub mod accounts;
pub mod assessment;
pub mod attendance;
pub mod audit;
pub mod catalogue;
pub mod completion;
pub mod corrections;
pub mod counters;
pub mod dashboard;
pub mod enrolments;
pub mod evidence;
pub mod history;
pub mod import;
pub mod learners;
pub mod mappings;
pub mod notifications;
pub mod plans;
pub mod portfolio;
pub mod portfolio_feedback;
pub mod reviews;
pub mod risk;
pub mod sections;
pub mod sessions;
pub mod shares;
pub mod skills;
pub mod throttle;

use sea_orm::{ConnectionTrait, EntityTrait, PaginatorTrait, Select};

use crate::error::AppError;
use crate::models::PER_PAGE;

/// Page `page` (from 1) of `select`, [`PER_PAGE`] rows: the rows, the total across all
/// pages, and the page number actually used.
pub async fn page_of<E, C>(
    db: &C,
    select: Select<E>,
    page: u64,
) -> Result<(Vec<E::Model>, u64, u64), AppError>
where
    E: EntityTrait,
    E::Model: Sync,
    C: ConnectionTrait,
{
    let page = Ord::max(page, 1);
    let paginator = select.paginate(db, PER_PAGE);
    let total = paginator.num_items().await?;
    let rows = paginator.fetch_page(page - 1).await?;
    Ok((rows, total, page))
}
