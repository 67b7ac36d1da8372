//! The JSON API's routes and their OpenAPI 3 document, built from one list: the
//! handlers' annotations give the document its operations, the types that
//! serialize the answers give it their schemas, and the same list serves the
//! requests, so a route cannot exist without its description. The document is
//! served at `/api/v1/openapi.json` and read at `/api/v1/docs/` in Swagger UI,
//! served from the binary itself.

use crate::AppState;
use crate::api::{
    attachments, auth, catalog, commands, reports, responses as canned, saved_searches, submission,
    tickets,
};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, header};
use axum::response::Response;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouter};
use utoipa_axum::routes;
use utoipa_swagger_ui::{Config, SwaggerUi};

/// Where the API lives, and where its document and viewer are.
pub const PREFIX: &str = "/api/v1";
pub const DOCUMENT_PATH: &str = "/api/v1/openapi.json";
pub const VIEWER_PATH: &str = "/api/v1/docs";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "SAU",
        description = "The JSON API of SAU (Sistema de Atención al Usuario), the help desk. \
            Sign in with `POST /auth/login` and send the token as `Authorization: Bearer <token>`. \
            Errors are `{\"error\":{\"code\",\"message\",\"fields\",\"request_id\"}}`, with the \
            message in the language of `Accept-Language` (Spanish unless English is asked for). \
            Every command of the procedure is `POST /tickets/{number}/{command}`; it may carry the \
            `version` of the ticket the caller saw, and one that has moved on since answers 409.",
        license(name = "AGPL-3.0-or-later", identifier = "AGPL-3.0-or-later"),
    ),
    modifiers(&BearerToken),
    security(("bearer" = [])),
    tags(
        (name = "auth", description = "Signing in and out"),
        (name = "tickets", description = "Requests: open, list, read, history, files"),
        (name = "commands", description = "The procedure's steps on a ticket"),
        (name = "catalog", description = "Categories and technicians"),
        (name = "canned-responses", description = "Texts agents reuse"),
        (name = "saved-searches", description = "Each person's named list filters"),
        (name = "reports", description = "The director's figures"),
    )
)]
struct ApiDoc;

/// The API's one credential: the token `POST /auth/login` gives.
struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// Every route of `/api/v1` with its description. Routes that take files read
/// larger bodies than the rest: multipart up to the files' limit (JSON with
/// inline files sets its own, larger, limit as it reads).
pub fn api_routes(state: &AppState) -> OpenApiRouter<AppState> {
    let with_files = |routes: UtoipaMethodRouter<AppState>| {
        let (schemas, paths, method_router) = routes;
        let limit = DefaultBodyLimit::max(submission::multipart_limit(state));
        (schemas, paths, method_router.layer(limit))
    };
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(auth::login))
        .routes(routes!(auth::logout))
        .routes(routes!(auth::me))
        .routes(routes!(catalog::list_categories))
        .routes(routes!(catalog::list_technicians))
        .routes(routes!(reports::dashboard))
        .routes(routes!(canned::list_responses, canned::create_response))
        .routes(routes!(canned::update_response, canned::delete_response))
        .routes(routes!(
            saved_searches::list_saved_searches,
            saved_searches::save_search
        ))
        .routes(routes!(saved_searches::delete_saved_search))
        .routes(with_files(routes!(
            tickets::create_ticket,
            tickets::list_tickets
        )))
        .routes(routes!(tickets::get_ticket))
        .routes(routes!(tickets::list_ticket_events))
        .routes(with_files(routes!(commands::add_entry)))
        .routes(with_files(routes!(commands::comment)))
        .routes(with_files(routes!(commands::resolve)))
        .routes(routes!(commands::assign))
        .routes(routes!(commands::reassign))
        .routes(routes!(commands::accept))
        .routes(routes!(commands::hold))
        .routes(routes!(commands::resume))
        .routes(routes!(commands::return_ticket))
        .routes(routes!(commands::close))
        .routes(routes!(commands::cancel))
        .routes(routes!(commands::reopen))
        .routes(routes!(commands::confirm))
        .routes(routes!(commands::correct))
        .routes(routes!(attachments::download_attachment))
}

/// The document at [`DOCUMENT_PATH`] and Swagger UI at [`VIEWER_PATH`]: no
/// session needed, nothing loaded from elsewhere.
pub fn viewer(document: utoipa::openapi::OpenApi) -> Router<AppState> {
    let config = Config::new([DOCUMENT_PATH])
        .try_it_out_enabled(true)
        .display_request_duration(true);
    Router::from(
        SwaggerUi::new(VIEWER_PATH)
            .url(DOCUMENT_PATH, document)
            .config(config),
    )
    .layer(axum::middleware::map_response(viewer_policy))
}

/// Swagger UI sets element styles inline as it draws, so its pages alone allow
/// inline styles; scripts stay its own files, as everywhere.
const VIEWER_CSP: &str = "default-src 'self'; script-src 'self'; \
    style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
    form-action 'self'; base-uri 'self'; object-src 'none'; frame-ancestors 'none'";

async fn viewer_policy(mut response: Response) -> Response {
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(VIEWER_CSP),
    );
    response
}
