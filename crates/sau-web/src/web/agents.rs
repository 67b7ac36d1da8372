//! The agents' pages: the triage queue, a technician's tickets, the ticket page.

use crate::AppState;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
}
