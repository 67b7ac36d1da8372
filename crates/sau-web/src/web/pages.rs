//! The pages: sign-in, sign-out and the ticket list.

use crate::AppState;
use crate::i18n::Lang;
use crate::web::chrome::{Chrome, translate};
use crate::web::csrf;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use sau_domain::UserId;
use sau_service::{Caller, TicketQuery, TicketRecord};
use serde::Deserialize;
use tower_sessions::Session;

const USER_KEY: &str = "user_id";

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
        Ok(WebUser {
            chrome: Chrome {
                lang,
                user,
                csrf: csrf::token(&session).await,
                assets: state.assets.clone(),
                tz: state.service.settings().time_zone.clone(),
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
}

/// The 403 page for a request that failed the form-token check.
pub fn refused_page(state: &AppState, headers: &HeaderMap) -> Response {
    let lang = Lang::from_headers(headers);
    let page = MessagePage {
        title: translate(lang, "forbidden-title"),
        body: translate(lang, "forbidden-body"),
        chrome: Chrome {
            lang,
            user: None,
            csrf: String::new(),
            assets: state.assets.clone(),
            tz: state.service.settings().time_zone.clone(),
        },
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

async fn anonymous_chrome(state: &AppState, session: &Session, headers: &HeaderMap) -> Chrome {
    Chrome {
        lang: Lang::from_headers(headers),
        user: None,
        csrf: csrf::token(session).await,
        assets: state.assets.clone(),
        tz: state.service.settings().time_zone.clone(),
    }
}

pub async fn login_page(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
) -> Response {
    LoginPage {
        chrome: anonymous_chrome(&state, &session, &headers).await,
        login: String::new(),
        failed: false,
    }
    .into_response()
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
}

pub async fn submit_login(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    match state
        .service
        .verify_credentials(&form.login, &form.password)
        .await
    {
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
        Err(_) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            LoginPage {
                chrome: anonymous_chrome(&state, &session, &headers).await,
                login: form.login,
                failed: true,
            },
        )
            .into_response(),
    }
}

pub async fn logout(session: Session) -> Response {
    if let Err(e) = session.flush().await {
        tracing::warn!(error = %e, "could not end a session");
    }
    Redirect::to("/login").into_response()
}

struct TicketRow {
    number: String,
    title: String,
    state: &'static str,
    state_key: String,
    priority: String,
    technician: Option<String>,
    updated: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
struct HomePage {
    chrome: Chrome,
    heading: String,
    rows: Vec<TicketRow>,
}

fn row(record: &TicketRecord, chrome: &Chrome) -> TicketRow {
    let t = &record.ticket;
    TicketRow {
        number: t.number.clone(),
        title: t.title.clone(),
        state: t.state.as_str(),
        state_key: format!("state-{}", t.state.as_str()),
        priority: chrome
            .lang
            .pick(t.priority.name_es(), t.priority.name_en())
            .to_owned(),
        technician: record.technician.as_ref().map(|u| u.display_name.clone()),
        updated: chrome.time(&t.updated_at),
    }
}

/// Requesters see their own requests; agents the most recently changed tickets.
pub async fn home(State(state): State<AppState>, user: WebUser) -> Response {
    let query = TicketQuery {
        sort: sau_service::TicketSort::UpdatedDesc,
        ..TicketQuery::default()
    };
    let page = match state.service.list_tickets(&user.caller, query).await {
        Ok(page) => page,
        Err(e) => {
            tracing::error!(error = %e, "could not list tickets");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let heading = if user.caller.roles().is_agent() {
        "tickets"
    } else {
        "my-requests"
    };
    HomePage {
        heading: user.chrome.t(heading),
        rows: page.tickets.iter().map(|r| row(r, &user.chrome)).collect(),
        chrome: user.chrome,
    }
    .into_response()
}
