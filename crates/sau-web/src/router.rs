//! Every route SAU answers, pages and API, in one place.

use crate::api::openapi;
use crate::error::{ApiError, localize_errors};
use crate::web::admin::{
    catalog as admin_catalog, jobs as admin_jobs, named as admin_named, people as admin_people,
};
use crate::web::tickets::{actions, bulk, mine, overview, queue};
use crate::web::{
    admin, attachments as files, csrf, lists, live, pages, profile, requests, responses,
};
use crate::{AppState, assets, request_id, security, system, web};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{Extensions, HeaderMap, StatusCode, Version, header};
use axum::routing::{get, post};
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{DefaultPredicate, Predicate};
use utoipa_axum::router::OpenApiRouter;

pub fn router(state: AppState) -> Router {
    // The JSON API and its OpenAPI document, from one list of routes.
    let api = openapi::api_routes(&state)
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(state.config.json_limit));
    let (api, document) = OpenApiRouter::new()
        .nest(openapi::PREFIX, api)
        .split_for_parts();

    Router::new()
        .merge(page_routes(&state))
        // `GET /assets/{hash}/{*path}`, with the assets as its own state.
        .merge(assets::asset_routes(state.assets.clone()))
        .merge(api)
        .merge(openapi::viewer(document))
        // The OTRS-compatible API: its own transport, answers and errors.
        .merge(crate::otrs::routes())
        .route("/healthz", get(system::healthz))
        .route("/metrics", get(system::metrics))
        .route("/favicon.ico", get(favicon))
        .route("/theme/{file}", get(web::brand::theme))
        .route("/brand/logo/{hash}", get(web::brand::logo))
        // The closing mail's rating link: no session, no form token (the
        // link's own token is the credential).
        .route(
            "/rate/{token}",
            get(web::rating::rate_page).post(web::rating::rate),
        )
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

