//! SessionCreate, SessionGet and SessionRemove.

use super::Call;
use super::reply::{Failure, Reply};
use super::ticket_hash::otrs_time;
use sau_service::{Caller, SignInAs};
use serde_json::{Value, json};

/// `{"SessionID": …}` for a login and password (an agent's `UserLogin` or a
/// customer user's `CustomerUserLogin`).
pub async fn create(call: Call<'_>) -> Reply {
    if call.data.is_empty() {
        return call.error(Failure::MissingParameter, "The request is empty!");
    }
    let (login, who) = match (call.text("UserLogin"), call.text("CustomerUserLogin")) {
        (Some(login), _) => (login, SignInAs::Agent),
        (None, Some(login)) => (login, SignInAs::Requester),
        (None, None) => {
            return call.error(
                Failure::MissingParameter,
                "UserLogin or CustomerUserLogin parameter is required!",
            );
        }
    };
    let Some(password) = call.text("Password") else {
        return call.error(Failure::MissingParameter, "Password parameter is required!");
    };
    match call
        .state
        .service
        .open_api_session(&login, &password, who, call.address)
        .await
    {
        Ok(id) => Reply::Data(json!({ "SessionID": id })),
        Err(_) => call.error(Failure::AuthFail, "Authorization failing!"),
    }
}

/// What a session holds, as OTRS lists it: key and value pairs by key.
pub async fn get(call: Call<'_>) -> Reply {
    let Some(id) = call.text("SessionID") else {
        return call.error(
            Failure::MissingParameter,
            "SessionID parameter is required!",
        );
    };
    let Ok(info) = call.state.service.api_session(&id).await else {
        return call.error(Failure::SessionInvalid, "SessionID is Invalid!");
    };
    let Caller::User(user) = &info.caller else {
        return call.error(Failure::SessionInvalid, "SessionID is Invalid!");
    };
    let (user_type, login_key) = match info.signed_in_as {
        SignInAs::Agent => ("User", "UserLogin"),
        SignInAs::Requester => ("Customer", "UserLogin"),
    };
    let mut pairs: Vec<(&str, String)> = vec![
        ("SessionSource", "GenericInterface".into()),
        ("UserType", user_type.into()),
        ("UserID", user.id.0.to_string()),
        (login_key, user.login.clone()),
        ("UserFullname", user.display_name.clone()),
        ("UserEmail", user.email.clone().unwrap_or_default()),
        ("UserLanguage", user.locale.clone()),
        ("UserSessionStart", info.created_at.as_second().to_string()),
        ("UserLastRequest", info.last_used.as_second().to_string()),
        ("UserLastLogin", otrs_time(info.created_at)),
    ];
    pairs.sort_by(|a, b| a.0.cmp(b.0));
    let data: Vec<Value> = pairs
        .into_iter()
        .map(|(key, value)| json!({"Key": key, "Value": value}))
        .collect();
    Reply::Data(json!({ "SessionData": data }))
}

/// Ends the session the route names. The session cannot end itself: the
/// request signs in apart, as its owner or an admin.
pub async fn remove(mut call: Call<'_>) -> Reply {
    let Some(id) = input_session(&mut call) else {
        return call.error(
            Failure::MissingParameter,
            "SessionID parameter is required!",
        );
    };
    if call.text("UserLogin").is_none() && call.text("CustomerUserLogin").is_none() {
        return call.error(
            Failure::MissingParameter,
            "UserLogin or CustomerUserLogin and Password are required!",
        );
    }
    let caller = match call.caller(Failure::MissingParameter).await {
        Ok(caller) => caller,
        Err(reply) => return reply,
    };
    match call.state.service.close_api_session(&caller, &id).await {
        Ok(()) => Reply::Data(json!({"Success": 1})),
        Err(sau_service::ServiceError::Forbidden) => {
            call.error(Failure::AuthFail, "Authorization failing!")
        }
        Err(e) => call.refused(e, &|f| f.to_owned()),
    }
}

/// Takes the session to end out of the data, so it cannot sign the request in.
fn input_session(call: &mut Call<'_>) -> Option<String> {
    let id = call.text("SessionID");
    call.data.remove("SessionID");
    id
}
