//! `/rate/{token}`: the page the closing mail's rating buttons open. It needs
//! no sign-in (the token is the credential, and used once) and speaks the
//! language of the person the mail went to. Opening it records nothing —
//! mail scanners open links too — it shows the chosen score ready to send;
//! sending it records the rating.

use crate::AppState;
use crate::i18n::Lang;
use crate::web::chrome::Chrome;
use crate::web::pages::{missing_page, service_error_page};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use sau_service::{LinkState, RatingView, ServiceError};
use serde::Deserialize;

struct ScoreChoice {
    value: u8,
    label: String,
    checked: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "rate.html")]
struct RatePage {
    chrome: Chrome,
    token: String,
    number: String,
    title: String,
    /// `open`, `used` or `expired`.
    state: &'static str,
    /// The rating was recorded by this very request.
    thanked: bool,
    scores: Vec<ScoreChoice>,
    comment: String,
    error: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct ScoreQuery {
    score: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct RateForm {
    #[serde(default)]
    score: String,
    #[serde(default)]
    comment: String,
}

fn page(
    state: &AppState,
    token: String,
    view: RatingView,
    chosen: Option<u8>,
    thanked: bool,
    comment: String,
    error: Option<String>,
) -> RatePage {
    let lang = if view.locale == "en" {
        Lang::En
    } else {
        Lang::Es
    };
    let chrome = Chrome::anonymous(state, lang, state.service.brand_now());
    RatePage {
        scores: sau_domain::RATING_SCORES
            .map(|value| ScoreChoice {
                value,
                label: chrome.t(&format!("rate-score-{value}")),
                checked: chosen == Some(value),
            })
            .collect(),
        state: match view.state {
            LinkState::Open => "open",
            LinkState::Used => "used",
            LinkState::Expired => "expired",
        },
        chrome,
        token,
        number: view.number,
        title: view.title,
        thanked,
        comment,
        error,
    }
}

fn anonymous(state: &AppState) -> Chrome {
    Chrome::anonymous(state, Lang::Es, state.service.brand_now())
}

pub(crate) async fn rate_page(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Query(query): Query<ScoreQuery>,
) -> Response {
    match state.service.rating_link(&token).await {
        Ok(view) => {
            let chosen = query.score.and_then(|s| s.trim().parse().ok());
            page(&state, token, view, chosen, false, String::new(), None).into_response()
        }
        Err(ServiceError::NotFound(_)) => missing_page(anonymous(&state)),
        Err(e) => service_error_page(anonymous(&state), &e),
    }
}

pub(crate) async fn rate(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Form(form): Form<RateForm>,
) -> Response {
    let before = match state.service.rating_link(&token).await {
        Ok(view) => view,
        Err(ServiceError::NotFound(_)) => return missing_page(anonymous(&state)),
        Err(e) => return service_error_page(anonymous(&state), &e),
    };
    let was_open = before.state == LinkState::Open;
    match state.service.rate(&token, &form.score, &form.comment).await {
        Ok(view) => page(&state, token, view, None, was_open, String::new(), None).into_response(),
        Err(ServiceError::NotFound(_)) => missing_page(anonymous(&state)),
        Err(e @ (ServiceError::Invalid(_) | ServiceError::Domain(_))) => {
            let chosen = form.score.trim().parse().ok();
            let shown = page(&state, token, before, chosen, false, form.comment, None);
            let message = crate::error::ApiError::classify(&e).message(shown.chrome.lang);
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                RatePage {
                    error: Some(message),
                    ..shown
                },
            )
                .into_response()
        }
        Err(e) => service_error_page(anonymous(&state), &e),
    }
}
