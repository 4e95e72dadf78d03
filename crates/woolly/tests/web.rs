//! The web interface over HTTP, as a browser without JavaScript uses it: pages, plain forms,
//! cookies and redirects, on both engines. A browser here is a cookie-keeping HTTP client that
//! does not follow redirects, so that each answer can be checked; the tests in a real browser
//! are in `browser.rs`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use reqwest::StatusCode;
use reqwest::header::{ACCEPT_LANGUAGE, CONTENT_SECURITY_POLICY, LOCATION, SET_COOKIE};
use serde_json::Value;

use common::mail::{link_in, mail_to};
use common::{TestInstance, TestServer};
use woolly::settings::Settings;

/// An answer as a test reads it.
struct Page {
    status: StatusCode,
    location: Option<String>,
    cookies: Vec<String>,
    csp: Option<String>,
    html: String,
}

impl Page {
    /// The value of a form's hidden or filled `name` field (the first one on the page).
    fn field(&self, name: &str) -> String {
        let marker = format!("name=\"{name}\" value=\"");
        let start = self
            .html
            .find(&marker)
            .unwrap_or_else(|| panic!("no {name} field in {}", self.html))
            + marker.len();
        let end = start + self.html[start..].find('"').unwrap();
        unescape(&self.html[start..end])
    }

    fn csrf(&self) -> String {
        self.field("authenticity_token")
    }

    /// The value of the option selected in the select named `name`.
    fn selected(&self, name: &str) -> String {
        let marker = format!("name=\"{name}\"");
        let start = self
            .html
            .find(&marker)
            .unwrap_or_else(|| panic!("no {name} select in {}", self.html));
        let select = &self.html[start..];
        let select = &select[..select.find("</select>").expect("a closed select")];
        let option = select
            .split("<option ")
            .find(|option| option.contains(" selected"))
            .unwrap_or_else(|| panic!("nothing selected in {select}"));
        let value = option.strip_prefix("value=\"").expect("an option's value");
        unescape(&value[..value.find('"').unwrap()])
    }

    /// The anti-forgery token this answer gave the browser in its cookie.
    fn csrf_cookie(&self) -> String {
        self.cookies
            .iter()
            .find_map(|cookie| cookie.strip_prefix("woolly_csrf="))
            .and_then(|rest| rest.split(';').next())
            .expect("a woolly_csrf cookie")
            .to_owned()
    }
}

fn unescape(text: &str) -> String {
    text.replace("&#x2f;", "/")
        .replace("&#x3a;", ":")
        .replace("&#43;", "+")
        .replace("&#61;", "=")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// A browser without JavaScript: it keeps cookies, and the test follows redirects itself.
struct Browser {
    client: reqwest::Client,
    base: String,
    language: &'static str,
}

impl Browser {
    fn new(server: &TestServer) -> Browser {
        Browser::speaking(server, "en-GB,en;q=0.8")
    }

    fn speaking(server: &TestServer, language: &'static str) -> Browser {
        Browser {
            client: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            base: server.url(""),
            language,
        }
    }

    async fn read(response: reqwest::Response) -> Page {
        let header = |name| {
            response
                .headers()
                .get(name)
                .map(|value: &reqwest::header::HeaderValue| value.to_str().unwrap().to_owned())
        };
        let status = response.status();
        let location = header(LOCATION);
        let csp = header(CONTENT_SECURITY_POLICY);
        let cookies = response
            .headers()
            .get_all(SET_COOKIE)
            .iter()
            .map(|value| value.to_str().unwrap().to_owned())
            .collect();
        Page {
            status,
            location,
            cookies,
            csp,
            html: response.text().await.unwrap(),
        }
    }

    async fn get(&self, path: &str) -> Page {
        let response = self
            .client
            .get(format!("{}{path}", self.base))
            .header(ACCEPT_LANGUAGE, self.language)
            .send()
            .await
            .unwrap();
        Browser::read(response).await
    }

    async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        let response = self
            .client
            .post(format!("{}{path}", self.base))
            .header(ACCEPT_LANGUAGE, self.language)
            .form(fields)
            .send()
            .await
            .unwrap();
        Browser::read(response).await
    }

    async fn post_multipart(&self, path: &str, form: reqwest::multipart::Form) -> Page {
        let response = self
            .client
            .post(format!("{}{path}", self.base))
            .header(ACCEPT_LANGUAGE, self.language)
            .multipart(form)
            .send()
            .await
            .unwrap();
        Browser::read(response).await
    }

    /// Posts a form of the page at `form_path`, with its anti-forgery token.
    async fn submit(&self, form_path: &str, action: &str, fields: &[(&str, &str)]) -> Page {
        let form = self.get(form_path).await;
        assert_eq!(form.status, StatusCode::OK, "{form_path}: {}", form.html);
        let csrf = form.csrf();
        let mut all = vec![("authenticity_token", csrf.as_str())];
        all.extend_from_slice(fields);
        self.post(action, &all).await
    }

    /// Signs in with the sign-in form.
    async fn sign_in(&self, login: &str, password: &str) -> Page {
        self.submit(
            "/auth/sign_in",
            "/auth/sign_in",
            &[("login", login), ("password", password)],
        )
        .await
    }
}

fn open_sign_ups(settings: &mut Settings) {
    settings.registrations = "open".to_owned();
    settings.rate_limit_requests = 0;
    settings.rules = vec!["Be kind.".to_owned()];
}

fn python() -> Option<std::ffi::OsString> {
    common::third_party(&["WOOLLY_TEST_PYTHON"], "a Python with aiosmtpd")
        .and_then(|values| values.into_iter().next())
}

async fn lookup(server: &TestServer, username: &str) -> (StatusCode, Value) {
    server
        .call(
            reqwest::Method::GET,
            &format!("/api/v1/accounts/lookup?acct={username}"),
            None,
            Value::Null,
        )
        .await
}

#[tokio::test]
async fn a_newcomer_signs_up_confirms_and_posts_with_plain_forms() {
    let Some(python) = python() else { return };
    let instance = TestInstance::new().await;
    let server = instance.start_on_own_domain_with(open_sign_ups).await;
    let browser = Browser::new(&server);

    let landing = browser.get("/").await;
    assert_eq!(landing.status, StatusCode::OK, "{}", landing.html);
    assert!(
        landing.html.contains("href=\"/auth/sign_up\""),
        "{}",
        landing.html
    );
    assert!(
        landing.html.contains("Be kind."),
        "the rules are on the door"
    );
    let csp = landing.csp.expect("a content security policy");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert!(
        !landing.html.contains("<style") && !landing.html.contains("<script>"),
        "nothing inline"
    );
    assert!(
        landing
            .cookies
            .iter()
            .any(|cookie| cookie.starts_with("woolly_csrf=")
                && cookie.contains("HttpOnly")
                && cookie.contains("SameSite=Lax")),
        "{:?}",
        landing.cookies
    );

    let signed_up = browser
        .submit(
            "/auth/sign_up",
            "/auth/sign_up",
            &[
                ("username", "newcomer"),
                ("email", "newcomer@example.org"),
                ("password", "a long enough password"),
                ("agreement", "1"),
            ],
        )
        .await;
    assert_eq!(
        signed_up.status,
        StatusCode::SEE_OTHER,
        "{}",
        signed_up.html
    );
    assert_eq!(signed_up.location.as_deref(), Some("/auth/setup"));
    assert!(
        signed_up
            .cookies
            .iter()
            .any(|cookie| cookie.starts_with("woolly_session=") && cookie.contains("HttpOnly")),
        "{:?}",
        signed_up.cookies
    );
    let setup = browser.get("/auth/setup").await;
    assert!(
        setup.html.contains("newcomer@example.org"),
        "{}",
        setup.html
    );
    assert_eq!(
        browser.get("/home").await.location.as_deref(),
        Some("/auth/setup"),
        "nothing but the setup page before the address is confirmed"
    );

    let mail = mail_to(
        &python,
        &instance.data_dir().join("mail"),
        "newcomer@example.org",
        "",
    )
    .await;
    let confirmed = browser.get(&link_in(&mail, "confirmation_token=")).await;
    assert_eq!(
        confirmed.status,
        StatusCode::SEE_OTHER,
        "{}",
        confirmed.html
    );
    assert_eq!(confirmed.location.as_deref(), Some("/start"));

    let start = browser.get("/start").await;
    let named = browser
        .post_multipart(
            "/start/profile",
            reqwest::multipart::Form::new()
                .text("authenticity_token", start.csrf())
                .text("display_name", "New Comer")
                .part(
                    "avatar",
                    reqwest::multipart::Part::bytes(png())
                        .file_name("me.png")
                        .mime_str("image/png")
                        .unwrap(),
                ),
        )
        .await;
    assert_eq!(named.status, StatusCode::SEE_OTHER, "{}", named.html);
    let home = browser.get("/home").await;
    assert_eq!(home.status, StatusCode::OK, "{}", home.html);
    assert!(
        home.html.contains("autofocus"),
        "the composer waits for the first post"
    );

    let (csrf, idempotency) = (home.csrf(), home.field("idempotency"));
    let draft = [
        ("authenticity_token", csrf.as_str()),
        ("idempotency", idempotency.as_str()),
        ("status", "Hello, fediverse! #introduction"),
        ("visibility", "public"),
    ];
    for _ in 0..2 {
        // Sent twice, as a double click would: one post.
        let posted = browser.post("/statuses", &draft).await;
        assert_eq!(posted.status, StatusCode::SEE_OTHER, "{}", posted.html);
        assert_eq!(posted.location.as_deref(), Some("/home"));
    }
    let home = browser.get("/home").await;
    assert!(home.html.contains("Hello, fediverse!"), "{}", home.html);
    assert!(home.html.contains("New Comer"), "{}", home.html);

    let (status, account) = lookup(&server, "newcomer").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(account["display_name"], "New Comer");
    assert!(
        !account["avatar"].as_str().unwrap().contains("missing"),
        "the picture of the first steps is the avatar: {account}"
    );
    assert_eq!(account["statuses_count"], 1, "{account}");
    let (_, public) = server
        .call(
            reqwest::Method::GET,
            "/api/v1/timelines/public?local=true",
            None,
            Value::Null,
        )
        .await;
    assert!(
        public[0]["content"]
            .as_str()
            .unwrap()
            .contains("Hello, fediverse!"),
        "{public}"
    );
    assert_eq!(public[0]["application"]["name"], "Web", "{public}");
    server.stop().await;
}

