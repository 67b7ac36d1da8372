//! Every route, grouped by surface.

use crate::api::{attachments, auth, catalog, commands, submission, tickets};
use crate::error::{ApiError, localize_errors};
use crate::{AppState, assets, request_id, security, system, web};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::handler::Handler;
use axum::http::{Extensions, HeaderMap, StatusCode, Version, header};
use axum::routing::{get, post};
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{DefaultPredicate, Predicate};

pub fn router(state: AppState) -> Router {
    // The routes that take files read larger bodies than the rest: multipart up
    // to this (JSON with inline files sets its own, larger, limit as it reads).
    let with_files = DefaultBodyLimit::max(submission::multipart_limit(&state));
    let api = Router::new()
        .route("/auth/login", post(auth::login))
        .route("/auth/logout", post(auth::logout))
        .route("/me", get(auth::me))
        .route("/categories", get(catalog::list_categories))
        .route("/technicians", get(catalog::list_technicians))
        .route(
            "/tickets",
            post(tickets::create_ticket.layer(with_files)).get(tickets::list_tickets),
        )
        .route("/tickets/{number}", get(tickets::get_ticket))
        .route("/tickets/{number}/events", get(tickets::list_ticket_events))
        .route(
            "/tickets/{number}/entries",
            post(commands::add_entry.layer(with_files)),
        )
        .route(
            "/tickets/{number}/{command}",
            post(commands::command_ticket.layer(with_files)),
        )
        .route("/attachments/{id}", get(attachments::download_attachment))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(state.config.json_limit));

    Router::new()
        .merge(web::routes(&state))
        .merge(assets::asset_routes(state.assets.clone()))
        .nest("/api/v1", api)
        .route("/healthz", get(system::healthz))
        .route("/metrics", get(system::metrics))
        .route("/favicon.ico", get(favicon))
        // Unknown paths are answered by the fallback of `web::routes`: an HTML page,
        // or the JSON error under `/api/`.
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            localize_errors,
        ))
        .layer(axum::middleware::from_fn(security::security_headers))
        .layer(CompressionLayer::new().compress_when(not_downloads()))
        .layer(axum::middleware::from_fn(system::track_requests))
        .layer(axum::middleware::from_fn(request_id::tag_requests))
        .with_state(state)
}

/// What the compression layer compresses: not files being downloaded, which
/// are mostly compressed already (PDF, images, office documents) and must stream
/// with their `Content-Length` rather than be buffered and re-encoded.
fn not_downloads() -> impl Predicate {
    DefaultPredicate::new().and(
        |_: StatusCode, _: Version, headers: &HeaderMap, _: &Extensions| {
            !headers.contains_key(header::CONTENT_DISPOSITION)
        },
    )
}

/// No icon: an empty answer, so browsers stop asking for one in vain.
async fn favicon() -> StatusCode {
    StatusCode::NO_CONTENT
}

async fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "not_found")
}
