//! The pages: sign-in (rate-limited), sign-out and the page for
//! unknown paths.

use crate::AppState;
use crate::client_address::ClientAddress;
use crate::error::ApiError;
use crate::i18n::Lang;
use crate::web::chrome::{Chrome, translate};
use crate::web::csrf;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use sau_domain::UserId;
use sau_service::{Caller, ServiceError};
use serde::Deserialize;
use tower_sessions::Session;

/// The session key under which the signed-in user's id is kept.
pub(crate) const USER_KEY: &str = "user_id";

/// The signed-in person; pages that need one send everyone else to sign in.
#[derive(Debug, Clone)]
pub struct WebUser {
    pub caller: Caller,
    pub chrome: Chrome,
}

impl FromRequestParts<AppState> for WebUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let to_login = || Redirect::to("/login").into_response();
        let session = Session::from_request_parts(parts, state)
            .await
            .map_err(|_| to_login())?;
        let user_id = session
            .get::<i64>(USER_KEY)
            .await
            .ok()
            .flatten()
            .ok_or_else(to_login)?;
        let caller = state
            .service
            .session_caller(UserId(user_id))
            .await
            .map_err(|_| to_login())?;
        let user = caller.user().cloned();
        let lang = match user.as_ref().map(|u| u.locale.as_str()) {
            Some("en") => Lang::En,
            Some(_) => Lang::Es,
            None => Lang::from_headers(&parts.headers),
        };
        // The person's own time zone when they chose one, else the installation's.
        let tz = user
            .as_ref()
            .and_then(|u| u.time_zone.as_deref())
            .and_then(|name| jiff::tz::TimeZone::get(name).ok())
            .unwrap_or_else(|| state.service.settings().time_zone.clone());
        // The menu's counts, for a whole page only: a fragment htmx swaps in
        // (a list refreshed live, a form's fields) has no menu.
        let counts = if parts.headers.contains_key("hx-request") {
            Default::default()
        } else {
            state
                .service
                .menu_counts(&caller)
                .await
                .unwrap_or_else(|e| {
                    tracing::warn!(error = %e, "could not count the menu's news");
                    Default::default()
                })
        };
        let brand = state.service.brand().await;
        Ok(WebUser {
            chrome: Chrome {
                user,
                csrf: csrf::token(&session).await,
                tz,
                counts,
                ..Chrome::anonymous(state, lang, brand)
            },
            caller,
        })
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "message.html")]
struct MessagePage {
    chrome: Chrome,
    title: String,
    body: String,
    /// The request's id, on error pages: what a person quotes to the operator.
    reference: Option<String>,
}

/// A page with a title and a paragraph, answered with `status`; an error
/// status shows the request's reference code too.
pub fn message(chrome: Chrome, status: StatusCode, title: String, body: String) -> Response {
    let reference = if status.is_client_error() || status.is_server_error() {
        crate::request_id::current()
    } else {
        None
    };
    (
        status,
        MessagePage {
            chrome,
            title,
            body,
            reference,
        },
    )
        .into_response()
}

/// The title of an error page with `status`.
fn error_title(chrome: &Chrome, status: StatusCode) -> String {
    let key = match status.as_u16() {
        401 | 403 => "error-title-forbidden",
        404 => "error-title-not-found",
        409 => "error-title-conflict",
        413 | 415 | 422 | 400 => "error-title-invalid",
        429 => "throttled-title",
        _ => "error-title-internal",
    };
    chrome.t(key)
}

/// An error as a page: the status and message the API gives for it
/// ([`ApiError::classify`]), in the person's language, with the reference code.
pub fn error_page(chrome: Chrome, error: &ApiError) -> Response {
    let title = error_title(&chrome, error.status);
    let body = error.message(chrome.lang);
    message(chrome, error.status, title, body)
}

/// The page for a person who may not see what they asked for.
pub fn forbidden_page(chrome: Chrome) -> Response {
    service_error_page(chrome, &ServiceError::Forbidden)
}

/// The page for something that does not exist, or that the person may not know of.
pub fn missing_page(chrome: Chrome) -> Response {
    service_error_page(chrome, &ServiceError::NotFound("page"))
}

/// A service error as a page (see [`error_page`]).
pub fn service_error_page(chrome: Chrome, error: &ServiceError) -> Response {
    error_page(chrome, &ApiError::classify(error))
}

/// An error page for whoever sent `headers`, signed in or not, in their
/// browser's language: for failures met before a page knew its reader.
pub fn anonymous_error_page(state: &AppState, headers: &HeaderMap, error: &ApiError) -> Response {
    let chrome = Chrome::anonymous(
        state,
        Lang::from_headers(headers),
        state.service.brand_now(),
    );
    error_page(chrome, error)
}