#[tokio::test]
async fn a_form_without_its_token_writes_nothing_and_keeps_what_was_typed() {
    let instance = TestInstance::new().await;
    let server = instance.start_on_own_domain_with(open_sign_ups).await;
    let browser = Browser::new(&server);
    browser.get("/auth/sign_up").await;

    for token in ["", "forged"] {
        let refused = browser
            .post(
                "/auth/sign_up",
                &[
                    ("authenticity_token", token),
                    ("username", "mallory"),
                    ("email", "mallory@example.org"),
                    ("password", "a long enough password"),
                    ("agreement", "1"),
                ],
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.html);
        assert!(
            refused.html.contains("This form has expired"),
            "{}",
            refused.html
        );
        assert_eq!(refused.field("username"), "mallory", "what was typed stays");
        assert!(
            !refused.html.contains("a long enough password"),
            "never the password"
        );
    }
    assert_eq!(lookup(&server, "mallory").await.0, StatusCode::NOT_FOUND);

    // A browser that never got the cookie (another site's form) is refused too.
    let stranger = Browser::new(&server);
    let refused = stranger
        .post(
            "/auth/sign_up",
            &[
                ("authenticity_token", "anything"),
                ("username", "mallory"),
                ("email", "mallory@example.org"),
                ("password", "a long enough password"),
                ("agreement", "1"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(lookup(&server, "mallory").await.0, StatusCode::NOT_FOUND);
    server.stop().await;
}

#[tokio::test]
async fn a_refused_sign_up_names_its_fields() {
    let instance = TestInstance::new().await;
    let server = instance.start_on_own_domain_with(open_sign_ups).await;
    common::account_with_password(&server, "taken", "a long enough password").await;
    let browser = Browser::new(&server);
    let refused = browser
        .submit(
            "/auth/sign_up",
            "/auth/sign_up",
            &[
                ("username", "taken"),
                ("email", "not an address"),
                ("password", "short"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    for (id, words) in [
        ("username-error", "This is already taken."),
        ("email-error", "This is not valid."),
        ("password-error", "is too short"),
    ] {
        let at = refused
            .html
            .find(&format!("id=\"{id}\""))
            .unwrap_or_else(|| panic!("no {id} in {}", refused.html));
        assert!(refused.html[at..].contains(words), "{id}: {}", refused.html);
    }
    assert!(refused.html.contains("Please accept to go on."));
    assert_eq!(refused.field("email"), "not an address");
    server.stop().await;
}

#[tokio::test]
async fn signing_in_and_out_with_the_forms() {
    let instance = TestInstance::new().await;
    let server = instance.start_on_own_domain_with(open_sign_ups).await;
    common::account_with_password(&server, "alice", "a long enough password").await;
    let browser = Browser::new(&server);

    let wrong = browser.sign_in("alice", "not the password").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.html.contains("is wrong"), "{}", wrong.html);
    assert_eq!(wrong.field("login"), "alice", "the login stays typed");
    assert_eq!(
        browser.get("/home").await.location.as_deref(),
        Some("/auth/sign_in")
    );

    let signed_in = browser.sign_in("alice", "a long enough password").await;
    assert_eq!(
        signed_in.status,
        StatusCode::SEE_OTHER,
        "{}",
        signed_in.html
    );
    assert_eq!(signed_in.location.as_deref(), Some("/home"));
    let home = browser.get("/home").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.html.contains("action=\"/auth/sign_out\""));
    assert_eq!(browser.get("/").await.location.as_deref(), Some("/home"));

    let signed_out = browser
        .post("/auth/sign_out", &[("authenticity_token", &home.csrf())])
        .await;
    assert_eq!(signed_out.status, StatusCode::SEE_OTHER);
    assert_eq!(signed_out.location.as_deref(), Some("/"));
    assert_eq!(
        browser.get("/home").await.location.as_deref(),
        Some("/auth/sign_in")
    );
    server.stop().await;
}

#[tokio::test]
async fn a_session_ended_elsewhere_sends_the_browser_to_sign_in() {
    let instance = TestInstance::new().await;
    let server = instance.start_on_own_domain_with(open_sign_ups).await;
    common::account_with_password(&server, "bob", "a long enough password").await;
    let browser = Browser::new(&server);
    browser.sign_in("bob", "a long enough password").await;
    let home = browser.get("/home").await;
    assert_eq!(home.status, StatusCode::OK);

    // Every session ends, as a password reset ends them.
    server
        .woolly
        .accounts()
        .set_password("bob", Some("another long password".to_owned()))
        .await
        .unwrap();
    let draft = "a post typed before the session ended";
    let refused = browser
        .post(
            "/statuses",
            &[("authenticity_token", &home.csrf()), ("status", draft)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::SEE_OTHER);
    assert_eq!(refused.location.as_deref(), Some("/auth/sign_in"));
    assert!(
        refused
            .cookies
            .iter()
            .any(|cookie| cookie.starts_with("woolly_session=;")
                || cookie.starts_with("woolly_session=\"\"")),
        "the dead session's cookie is cleared: {:?}",
        refused.cookies
    );
    let (_, account) = lookup(&server, "bob").await;
    assert_eq!(account["statuses_count"], 0, "nothing was written");
    server.stop().await;
}

/// Signs `username` up with the browser's forms and follows the confirmation link.
async fn join(
    browser: &Browser,
    python: &std::ffi::OsStr,
    instance: &TestInstance,
    username: &str,
) {
    let email = format!("{username}@example.org");
    let signed_up = browser
        .submit(
            "/auth/sign_up",
            "/auth/sign_up",
            &[
                ("username", username),
                ("email", &email),
                ("password", "a long enough password"),
                ("agreement", "1"),
            ],
        )
        .await;
    assert_eq!(
        signed_up.status,
        StatusCode::SEE_OTHER,
        "{}",
        signed_up.html
    );
    let mail = mail_to(python, &instance.data_dir().join("mail"), &email, "").await;
    let confirmed = browser.get(&link_in(&mail, "confirmation_token=")).await;
    assert_eq!(
        confirmed.status,
        StatusCode::SEE_OTHER,
        "{}",
        confirmed.html
    );
}

#[tokio::test]
async fn a_post_too_long_comes_back_with_its_text_and_why_in_french() {
    let Some(python) = python() else { return };
    let instance = TestInstance::new().await;
    let server = instance.start_on_own_domain_with(open_sign_ups).await;
    let browser = Browser::speaking(&server, "fr-FR,fr;q=0.9,en;q=0.5");
    let landing = browser.get("/").await;
    assert!(
        landing.html.contains("<html lang=\"fr\">"),
        "{}",
        landing.html
    );
    assert!(landing.html.contains("Créer un compte"), "{}", landing.html);
    join(&browser, &python, &instance, "chloe").await;

    let home = browser.get("/home").await;
    assert!(
        home.html.contains("Publier"),
        "the language chosen at sign-up: {}",
        home.html
    );
    let long = "é".repeat(501);
    let refused = browser
        .post(
            "/statuses",
            &[
                ("authenticity_token", &home.csrf()),
                ("idempotency", &home.field("idempotency")),
                ("status", &long),
                ("visibility", "public"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        unescape(&refused.html).contains("C'est trop long."),
        "{}",
        refused.html
    );
    assert!(
        refused.html.contains(&long),
        "the text stays in the composer"
    );
    let (_, account) = lookup(&server, "chloe").await;
    assert_eq!(account["statuses_count"], 0);
    server.stop().await;
}

#[tokio::test]
async fn the_pages_of_a_visitor_render_and_link_each_other() {
    let instance = TestInstance::new().await;
    let server = instance.start_on_own_domain_with(open_sign_ups).await;
    let browser = Browser::new(&server);
    for path in [
        "/",
        "/about",
        "/privacy-policy",
        "/auth/sign_up",
        "/auth/sign_in",
        "/auth/password/new",
    ] {
        let page = browser.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}: {}", page.html);
        assert!(page.html.starts_with("<!DOCTYPE html>"), "{path}");
        assert!(page.html.contains("<html lang=\"en\">"), "{path}");
        assert!(page.html.contains("/assets/woolly.css?v="), "{path}");
        assert!(page.html.len() < 100_000, "{path} is small");
    }
    let css = browser.get("/assets/woolly.css").await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(css.html.contains("prefers-color-scheme: dark"));
    server.stop().await;
}

#[tokio::test]
async fn a_closed_server_says_so_and_takes_no_sign_up() {
    let instance = TestInstance::new().await;
    let server = instance
        .start_on_own_domain_with(|settings| {
            settings.registrations = "closed".to_owned();
            settings.closed_registrations_message = "We are full, sorry.".to_owned();
        })
        .await;
    let browser = Browser::new(&server);
    let landing = browser.get("/").await;
    assert!(
        !landing.html.contains("href=\"/auth/sign_up\""),
        "{}",
        landing.html
    );
    assert!(
        landing.html.contains("We are full, sorry."),
        "{}",
        landing.html
    );
    let form = browser.get("/auth/sign_up").await;
    assert_eq!(form.status, StatusCode::FORBIDDEN);
    let refused = browser
        .post(
            "/auth/sign_up",
            &[
                ("authenticity_token", &landing.csrf_cookie()),
                ("username", "late"),
                ("email", "late@example.org"),
                ("password", "a long enough password"),
                ("agreement", "1"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(lookup(&server, "late").await.0, StatusCode::NOT_FOUND);
    server.stop().await;
}

/// Posts `text` as `author` through the API; returns the status.
async fn post_as(server: &TestServer, token: &str, body: Value) -> Value {
    let (status, posted) = server
        .call(reqwest::Method::POST, "/api/v1/statuses", Some(token), body)
        .await;
    assert_eq!(status, StatusCode::OK, "{posted}");
    posted
}

#[tokio::test]
async fn a_member_follows_from_a_profile_and_acts_on_posts_in_a_thread() {
    let instance = TestInstance::new().await;
    let server = instance.start_on_own_domain_with(open_sign_ups).await;
    let (dana_token, _) = common::account(&server, "dana").await;
    common::account_with_password(&server, "eve", "a long enough password").await;
    let first = post_as(
        &server,
        &dana_token,
        serde_json::json!({"status": "A thread starts #woolly", "spoiler_text": "<i>cw</i>"}),
    )
    .await;
    let first_id = first["id"].as_str().unwrap();
    let hidden = post_as(
        &server,
        &dana_token,
        serde_json::json!({"status": "for followers", "visibility": "private"}),
    )
    .await;

    // Anyone reads the profile and the thread; private posts stay hidden.
    let visitor = Browser::new(&server);
    let profile = visitor.get("/@dana").await;
    assert_eq!(profile.status, StatusCode::OK, "{}", profile.html);
    assert!(profile.html.contains("A thread starts"), "{}", profile.html);
    assert!(!profile.html.contains("for followers"), "{}", profile.html);
    assert!(
        profile
            .html
            .contains("<span class=\"p-summary\">&#60;i&#62;cw&#60;/i&#62;</span>")
    );
    assert!(
        profile.html.contains("property=\"og:title\""),
        "{}",
        profile.html
    );
    assert!(
        !profile.html.contains("action=\"/accounts/"),
        "no follow button for visitors"
    );
    let thread = visitor.get(&format!("/@dana/{first_id}")).await;
    assert_eq!(thread.status, StatusCode::OK, "{}", thread.html);
    assert!(
        !thread.html.contains("id=\"reply\""),
        "no reply form for visitors"
    );
    let private = visitor
        .get(&format!("/@dana/{}", hidden["id"].as_str().unwrap()))
        .await;
    assert_eq!(private.status, StatusCode::NOT_FOUND, "{}", private.html);
    assert!(private.html.contains("<html"), "a page, not JSON");
    let tag = visitor.get("/tags/woolly").await;
    assert!(tag.html.contains("A thread starts"), "{}", tag.html);
    let local = visitor.get("/public/local").await;
    assert!(local.html.contains("A thread starts"), "{}", local.html);
    // The same address still gives servers the ActivityPub document.
    let response = common::http()
        .get(server.url("/@dana"))
        .header("Accept", "application/activity+json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let actor: Value = response.json().await.unwrap();
    assert_eq!(actor["preferredUsername"], "dana", "{actor}");

    // A member follows, favourites, boosts, bookmarks and replies with forms.
    let eve = Browser::new(&server);
    eve.sign_in("eve", "a long enough password").await;
    let profile = eve.get("/@dana").await;
    let follow = profile
        .html
        .find("action=\"/accounts/")
        .map(|at| &profile.html[at..at + 60])
        .unwrap_or_else(|| panic!("a follow form: {}", profile.html));
    assert!(follow.contains("/follow\""), "{follow}");
    let dana_id = follow
        .trim_start_matches("action=\"/accounts/")
        .split('/')
        .next()
        .unwrap()
        .to_owned();
    let followed = eve
        .post(
            &format!("/accounts/{dana_id}/follow"),
            &[
                ("authenticity_token", &profile.csrf()),
                ("return_to", "/@dana"),
            ],
        )
        .await;
    assert_eq!(followed.status, StatusCode::SEE_OTHER, "{}", followed.html);
    assert_eq!(followed.location.as_deref(), Some("/@dana"));
    let profile = eve.get("/@dana").await;
    assert!(
        profile.html.contains("for followers"),
        "a follower sees private posts"
    );
    assert!(profile.html.contains("/unfollow\""), "{}", profile.html);

    let here = format!("/@dana/{first_id}");
    let thread = eve.get(&here).await;
    let csrf = thread.csrf();
    for action in ["favourite", "reblog", "bookmark"] {
        let done = eve
            .post(
                &format!("/statuses/{first_id}/{action}"),
                &[("authenticity_token", &csrf), ("return_to", &here)],
            )
            .await;
        assert_eq!(
            done.status,
            StatusCode::SEE_OTHER,
            "{action}: {}",
            done.html
        );
        assert_eq!(done.location, Some(format!("{here}#status-{first_id}")));
    }
    let thread = eve.get(&here).await;
    for pressed in ["1 favourite", "1 boost", "Bookmarked"] {
        let at = thread
            .html
            .find(&format!(">{pressed}<"))
            .unwrap_or_else(|| panic!("{pressed}: {}", thread.html));
        assert!(
            thread.html[..at].rfind("aria-pressed=\"true\"") > thread.html[..at].rfind("<button"),
            "{pressed} is pressed"
        );
    }
    assert!(
        thread.html.contains(">@dana </textarea>"),
        "{}",
        thread.html
    );
    let replied = eve
        .post(
            "/statuses",
            &[
                ("authenticity_token", &csrf),
                ("idempotency", &thread.field("idempotency")),
                ("in_reply_to_id", first_id),
                ("return_to", &here),
                ("status", "@dana a reply from the web"),
            ],
        )
        .await;
    assert_eq!(replied.status, StatusCode::SEE_OTHER, "{}", replied.html);
    assert_eq!(replied.location.as_deref(), Some(here.as_str()));
    let thread = visitor.get(&here).await;
    assert!(
        thread.html.contains("a reply from the web"),
        "{}",
        thread.html
    );
    let (_, context) = server
        .call(
            reqwest::Method::GET,
            &format!("/api/v1/statuses/{first_id}/context"),
            None,
            Value::Null,
        )
        .await;
    assert_eq!(
        context["descendants"].as_array().unwrap().len(),
        1,
        "{context}"
    );

    // Only the author gets a delete button, and it deletes.
    assert!(
        !eve.get(&here)
            .await
            .html
            .contains(&format!("/statuses/{first_id}/delete"))
    );
    let forged = eve
        .post(
            &format!("/statuses/{first_id}/delete"),
            &[("authenticity_token", &csrf), ("return_to", "/home")],
        )
        .await;
    assert_ne!(forged.status, StatusCode::SEE_OTHER, "not hers to delete");
    let (status, _) = server
        .call(
            reqwest::Method::GET,
            &format!("/api/v1/statuses/{first_id}"),
            None,
            Value::Null,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "still there");
    server.stop().await;
}

#[tokio::test]
async fn forms_never_send_the_browser_to_another_site() {
    let instance = TestInstance::new().await;
    let server = instance.start_on_own_domain_with(open_sign_ups).await;
    let (token, _) = common::account(&server, "fay").await;
    common::account_with_password(&server, "gus", "a long enough password").await;
    let post = post_as(&server, &token, serde_json::json!({"status": "hi"})).await;
    let id = post["id"].as_str().unwrap();
    let gus = Browser::new(&server);
    gus.sign_in("gus", "a long enough password").await;
    let csrf = gus.get("/home").await.csrf();
    for elsewhere in [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
    ] {
        let done = gus
            .post(
                &format!("/statuses/{id}/favourite"),
                &[("authenticity_token", &csrf), ("return_to", elsewhere)],
            )
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER);
        assert!(
            done.location.as_deref().unwrap().starts_with("/home#"),
            "{elsewhere}: {:?}",
            done.location
        );
    }
    server.stop().await;
}

#[tokio::test]
async fn notifications_and_feeds() {
    let instance = TestInstance::new().await;
    let server = instance.start_on_own_domain_with(open_sign_ups).await;
    common::account_with_password(&server, "hana", "a long enough password").await;
    let (ivan_token, ivan_id) = common::account(&server, "ivan").await;
    let public = post_as(
        &server,
        &ivan_token,
        serde_json::json!({"status": "Feeds <are> fun #woolly"}),
    )
    .await;
    post_as(
        &server,
        &ivan_token,
        serde_json::json!({"status": "not for feeds", "visibility": "private"}),
    )
    .await;

    let feed = Browser::new(&server).get("/@ivan.rss").await;
    assert_eq!(feed.status, StatusCode::OK, "{}", feed.html);
    assert!(feed.html.starts_with("<?xml"), "{}", feed.html);
    assert!(
        feed.html.contains(public["url"].as_str().unwrap()),
        "{}",
        feed.html
    );
    assert!(
        feed.html
            .contains("&#60;p&#62;Feeds &#38;lt;are&#38;gt; fun"),
        "the post's HTML is escaped once more, as RSS carries it: {}",
        feed.html
    );
    assert!(!feed.html.contains("not for feeds"), "{}", feed.html);
    assert!(
        feed.html.contains("<category>woolly</category>"),
        "{}",
        feed.html
    );
    let tag_feed = Browser::new(&server).get("/tags/woolly.rss").await;
    assert_eq!(tag_feed.status, StatusCode::OK);
    assert!(tag_feed.html.contains(public["url"].as_str().unwrap()));
    assert_eq!(
        Browser::new(&server).get("/@nobody.rss").await.status,
        StatusCode::NOT_FOUND
    );

    // Hana follows and favourites; Ivan reads his notifications.
    let hana = Browser::new(&server);
    hana.sign_in("hana", "a long enough password").await;
    let csrf = hana.get("/home").await.csrf();
    let id = public["id"].as_str().unwrap();
    hana.post(
        &format!("/accounts/{ivan_id}/follow"),
        &[("authenticity_token", &csrf), ("return_to", "/home")],
    )
    .await;
    hana.post(
        &format!("/statuses/{id}/favourite"),
        &[("authenticity_token", &csrf), ("return_to", "/home")],
    )
    .await;
    let ivan = Browser::new(&server);
    ivan.sign_in("ivan", "a long enough password").await;
    let page = ivan.get("/notifications").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    assert!(page.html.contains("hana followed you"), "{}", page.html);
    assert!(
        page.html.contains("hana favourited your post"),
        "{}",
        page.html
    );
    assert_eq!(
        Browser::new(&server)
            .get("/notifications")
            .await
            .location
            .as_deref(),
        Some("/auth/sign_in")
    );
    server.stop().await;
}

fn png() -> Vec<u8> {
    let mut bytes = Vec::new();
    image::RgbImage::from_pixel(64, 64, image::Rgb([200, 90, 10]))
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .unwrap();
    bytes
}

#[tokio::test]
async fn settings_change_the_profile_the_language_the_password_and_end_sessions() {
    let instance = TestInstance::new().await;
    let server = instance.start_on_own_domain_with(open_sign_ups).await;
    let (api_token, _) = common::account(&server, "jan").await;
    let browser = Browser::new(&server);
    browser.sign_in("jan", "a long enough password").await;
    let other = Browser::new(&server);
    other.sign_in("jan", "a long enough password").await;

    let form = browser.get("/settings/profile").await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.html);
    let profile = reqwest::multipart::Form::new()
        .text("authenticity_token", form.csrf())
        .text("display_name", "Jan from the web")
        .text("note", "I like #knitting")
        .text("field_name_0", "Pronouns")
        .text("field_value_0", "they/them")
        .text("locked", "1")
        .text("discoverable", "1")
        .part(
            "avatar",
            reqwest::multipart::Part::bytes(png())
                .file_name("me.png")
                .mime_str("image/png")
                .unwrap(),
        )
        .part(
            "header",
            reqwest::multipart::Part::bytes(Vec::new()).file_name(""),
        );
    let saved = browser.post_multipart("/settings/profile", profile).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.html);
    assert_eq!(saved.location.as_deref(), Some("/settings/profile?saved=1"));
    let (_, account) = lookup(&server, "jan").await;
    assert_eq!(account["display_name"], "Jan from the web");
    assert_eq!(account["locked"], true);
    assert_eq!(account["fields"][0]["name"], "Pronouns", "{account}");
    assert!(account["note"].as_str().unwrap().contains("knitting"));
    assert!(
        !account["avatar"].as_str().unwrap().contains("missing"),
        "{account}"
    );
    assert!(
        account["header"].as_str().unwrap().contains("missing"),
        "an empty file input keeps the header"
    );
    let forged = browser
        .post_multipart(
            "/settings/profile",
            reqwest::multipart::Form::new()
                .text("authenticity_token", "forged")
                .text("display_name", "Mallory"),
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert_eq!(forged.field("display_name"), "Mallory", "kept as typed");
    assert_eq!(
        lookup(&server, "jan").await.1["display_name"],
        "Jan from the web"
    );

    let saved = browser
        .submit(
            "/settings/preferences",
            "/settings/preferences",
            &[
                ("locale", "fr"),
                ("default_privacy", "private"),
                ("default_language", ""),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.html);
    let home = browser.get("/home").await;
    assert!(
        home.html.contains("<html lang=\"fr\">"),
        "the chosen language"
    );
    assert!(
        home.html.contains("value=\"private\" selected"),
        "{}",
        home.html
    );

    let wrong = browser
        .submit(
            "/settings/password",
            "/settings/password",
            &[
                ("current_password", "not it"),
                ("password", "a brand new password"),
            ],
        )
        .await;
    assert_eq!(
        wrong.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        wrong.html
    );
    let changed = browser
        .submit(
            "/settings/password",
            "/settings/password",
            &[
                ("current_password", "a long enough password"),
                ("password", "a brand new password"),
            ],
        )
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.html);
    assert_eq!(
        browser.get("/home").await.status,
        StatusCode::OK,
        "this session stays"
    );
    assert_eq!(
        other.get("/home").await.location.as_deref(),
        Some("/auth/sign_in"),
        "the other browser was signed out"
    );
    let (status, _) = server
        .call(
            reqwest::Method::GET,
            "/api/v1/accounts/verify_credentials",
            Some(&api_token),
            Value::Null,
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "and so was the app");

    // Another session, then ended from the list.
    other.sign_in("jan", "a brand new password").await;
    let list = browser.get("/settings/sessions").await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(list.html.matches("/revoke\"").count(), 2, "{}", list.html);
    let others: Vec<&str> = list
        .html
        .split("<li>")
        .filter(|item| item.contains("/revoke\"") && !item.contains("Ce navigateur"))
        .collect();
    assert_eq!(others.len(), 1, "{}", list.html);
    let at = others[0].find("action=\"").unwrap() + "action=\"".len();
    let revoke = &others[0][at..at + others[0][at..].find('"').unwrap()];
    let ended = browser
        .post(revoke, &[("authenticity_token", &list.csrf())])
        .await;
    assert_eq!(
        ended.status,
        StatusCode::SEE_OTHER,
        "{revoke}: {}",
        ended.html
    );
    assert_eq!(browser.get("/home").await.status, StatusCode::OK);
    assert_eq!(
        other.get("/home").await.location.as_deref(),
        Some("/auth/sign_in"),
        "the other browser's session ended"
    );
    server.stop().await;
}

#[tokio::test]
async fn the_composer_posts_images_with_alt_text_and_polls_people_vote_in() {
    let instance = TestInstance::new().await;
    let server = instance.start_on_own_domain_with(open_sign_ups).await;
    common::account_with_password(&server, "kim", "a long enough password").await;
    common::account_with_password(&server, "lou", "a long enough password").await;
    let kim = Browser::new(&server);
    kim.sign_in("kim", "a long enough password").await;
    let home = kim.get("/home").await;
    assert!(home.html.contains("enctype=\"multipart/form-data\""));
    // A post that would be refused uploads none of its images.
    let files_in = |dir: std::path::PathBuf| {
        fn count(dir: &std::path::Path) -> usize {
            std::fs::read_dir(dir).map_or(0, |entries| {
                entries
                    .flatten()
                    .map(|entry| {
                        if entry.path().is_dir() {
                            count(&entry.path())
                        } else {
                            1
                        }
                    })
                    .sum()
            })
        }
        count(&dir)
    };
    let media_dir = instance.data_dir().join("media");
    let before = files_in(media_dir.clone());
    let too_long = kim
        .post_multipart(
            "/statuses",
            composer_with_image(&home, &"many words ".repeat(60), "A square"),
        )
        .await;
    assert_eq!(
        too_long.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        too_long.html
    );
    assert!(too_long.html.contains("many words many words"));
    assert_eq!(files_in(media_dir), before, "nothing was uploaded");
    let image = kim
        .post_multipart(
            "/statuses",
            reqwest::multipart::Form::new()
                .text("authenticity_token", home.csrf())
                .text("idempotency", home.field("idempotency"))
                .text("status", "A picture")
                .text("visibility", "public")
                .part(
                    "media_0",
                    reqwest::multipart::Part::bytes(png())
                        .file_name("sunset.png")
                        .mime_str("image/png")
                        .unwrap(),
                )
                .text("description_0", "An orange square at sunset")
                .part(
                    "media_1",
                    reqwest::multipart::Part::bytes(Vec::new()).file_name(""),
                ),
        )
        .await;
    assert_eq!(image.status, StatusCode::SEE_OTHER, "{}", image.html);
    let home = kim.get("/home").await;
    let poll = kim
        .post_multipart(
            "/statuses",
            reqwest::multipart::Form::new()
                .text("authenticity_token", home.csrf())
                .text("idempotency", home.field("idempotency"))
                .text("status", "Tea or coffee?")
                .text("poll_option_0", "Tea")
                .text("poll_option_1", "Coffee")
                .text("poll_option_2", "")
                .text("poll_expires_in", "3600"),
        )
        .await;
    assert_eq!(poll.status, StatusCode::SEE_OTHER, "{}", poll.html);

    let (_, statuses) = server
        .call(
            reqwest::Method::GET,
            "/api/v1/timelines/public?local=true",
            None,
            Value::Null,
        )
        .await;
    let poll_status = &statuses[0];
    assert_eq!(
        poll_status["poll"]["options"][1]["title"], "Coffee",
        "{statuses}"
    );
    assert_eq!(poll_status["poll"]["options"].as_array().unwrap().len(), 2);
    let picture = &statuses[1];
    assert_eq!(
        picture["media_attachments"][0]["description"], "An orange square at sunset",
        "{statuses}"
    );
    assert_eq!(picture["media_attachments"].as_array().unwrap().len(), 1);
    let page = Browser::new(&server).get("/public/local").await;
    assert!(
        page.html.contains("alt=\"An orange square at sunset\""),
        "{}",
        page.html
    );

    // Lou votes with the form under the post; the results show.
    let lou = Browser::new(&server);
    lou.sign_in("lou", "a long enough password").await;
    let local = lou.get("/public/local").await;
    let poll_id = poll_status["poll"]["id"].as_str().unwrap();
    assert!(
        local
            .html
            .contains(&format!("action=\"/polls/{poll_id}/votes\"")),
        "{}",
        local.html
    );
    let voted = lou
        .post(
            &format!("/polls/{poll_id}/votes"),
            &[
                ("authenticity_token", &local.csrf()),
                ("return_to", "/public/local"),
                ("choices[]", "1"),
            ],
        )
        .await;
    assert_eq!(voted.status, StatusCode::SEE_OTHER, "{}", voted.html);
    let after = lou.get("/public/local").await;
    assert!(
        after.html.contains("<strong>100%</strong> Coffee ✓"),
        "{}",
        after.html
    );
    assert!(after.html.contains("1 person voted"), "{}", after.html);
    server.stop().await;
}

#[tokio::test]
async fn someone_from_another_server_follows_from_a_profile_here() {
    use common::fediverse::{Node, WAIT};
    let home = Node::start().await;
    let away = Node::start().await;
    home.user("ana").await;
    let bea = away.user("bea").await;

    // On bea's profile, on her server, ana types her own address.
    let visitor = Browser::new(&away.server);
    let profile = visitor.get("/@bea").await;
    assert!(
        profile.html.contains("action=\"/follow_remotely\""),
        "{}",
        profile.html
    );
    let uri = profile.field("uri");
    let handle = format!("ana@{}", home.domain());
    let forged = visitor
        .get(&format!(
            "/follow_remotely?uri={}&handle={}",
            woolly_core::urls::percent_encode(&uri),
            woolly_core::urls::percent_encode(&handle)
        ))
        .await;
    assert_eq!(
        forged.status,
        StatusCode::FORBIDDEN,
        "a link made elsewhere goes nowhere"
    );
    let sent = visitor
        .get(&format!(
            "/follow_remotely?authenticity_token={}&uri={}&handle={}",
            woolly_core::urls::percent_encode(&profile.csrf()),
            woolly_core::urls::percent_encode(&uri),
            woolly_core::urls::percent_encode(&handle)
        ))
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.html);
    let location = sent.location.unwrap();
    let path = location
        .strip_prefix(&home.server.base_url)
        .unwrap_or_else(|| panic!("sent to ana's server: {location}"))
        .to_owned();
    assert!(path.starts_with("/authorize_interaction?uri="), "{path}");

    // Her server asks her to sign in first, then shows bea with a follow button.
    let browser = Browser::new(&home.server);
    let asked = browser.get(&path).await;
    let sign_in = asked.location.expect("sent to sign in");
    assert!(sign_in.starts_with("/auth/sign_in?return_to="), "{sign_in}");
    let form = browser.get(&sign_in).await;
    let return_to = form.field("return_to");
    assert_eq!(return_to, path);
    let signed_in = browser
        .post(
            "/auth/sign_in",
            &[
                ("authenticity_token", &form.csrf()),
                ("login", "ana"),
                ("password", "a long enough password"),
                ("return_to", &return_to),
            ],
        )
        .await;
    assert_eq!(
        signed_in.location.as_deref(),
        Some(path.as_str()),
        "{}",
        signed_in.html
    );
    let page = browser.get(&path).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    assert!(
        page.html.contains(&format!("@bea@{}", away.domain())),
        "{}",
        page.html
    );
    let at = page.html.find("action=\"/accounts/").unwrap() + "action=\"".len();
    let follow = &page.html[at..at + page.html[at..].find('"').unwrap()];
    let followed = browser
        .post(
            follow,
            &[("authenticity_token", &page.csrf()), ("return_to", &path)],
        )
        .await;
    assert_eq!(followed.status, StatusCode::SEE_OTHER, "{}", followed.html);
    assert!(
        browser
            .get(&path)
            .await
            .html
            .contains("You follow this account")
    );

    // The follow reached bea's server.
    common::eventually(WAIT, "bea has a follower", || async {
        let account = bea.get_ok(&format!("/api/v1/accounts/{}", bea.id)).await;
        (account["followers_count"] == 1).then_some(())
    })
    .await;
}

/// The action path of the first form on `page` whose action ends with `suffix`.
fn form_action(page: &Page, suffix: &str) -> String {
    let mut rest = page.html.as_str();
    while let Some(at) = rest.find("action=\"") {
        rest = &rest[at + "action=\"".len()..];
        let action = &rest[..rest.find('"').unwrap()];
        if action.ends_with(suffix) {
            return action.to_owned();
        }
    }
    panic!("no form ending with {suffix}: {}", page.html)
}

#[tokio::test]
async fn blocking_and_muting_from_a_profile_and_undoing_it_in_the_settings() {
    let instance = TestInstance::new().await;
    let server = instance.start_on_own_domain_with(open_sign_ups).await;
    common::account_with_password(&server, "mia", "a long enough password").await;
    let (nik_token, _) = common::account(&server, "nik").await;
    post_as(
        &server,
        &nik_token,
        serde_json::json!({"status": "a post by nik"}),
    )
    .await;
    let mia = Browser::new(&server);
    mia.sign_in("mia", "a long enough password").await;
    assert!(
        mia.get("/public/local")
            .await
            .html
            .contains("a post by nik")
    );

    let profile = mia.get("/@nik").await;
    let block = form_action(&profile, "/block");
    let done = mia
        .post(
            &block,
            &[
                ("authenticity_token", &profile.csrf()),
                ("return_to", "/@nik"),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.html);
    assert!(
        !mia.get("/public/local")
            .await
            .html
            .contains("a post by nik"),
        "blocked"
    );
    let profile = mia.get("/@nik").await;
    assert!(
        !profile.html.contains("/follow\""),
        "no follow button while blocking"
    );
    let settings = mia.get("/settings/blocks").await;
    assert!(settings.html.contains("@nik"), "{}", settings.html);
    let unblock = form_action(&settings, "/unblock");
    mia.post(
        &unblock,
        &[
            ("authenticity_token", &settings.csrf()),
            ("return_to", "/settings/blocks"),
        ],
    )
    .await;
    assert!(
        mia.get("/public/local")
            .await
            .html
            .contains("a post by nik"),
        "unblocked"
    );

    let profile = mia.get("/@nik").await;
    let mute = form_action(&profile, "/mute");
    mia.post(
        &mute,
        &[
            ("authenticity_token", &profile.csrf()),
            ("return_to", "/@nik"),
        ],
    )
    .await;
    assert!(
        !mia.get("/public/local")
            .await
            .html
            .contains("a post by nik"),
        "muted"
    );
    assert!(mia.get("/@nik").await.html.contains("/unmute\""));

    let added = mia
        .submit(
            "/settings/blocks",
            "/settings/domain_blocks",
            &[("domain", "Spam.Example")],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.html);
    let settings = mia.get("/settings/blocks").await;
    assert!(settings.html.contains("spam.example"), "{}", settings.html);
    let refused = mia
        .submit(
            "/settings/blocks",
            "/settings/domain_blocks",
            &[("domain", "not a server")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    mia.submit(
        "/settings/blocks",
        "/settings/domain_blocks/remove",
        &[("domain", "spam.example")],
    )
    .await;
    assert!(
        !mia.get("/settings/blocks")
            .await
            .html
            .contains("spam.example")
    );
    server.stop().await;
}

#[tokio::test]
async fn an_author_edits_a_post_and_nobody_else_can() {
    let instance = TestInstance::new().await;
    let server = instance.start_on_own_domain_with(open_sign_ups).await;
    let (olga_token, _) = common::account(&server, "olga").await;
    common::account_with_password(&server, "pia", "a long enough password").await;
    let posted = post_as(&server, &olga_token, serde_json::json!({"status": "tpyo"})).await;
    let id = posted["id"].as_str().unwrap();
    let olga = Browser::new(&server);
    olga.sign_in("olga", "a long enough password").await;
    let thread = olga.get(&format!("/@olga/{id}")).await;
    assert!(
        thread
            .html
            .contains(&format!("href=\"/statuses/{id}/edit\"")),
        "{}",
        thread.html
    );
    let form = olga.get(&format!("/statuses/{id}/edit")).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.html);
    assert!(form.html.contains(">tpyo</textarea>"), "{}", form.html);
    let too_long = olga
        .post(
            &format!("/statuses/{id}/edit"),
            &[
                ("authenticity_token", &form.csrf()),
                ("status", &"x".repeat(501)),
            ],
        )
        .await;
    assert_eq!(too_long.status, StatusCode::UNPROCESSABLE_ENTITY);
    let saved = olga
        .post(
            &format!("/statuses/{id}/edit"),
            &[("authenticity_token", &form.csrf()), ("status", "typo")],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.html);
    assert_eq!(saved.location, Some(format!("/@olga/{id}")));
    let page = olga.get(&format!("/@olga/{id}")).await;
    assert!(
        page.html.contains("typo") && page.html.contains("(edited)"),
        "{}",
        page.html
    );
    let (_, status) = server
        .call(
            reqwest::Method::GET,
            &format!("/api/v1/statuses/{id}"),
            None,
            Value::Null,
        )
        .await;
    assert!(status["edited_at"].is_string(), "{status}");

    let pia = Browser::new(&server);
    pia.sign_in("pia", "a long enough password").await;
    assert_eq!(
        pia.get(&format!("/statuses/{id}/edit")).await.status,
        StatusCode::NOT_FOUND
    );
    let home = pia.get("/home").await;
    let refused = pia
        .post(
            &format!("/statuses/{id}/edit"),
            &[("authenticity_token", &home.csrf()), ("status", "hijacked")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    let (_, status) = server
        .call(
            reqwest::Method::GET,
            &format!("/api/v1/statuses/{id}"),
            None,
            Value::Null,
        )
        .await;
    assert!(status["content"].as_str().unwrap().contains("typo"));
    server.stop().await;
}

#[tokio::test]
async fn two_factor_sign_in_is_set_up_in_the_settings_and_asked_for_at_sign_in() {
    let instance = TestInstance::new().await;
    let server = instance.start_on_own_domain_with(open_sign_ups).await;
    common::account_with_password(&server, "quinn", "a long enough password").await;
    let browser = Browser::new(&server);
    browser.sign_in("quinn", "a long enough password").await;

    let started = browser
        .submit("/settings/two_factor", "/settings/two_factor/begin", &[])
        .await;
    assert_eq!(started.status, StatusCode::OK, "{}", started.html);
    let at =
        started.html.find("id=\"two-factor-secret\">").unwrap() + "id=\"two-factor-secret\">".len();
    let secret = started.html[at..at + started.html[at..].find('<').unwrap()].to_owned();
    let code = woolly_core::two_factor::current_code(&secret, woolly_core::now_millis()).unwrap();
    let wrong = browser
        .post(
            "/settings/two_factor/enable",
            &[("authenticity_token", &started.csrf()), ("code", "000000")],
        )
        .await;
    assert_eq!(
        wrong.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        wrong.html
    );
    let enabled = browser
        .post(
            "/settings/two_factor/enable",
            &[("authenticity_token", &started.csrf()), ("code", &code)],
        )
        .await;
    assert_eq!(enabled.status, StatusCode::OK, "{}", enabled.html);
    assert!(enabled.html.contains("recovery codes"), "{}", enabled.html);

    let other = Browser::new(&server);
    let asked = other.sign_in("quinn", "a long enough password").await;
    assert_eq!(asked.status, StatusCode::UNAUTHORIZED);
    assert!(
        asked
            .html
            .contains("Enter the code from your two-factor app"),
        "{}",
        asked.html
    );
    let next =
        woolly_core::two_factor::current_code(&secret, woolly_core::now_millis() + 30_000).unwrap();
    let form = other.get("/auth/sign_in").await;
    let signed_in = other
        .post(
            "/auth/sign_in",
            &[
                ("authenticity_token", &form.csrf()),
                ("login", "quinn"),
                ("password", "a long enough password"),
                ("otp_attempt", &next),
            ],
        )
        .await;
    assert_eq!(
        signed_in.location.as_deref(),
        Some("/home"),
        "{}",
        signed_in.html
    );

    let page = browser.get("/settings/two_factor").await;
    assert!(page.html.contains("/settings/two_factor/disable"));
    let off = browser
        .submit(
            "/settings/two_factor",
            "/settings/two_factor/disable",
            &[("current_password", "a long enough password")],
        )
        .await;
    assert_eq!(off.status, StatusCode::SEE_OTHER, "{}", off.html);
    let again = Browser::new(&server);
    assert_eq!(
        again
            .sign_in("quinn", "a long enough password")
            .await
            .location
            .as_deref(),
        Some("/home")
    );
    server.stop().await;
}

#[tokio::test]
async fn the_address_changes_once_the_new_one_is_confirmed() {
    let Some(python) = python() else { return };
    let instance = TestInstance::new().await;
    let server = instance.start_on_own_domain_with(open_sign_ups).await;
    common::account_with_password(&server, "rae", "a long enough password").await;
    let browser = Browser::new(&server);
    browser.sign_in("rae", "a long enough password").await;
    let wrong = browser
        .submit(
            "/settings/password",
            "/settings/email",
            &[("email", "rae@new.example"), ("current_password", "nope")],
        )
        .await;
    assert_eq!(
        wrong.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        wrong.html
    );
    let sent = browser
        .submit(
            "/settings/password",
            "/settings/email",
            &[
                ("email", "rae@new.example"),
                ("current_password", "a long enough password"),
            ],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.html);
    let page = browser.get("/settings/password").await;
    assert!(
        page.html.contains("rae@example.org"),
        "still the old address: {}",
        page.html
    );
    assert!(page.html.contains("rae@new.example"), "{}", page.html);
    let mail = mail_to(
        &python,
        &instance.data_dir().join("mail"),
        "rae@new.example",
        "",
    )
    .await;
    let confirmed = browser.get(&link_in(&mail, "confirmation_token=")).await;
    assert_eq!(
        confirmed.status,
        StatusCode::SEE_OTHER,
        "{}",
        confirmed.html
    );
    let page = browser.get("/settings/password").await;
    assert!(
        page.html.contains("Your address is rae@new.example"),
        "{}",
        page.html
    );
    server.stop().await;
}

#[tokio::test]
async fn keyword_filters_are_made_in_the_settings_and_warn_or_hide() {
    let instance = TestInstance::new().await;
    let server = instance.start_on_own_domain_with(open_sign_ups).await;
    common::account_with_password(&server, "sam", "a long enough password").await;
    let (tess_token, _) = common::account(&server, "tess").await;
    post_as(
        &server,
        &tess_token,
        serde_json::json!({"status": "I loved the ending"}),
    )
    .await;
    post_as(
        &server,
        &tess_token,
        serde_json::json!({"status": "Politics again"}),
    )
    .await;
    let sam = Browser::new(&server);
    sam.sign_in("sam", "a long enough password").await;

    let warn = sam
        .submit(
            "/settings/filters",
            "/settings/filters",
            &[
                ("title", "Spoilers"),
                ("keywords", "ending"),
                ("context[]", "public"),
                ("context[]", "home"),
                ("action", "warn"),
            ],
        )
        .await;
    assert_eq!(warn.status, StatusCode::SEE_OTHER, "{}", warn.html);
    let hide = sam
        .submit(
            "/settings/filters",
            "/settings/filters",
            &[
                ("title", "No politics"),
                ("keywords", "politics, elections"),
                ("context[]", "public"),
                ("action", "hide"),
            ],
        )
        .await;
    assert_eq!(hide.status, StatusCode::SEE_OTHER, "{}", hide.html);
    let refused = sam
        .submit(
            "/settings/filters",
            "/settings/filters",
            &[("title", ""), ("keywords", "x")],
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.html
    );

    let local = sam.get("/public/local").await;
    let warned = local
        .html
        .find("Filtered: Spoilers")
        .unwrap_or_else(|| panic!("{}", local.html));
    assert!(local.html[warned..].contains("I loved the ending"));
    assert!(!local.html.contains("Politics again"), "hidden");
    assert!(
        Browser::new(&server)
            .get("/public/local")
            .await
            .html
            .contains("Politics again")
    );

    let settings = sam.get("/settings/filters").await;
    assert!(
        settings.html.contains("politics, elections"),
        "{}",
        settings.html
    );
    let delete = form_action(&settings, "/delete");
    sam.post(&delete, &[("authenticity_token", &settings.csrf())])
        .await;
    let settings = sam.get("/settings/filters").await;
    assert_eq!(
        settings.html.matches("/delete\" class=\"inline\"").count(),
        1,
        "{}",
        settings.html
    );
    server.stop().await;
}

#[tokio::test]
async fn a_member_follows_a_hashtag_from_its_page() {
    let instance = TestInstance::new().await;
    let server = instance.start_on_own_domain_with(open_sign_ups).await;
    common::account_with_password(&server, "uma", "a long enough password").await;
    let (vic_token, _) = common::account(&server, "vic").await;
    let uma = Browser::new(&server);
    uma.sign_in("uma", "a long enough password").await;
    let page = uma.get("/tags/Knitting").await;
    assert!(page.html.contains("Follow #knitting"), "{}", page.html);
    assert!(
        !Browser::new(&server)
            .get("/tags/knitting")
            .await
            .html
            .contains("Follow #"),
        "no button for visitors"
    );
    let followed = uma
        .post(
            "/tags/knitting/follow",
            &[
                ("authenticity_token", &page.csrf()),
                ("return_to", "/tags/knitting"),
            ],
        )
        .await;
    assert_eq!(followed.status, StatusCode::SEE_OTHER, "{}", followed.html);
    assert!(
        uma.get("/tags/knitting")
            .await
            .html
            .contains("Unfollow #knitting")
    );
    post_as(
        &server,
        &vic_token,
        serde_json::json!({"status": "New scarf #knitting"}),
    )
    .await;
    common::eventually(
        std::time::Duration::from_secs(20),
        "the post in uma's home",
        || async {
            uma.get("/home")
                .await
                .html
                .contains("New scarf")
                .then_some(())
        },
    )
    .await;
    server.stop().await;
}

#[tokio::test]
async fn followers_followed_hashtags_and_invites_have_their_pages() {
    let instance = TestInstance::new().await;
    let server = instance
        .start_on_own_domain_with(|settings| {
            settings.registrations = "invite".to_owned();
            settings.invites_by = "everyone".to_owned();
            settings.rate_limit_requests = 0;
        })
        .await;
    common::account_with_password(&server, "wes", "a long enough password").await;
    common::account_with_password(&server, "xia", "a long enough password").await;
    let wes = Browser::new(&server);
    wes.sign_in("wes", "a long enough password").await;
    let profile = wes.get("/@xia").await;
    wes.post(
        &form_action(&profile, "/follow"),
        &[
            ("authenticity_token", &profile.csrf()),
            ("return_to", "/@xia"),
        ],
    )
    .await;
    let followers = Browser::new(&server).get("/@xia/followers").await;
    assert_eq!(followers.status, StatusCode::OK, "{}", followers.html);
    assert!(followers.html.contains("@wes"), "{}", followers.html);
    assert!(
        Browser::new(&server)
            .get("/@wes/following")
            .await
            .html
            .contains("@xia")
    );
    assert!(
        profile.html.contains("href=\"/@xia/followers\""),
        "{}",
        profile.html
    );

    let tag = wes.get("/tags/yarn").await;
    wes.post(
        "/tags/yarn/follow",
        &[
            ("authenticity_token", &tag.csrf()),
            ("return_to", "/tags/yarn"),
        ],
    )
    .await;
    let hashtags = wes.get("/settings/hashtags").await;
    assert!(hashtags.html.contains("#yarn"), "{}", hashtags.html);

    let made = wes
        .submit(
            "/invites",
            "/invites",
            &[("max_uses", "1"), ("expires_in", "24")],
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.html);
    let invites = wes.get("/invites").await;
    let revoke = form_action(&invites, "/revoke");
    let code = revoke
        .trim_start_matches("/invites/")
        .trim_end_matches("/revoke")
        .to_owned();
    let newcomer = Browser::new(&server);
    let form = newcomer.get(&format!("/invite/{code}")).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.html);
    assert_eq!(form.field("invite_code"), code);

    let xia = Browser::new(&server);
    xia.sign_in("xia", "a long enough password").await;
    let csrf = xia.get("/invites").await.csrf();
    let refused = xia.post(&revoke, &[("authenticity_token", &csrf)]).await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND, "not hers to revoke");
    let revoked = wes
        .post(&revoke, &[("authenticity_token", &invites.csrf())])
        .await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER, "{}", revoked.html);
    let after = wes.get("/invites").await;
    assert!(!after.html.contains("/revoke\""), "{}", after.html);
    server.stop().await;
}

#[tokio::test]
async fn lists_are_made_filled_from_profiles_and_read() {
    let instance = TestInstance::new().await;
    let server = instance.start_on_own_domain_with(open_sign_ups).await;
    common::account_with_password(&server, "yan", "a long enough password").await;
    let (zoe_token, _) = common::account(&server, "zoe").await;
    let yan = Browser::new(&server);
    yan.sign_in("yan", "a long enough password").await;
    let made = yan
        .submit("/lists", "/lists", &[("title", "Friends")])
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.html);
    let list_path = made.location.unwrap();
    let blank = yan.submit("/lists", "/lists", &[("title", " ")]).await;
    assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);

    let profile = yan.get("/@zoe").await;
    assert!(
        !profile.html.contains("action=\"/lists/add\""),
        "only for people yan follows"
    );
    yan.post(
        &form_action(&profile, "/follow"),
        &[
            ("authenticity_token", &profile.csrf()),
            ("return_to", "/@zoe"),
        ],
    )
    .await;
    let profile = yan.get("/@zoe").await;
    let list_id = list_path.trim_start_matches("/lists/").to_owned();
    let zoe_id = form_action(&profile, "/unfollow")
        .trim_start_matches("/accounts/")
        .trim_end_matches("/unfollow")
        .to_owned();
    let added = yan
        .post(
            "/lists/add",
            &[
                ("authenticity_token", &profile.csrf()),
                ("return_to", "/@zoe"),
                ("account_id", &zoe_id),
                ("list_id", &list_id),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.html);
    post_as(
        &server,
        &zoe_token,
        serde_json::json!({"status": "for my friends"}),
    )
    .await;
    common::eventually(
        std::time::Duration::from_secs(20),
        "zoe's post in the list",
        || async {
            yan.get(&list_path)
                .await
                .html
                .contains("for my friends")
                .then_some(())
        },
    )
    .await;
    let list = yan.get(&list_path).await;
    assert!(list.html.contains("@zoe"), "{}", list.html);
    yan.post(
        &form_action(&list, "/members/remove"),
        &[
            ("authenticity_token", &list.csrf()),
            ("account_id", &zoe_id),
            ("return_to", &list_path),
        ],
    )
    .await;
    assert!(!yan.get(&list_path).await.html.contains("/members/remove"));
    let lists = yan.get("/lists").await;
    yan.post(
        &form_action(&lists, "/delete"),
        &[("authenticity_token", &lists.csrf())],
    )
    .await;
    assert_eq!(yan.get(&list_path).await.status, StatusCode::NOT_FOUND);
    server.stop().await;
}

/// A multipart composer form with one image (and its description, when given).
fn composer_with_image(home: &Page, text: &str, description: &str) -> reqwest::multipart::Form {
    reqwest::multipart::Form::new()
        .text("authenticity_token", home.csrf())
        .text("idempotency", home.field("idempotency"))
        .text("status", text.to_owned())
        .text("visibility", "public")
        .text("language", home.selected("language"))
        .part(
            "media_0",
            reqwest::multipart::Part::bytes(png())
                .file_name("square.png")
                .mime_str("image/png")
                .unwrap(),
        )
        .text("description_0", description.to_owned())
}

#[tokio::test]
async fn reading_and_posting_preferences_shape_the_composer_and_the_timelines() {
    let instance = TestInstance::new().await;
    let server = instance.start_on_own_domain_with(open_sign_ups).await;
    let (token, _) = common::account(&server, "ines").await;
    let ines = Browser::new(&server);
    ines.sign_in("ines", "a long enough password").await;

    // Before any choice: the composer offers the interface's language, and the API reports
    // Mastodon's defaults.
    let home = ines.get("/home").await;
    assert_eq!(home.selected("language"), "en", "{}", home.html);
    assert!(home.html.contains(">Deutsch</option>"), "{}", home.html);
    let (_, preferences) = server
        .call(
            reqwest::Method::GET,
            "/api/v1/preferences",
            Some(&token),
            Value::Null,
        )
        .await;
    assert_eq!(preferences["reading:expand:media"], "default");
    assert_eq!(preferences["reading:expand:spoilers"], false);

    let saved = ines
        .submit(
            "/settings/preferences",
            "/settings/preferences",
            &[
                ("locale", "en"),
                ("default_privacy", "public"),
                ("default_language", "de"),
                ("require_alt_text", "1"),
                ("expand_media", "hide_all"),
                ("expand_spoilers", "1"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.html);
    let (_, preferences) = server
        .call(
            reqwest::Method::GET,
            "/api/v1/preferences",
            Some(&token),
            Value::Null,
        )
        .await;
    assert_eq!(
        preferences["reading:expand:media"], "hide_all",
        "{preferences}"
    );
    assert_eq!(preferences["reading:expand:spoilers"], true);
    assert_eq!(preferences["posting:default:language"], "de");
    let form = ines.get("/settings/preferences").await;
    assert_eq!(form.selected("expand_media"), "hide_all");
    assert_eq!(form.selected("default_language"), "de");
    assert!(
        form.html
            .contains("id=\"require_alt_text\" name=\"require_alt_text\" value=\"1\" checked")
    );

    // An image without a description is refused before anything is written, the text kept.
    let home = ines.get("/home").await;
    assert_eq!(home.selected("language"), "de");
    let refused = ines
        .post_multipart("/statuses", composer_with_image(&home, "Look at this", ""))
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.html
    );
    assert!(
        refused.html.contains("Describe this image, or remove it."),
        "{}",
        refused.html
    );
    assert!(refused.html.contains("id=\"description_0_error\""));
    assert!(refused.html.contains(">Look at this</textarea>"));
    let (_, mine) = server
        .call(
            reqwest::Method::GET,
            "/api/v1/timelines/home",
            Some(&token),
            Value::Null,
        )
        .await;
    assert_eq!(mine.as_array().unwrap().len(), 0, "{mine}");

    // Described, it goes out in the language chosen; every image of it is then hidden from
    // its own author, whose preference hides all media, and the warning of another post opens.
    let posted = ines
        .post_multipart(
            "/statuses",
            composer_with_image(&home, "Look at this", "A grey square"),
        )
        .await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER, "{}", posted.html);
    post_as(
        &server,
        &token,
        serde_json::json!({"status": "The ending", "spoiler_text": "Film spoilers"}),
    )
    .await;
    let (_, mine) = server
        .call(
            reqwest::Method::GET,
            "/api/v1/timelines/home",
            Some(&token),
            Value::Null,
        )
        .await;
    assert_eq!(mine[1]["language"], "de", "{mine}");
    assert_eq!(mine[1]["sensitive"], false);
    let home = ines.get("/home").await;
    assert!(
        home.html.contains("<details class=\"warning\" open>"),
        "{}",
        home.html
    );
    assert!(
        home.html.contains("<details class=\"sensitive\">"),
        "{}",
        home.html
    );
    assert!(home.html.contains("Media (hidden by your preferences)"));

    // Shown to everyone else as the author marked them: not sensitive, so not hidden, and
    // the warning closed.
    let public = Browser::new(&server).get("/public/local").await;
    assert!(
        !public.html.contains("<details class=\"sensitive\">"),
        "{}",
        public.html
    );
    assert!(
        public.html.contains("<details class=\"warning\">"),
        "{}",
        public.html
    );
    server.stop().await;
}

#[tokio::test]
async fn the_first_steps_offer_the_people_the_operator_recommends_first() {
    let instance = TestInstance::new().await;
    let server = instance
        .start_on_own_domain_with(|settings| {
            open_sign_ups(settings);
            settings.recommended_accounts = vec!["@news".to_owned(), "gone".to_owned()];
        })
        .await;
    let (active_token, _) = common::account(&server, "active").await;
    for name in ["news", "newcomer"] {
        common::account_with_password(&server, name, "a long enough password").await;
    }
    let (status, _) = server
        .call(
            reqwest::Method::PATCH,
            "/api/v1/accounts/update_credentials",
            Some(&active_token),
            serde_json::json!({"discoverable": true}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    post_as(
        &server,
        &active_token,
        serde_json::json!({"status": "I post a lot"}),
    )
    .await;
    let browser = Browser::new(&server);
    browser.sign_in("newcomer", "a long enough password").await;
    let start = browser.get("/start").await;
    assert_eq!(start.status, StatusCode::OK, "{}", start.html);
    let news = start
        .html
        .find("@news")
        .expect("the recommended account is offered");
    let active = start.html.find("@active").expect("the directory follows");
    assert!(news < active, "{}", start.html);
    assert!(
        !start.html.contains("@newcomer<"),
        "never oneself: {}",
        start.html
    );

    // A name too long is refused with the rule broken, and nothing changes.
    let refused = browser
        .post_multipart(
            "/start/profile",
            reqwest::multipart::Form::new()
                .text("authenticity_token", start.csrf())
                .text("display_name", "x".repeat(31)),
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.html
    );
    assert!(refused.html.contains("role=\"alert\""), "{}", refused.html);
    let (_, account) = lookup(&server, "newcomer").await;
    assert_eq!(account["display_name"], "", "{account}");
    server.stop().await;
}

/// Reads a live page's stream until an event named `name` comes; returns its data.
async fn next_live_event(
    response: &mut reqwest::Response,
    buffer: &mut String,
    name: &str,
) -> String {
    let wait = async {
        loop {
            while let Some(end) = buffer.find("\n\n") {
                let block: String = buffer.drain(..end + 2).collect();
                let mut event = "";
                let mut data = Vec::new();
                for line in block.lines() {
                    if let Some(value) = line.strip_prefix("event:") {
                        event = value.trim();
                    } else if let Some(value) = line.strip_prefix("data:") {
                        data.push(value.strip_prefix(' ').unwrap_or(value).to_owned());
                    }
                }
                if event == name {
                    return data.join("\n");
                }
            }
            let chunk = response
                .chunk()
                .await
                .unwrap()
                .expect("the stream stays open");
            buffer.push_str(&String::from_utf8_lossy(&chunk));
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(10), wait)
        .await
        .unwrap_or_else(|_| panic!("no {name} event came; read so far: {buffer}"))
}

#[tokio::test]
async fn a_timeline_page_hears_of_new_and_deleted_posts_while_open() {
    let instance = TestInstance::new().await;
    let server = instance.start_on_own_domain_with(open_sign_ups).await;
    let (_, _) = common::account(&server, "reader").await;
    let (writer_token, writer_id) = common::account(&server, "writer").await;
    let (stranger_token, _) = common::account(&server, "stranger").await;
    let reader = Browser::new(&server);
    reader.sign_in("reader", "a long enough password").await;
    let profile = reader.get("/@writer").await;
    reader
        .post(
            &format!("/accounts/{writer_id}/follow"),
            &[
                ("authenticity_token", &profile.csrf()),
                ("return_to", "/@writer"),
            ],
        )
        .await;

    // Only the first page of a member's timeline listens, and only members may.
    let home = reader.get("/home").await;
    assert!(
        home.html.contains("data-live=\"/live?stream=user\""),
        "{}",
        home.html
    );
    assert!(
        !reader
            .get("/home?max_id=1")
            .await
            .html
            .contains("data-live")
    );
    let anonymous = Browser::new(&server).get("/live?stream=public:local").await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert!(
        !Browser::new(&server)
            .get("/public/local")
            .await
            .html
            .contains("data-live")
    );
    let unknown = reader.get("/live?stream=user:notification").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);

    let mut stream = reader
        .client
        .get(format!("{}/live?stream=user", reader.base))
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), StatusCode::OK);
    assert!(
        stream.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream")
    );
    let mut buffer = String::new();
    // A stranger's followers-only post never comes; the followed writer's does, as a card whose
    // buttons come back to the home page.
    post_as(
        &server,
        &stranger_token,
        serde_json::json!({"status": "Not for the reader", "visibility": "private"}),
    )
    .await;
    let posted = post_as(
        &server,
        &writer_token,
        serde_json::json!({"status": "Fresh from the oven"}),
    )
    .await;
    let id = posted["id"].as_str().unwrap();
    let card = next_live_event(&mut stream, &mut buffer, "update").await;
    assert!(card.contains(&format!("id=\"status-{id}\"")), "{card}");
    assert!(card.contains("Fresh from the oven"), "{card}");
    assert!(
        card.contains("name=\"return_to\" value=\"&#x2f;home\"")
            || card.contains("name=\"return_to\" value=\"/home\""),
        "{card}"
    );
    assert!(!card.contains("Not for the reader"));

    let (status, _) = server
        .call(
            reqwest::Method::DELETE,
            &format!("/api/v1/statuses/{id}"),
            Some(&writer_token),
            Value::Null,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        next_live_event(&mut stream, &mut buffer, "delete").await,
        id
    );
    assert!(!buffer.contains("Not for the reader"), "{buffer}");
    server.stop().await;
}

#[tokio::test]
async fn profiles_have_tabs_and_featured_hashtags_and_long_lists_page_on() {
    let instance = TestInstance::new().await;
    let server = instance.start_on_own_domain_with(open_sign_ups).await;
    let (token, _) = common::account(&server, "ana").await;
    let (other_token, _) = common::account(&server, "bo").await;
    post_as(
        &server,
        &token,
        serde_json::json!({"status": "Plain words"}),
    )
    .await;
    let theirs = post_as(
        &server,
        &other_token,
        serde_json::json!({"status": "Hello"}),
    )
    .await;
    post_as(
        &server,
        &token,
        serde_json::json!({"status": "A reply to someone", "in_reply_to_id": theirs["id"]}),
    )
    .await;
    let media_id = common::upload_png(&server, &token).await;
    post_as(
        &server,
        &token,
        serde_json::json!({"status": "A picture", "media_ids": [media_id]}),
    )
    .await;
    post_as(
        &server,
        &token,
        serde_json::json!({"status": "Casting on #Knitting"}),
    )
    .await;

    let visitor = Browser::new(&server);
    let posts = visitor.get("/@ana").await;
    assert!(posts.html.contains("Plain words") && !posts.html.contains("A reply to someone"));
    assert!(
        posts.html.contains("href=\"/@ana/media\""),
        "{}",
        posts.html
    );
    let replies = visitor.get("/@ana/with_replies").await;
    assert_eq!(replies.status, StatusCode::OK, "{}", replies.html);
    assert!(replies.html.contains("A reply to someone"));
    assert!(
        replies
            .html
            .contains("href=\"/@ana/with_replies\" aria-current=\"page\"")
    );
    let media = visitor.get("/@ana/media").await;
    assert!(media.html.contains("A picture") && !media.html.contains("Plain words"));
    let tagged = visitor.get("/@ana/tagged/knitting").await;
    assert!(tagged.html.contains("Casting on") && !tagged.html.contains("A picture"));
    assert_eq!(
        visitor.get("/@ana/tagged/no%20tag").await.status,
        StatusCode::NOT_FOUND
    );

    // Featuring a hashtag from the settings puts it on the profile, with its use.
    let ana = Browser::new(&server);
    ana.sign_in("ana", "a long enough password").await;
    let settings = ana.get("/settings/hashtags").await;
    assert!(
        settings.html.contains("#knitting"),
        "suggested: {}",
        settings.html
    );
    let featured = ana
        .post(
            "/settings/featured_tags",
            &[
                ("authenticity_token", &settings.csrf()),
                ("name", "#Knitting"),
            ],
        )
        .await;
    assert_eq!(featured.status, StatusCode::SEE_OTHER, "{}", featured.html);
    let profile = visitor.get("/@ana").await;
    assert!(
        profile.html.contains("Featured hashtags"),
        "{}",
        profile.html
    );
    assert!(
        profile.html.contains(
            "href=\"/@ana/tagged/knitting\">#knitting</a> <span class=\"hint\">1 post</span>"
        ),
        "{}",
        profile.html
    );
    let refused = ana
        .post(
            "/settings/featured_tags",
            &[
                ("authenticity_token", &settings.csrf()),
                ("name", "not a tag!"),
            ],
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.html
    );
    assert!(
        refused.html.contains("value=\"not a tag!\""),
        "kept: {}",
        refused.html
    );
    let settings = ana.get("/settings/hashtags").await;
    let stop = form_action(&settings, "/delete");
    let stopped = ana
        .post(
            &stop,
            &[
                ("authenticity_token", &settings.csrf()),
                ("return_to", "/settings/hashtags"),
            ],
        )
        .await;
    assert_eq!(stopped.status, StatusCode::SEE_OTHER, "{}", stopped.html);
    assert!(
        !visitor
            .get("/@ana")
            .await
            .html
            .contains("Featured hashtags")
    );

    // Lists longer than a page link to the next one, which holds the rest.
    for n in 0..81 {
        server
            .call(
                reqwest::Method::POST,
                "/api/v1/domain_blocks",
                Some(&token),
                serde_json::json!({"domain": format!("spam{n:02}.example")}),
            )
            .await;
        server
            .call(
                reqwest::Method::POST,
                &format!("/api/v1/tags/yarn{n:02}/follow"),
                Some(&token),
                Value::Null,
            )
            .await;
    }
    let blocks = ana.get("/settings/blocks").await;
    assert_eq!(
        blocks
            .html
            .matches("/settings/domain_blocks/remove")
            .count(),
        80
    );
    let next = blocks
        .html
        .split("href=\"/settings/blocks?domains=")
        .nth(1)
        .expect("a next page");
    let next = format!(
        "/settings/blocks?domains={}",
        &next[..next.find('"').unwrap()]
    );
    let rest = ana.get(&unescape(&next)).await;
    assert_eq!(rest.status, StatusCode::OK, "{}", rest.html);
    assert_eq!(
        rest.html.matches("/settings/domain_blocks/remove").count(),
        1
    );
    let hashtags = ana.get("/settings/hashtags").await;
    assert_eq!(hashtags.html.matches("/unfollow\"").count(), 80);
    let next = hashtags
        .html
        .split("href=\"/settings/hashtags?max_id=")
        .nth(1)
        .expect("a next page");
    let rest = ana
        .get(&format!(
            "/settings/hashtags?max_id={}",
            &next[..next.find('"').unwrap()]
        ))
        .await;
    assert_eq!(rest.html.matches("/unfollow\"").count(), 1, "{}", rest.html);
    server.stop().await;
}

#[tokio::test]
async fn a_member_downloads_their_data_in_mastodons_formats() {
    let instance = TestInstance::new().await;
    let server = instance.start_on_own_domain_with(open_sign_ups).await;
    let (token, ola_id) = common::account(&server, "ola").await;
    let (friend_token, friend_id) = common::account(&server, "friend").await;
    let (_, pest_id) = common::account(&server, "pest").await;
    let (status, _) = server
        .call(
            reqwest::Method::POST,
            &format!("/api/v1/accounts/{ola_id}/follow"),
            Some(&friend_token),
            Value::Null,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, quiet_id) = common::account(&server, "quiet").await;
    let domain = server.woolly.config().domain.as_str().to_owned();
    let act = |path: String, body: Value| {
        let server = &server;
        let token = token.clone();
        async move {
            let (status, answer) = server
                .call(reqwest::Method::POST, &path, Some(&token), body)
                .await;
            assert_eq!(status, StatusCode::OK, "{path}: {answer}");
            answer
        }
    };
    act(
        format!("/api/v1/accounts/{friend_id}/follow"),
        serde_json::json!({"notify": true, "languages": ["en", "fr"]}),
    )
    .await;
    act(format!("/api/v1/accounts/{pest_id}/block"), Value::Null).await;
    act(
        format!("/api/v1/accounts/{quiet_id}/mute"),
        serde_json::json!({"notifications": true}),
    )
    .await;
    act(
        "/api/v1/domain_blocks".to_owned(),
        serde_json::json!({"domain": "spam.example"}),
    )
    .await;
    let post = post_as(
        &server,
        &friend_token,
        serde_json::json!({"status": "Worth keeping"}),
    )
    .await;
    act(
        format!("/api/v1/statuses/{}/bookmark", post["id"].as_str().unwrap()),
        Value::Null,
    )
    .await;
    let list = act(
        "/api/v1/lists".to_owned(),
        serde_json::json!({"title": "Friends, \"close\""}),
    )
    .await;
    act(
        format!("/api/v1/lists/{}/accounts", list["id"].as_str().unwrap()),
        serde_json::json!({"account_ids": [friend_id]}),
    )
    .await;

    let ola = Browser::new(&server);
    assert_eq!(
        ola.get("/settings/export/following_accounts.csv")
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    ola.sign_in("ola", "a long enough password").await;
    let page = ola.get("/settings/export").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    assert!(
        page.html
            .contains("href=\"/settings/export/bookmarks.csv\""),
        "{}",
        page.html
    );
    let download = |file: &'static str| {
        let ola = &ola;
        async move {
            let response = ola
                .client
                .get(format!("{}/settings/export/{file}", ola.base))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::OK, "{file}");
            assert!(
                response.headers()["content-disposition"]
                    .to_str()
                    .unwrap()
                    .contains(file)
            );
            assert!(
                response.headers()["content-type"]
                    .to_str()
                    .unwrap()
                    .starts_with("text/csv")
            );
            response.text().await.unwrap()
        }
    };
    assert_eq!(
        download("following_accounts.csv").await,
        format!(
            "Account address,Show boosts,Notify on new posts,Languages\nfriend@{domain},true,true,\"en,fr\"\n"
        )
    );
    assert_eq!(
        download("followers.csv").await,
        format!("Account address\nfriend@{domain}\n")
    );
    assert_eq!(
        download("blocked_accounts.csv").await,
        format!("pest@{domain}\n")
    );
    assert_eq!(
        download("muted_accounts.csv").await,
        format!("Account address,Hide notifications\nquiet@{domain},true\n")
    );
    assert_eq!(download("blocked_domains.csv").await, "spam.example\n");
    assert_eq!(
        download("bookmarks.csv").await,
        format!("{}\n", post["uri"].as_str().unwrap())
    );
    assert_eq!(
        download("lists.csv").await,
        format!("\"Friends, \"\"close\"\"\",friend@{domain}\n")
    );
    assert_eq!(
        ola.get("/settings/export/secret.key").await.status,
        StatusCode::NOT_FOUND
    );
    server.stop().await;
}

#[tokio::test]
async fn moderators_take_on_and_resolve_reports_in_the_web_interface() {
    let instance = TestInstance::new().await;
    let server = instance
        .start_on_own_domain_with(|settings| {
            open_sign_ups(settings);
            settings.rules = vec!["Be kind.".to_owned()];
        })
        .await;
    let (rita, _) = common::account(&server, "rita").await;
    let (troll, troll_id) = common::account(&server, "troll").await;
    let post = post_as(&server, &troll, serde_json::json!({"status": "Rude words"})).await;
    let (status, _) = server
        .call(
            reqwest::Method::POST,
            "/api/v1/reports",
            Some(&rita),
            serde_json::json!({"account_id": troll_id, "status_ids": [post["id"]],
                               "comment": "Not kind at all", "rule_ids": [1]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    common::staff_account(&server, "mo", "moderator").await;

    // A member whose role does not handle reports sees no link and is refused.
    let user = Browser::new(&server);
    user.sign_in("rita", "a long enough password").await;
    assert!(
        !user
            .get("/home")
            .await
            .html
            .contains("href=\"/admin/reports\"")
    );
    assert_eq!(
        user.get("/admin/reports").await.status,
        StatusCode::FORBIDDEN
    );

    let moderator = Browser::new(&server);
    moderator.sign_in("mo", "a long enough password").await;
    assert!(
        moderator
            .get("/home")
            .await
            .html
            .contains("href=\"/admin/reports\"")
    );
    let page = moderator.get("/admin/reports").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    for text in [
        "About @troll",
        "Reported by @rita",
        "Not kind at all",
        "Be kind.",
        "Rude words",
    ] {
        assert!(page.html.contains(text), "{text}: {}", page.html);
    }
    let assign = form_action(&page, "/assign_to_self");
    let refused = user
        .post(
            &assign,
            &[("authenticity_token", &user.get("/home").await.csrf())],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "not hers to handle");
    let pressed = |page: &Page, suffix: &str| {
        let (action, csrf) = (form_action(page, suffix), page.csrf());
        let moderator = &moderator;
        async move {
            let done = moderator
                .post(
                    &action,
                    &[
                        ("authenticity_token", &csrf),
                        ("return_to", "/admin/reports"),
                    ],
                )
                .await;
            assert_eq!(
                done.status,
                StatusCode::SEE_OTHER,
                "{action}: {}",
                done.html
            );
            moderator.get("/admin/reports").await
        }
    };
    let page = pressed(&page, "/assign_to_self").await;
    assert!(page.html.contains("Taken on by @mo"), "{}", page.html);
    let page = pressed(&page, "/resolve").await;
    assert!(
        page.html.contains("No report waits for a moderator."),
        "{}",
        page.html
    );
    let resolved = moderator.get("/admin/reports?resolved=1").await;
    assert!(resolved.html.contains("Resolved "), "{}", resolved.html);
    let reopened = moderator
        .post(
            &form_action(&resolved, "/reopen"),
            &[
                ("authenticity_token", &resolved.csrf()),
                ("return_to", "/admin/reports"),
            ],
        )
        .await;
    assert_eq!(reopened.status, StatusCode::SEE_OTHER);
    assert!(
        moderator
            .get("/admin/reports")
            .await
            .html
            .contains("About @troll")
    );
    server.stop().await;
}

#[tokio::test]
async fn moderators_mark_reported_media_sensitive_and_remove_reported_posts() {
    let instance = TestInstance::new().await;
    let server = instance.start_on_own_domain_with(open_sign_ups).await;
    let (rita, _) = common::account(&server, "rita").await;
    let (troll, troll_id) = common::account(&server, "troll").await;
    let media = common::upload_png(&server, &troll).await;
    let pictured = post_as(
        &server,
        &troll,
        serde_json::json!({"status": "A rude picture", "media_ids": [media]}),
    )
    .await;
    let worded = post_as(&server, &troll, serde_json::json!({"status": "Rude words"})).await;
    let unreported = post_as(&server, &troll, serde_json::json!({"status": "Kind words"})).await;
    let report = |ids: Vec<serde_json::Value>| {
        let (server, rita) = (&server, &rita);
        let body = serde_json::json!({"account_id": troll_id, "status_ids": ids});
        async move {
            let (status, report) = server
                .call(reqwest::Method::POST, "/api/v1/reports", Some(rita), body)
                .await;
            assert_eq!(status, StatusCode::OK, "{report}");
            report["id"].as_str().unwrap().to_owned()
        }
    };
    let first = report(vec![pictured["id"].clone(), worded["id"].clone()]).await;
    common::staff_account(&server, "mo", "moderator").await;
    let moderator = Browser::new(&server);
    moderator.sign_in("mo", "a long enough password").await;
    let page = moderator.get("/admin/reports").await;
    assert!(page.html.contains("Remove these posts"), "{}", page.html);
    let act = |page: &Page, action: &'static str, ids: String| {
        let (url, csrf) = (form_action(page, "/statuses"), page.csrf());
        let moderator = &moderator;
        async move {
            moderator
                .post(
                    &url,
                    &[
                        ("authenticity_token", csrf.as_str()),
                        ("return_to", "/admin/reports"),
                        ("action", action),
                        ("status_ids", ids.as_str()),
                        ("text", "Please keep it kind."),
                        ("notify", "1"),
                    ],
                )
                .await
        }
    };
    let id_of = |status: &serde_json::Value| status["id"].as_str().unwrap().to_owned();
    let read = |token: &String, path: &str| {
        let (server, token, path) = (&server, token.clone(), path.to_owned());
        async move {
            let none = serde_json::Value::Null;
            server
                .call(reqwest::Method::GET, &path, Some(&token), none)
                .await
        }
    };

    // A post the report does not name is refused, and nothing changes.
    let refused = act(&page, "remove", id_of(&unreported)).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.html
    );
    // The report's two posts: only the one with media can be marked sensitive.
    let both = format!("{},{}", id_of(&pictured), id_of(&worded));
    let done = act(&page, "mark_sensitive", both.clone()).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.html);
    let path = |status: &serde_json::Value| format!("/api/v1/statuses/{}", id_of(status));
    let (_, seen) = read(&rita, &path(&pictured)).await;
    assert_eq!(seen["sensitive"], true, "{seen}");
    let (_, seen) = read(&rita, &path(&worded)).await;
    assert_eq!(seen["sensitive"], false, "{seen}");
    // The author is warned, naming the post; the report is resolved.
    let (_, told) = read(&troll, "/api/v1/notifications?types[]=moderation_warning").await;
    let warning = &told[0]["moderation_warning"];
    assert_eq!(warning["action"], "mark_statuses_as_sensitive", "{told}");
    assert_eq!(
        warning["status_ids"],
        serde_json::json!([id_of(&pictured)]),
        "{told}"
    );
    assert_eq!(warning["text"], "Please keep it kind.");
    let page = moderator.get("/admin/reports").await;
    assert!(
        page.html.contains("No report waits for a moderator."),
        "{}",
        page.html
    );
    let audit = moderator.get("/admin/audit").await;
    assert!(
        audit.html.contains("marked sensitive a post of"),
        "{}",
        audit.html
    );
    // The author appeals; approving the appeal unmarks the post.
    let author = Browser::new(&server);
    author.sign_in("troll", "a long enough password").await;
    let warning_id = warning["id"].as_str().unwrap();
    let strike = format!("/disputes/strikes/{warning_id}");
    let appealed = author
        .submit(
            &strike,
            &format!("{strike}/appeal"),
            &[("text", "It was art")],
        )
        .await;
    assert_eq!(appealed.status, StatusCode::SEE_OTHER, "{}", appealed.html);
    let appeals = moderator.get("/admin/appeals").await;
    let approved = moderator
        .post(
            &form_action(&appeals, "/approve"),
            &[
                ("authenticity_token", &appeals.csrf()),
                ("return_to", "/admin/appeals"),
            ],
        )
        .await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER, "{}", approved.html);
    let (_, seen) = read(&rita, &path(&pictured)).await;
    assert_eq!(
        seen["sensitive"], false,
        "unmarked once the appeal is approved: {seen}"
    );

    // A second report: its posts are removed, by jobs, and are gone for everyone.
    let second = report(vec![worded["id"].clone()]).await;
    assert_ne!(first, second);
    let page = moderator.get("/admin/reports").await;
    let done = act(&page, "remove", id_of(&worded)).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.html);
    common::eventually(
        std::time::Duration::from_secs(10),
        "the removal",
        || async {
            let (status, _) = read(&rita, &path(&worded)).await;
            (status == StatusCode::NOT_FOUND).then_some(())
        },
    )
    .await;
    let (status, _) = read(&rita, &path(&unreported)).await;
    assert_eq!(status, StatusCode::OK, "the post nobody reported stays");
    let (_, told) = read(&troll, "/api/v1/notifications?types[]=moderation_warning").await;
    assert_eq!(
        told[0]["moderation_warning"]["action"], "delete_statuses",
        "{told}"
    );
    // Nothing left open; acting again on what is gone is refused.
    let page = moderator.get("/admin/reports").await;
    assert!(
        page.html.contains("No report waits for a moderator."),
        "{}",
        page.html
    );
    let audit = moderator.get("/admin/audit").await;
    assert!(audit.html.contains("removed a post of"), "{}", audit.html);
    server.stop().await;
}

#[tokio::test]
async fn a_member_adds_an_alias_and_moves_an_account_in_the_settings() {
    let instance = TestInstance::new().await;
    let server = instance.start_on_own_domain_with(open_sign_ups).await;
    let (_, old_id) = common::account(&server, "oldname").await;
    let (_, new_id) = common::account(&server, "newname").await;
    let (fan, _) = common::account(&server, "fan").await;
    let (status, _) = server
        .call(
            reqwest::Method::POST,
            &format!("/api/v1/accounts/{old_id}/follow"),
            Some(&fan),
            serde_json::json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);

    // The new account names the old one as an alias.
    let new = Browser::new(&server);
    new.sign_in("newname", "a long enough password").await;
    let page = new.get("/settings/migration").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    assert!(page.html.contains("No alias yet."), "{}", page.html);
    let added = new
        .submit(
            "/settings/migration",
            "/settings/aliases",
            &[("acct", "oldname")],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.html);
    let page = new.get("/settings/migration?done=alias").await;
    assert!(page.html.contains("The alias was added."), "{}", page.html);
    assert!(page.html.contains("@oldname"), "{}", page.html);
    // An unknown address is refused with a sentence, and nothing is added.
    let unknown = new
        .submit(
            "/settings/migration",
            "/settings/aliases",
            &[("acct", "nobody")],
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        unknown.html.contains("No account could be found"),
        "{}",
        unknown.html
    );

    // The old account moves, with its password.
    let old = Browser::new(&server);
    old.sign_in("oldname", "a long enough password").await;
    let wrong = old
        .submit(
            "/settings/migration",
            "/settings/migration",
            &[("acct", "newname"), ("current_password", "not it")],
        )
        .await;
    assert_eq!(
        wrong.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        wrong.html
    );
    let moved = old
        .submit(
            "/settings/migration",
            "/settings/migration",
            &[
                ("acct", "newname"),
                ("current_password", "a long enough password"),
            ],
        )
        .await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.html);
    let page = old.get("/settings/migration?done=moved").await;
    assert!(page.html.contains("This account moved to"), "{}", page.html);
    assert!(
        page.html.contains("It can move again from"),
        "{}",
        page.html
    );
    // Its profile says where it went; its follower follows the new account.
    let profile = old.get("/@oldname").await;
    assert!(profile.html.contains("has moved to"), "{}", profile.html);
    assert!(profile.html.contains("/@newname"), "{}", profile.html);
    common::eventually(
        std::time::Duration::from_secs(10),
        "the fan moved",
        || async {
            let (_, relations) = server
                .call(
                    reqwest::Method::GET,
                    &format!("/api/v1/accounts/relationships?id[]={new_id}&id[]={old_id}"),
                    Some(&fan),
                    serde_json::Value::Null,
                )
                .await;
            (relations[0]["following"] == true && relations[1]["following"] == false).then_some(())
        },
    )
    .await;
    server.stop().await;
}

/// Uploads `csv` as an import of `kind` (`merge` or `overwrite`) from the imports page.
async fn import_csv(browser: &Browser, kind: &str, mode: &str, name: &str, csv: Vec<u8>) -> Page {
    let page = browser.get("/settings/imports").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    let form = reqwest::multipart::Form::new()
        .text("authenticity_token", page.csrf())
        .text("type", kind.to_owned())
        .text("mode", mode.to_owned())
        .part(
            "data",
            reqwest::multipart::Part::bytes(csv)
                .file_name(name.to_owned())
                .mime_str("text/csv")
                .unwrap(),
        );
    browser.post_multipart("/settings/imports", form).await
}

/// Waits until every import on the page is done; returns the page.
async fn imports_done(browser: &Browser) -> Page {
    common::eventually(
        std::time::Duration::from_secs(60),
        "the imports done",
        || async {
            let page = browser.get("/settings/imports").await;
            (!page.html.contains("role=\"status\"")).then_some(page)
        },
    )
    .await
}

#[tokio::test]
async fn a_member_imports_mastodon_csv_files_and_sees_the_rows_that_failed() {
    let instance = TestInstance::new().await;
    let server = instance.start_on_own_domain_with(open_sign_ups).await;
    let domain = server.base_url.trim_start_matches("http://").to_owned();
    let (ana, _) = common::account(&server, "ana").await;
    let (_, bea_id) = common::account(&server, "bea").await;
    let (_, cal_id) = common::account(&server, "cal").await;
    let browser = Browser::new(&server);
    browser.sign_in("ana", "a long enough password").await;
    let relation = |id: &str| {
        let (server, ana) = (&server, &ana);
        let path = format!("/api/v1/accounts/relationships?id[]={id}");
        async move {
            let none = serde_json::Value::Null;
            server
                .call(reqwest::Method::GET, &path, Some(ana), none)
                .await
                .1[0]
                .clone()
        }
    };

    // A file of another kind is refused with a sentence, and nothing is written.
    let wrong = import_csv(
        &browser,
        "domain_blocking",
        "merge",
        "lists.csv",
        b"List name,Account address\nFriends,bea\n".to_vec(),
    )
    .await;
    assert_eq!(
        wrong.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        wrong.html
    );
    assert!(
        wrong.html.contains("does not hold servers blocked"),
        "{}",
        wrong.html
    );
    // So is a file of a million rows.
    let huge = "someone@example.org\n".repeat(1_000_000).into_bytes();
    let refused = import_csv(&browser, "blocking", "merge", "blocked_accounts.csv", huge).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.html.contains("more than 20000 rows"),
        "{}",
        refused.html
    );
    assert!(refused.html.contains("No import yet."), "{}", refused.html);

    // Mastodon's following_accounts.csv, exactly as it writes it, with two rows it cannot use.
    let following = format!(
        "Account address,Show boosts,Notify on new posts,Languages\n\
         bea@{domain},false,true,en\n\
         cal@{domain},true,false,\n\
         ghost@127.0.0.1:1,true,false,\n\
         not an address,true,false,\n"
    );
    let done = import_csv(
        &browser,
        "following",
        "merge",
        "following_accounts.csv",
        following.into_bytes(),
    )
    .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.html);
    let page = imports_done(&browser).await;
    assert!(
        page.html.contains("Done: 4 of 4 rows. 2 imported."),
        "{}",
        page.html
    );
    assert!(
        page.html.contains("2 rows could not be used"),
        "{}",
        page.html
    );
    assert!(page.html.contains("Row 3:"), "{}", page.html);
    assert!(page.html.contains("Row 4:"), "{}", page.html);
    let to_bea = relation(&bea_id).await;
    assert_eq!(to_bea["following"], true, "{to_bea}");
    assert_eq!(to_bea["showing_reblogs"], false, "{to_bea}");
    assert_eq!(to_bea["notifying"], true, "{to_bea}");
    assert_eq!(to_bea["languages"], serde_json::json!(["en"]), "{to_bea}");
    assert_eq!(relation(&cal_id).await["following"], true);

    // Blocked domains and lists, without a header line as Mastodon exports them.
    import_csv(
        &browser,
        "domain_blocking",
        "merge",
        "blocked_domains.csv",
        b"Spam.Example\n".to_vec(),
    )
    .await;
    import_csv(
        &browser,
        "lists",
        "merge",
        "lists.csv",
        format!("\"Friends, mostly\",bea@{domain}\n").into_bytes(),
    )
    .await;
    imports_done(&browser).await;
    let (_, blocked) = server
        .call(
            reqwest::Method::GET,
            "/api/v1/domain_blocks",
            Some(&ana),
            serde_json::Value::Null,
        )
        .await;
    assert_eq!(blocked, serde_json::json!(["spam.example"]));
    let (_, lists) = server
        .call(
            reqwest::Method::GET,
            "/api/v1/lists",
            Some(&ana),
            serde_json::Value::Null,
        )
        .await;
    assert_eq!(lists[0]["title"], "Friends, mostly", "{lists}");

    // What ana exports, another member imports: the same follows.
    let exported = browser.get("/settings/export/following_accounts.csv").await;
    assert_eq!(exported.status, StatusCode::OK);
    let (dan, _) = common::account(&server, "dan").await;
    let other = Browser::new(&server);
    other.sign_in("dan", "a long enough password").await;
    import_csv(
        &other,
        "following",
        "merge",
        "following_accounts.csv",
        exported.html.into_bytes(),
    )
    .await;
    imports_done(&other).await;
    let (_, dans) = server
        .call(
            reqwest::Method::GET,
            &format!("/api/v1/accounts/relationships?id[]={bea_id}&id[]={cal_id}"),
            Some(&dan),
            serde_json::Value::Null,
        )
        .await;
    assert_eq!(dans[0]["following"], true, "{dans}");
    assert_eq!(dans[0]["notifying"], true, "{dans}");
    assert_eq!(dans[1]["following"], true, "{dans}");

    // Overwrite: who the file leaves out is unfollowed.
    let only_cal = format!(
        "Account address,Show boosts,Notify on new posts,Languages\ncal@{domain},true,false,\n"
    );
    import_csv(
        &browser,
        "following",
        "overwrite",
        "following_accounts.csv",
        only_cal.into_bytes(),
    )
    .await;
    imports_done(&browser).await;
    assert_eq!(relation(&bea_id).await["following"], false);
    assert_eq!(relation(&cal_id).await["following"], true);
    server.stop().await;
}

#[tokio::test]
async fn a_file_of_ten_thousand_rows_is_imported_by_jobs_while_the_server_answers() {
    let instance = TestInstance::new().await;
    let server = instance.start_on_own_domain_with(open_sign_ups).await;
    let (ana, _) = common::account(&server, "ana").await;
    let browser = Browser::new(&server);
    browser.sign_in("ana", "a long enough password").await;
    let csv: String = (0..10_000)
        .map(|n| format!("server{n}.example\n"))
        .collect();
    let done = import_csv(
        &browser,
        "domain_blocking",
        "merge",
        "blocked_domains.csv",
        csv.into_bytes(),
    )
    .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.html);
    // The server answers while the import goes on.
    let (status, _) = server
        .call(
            reqwest::Method::GET,
            "/api/v1/timelines/home",
            Some(&ana),
            serde_json::Value::Null,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let page = common::eventually(
        std::time::Duration::from_secs(300),
        "the import done",
        || async {
            let page = browser.get("/settings/imports").await;
            page.html
                .contains("Done: 10000 of 10000 rows. 10000 imported.")
                .then_some(page)
        },
    )
    .await;
    assert!(!page.html.contains("could not be used"), "{}", page.html);
    let (_, blocked) = server
        .call(
            reqwest::Method::GET,
            "/api/v1/domain_blocks?limit=200",
            Some(&ana),
            serde_json::Value::Null,
        )
        .await;
    assert_eq!(blocked.as_array().unwrap().len(), 200, "{blocked}");
    server.stop().await;
}

#[tokio::test]
async fn a_member_takes_an_archive_of_the_account_then_deletes_it() {
    let instance = TestInstance::new().await;
    let server = instance.start_on_own_domain_with(open_sign_ups).await;
    let (ola, ola_id) = common::account(&server, "ola").await;
    let (friend, _) = common::account(&server, "friend").await;
    let media = common::upload_png(&server, &ola).await;
    let pictured = post_as(
        &server,
        &ola,
        serde_json::json!({"status": "A picture of mine", "media_ids": [media]}),
    )
    .await;
    post_as(
        &server,
        &ola,
        serde_json::json!({"status": "Words of mine", "visibility": "private"}),
    )
    .await;
    let liked = post_as(
        &server,
        &friend,
        serde_json::json!({"status": "Worth a like"}),
    )
    .await;
    for action in ["favourite", "bookmark"] {
        let (status, _) = server
            .call(
                reqwest::Method::POST,
                &format!(
                    "/api/v1/statuses/{}/{action}",
                    liked["id"].as_str().unwrap()
                ),
                Some(&ola),
                serde_json::Value::Null,
            )
            .await;
        assert_eq!(status, StatusCode::OK);
    }

    let browser = Browser::new(&server);
    browser.sign_in("ola", "a long enough password").await;
    let page = browser.get("/settings/export").await;
    assert!(page.html.contains("No archive yet."), "{}", page.html);
    let asked = browser
        .submit(
            "/settings/export",
            "/settings/export/archives",
            &[("return_to", "/settings/export")],
        )
        .await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER, "{}", asked.html);
    let page = common::eventually(
        std::time::Duration::from_secs(20),
        "the archive built",
        || async {
            let page = browser.get("/settings/export").await;
            page.html
                .contains("/settings/export/archives/")
                .then_some(page)
        },
    )
    .await;
    // Once a week.
    let again = browser
        .submit(
            "/settings/export",
            "/settings/export/archives",
            &[("return_to", "/settings/export")],
        )
        .await;
    assert_eq!(
        again.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        again.html
    );
    let link = page
        .html
        .split("href=\"/settings/export/archives/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .map(|id| format!("/settings/export/archives/{id}"))
        .expect("a download link");
    let response = browser.client.get(server.url(&link)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/zip");
    let bytes = response.bytes().await.unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut read_json = |name: &str| -> serde_json::Value {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut text).unwrap();
        serde_json::from_str(&text).unwrap()
    };
    let actor = read_json("actor.json");
    assert_eq!(actor["preferredUsername"], "ola", "{actor}");
    assert_eq!(actor["outbox"], "outbox.json");
    let outbox = read_json("outbox.json");
    let items = outbox["orderedItems"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{outbox}");
    assert!(
        items.iter().all(|item| item["type"] == "Create"),
        "{outbox}"
    );
    let with_picture = items
        .iter()
        .find(|item| item["object"]["id"] == pictured["uri"])
        .expect("the post with a picture");
    let path = with_picture["object"]["attachment"][0]["url"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(path.starts_with("media_attachments/files/"), "{path}");
    assert_eq!(
        read_json("likes.json")["orderedItems"],
        serde_json::json!([liked["uri"]])
    );
    assert_eq!(
        read_json("bookmarks.json")["orderedItems"],
        serde_json::json!([liked["uri"]])
    );
    assert!(
        zip.by_name(&path).unwrap().size() > 0,
        "the picture is in the archive"
    );
    // Its owner is told by e-mail (a job sends it); nobody else downloads it.
    let mail_dir = instance.data_dir().join("mail");
    common::eventually(
        std::time::Duration::from_secs(20),
        "the archive's e-mail",
        || async {
            std::fs::read_dir(&mail_dir)
                .ok()?
                .map(|entry| std::fs::read_to_string(entry.ok()?.path()).ok())
                .any(|mail| mail.is_some_and(|mail| mail.contains("your archive is ready")))
                .then_some(())
        },
    )
    .await;
    let stranger = Browser::new(&server);
    stranger.sign_in("friend", "a long enough password").await;
    assert_eq!(stranger.get(&link).await.status, StatusCode::NOT_FOUND);

    // Deleting the account offers the archive first, and asks for the password.
    let page = browser.get("/settings/delete").await;
    assert!(page.html.contains(&link), "{}", page.html);
    let wrong = browser
        .submit(
            "/settings/delete",
            "/settings/delete",
            &[("current_password", "not it")],
        )
        .await;
    assert_eq!(
        wrong.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        wrong.html
    );
    let gone = browser
        .submit(
            "/settings/delete",
            "/settings/delete",
            &[("current_password", "a long enough password")],
        )
        .await;
    assert_eq!(gone.status, StatusCode::SEE_OTHER, "{}", gone.html);
    assert_eq!(gone.location.as_deref(), Some("/"));
    let (status, _) = server
        .call(
            reqwest::Method::GET,
            "/api/v1/accounts/lookup?acct=ola",
            None,
            serde_json::Value::Null,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Its archives go with its data.
    let archives = instance.data_dir().join("archives").join(&ola_id);
    common::eventually(
        std::time::Duration::from_secs(20),
        "the archives removed",
        || async { (!archives.exists()).then_some(()) },
    )
    .await;
    server.stop().await;
}

#[tokio::test]
async fn an_operator_keeps_the_public_timelines_to_members() {
    let instance = TestInstance::new().await;
    let server = instance
        .start_on_own_domain_with(|settings| {
            open_sign_ups(settings);
            settings.timeline_preview = false;
        })
        .await;
    let (token, _) = common::account(&server, "ana").await;
    post_as(
        &server,
        &token,
        serde_json::json!({"status": "Only for members #knitting"}),
    )
    .await;
    for path in [
        "/api/v1/timelines/public",
        "/api/v1/timelines/public?local=true",
        "/api/v1/timelines/tag/knitting",
    ] {
        let (status, body) = server
            .call(reqwest::Method::GET, path, None, Value::Null)
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{path}: {body}");
        assert_eq!(
            body,
            serde_json::json!({"error": "This method requires an authenticated user"})
        );
    }
    let (status, listed) = server
        .call(
            reqwest::Method::GET,
            "/api/v1/timelines/public",
            Some(&token),
            Value::Null,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(listed.as_array().unwrap().len(), 1, "{listed}");
    // Their streams too: a visitor is refused, a member listens.
    for (path, token, expected) in [
        ("/api/v1/streaming/public", None, StatusCode::UNAUTHORIZED),
        (
            "/api/v1/streaming/hashtag?tag=knitting",
            None,
            StatusCode::UNAUTHORIZED,
        ),
        (
            "/api/v1/streaming/public",
            Some(token.as_str()),
            StatusCode::OK,
        ),
    ] {
        let mut request = common::http().get(server.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), expected, "{path}");
    }

    let visitor = Browser::new(&server);
    let front = visitor.get("/").await;
    assert_eq!(front.status, StatusCode::OK);
    assert!(!front.html.contains("Only for members"), "{}", front.html);
    for path in ["/public/local", "/public", "/tags/knitting"] {
        let page = visitor.get(path).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{path}");
        assert!(
            page.location
                .as_deref()
                .is_some_and(|to| to.starts_with("/auth/sign_in?return_to=")),
            "{path}: {:?}",
            page.location
        );
    }
    let member = Browser::new(&server);
    member.sign_in("ana", "a long enough password").await;
    assert!(
        member
            .get("/public/local")
            .await
            .html
            .contains("Only for members")
    );
    server.stop().await;
}

#[tokio::test]
async fn moderators_act_on_accounts_and_a_suspended_member_appeals_in_the_web_interface() {
    let instance = TestInstance::new().await;
    let server = instance.start_on_own_domain().await;
    let (rita, _) = common::account(&server, "rita").await;
    let (_, troll_id) = common::account(&server, "troll").await;
    common::staff_account(&server, "mo", "moderator").await;
    common::staff_account(&server, "ada", "admin").await;
    let (status, report) = server
        .call(
            reqwest::Method::POST,
            "/api/v1/reports",
            Some(&rita),
            serde_json::json!({"account_id": troll_id, "comment": "Trolling"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let report_id = report["id"].as_str().unwrap().to_owned();

    let moderator = Browser::new(&server);
    moderator.sign_in("mo", "a long enough password").await;
    let reports = moderator.get("/admin/reports").await;
    let act_link = format!("/admin/accounts/{troll_id}?report_id={report_id}");
    assert!(reports.html.contains(&act_link), "{}", reports.html);
    let listed = moderator.get("/admin/accounts?username=tro").await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.html);
    assert!(listed.html.contains("@troll"), "{}", listed.html);
    assert!(!listed.html.contains("@rita"), "{}", listed.html);
    let page = moderator.get(&act_link).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    assert!(
        !page.html.contains("/role\""),
        "a moderator gives no roles: {}",
        page.html
    );
    let done = moderator
        .post(
            &format!("/admin/accounts/{troll_id}/action"),
            &[
                ("authenticity_token", &page.csrf()),
                ("kind", "suspend"),
                ("text", "Trolling is not welcome"),
                ("report_id", &report_id),
                ("notify", "1"),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.html);
    let page = moderator.get(&format!("/admin/accounts/{troll_id}")).await;
    for text in [
        "Suspended",
        "Trolling is not welcome",
        "Lift the suspension",
    ] {
        assert!(page.html.contains(text), "{text}: {}", page.html);
    }
    assert!(
        moderator
            .get("/admin/reports")
            .await
            .html
            .contains("No report waits for a moderator."),
        "the action resolved the report"
    );

    // The suspended member signs in only to read why, and appeals.
    let troll = Browser::new(&server);
    let signed_in = troll.sign_in("troll", "a long enough password").await;
    assert_eq!(signed_in.location.as_deref(), Some("/auth/setup"));
    let setup = troll.get("/auth/setup").await;
    assert!(
        setup.html.contains("Your account is suspended"),
        "{}",
        setup.html
    );
    assert_eq!(
        troll.get("/home").await.location.as_deref(),
        Some("/auth/setup")
    );
    let strikes = troll.get("/disputes/strikes").await;
    assert!(
        strikes.html.contains("Trolling is not welcome"),
        "{}",
        strikes.html
    );
    let strike_link = strikes
        .html
        .split("href=\"/disputes/strikes/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .map(|id| format!("/disputes/strikes/{id}"))
        .expect("a link to the warning");
    let appealed = troll
        .submit(
            &strike_link,
            &format!("{strike_link}/appeal"),
            &[("text", "I was joking, sorry")],
        )
        .await;
    assert_eq!(appealed.status, StatusCode::SEE_OTHER, "{}", appealed.html);
    let strike = troll.get(&strike_link).await;
    assert!(
        strike.html.contains("waiting for a decision"),
        "{}",
        strike.html
    );
    // The page offers no second appeal; one posted anyway is refused.
    assert!(!strike.html.contains("/appeal\""), "{}", strike.html);
    let csrf = troll.get("/auth/setup").await.csrf();
    let again = troll
        .post(
            &format!("{strike_link}/appeal"),
            &[("authenticity_token", &csrf), ("text", "Twice")],
        )
        .await;
    assert_ne!(
        again.status,
        StatusCode::SEE_OTHER,
        "one appeal per warning"
    );

    // Those who decide appeals are told by e-mail (here: the moderator and the admin).
    common::jobs_idle(&server).await;
    let told = std::fs::read_dir(instance.data_dir().join("mail"))
        .unwrap()
        .map(|entry| std::fs::read_to_string(entry.unwrap().path()).unwrap())
        .filter(|mail| mail.contains("troll appealed a decision"))
        .count();
    assert_eq!(told, 2);

    // A moderator approves it: the suspension is undone.
    let appeals = moderator.get("/admin/appeals").await;
    assert!(
        appeals.html.contains("I was joking, sorry"),
        "{}",
        appeals.html
    );
    let approve = form_action(&appeals, "/approve");
    let done = moderator
        .post(
            &approve,
            &[
                ("authenticity_token", &appeals.csrf()),
                ("return_to", "/admin/appeals"),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.html);
    assert_eq!(
        troll.get("/home").await.status,
        StatusCode::OK,
        "back in once the appeal is approved"
    );

    // Roles: the admin makes rita a moderator; the moderator may not.
    let admin = Browser::new(&server);
    admin.sign_in("ada", "a long enough password").await;
    let (_, rita_found) = lookup(&server, "rita").await;
    let rita_id = rita_found["id"].as_str().unwrap().to_owned();
    let page = admin.get(&format!("/admin/accounts/{rita_id}")).await;
    assert!(page.html.contains("/role\""), "{}", page.html);
    assert!(
        !page.html.contains("value=\"owner\""),
        "an admin gives no higher role"
    );
    let refused = moderator
        .post(
            &format!("/admin/accounts/{rita_id}/role"),
            &[("authenticity_token", &page.csrf()), ("role", "moderator")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let changed = admin
        .post(
            &format!("/admin/accounts/{rita_id}/role"),
            &[("authenticity_token", &page.csrf()), ("role", "moderator")],
        )
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.html);
    let audit = admin.get("/admin/audit").await;
    for text in [
        "changed the role of",
        "suspended",
        "resolved report",
        // Approving the appeal undid the suspension: one line, for the approval.
        "approved",
    ] {
        assert!(audit.html.contains(text), "{text}: {}", audit.html);
    }
    let dashboard = moderator.get("/admin/dashboard").await;
    assert_eq!(dashboard.status, StatusCode::OK, "{}", dashboard.html);
    assert!(dashboard.html.contains("<svg"), "{}", dashboard.html);
    assert!(
        dashboard.html.contains("Active users"),
        "{}",
        dashboard.html
    );
    assert!(
        dashboard.html.contains(woolly_core::WOOLLY_VERSION),
        "the software's versions: {}",
        dashboard.html
    );
    assert!(
        dashboard.html.contains("Reports resolved"),
        "{}",
        dashboard.html
    );
    // A plain member is refused every moderators' page.
    let member = Browser::new(&server);
    common::account(&server, "plain").await;
    member.sign_in("plain", "a long enough password").await;
    for path in [
        "/admin/accounts",
        "/admin/appeals",
        "/admin/audit",
        "/admin/dashboard",
    ] {
        assert_eq!(
            member.get(path).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    server.stop().await;
}

#[tokio::test]
async fn admins_block_and_allow_servers_in_the_web_interface() {
    let instance = TestInstance::new().await;
    let server = instance.start_on_own_domain().await;
    common::staff_account(&server, "ada", "admin").await;
    common::staff_account(&server, "mo", "moderator").await;
    let loud = common::remote_account(&server, "loud", "loud.example").await;
    let moderator = Browser::new(&server);
    moderator.sign_in("mo", "a long enough password").await;
    let page = moderator.get("/admin/accounts").await;
    assert!(
        !page.html.contains("href=\"/admin/domain_blocks\""),
        "{}",
        page.html
    );
    assert_eq!(
        moderator.get("/admin/domain_blocks").await.status,
        StatusCode::FORBIDDEN
    );

    let admin = Browser::new(&server);
    admin.sign_in("ada", "a long enough password").await;
    let page = admin.get("/admin/accounts").await;
    assert!(
        page.html.contains("href=\"/admin/domain_blocks\""),
        "{}",
        page.html
    );
    let blocked = admin
        .submit(
            "/admin/domain_blocks",
            "/admin/domain_blocks",
            &[
                ("domain", "loud.example"),
                ("severity", "silence"),
                ("reject_media", "1"),
                ("public_comment", "Too loud"),
            ],
        )
        .await;
    assert_eq!(blocked.status, StatusCode::SEE_OTHER, "{}", blocked.html);
    let page = admin.get("/admin/domain_blocks").await;
    for text in ["loud.example", "Too loud", "Show none of its media inline"] {
        assert!(page.html.contains(text), "{text}: {}", page.html);
    }
    let account = admin.get(&format!("/admin/accounts/{}", loud.id)).await;
    assert!(account.html.contains("Limited"), "{}", account.html);
    // A moderator's forged form is refused and changes nothing.
    let forged = moderator
        .post(
            "/admin/domain_blocks",
            &[
                ("authenticity_token", &moderator.get("/home").await.csrf()),
                ("domain", "other.example"),
                ("severity", "suspend"),
            ],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let page = admin.get("/admin/domain_blocks").await;
    assert!(!page.html.contains("other.example"));
    let lifted = admin
        .post(
            &form_action(&page, "/delete"),
            &[
                ("authenticity_token", &page.csrf()),
                ("return_to", "/admin/domain_blocks"),
            ],
        )
        .await;
    assert_eq!(lifted.status, StatusCode::SEE_OTHER);
    let account = admin.get(&format!("/admin/accounts/{}", loud.id)).await;
    assert!(!account.html.contains(">Limited<"), "{}", account.html);
    let allowed = admin
        .submit(
            "/admin/domain_blocks",
            "/admin/domain_allows",
            &[("domain", "friends.example")],
        )
        .await;
    assert_eq!(allowed.status, StatusCode::SEE_OTHER, "{}", allowed.html);
    assert!(
        admin
            .get("/admin/domain_blocks")
            .await
            .html
            .contains("friends.example")
    );
    server.stop().await;
}

#[tokio::test]
async fn admins_announce_and_members_read_react_and_dismiss() {
    let instance = TestInstance::new().await;
    let server = instance.start_on_own_domain().await;
    common::staff_account(&server, "ada", "admin").await;
    common::staff_account(&server, "mo", "moderator").await;
    let (reader, _) = common::account(&server, "reader").await;
    let (other, _) = common::account(&server, "other").await;
    let admin = Browser::new(&server);
    admin.sign_in("ada", "a long enough password").await;
    let made = admin
        .submit(
            "/admin/announcements",
            "/admin/announcements",
            &[
                ("text", "Maintenance tonight, see https://status.example"),
                ("publish", "1"),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.html);
    let draft = admin
        .submit(
            "/admin/announcements",
            "/admin/announcements",
            &[("text", "Not yet")],
        )
        .await;
    assert_eq!(draft.status, StatusCode::SEE_OTHER);
    // One for next week's event: shown from its first day only.
    let day =
        |offset: i64| woolly_http::time::date(woolly_core::now_millis() + offset * 86_400_000);
    let (next_week, week_after) = (day(7), day(9));
    let later = admin
        .submit(
            "/admin/announcements",
            "/admin/announcements",
            &[
                ("text", "The meetup is on"),
                ("publish", "1"),
                ("starts_on", &next_week),
                ("ends_on", &week_after),
            ],
        )
        .await;
    assert_eq!(later.status, StatusCode::SEE_OTHER, "{}", later.html);
    let bad = admin
        .submit(
            "/admin/announcements",
            "/admin/announcements",
            &[("text", "When?"), ("starts_on", "someday")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.html);
    let page = admin.get("/admin/announcements").await;
    let period = format!("shown {next_week} – {week_after}");
    assert!(page.html.contains(&period), "{period}: {}", page.html);
    assert!(!page.html.contains("When?"), "{}", page.html);
    let moderator = Browser::new(&server);
    moderator.sign_in("mo", "a long enough password").await;
    let refused = moderator
        .post(
            "/admin/announcements",
            &[
                ("authenticity_token", &moderator.get("/home").await.csrf()),
                ("text", "Mine"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    let read = |token: &str, path: &'static str| {
        let (server, token) = (&server, token.to_owned());
        async move {
            let (status, body) = server
                .call(reqwest::Method::GET, path, Some(&token), Value::Null)
                .await;
            assert_eq!(status, StatusCode::OK, "{body}");
            body
        }
    };
    let listed = read(&reader, "/api/v1/announcements").await;
    assert_eq!(
        listed.as_array().unwrap().len(),
        1,
        "neither the draft nor next week's is shown: {listed}"
    );
    let announcement = &listed[0];
    assert!(
        announcement["content"]
            .as_str()
            .unwrap()
            .contains("href=\"https://status.example\"")
    );
    assert_eq!(announcement["published"], true);
    assert_eq!(announcement["read"], false);
    let id = announcement["id"].as_str().unwrap().to_owned();
    let (status, _) = server
        .call(
            reqwest::Method::PUT,
            &format!("/api/v1/announcements/{id}/reactions/%F0%9F%91%8D"),
            Some(&reader),
            Value::Null,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = server
        .call(
            reqwest::Method::PUT,
            &format!("/api/v1/announcements/{id}/reactions/hello"),
            Some(&reader),
            Value::Null,
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "not an emoji");
    let seen = read(&other, "/api/v1/announcements").await;
    assert_eq!(
        seen[0]["reactions"],
        serde_json::json!([{"name": "👍", "count": 1, "me": false}])
    );
    let (status, _) = server
        .call(
            reqwest::Method::POST,
            &format!("/api/v1/announcements/{id}/dismiss"),
            Some(&reader),
            Value::Null,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        read(&reader, "/api/v1/announcements").await,
        serde_json::json!([])
    );
    let kept = read(&reader, "/api/v1/announcements?with_dismissed=true").await;
    assert_eq!(kept[0]["read"], true);
    assert_eq!(kept[0]["reactions"][0]["me"], true);

    // On the web: the other member reads it at the top of home and dismisses it there.
    let member = Browser::new(&server);
    member.sign_in("other", "a long enough password").await;
    let home = member.get("/home").await;
    assert!(home.html.contains("Maintenance tonight"), "{}", home.html);
    let dismissed = member
        .post(
            &form_action(&home, "/dismiss"),
            &[("authenticity_token", &home.csrf()), ("return_to", "/home")],
        )
        .await;
    assert_eq!(dismissed.status, StatusCode::SEE_OTHER);
    assert!(
        !member
            .get("/home")
            .await
            .html
            .contains("Maintenance tonight")
    );
    server.stop().await;
}

#[tokio::test]
async fn held_back_mentions_wait_on_their_page_until_accepted_or_dismissed() {
    let instance = TestInstance::new().await;
    let server = instance.start().await;
    common::account_with_password(&server, "hana", "a long enough password").await;
    let (stranger, _) = common::account(&server, "stranger").await;
    let (pest, _) = common::account(&server, "pest").await;
    post_as(
        &server,
        &stranger,
        serde_json::json!({"status": "@hana a quiet word", "visibility": "direct"}),
    )
    .await;
    post_as(
        &server,
        &pest,
        serde_json::json!({"status": "@hana buy my stuff", "visibility": "direct"}),
    )
    .await;
    common::jobs_idle(&server).await;

    let hana = Browser::new(&server);
    hana.sign_in("hana", "a long enough password").await;
    let page = hana.get("/notifications").await;
    assert!(
        page.html.contains("2 people you may not know wrote to you"),
        "{}",
        page.html
    );
    assert!(!page.html.contains("a quiet word"), "{}", page.html);
    let page = hana.get("/notifications/requests").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    assert!(page.html.contains("a quiet word"), "{}", page.html);
    assert!(page.html.contains("buy my stuff"), "{}", page.html);
    assert_eq!(page.selected("for_private_mentions"), "filter");
    let accept = form_action(&page, "/accept");
    let dismiss = form_action(&page, "/dismiss");

    // Without the form's token nothing happens.
    let refused = hana.post(&accept, &[("return_to", "/home")]).await;
    assert_ne!(refused.status, StatusCode::SEE_OTHER);
    let csrf = page.csrf();
    // The newest request (the pest's) comes first.
    let done = hana.post(&dismiss, &[("authenticity_token", &csrf)]).await;
    assert_eq!(done.location.as_deref(), Some("/notifications/requests"));
    let page = hana.get("/notifications/requests").await;
    assert!(!page.html.contains("buy my stuff"), "{}", page.html);
    let accept = form_action(&page, "/accept");
    hana.post(&accept, &[("authenticity_token", &csrf)]).await;
    let page = hana.get("/notifications").await;
    assert!(
        page.html.contains("stranger mentioned you"),
        "{}",
        page.html
    );
    assert!(page.html.contains("a quiet word"), "{}", page.html);
    assert!(!page.html.contains("buy my stuff"), "{}", page.html);
    assert!(!page.html.contains("wrote to you"), "{}", page.html);

    // The policy's form.
    let changed = hana
        .submit(
            "/notifications/requests",
            "/notifications/policy",
            &[
                ("for_not_following", "drop"),
                ("for_new_accounts", "filter"),
            ],
        )
        .await;
    assert_eq!(changed.location.as_deref(), Some("/notifications/requests"));
    let page = hana.get("/notifications/requests").await;
    assert_eq!(page.selected("for_not_following"), "drop");
    assert_eq!(page.selected("for_new_accounts"), "filter");
    assert_eq!(page.selected("for_limited_accounts"), "filter");
    let refused = hana
        .submit(
            "/notifications/requests",
            "/notifications/policy",
            &[("for_not_following", "maybe")],
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.html
    );
    let page = hana.get("/notifications/requests").await;
    assert_eq!(page.selected("for_not_following"), "drop");
    server.stop().await;
}

#[tokio::test]
async fn moderators_keep_notes_on_an_account_beside_its_history() {
    let instance = TestInstance::new().await;
    let server = instance.start_on_own_domain().await;
    let (_, troll_id) = common::account(&server, "troll").await;
    common::staff_account(&server, "mo", "moderator").await;
    common::staff_account(&server, "ada", "admin").await;
    let page_path = format!("/admin/accounts/{troll_id}");

    let moderator = Browser::new(&server);
    moderator.sign_in("mo", "a long enough password").await;
    let page = moderator.get(&page_path).await;
    assert!(page.html.contains("No note yet"), "{}", page.html);
    assert!(page.html.contains("Nobody has acted"), "{}", page.html);
    let csrf = page.csrf();
    let done = moderator
        .post(
            &format!("{page_path}/action"),
            &[
                ("authenticity_token", &csrf),
                ("kind", "silence"),
                ("text", "Too loud"),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.html);
    let written = moderator
        .post(
            &format!("{page_path}/notes"),
            &[
                ("authenticity_token", &csrf),
                ("content", "Keeps <b>coming back</b> under new names"),
            ],
        )
        .await;
    assert_eq!(written.status, StatusCode::SEE_OTHER, "{}", written.html);
    let empty = moderator
        .post(
            &format!("{page_path}/notes"),
            &[("authenticity_token", &csrf), ("content", "   ")],
        )
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    let unsigned = moderator
        .post(&format!("{page_path}/notes"), &[("content", "forged")])
        .await;
    assert_ne!(unsigned.status, StatusCode::SEE_OTHER);

    let page = moderator.get(&page_path).await;
    assert!(
        page.html
            .contains("Keeps &lt;b&gt;coming back&lt;&#x2f;b&gt; under new names")
            || page.html.contains("Keeps &#60;b&#62;coming back"),
        "escaped: {}",
        page.html
    );
    assert!(!page.html.contains("forged"), "{}", page.html);
    assert!(page.html.contains("mo limited troll"), "{}", page.html);
    let delete = form_action(&page, "/delete");
    assert!(delete.starts_with("/admin/account_notes/"), "{delete}");

    // The admin writes one too; the moderator may not delete it (no button, and 403).
    let admin = Browser::new(&server);
    admin.sign_in("ada", "a long enough password").await;
    let admin_page = admin.get(&page_path).await;
    admin
        .post(
            &format!("{page_path}/notes"),
            &[
                ("authenticity_token", &admin_page.csrf()),
                ("content", "Checked with the other servers"),
            ],
        )
        .await;
    let admin_page = admin.get(&page_path).await;
    let notes: Vec<&str> = admin_page
        .html
        .match_indices("/admin/account_notes/")
        .map(|(at, _)| &admin_page.html[at..at + 40])
        .collect();
    assert_eq!(
        notes.len(),
        2,
        "the admin may delete both: {}",
        admin_page.html
    );
    let page = moderator.get(&page_path).await;
    assert_eq!(
        page.html.matches("/admin/account_notes/").count(),
        1,
        "{}",
        page.html
    );
    let admins_note = notes
        .iter()
        .map(|found| found.split('/').nth(3).unwrap().to_owned())
        .find(|id| !delete.contains(id.as_str()))
        .unwrap();
    let refused = moderator
        .post(
            &format!("/admin/account_notes/{admins_note}/delete"),
            &[("authenticity_token", &csrf)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.html);
    let deleted = moderator
        .post(&delete, &[("authenticity_token", &csrf)])
        .await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER);
    let page = moderator.get(&page_path).await;
    assert!(!page.html.contains("coming back"), "{}", page.html);
    assert!(page.html.contains("Checked with the other servers"));
    let audit = admin.get("/admin/audit").await;
    for said in ["wrote a note about", "deleted a note about", "limited"] {
        assert!(audit.html.contains(said), "{said}: {}", audit.html);
    }
    server.stop().await;
}

async fn rules(server: &TestServer) -> Value {
    let (status, rules) = server
        .call(
            reqwest::Method::GET,
            "/api/v1/instance/rules",
            None,
            Value::Null,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    rules
}

#[tokio::test]
async fn admins_keep_the_rules_in_the_web_interface_and_reports_keep_naming_them() {
    let instance = TestInstance::new().await;
    let server = instance
        .start_on_own_domain_with(|settings| {
            settings.rules = vec!["Be kind.".to_owned()];
        })
        .await;
    common::staff_account(&server, "ada", "admin").await;
    common::staff_account(&server, "mo", "moderator").await;
    let (rita, _) = common::account(&server, "rita").await;
    let (_, troll_id) = common::account(&server, "troll").await;
    assert_eq!(
        rules(&server).await,
        serde_json::json!([{"id": "1", "text": "Be kind.", "hint": "", "translations": {}}]),
        "the settings' rules come first, numbered as before"
    );

    let admin = Browser::new(&server);
    admin.sign_in("ada", "a long enough password").await;
    let added = admin
        .submit(
            "/admin/rules",
            "/admin/rules",
            &[("text", "No spam."), ("hint", "Ads and scams alike")],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.html);
    let empty = admin
        .submit("/admin/rules", "/admin/rules", &[("text", "  ")])
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    let listed = rules(&server).await;
    assert_eq!(listed[1]["text"], "No spam.", "{listed}");
    assert_eq!(listed[1]["hint"], "Ads and scams alike");
    let spam_rule = listed[1]["id"].as_str().unwrap().to_owned();
    let about = Browser::new(&server).get("/about").await;
    assert!(about.html.contains("No spam."), "{}", about.html);
    let moderator = Browser::new(&server);
    moderator.sign_in("mo", "a long enough password").await;
    assert_eq!(
        moderator.get("/admin/rules").await.status,
        StatusCode::FORBIDDEN
    );

    let (status, report) = server
        .call(
            reqwest::Method::POST,
            "/api/v1/reports",
            Some(&rita),
            serde_json::json!({"account_id": troll_id, "rule_ids": [spam_rule]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["category"], "violation");

    // Moved up, then rewritten: the API lists it first, as it now reads.
    let page = admin.get("/admin/rules").await;
    let up = form_action(&page, &format!("/admin/rules/{spam_rule}/up"));
    let moved = admin
        .post(&up, &[("authenticity_token", &page.csrf())])
        .await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER);
    let rewritten = admin
        .post(
            &format!("/admin/rules/{spam_rule}"),
            &[
                ("authenticity_token", &page.csrf()),
                ("text", "No spam, no scams."),
                ("hint", ""),
            ],
        )
        .await;
    assert_eq!(
        rewritten.status,
        StatusCode::SEE_OTHER,
        "{}",
        rewritten.html
    );
    let listed = rules(&server).await;
    assert_eq!(listed[0]["id"], spam_rule.as_str(), "{listed}");
    assert_eq!(listed[0]["text"], "No spam, no scams.");
    assert_eq!(listed[1]["text"], "Be kind.");

    let page = admin.get("/admin/rules").await;
    let remove = form_action(&page, &format!("/admin/rules/{spam_rule}/delete"));
    let removed = admin
        .post(&remove, &[("authenticity_token", &page.csrf())])
        .await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER);
    assert_eq!(rules(&server).await.as_array().unwrap().len(), 1);
    let (status, _) = server
        .call(
            reqwest::Method::POST,
            "/api/v1/reports",
            Some(&rita),
            serde_json::json!({"account_id": troll_id, "rule_ids": [spam_rule]}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a removed rule");
    let reports = admin.get("/admin/reports").await;
    assert!(
        reports.html.contains("No spam, no scams."),
        "the report still names it: {}",
        reports.html
    );
    let audit = admin.get("/admin/audit").await;
    for said in ["added the rule", "changed the rule", "removed the rule"] {
        assert!(audit.html.contains(said), "{said}: {}", audit.html);
    }
    server.stop().await;
}

#[tokio::test]
async fn moderators_allow_or_refuse_what_trends_on_their_page() {
    let instance = TestInstance::new().await;
    let server = instance.start_on_own_domain().await;
    common::staff_account(&server, "mo", "moderator").await;
    let (member, _) = common::account(&server, "member").await;
    for index in 0..5 {
        let (token, _) = common::account(&server, &format!("poster{index}")).await;
        post_as(
            &server,
            &token,
            serde_json::json!({"status": "Look #woolly", "language": "en"}),
        )
        .await;
    }
    let trending = |token: String| {
        let server = &server;
        async move {
            server
                .call(
                    reqwest::Method::GET,
                    "/api/v1/trends/tags",
                    Some(&token),
                    Value::Null,
                )
                .await
                .1
        }
    };
    // The first request has the trends scored.
    assert_eq!(trending(member.clone()).await, serde_json::json!([]));

    let moderator = Browser::new(&server);
    moderator.sign_in("mo", "a long enough password").await;
    let page = common::eventually(common::fediverse::WAIT, "#woolly to review", || async {
        let page = moderator.get("/admin/trends").await;
        page.html.contains("#woolly").then_some(page)
    })
    .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains("Waiting for review"), "{}", page.html);
    let allow = form_action(&page, "/admin/trends/tag/woolly/approve");
    let allowed = moderator
        .post(&allow, &[("authenticity_token", &page.csrf())])
        .await;
    assert_eq!(allowed.status, StatusCode::SEE_OTHER);
    assert_eq!(trending(member.clone()).await[0]["name"], "woolly");
    let page = moderator.get("/admin/trends").await;
    assert!(page.html.contains("Allowed"), "{}", page.html);
    let refuse = form_action(&page, "/admin/trends/tag/woolly/reject");
    moderator
        .post(&refuse, &[("authenticity_token", &page.csrf())])
        .await;
    assert_eq!(trending(member.clone()).await, serde_json::json!([]));

    // Members do not review.
    let plain = Browser::new(&server);
    common::account_with_password(&server, "walker", "a long enough password").await;
    plain.sign_in("walker", "a long enough password").await;
    assert_eq!(
        plain.get("/admin/trends").await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn explore_shows_what_trends_and_people_to_follow_to_members_and_visitors() {
    let instance = TestInstance::new().await;
    let server = instance
        .start_on_own_domain_with(|settings| {
            settings.trendable_by_default = true;
            settings.recommended_accounts = vec!["guide".to_owned()];
        })
        .await;
    common::account(&server, "guide").await;
    for index in 0..5 {
        let (token, _) = common::account(&server, &format!("knitter{index}")).await;
        post_as(
            &server,
            &token,
            serde_json::json!({"status": "Casting on #knitting", "language": "en"}),
        )
        .await;
    }
    common::account_with_password(&server, "newcomer", "a long enough password").await;
    let member = Browser::new(&server);
    member.sign_in("newcomer", "a long enough password").await;
    // The first visit has the trends scored; they show once the job has run.
    let page = common::eventually(common::fediverse::WAIT, "#knitting on /explore", || async {
        let page = member.get("/explore").await;
        page.html.contains("#knitting").then_some(page)
    })
    .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains("People to follow"), "{}", page.html);
    assert!(
        page.html.contains("Recommended by this server"),
        "{}",
        page.html
    );
    let follow = form_action(&page, "/follow");
    let followed = member
        .post(
            &follow,
            &[
                ("authenticity_token", &page.csrf()),
                ("return_to", "/explore"),
            ],
        )
        .await;
    assert_eq!(followed.status, StatusCode::SEE_OTHER);
    // A visitor sees the trends and the directory, without buttons to follow.
    let visitor = Browser::new(&server);
    let page = visitor.get("/explore").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains("#knitting"), "{}", page.html);
    assert!(page.html.contains("Active people here"), "{}", page.html);
    assert!(!page.html.contains("/follow\""), "{}", page.html);
}
