//! Driving the pages like a browser: a client that keeps cookies and does not
//! follow redirects, the form token of a page, and signing in through the form.

use crate::support::TestApp;
use reqwest::StatusCode;

pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// The form token a page carries in its `csrf-token` meta tag.
pub fn form_token(html: &str) -> String {
    let marker = "name=\"csrf-token\" content=\"";
    let start = html.find(marker).expect("csrf meta tag") + marker.len();
    html[start..].split('"').next().expect("token").to_owned()
}

/// The element with `id="{id}"`: its attributes from the id on, and its text up
/// to the next tag.
pub fn element<'a>(html: &'a str, id: &str) -> &'a str {
    let marker = format!("id=\"{id}\"");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no element #{id} in {html}"));
    let rest = &html[start..];
    &rest[..rest.find('<').unwrap_or(rest.len())]
}

/// A page's answer to a form: its status, its `Location` (if any) and its body.
pub async fn answer(response: reqwest::Response) -> (StatusCode, Option<String>, String) {
    let status = response.status();
    let location = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    (status, location, response.text().await.expect("body"))
}

/// Signs in through the form (password = login); returns the form token.
pub async fn sign_in(app: &TestApp, client: &reqwest::Client, login: &str) -> String {
    sign_in_with(app, client, login, login).await
}

pub async fn sign_in_with(
    app: &TestApp,
    client: &reqwest::Client,
    login: &str,
    password: &str,
) -> String {
    let page = client
        .get(app.url("/login"))
        .send()
        .await
        .expect("GET /login");
    let token = form_token(&page.text().await.expect("body"));
    let response = client
        .post(app.url("/login"))
        .form(&[
            ("login", login),
            ("password", password),
            ("csrf_token", &token),
        ])
        .send()
        .await
        .expect("POST /login");
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "{login}");
    let home = client.get(app.url("/")).send().await.expect("GET /");
    assert_eq!(home.status(), StatusCode::OK);
    form_token(&home.text().await.expect("body"))
}

/// The page at `path` as the browser `client` reads it.
pub async fn page(app: &TestApp, client: &reqwest::Client, path: &str) -> String {
    let response = client.get(app.url(path)).send().await.expect("GET");
    response.text().await.expect("body")
}

/// Posts an urlencoded form as the browser `client`.
pub async fn post_form(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    client
        .post(app.url(path))
        .form(fields)
        .send()
        .await
        .expect("POST")
}

/// The table row (or card) of ticket `number` on a list page: from its number's
/// link to the end of its row.
pub fn row_of<'a>(html: &'a str, number: &str) -> &'a str {
    html.split(&format!("<a href=\"/tickets/{number}\"><code>"))
        .nth(1)
        .and_then(|rest| rest.split("</tr>").next())
        .unwrap_or_else(|| panic!("no row for {number}: {html}"))
}