/// Whether a request for an unknown path comes from an API client rather than a
/// browser: under `/api/`, with a bearer token, or accepting JSON but not HTML.
pub fn wants_json(request: &Request) -> bool {
    let accept = request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    request.uri().path().starts_with("/api/")
        || request.headers().contains_key(header::AUTHORIZATION)
        || (accept.contains("application/json") && !accept.contains("text/html"))
}

/// The 404 page for a path nothing answers, in the signed-in user's language (the
/// browser's otherwise); the API's JSON error for API clients (see [`wants_json`]).
pub(crate) async fn not_found_page(State(state): State<AppState>, request: Request) -> Response {
    if wants_json(&request) {
        return crate::error::ApiError::new(StatusCode::NOT_FOUND, "not_found").into_response();
    }
    let (mut parts, _) = request.into_parts();
    let chrome = match WebUser::from_request_parts(&mut parts, &state).await {
        Ok(user) => user.chrome,
        // No form token: a visitor's stray request should not start a session.
        Err(_) => Chrome::anonymous(
            &state,
            Lang::from_headers(&parts.headers),
            state.service.brand().await,
        ),
    };
    let (title, body) = (chrome.t("not-found-title"), chrome.t("not-found-body"));
    message(chrome, StatusCode::NOT_FOUND, title, body)
}

/// The 403 page for a request that failed the form-token check.
pub fn refused_page(state: &AppState, headers: &HeaderMap) -> Response {
    let lang = Lang::from_headers(headers);
    let page = MessagePage {
        title: translate(lang, "forbidden-title"),
        body: translate(lang, "forbidden-body"),
        reference: crate::request_id::current(),
        chrome: Chrome::anonymous(state, lang, state.service.brand_now()),
    };
    (StatusCode::FORBIDDEN, page).into_response()
}

#[derive(Template, WebTemplate)]
#[template(path = "login.html")]
struct LoginPage {
    chrome: Chrome,
    login: String,
    failed: bool,
}

/// A page of the sign-in form for someone not signed in, with the form's token
/// (see `csrf::login_token`): `render` makes it, and the token's cookie is set
/// when it is new. Nothing is stored on the server.
fn sign_in_page(
    state: &AppState,
    headers: &HeaderMap,
    render: impl FnOnce(Chrome) -> Response,
) -> Response {
    let (token, cookie) = csrf::login_token(headers, state.config.secure_cookies);
    let mut response = render(Chrome {
        csrf: token,
        ..Chrome::anonymous(
            state,
            Lang::from_headers(headers),
            state.service.brand_now(),
        )
    });
    if let Some(cookie) = cookie {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}

pub(crate) async fn login_page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    sign_in_page(&state, &headers, |chrome| {
        LoginPage {
            chrome,
            login: String::new(),
            failed: false,
        }
        .into_response()
    })
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
}

/// The 429 page while sign-in is throttled, with `Retry-After`.
fn throttled_page(state: &AppState, headers: &HeaderMap, wait: std::time::Duration) -> Response {
    let mut response = sign_in_page(state, headers, |chrome| {
        let (title, body) = (chrome.t("throttled-title"), chrome.t("throttled-body"));
        message(chrome, StatusCode::TOO_MANY_REQUESTS, title, body)
    });
    response.headers_mut().insert(
        header::RETRY_AFTER,
        HeaderValue::from(crate::error::retry_seconds(wait)),
    );
    response
}

pub(crate) async fn submit_login(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    session: Session,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let verified = state
        .service
        .verify_credentials(&form.login, &form.password, address)
        .await;
    match verified {
        Ok(user) => {
            // A new session id at sign-in, so an id planted before cannot ride along.
            let renewed = async {
                session.cycle_id().await?;
                session.insert(USER_KEY, user.id.0).await?;
                session.insert(csrf::SESSION_KEY, csrf::new_token()).await
            };
            match renewed.await {
                Ok(()) => Redirect::to("/").into_response(),
                Err(e) => {
                    tracing::error!(error = %e, "could not start a session");
                    StatusCode::INTERNAL_SERVER_ERROR.into_response()
                }
            }
        }
        Err(ServiceError::Throttled { retry_after }) => {
            throttled_page(&state, &headers, retry_after)
        }
        Err(e) => {
            if !matches!(e, ServiceError::BadCredentials) {
                tracing::error!(error = %e, "could not check a sign-in");
            }
            sign_in_page(&state, &headers, |chrome| {
                (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    LoginPage {
                        chrome,
                        login: form.login,
                        failed: true,
                    },
                )
                    .into_response()
            })
        }
    }
}

pub(crate) async fn logout(session: Session) -> Response {
    if let Err(e) = session.flush().await {
        tracing::warn!(error = %e, "could not end a session");
    }
    Redirect::to("/login").into_response()
}