/// The web pages. Every state-changing form passes the form-token check; the
/// pages that take files read bodies as large as the attachment limits allow
/// (`upload::receive` holds each file and the whole to those limits).
fn page_routes(state: &AppState) -> Router<AppState> {
    let uploads = DefaultBodyLimit::max(
        usize::try_from(state.service.attachment_limits().max_body_bytes()).unwrap_or(usize::MAX),
    );
    let with_files = Router::new()
        .route("/requests", post(requests::filing::submit))
        .route("/requests/new", get(requests::new::new_page))
        .route("/requests/new/fields", get(requests::new::fields_fragment))
        .route(
            "/requests/new/people",
            get(requests::on_behalf::people_options),
        )
        .route("/requests/{number}", get(requests::page::request_page))
        .route("/requests/{number}/reply", post(requests::page::reply))
        .route("/requests/{number}/reopen", post(requests::page::reopen))
        .route("/requests/{number}/confirm", post(requests::page::confirm))
        .route("/tickets/{number}", get(web::tickets::page::ticket_page))
        .route("/tickets/{number}/{action}", post(actions::ticket_action))
        .layer(uploads);
    let mut admin_pages = Router::new()
        .route("/admin", get(admin::index_page))
        .route(
            "/admin/settings",
            get(admin::settings_page).post(admin::save_settings),
        )
        .route("/admin/brand", post(admin::brand::save_brand))
        .route(
            "/admin/brand/logo",
            // The logo, its form token and the multipart framing.
            post(admin::brand::upload_logo).layer(DefaultBodyLimit::max(
                sau_domain::MAX_LOGO_BYTES + 64 * 1024,
            )),
        )
        .route("/admin/brand/logo/remove", post(admin::brand::remove_logo))
        .route(
            "/admin/users",
            get(admin_people::users_page).post(admin_people::create_user),
        )
        .route(
            "/admin/users/{login}",
            get(admin_people::user_page).post(admin_people::save_user),
        )
        .route("/admin/users/{login}/roles", post(admin_people::save_roles))
        .route(
            "/admin/users/{login}/password",
            post(admin_people::reset_password),
        )
        .route(
            "/admin/users/{login}/active",
            post(admin_people::set_user_active),
        )
        .route(
            "/admin/categories",
            get(admin_catalog::categories_page).post(admin_catalog::create_category),
        )
        .route(
            "/admin/categories/{key}",
            get(admin_catalog::category_page).post(admin_catalog::save_category),
        )
        .route(
            "/admin/categories/{key}/move",
            post(admin_catalog::move_category),
        )
        .route(
            "/admin/categories/{key}/active",
            post(admin_catalog::set_category_active),
        )
        .route(
            "/admin/categories/{key}/fields",
            post(admin_catalog::add_field),
        )
        .route(
            "/admin/categories/{key}/fields/{field}",
            post(admin_catalog::save_field),
        )
        .route(
            "/admin/categories/{key}/fields/{field}/move",
            post(admin_catalog::move_field),
        )
        .route(
            "/admin/categories/{key}/fields/{field}/required",
            post(admin_catalog::set_field_required),
        )
        .route(
            "/admin/categories/{key}/fields/{field}/active",
            post(admin_catalog::set_field_active),
        )
        .route("/admin/jobs", get(admin_jobs::jobs_page))
        .route(
            "/admin/otrs",
            get(admin::otrs::otrs_page).post(admin::otrs::import),
        )
        .route("/admin/otrs/{name}/remove", post(admin::otrs::remove))
        .route(
            "/admin/calendars",
            get(admin::calendars::page).post(admin::calendars::create),
        )
        .route("/admin/calendars/uses", post(admin::calendars::set_uses))
        .route(
            "/admin/calendars/targets",
            post(admin::calendars::set_targets),
        )
        .route("/admin/calendars/{id}", post(admin::calendars::update))
        .route(
            "/admin/calendars/{id}/delete",
            post(admin::calendars::delete),
        )
        .route("/admin/mail", get(admin::mail::mail_page))
        .route("/admin/mail/test", post(admin::mail::test_mail))
        .route("/admin/mail/server", post(admin::mail::set_server))
        .route("/admin/mail/notices", post(admin::mail::set_notices))
        .route("/admin/mail/{id}/resend", post(admin::mail::resend))
        .route(
            "/admin/mail/templates",
            get(admin::mail_templates::list_page),
        )
        .route(
            "/admin/mail/templates/layout",
            get(admin::mail_templates::layout_page).post(admin::mail_templates::save_layout),
        )
        .route(
            "/admin/mail/templates/layout/preview",
            post(admin::mail_templates::preview_layout),
        )
        .route(
            "/admin/mail/templates/layout/reset",
            post(admin::mail_templates::reset_layout),
        )
        .route(
            "/admin/mail/templates/{name}/{lang}",
            get(admin::mail_templates::editor_page).post(admin::mail_templates::save),
        )
        .route(
            "/admin/mail/templates/{name}/{lang}/preview",
            post(admin::mail_templates::preview),
        )
        .route(
            "/admin/mail/templates/{name}/{lang}/reset",
            post(admin::mail_templates::reset),
        )
        .route("/admin/mail/inbound", get(admin::mail_in::inbound_page))
        .route(
            "/admin/mail/inbound/unknown",
            post(admin::mail_in::set_unknown),
        )
        .route(
            "/admin/mail/inbound/{id}/source",
            get(admin::mail_in::source),
        )
        .route("/admin/jobs/{id}/retry", post(admin_jobs::retry));
    // Departments and queues: the same three routes under each one's base path.
    for list in [
        admin_named::NamedList::Departments,
        admin_named::NamedList::Queues,
    ] {
        let base = list.base();
        admin_pages = admin_pages
            .route(
                base,
                get(move |state, admin, done| admin_named::list_page(list, state, admin, done))
                    .post(move |state, admin, form| admin_named::create(list, state, admin, form)),
            )
            .route(
                &format!("{base}/{{id}}"),
                post(move |state, admin, id, form| {
                    admin_named::rename(list, state, admin, id, form)
                }),
            )
            .route(
                &format!("{base}/{{id}}/active"),
                post(move |state, admin, id, form| {
                    admin_named::set_active(list, state, admin, id, form)
                }),
            );
    }
    Router::new()
        .route("/", get(lists::ticket_list))
        .route("/login", get(pages::login_page).post(pages::submit_login))
        .route("/logout", post(pages::logout))
        .route("/profile", get(profile::profile_page))
        .route("/profile/contact", post(profile::set_contact))
        .route("/profile/mail", post(profile::set_mail_choices))
        .route("/profile/language", post(profile::set_language))
        .route("/profile/time-zone", post(profile::set_time_zone))
        .route("/profile/password", post(profile::change_password))
        .route("/queue", get(queue::queue))
        .route("/queue/bulk", post(bulk::bulk))
        .route(
            "/responses",
            get(responses::responses_page).post(responses::create),
        )
        .route("/responses/{id}", post(responses::update))
        .route("/responses/{id}/delete", post(responses::delete))
        .route("/mine", get(mine::mine))
        .route("/overview", get(overview::overview))
        .route("/searches", post(web::lists::saved::save))
        .route("/searches/{id}/delete", post(web::lists::saved::delete))
        .route("/exports", post(web::lists::exports::start))
        .route("/exports/{id}", get(web::lists::exports::progress))
        .route("/exports/{id}/file", get(web::lists::exports::file))
        .route("/reports", get(web::reports::reports_page))
        .route("/reports/monthly", get(web::reports::monthly_page))
        .route("/reports/export.csv", get(web::reports::export_csv))
        .route("/reports/export.xlsx", get(web::reports::export_xlsx))
        .route("/attachments/{id}", get(files::download))
        .route("/live", get(live::live_updates))
        .merge(with_files)
        .merge(admin_pages)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            csrf::verify_csrf,
        ))
        // Any other path: the 404 page (JSON under `/api/`), with the session so it
        // speaks the signed-in user's language, and no form-token check.
        .fallback(pages::not_found_page)
        .layer(web::session_layer(state))
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
