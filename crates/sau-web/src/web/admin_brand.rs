//! The installation's identity on the settings page: its name and colour (one
//! form), and its logo (uploaded, or removed). The service checks every value;
//! a refused form comes back with what was typed and a message.

use super::{AdminUser, Fields, failure, refused, render_settings, see_other};
use crate::AppState;
use crate::web::csrf::CheckedMultipart;
use axum::extract::{Form, FromRequest, Multipart, Request, State};
use axum::response::Response;
use sau_domain::{FieldProblem, MAX_LOGO_BYTES};
use sau_service::{BrandInput, ServiceError};

pub(crate) async fn save_brand(
    State(state): State<AppState>,
    admin: AdminUser,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let fields = Fields(fields);
    let input = BrandInput {
        name: fields.get("brand_name").to_owned(),
        // The colour picker always sends a colour; the box beside it says
        // whether the installation keeps SAU's own.
        colour: if fields.get("default_colour") == "true" {
            String::new()
        } else {
            fields.get("brand_colour").to_owned()
        },
    };
    let result = state.service.set_brand(&admin.caller, &input).await;
    after(&state, admin, "brand", fields, result).await
}

pub(crate) async fn upload_logo(
    State(state): State<AppState>,
    admin: AdminUser,
    request: Request,
) -> Response {
    if request.extensions().get::<CheckedMultipart>().is_none() {
        return failure(admin.chrome, &ServiceError::Forbidden);
    }
    let bytes = match read_logo(&state, request).await {
        Ok(bytes) => bytes,
        Err(problem) => {
            let error = ServiceError::invalid("brand_logo", problem);
            return after(&state, admin, "logo", Fields(Vec::new()), Err(error)).await;
        }
    };
    let result = state.service.set_brand_logo(&admin.caller, &bytes).await;
    after(&state, admin, "logo", Fields(Vec::new()), result).await
}

/// The `logo` part's bytes, read up to one byte past the limit (so a larger
/// file is named too long, not cut short).
async fn read_logo(state: &AppState, request: Request) -> Result<Vec<u8>, FieldProblem> {
    let mut multipart = Multipart::from_request(request, state)
        .await
        .map_err(|_| FieldProblem::Required)?;
    while let Ok(Some(mut field)) = multipart.next_field().await {
        if field.name() != Some("logo") {
            continue;
        }
        let mut bytes = Vec::new();
        while let Ok(Some(chunk)) = field.chunk().await {
            bytes.extend_from_slice(&chunk);
            if bytes.len() > MAX_LOGO_BYTES {
                return Err(FieldProblem::TooLong);
            }
        }
        return Ok(bytes);
    }
    Err(FieldProblem::Required)
}

pub(crate) async fn remove_logo(State(state): State<AppState>, admin: AdminUser) -> Response {
    let result = state.service.remove_brand_logo(&admin.caller).await;
    after(&state, admin, "logo", Fields(Vec::new()), result).await
}

/// Back to the settings on success; the settings with the refused form otherwise.
async fn after(
    state: &AppState,
    admin: AdminUser,
    form: &str,
    fields: Fields,
    result: Result<(), ServiceError>,
) -> Response {
    match result {
        Ok(()) => see_other("/admin/settings?done=saved"),
        Err(e) => match refused(&admin.chrome, form, fields, &e, "brand_name") {
            Some(sent) => render_settings(state, admin, None, sent).await,
            None => failure(admin.chrome, &e),
        },
    }
}
