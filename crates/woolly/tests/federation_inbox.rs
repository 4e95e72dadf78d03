#![allow(clippy::unwrap_used, clippy::expect_used)]

//! The ActivityPub inboxes against bad input, black-box: a real server A receives deliveries
//! that the test signs itself as `mallory`, a real account of a second real server B (so that A
//! fetches her actor and key from B as it would from any server). Each refused delivery must be
//! answered with the right status and a JSON error, and must change nothing: after it, a valid
//! delivery (the control) is stored, while the refused one never shows up and records no job.

mod common;

use std::time::{Duration, SystemTime};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use common::{TestInstance, TestServer, account, eventually, http, jobs_idle};
use serde_json::{Value, json};
use woolly_federation::signatures::{Outgoing, sign};

const WAIT: Duration = Duration::from_secs(30);
const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";
const ACTIVITY_JSON: &str = "application/activity+json";
/// The shared inbox and a user's inbox: every case is tried on both.
const INBOXES: [&str; 2] = ["/inbox", "/users/alice/inbox"];

type Headers = Vec<(String, String)>;

/// A request to one of A's inboxes.
struct Delivery {
    path: String,
    headers: Headers,
    body: Vec<u8>,
}

fn domain(server: &TestServer) -> String {
    server.base_url.trim_start_matches("http://").to_owned()
}

async fn private_key(server: &TestServer, id: &str) -> String {
    server
        .woolly
        .federation()
        .account_private_key(id.parse().unwrap())
        .await
        .unwrap()
        .expect("a local account's private key")
}

/// A freshly generated RSA key (PKCS#8 PEM), known to nobody.
fn fresh_key() -> String {
    use aws_lc_rs::encoding::AsDer as _;
    use aws_lc_rs::rsa::{KeyPair, KeySize};
    let pair = KeyPair::generate(KeySize::Rsa2048).unwrap();
    format!(
        "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n",
        STANDARD.encode(pair.as_der().unwrap().as_ref())
    )
}

/// The receiving server A, the sending server B with mallory and carol.
struct Rig {
    _a_instance: TestInstance,
    a: TestServer,
    _b_instance: TestInstance,
    b: TestServer,
    alice_token: String,
    /// mallory's actor id on B.
    mallory: String,
    mallory_key: String,
    /// carol's actor id on B.
    carol: String,
    carol_key: String,
}

impl Rig {
    async fn new() -> Rig {
        let a_instance = TestInstance::new().await;
        let a = a_instance.start_on_own_domain().await;
        let b_instance = TestInstance::new().await;
        let b = b_instance.start_on_own_domain().await;
        let (alice_token, _) = account(&a, "alice").await;
        let (_, mallory_id) = account(&b, "mallory").await;
        let (_, carol_id) = account(&b, "carol").await;
        let mallory_key = private_key(&b, &mallory_id).await;
        let carol_key = private_key(&b, &carol_id).await;
        let b_domain = domain(&b);
        Rig {
            mallory: format!("http://{b_domain}/users/mallory"),
            carol: format!("http://{b_domain}/users/carol"),
            _a_instance: a_instance,
            a,
            _b_instance: b_instance,
            b,
            alice_token,
            mallory_key,
            carol_key,
        }
    }

    fn mallory_key_id(&self) -> String {
        format!("{}#main-key", self.mallory)
    }

    /// The id of mallory's note `tag`.
    fn note_uri(&self, tag: &str) -> String {
        format!("{}/statuses/{tag}", self.mallory)
    }

    /// A Create of a public Note by `actor`, as Mastodon sends it.
    fn create_by(&self, actor: &str, tag: &str, content: &str) -> Value {
        json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": format!("{actor}/statuses/{tag}/activity"),
            "type": "Create",
            "actor": actor,
            "to": [PUBLIC],
            "cc": [format!("{actor}/followers")],
            "object": {
                "id": format!("{actor}/statuses/{tag}"),
                "type": "Note",
                "attributedTo": actor,
                "content": content,
                "to": [PUBLIC],
                "cc": [format!("{actor}/followers")],
            },
        })
    }

    /// mallory's Create of note `tag`, whose content is `"<tag> marker"`.
    fn create(&self, tag: &str) -> Value {
        self.create_by(&self.mallory, tag, &marker(tag))
    }

    /// The headers that sign `body` for `path` on A with `key` as `key_id`, dated `at`.
    fn signed_with(
        &self,
        path: &str,
        body: &[u8],
        key_id: &str,
        key: &str,
        at: SystemTime,
    ) -> Headers {
        let host = domain(&self.a);
        let mut headers = sign(
            &Outgoing {
                method: "POST",
                path_and_query: path,
                host: &host,
                body: Some(body),
                extra: &[("content-type", ACTIVITY_JSON)],
            },
            key_id,
            key,
            at.into(),
        )
        .unwrap();
        headers.push(("Content-Type".into(), ACTIVITY_JSON.into()));
        headers
    }

    /// `body` to `path`, correctly signed by mallory.
    fn by_mallory(&self, path: &str, body: Vec<u8>) -> Delivery {
        let headers = self.signed_with(
            path,
            &body,
            &self.mallory_key_id(),
            &self.mallory_key,
            SystemTime::now(),
        );
        Delivery {
            path: path.to_owned(),
            headers,
            body,
        }
    }

    /// Sends a delivery to A; the status and the body (JSON, or the text as a JSON string).
    async fn send(&self, delivery: &Delivery) -> (u16, Value) {
        let mut request = http()
            .post(self.a.url(&delivery.path))
            .body(delivery.body.clone());
        for (name, value) in &delivery.headers {
            request = request.header(name, value);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        (status, body)
    }

    /// Delivers `activity` to `path`, signed by mallory.
    async fn deliver(&self, path: &str, activity: &Value) -> (u16, Value) {
        self.send(&self.by_mallory(path, serde_json::to_vec(activity).unwrap()))
            .await
    }

    async fn alice_get(&self, path: &str) -> (u16, Value) {
        let response = http()
            .get(self.a.url(path))
            .bearer_auth(&self.alice_token)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// The statuses of `name@B` as A shows them (none while A does not know the account).
    async fn statuses_of(&self, name: &str) -> Vec<Value> {
        let (status, found) = self
            .alice_get(&format!(
                "/api/v1/accounts/lookup?acct={name}@{}",
                domain(&self.b)
            ))
            .await;
        if status != 200 {
            return Vec::new();
        }
        let id = found["id"].as_str().unwrap();
        let (status, statuses) = self
            .alice_get(&format!("/api/v1/accounts/{id}/statuses?limit=40"))
            .await;
        assert_eq!(status, 200, "{statuses}");
        statuses.as_array().unwrap().clone()
    }

    /// Every status A shows: its public timeline, mallory's and carol's statuses.
    async fn everything_on_a(&self) -> Vec<Value> {
        let (status, public) = self.alice_get("/api/v1/timelines/public?limit=40").await;
        assert_eq!(status, 200, "{public}");
        let mut all = public.as_array().unwrap().clone();
        all.extend(self.statuses_of("mallory").await);
        all.extend(self.statuses_of("carol").await);
        all
    }

    /// Waits until mallory's note `uri` is shown on A.
    async fn wait_stored(&self, uri: &str) -> Value {
        eventually(WAIT, &format!("{uri} stored on A"), || async {
            self.statuses_of("mallory")
                .await
                .into_iter()
                .find(|status| status["uri"] == uri)
        })
        .await
    }

    /// Asserts that nothing of case `tag` is on A: no status with its note's id (by whomever)
    /// or its marker.
    async fn assert_absent(&self, tag: &str, uri: &str) {
        let marker = marker(tag);
        for status in self.everything_on_a().await {
            let content = status["content"].as_str().unwrap_or_default();
            assert!(
                status["uri"] != uri && !content.contains(&marker),
                "case {tag} left a status on A: {status}"
            );
            assert!(
                !status["uri"]
                    .as_str()
                    .unwrap_or_default()
                    .ends_with(&format!("/statuses/{tag}")),
                "case {tag} left a status on A: {status}"
            );
        }
    }

    /// How many inbound activities A has recorded (a job each).
    async fn inbound_jobs(&self) -> i64 {
        self.a
            .woolly
            .jobs()
            .job_counts()
            .await
            .unwrap()
            .iter()
            .filter(|count| count.kind == woolly_core::remote::INBOUND_KIND)
            .map(|count| count.count)
            .sum()
    }

    /// Delivers a valid Create after case `tag` and waits until A has stored it.
    async fn control(&self, tag: &str) {
        let control = format!("control-{tag}");
        let activity = self.create_by(&self.mallory, &control, &format!("control after {tag}"));
        let (status, body) = self.deliver("/inbox", &activity).await;
        assert_eq!(status, 202, "the control after {tag}: {body}");
        self.wait_stored(&self.note_uri(&control)).await;
    }

    /// Sends every delivery, each answered `expected` with a JSON error; then proves that none
    /// changed anything: a control delivered afterwards is recorded and stored, the refused
    /// ones recorded no job and left no status.
    async fn assert_refused(&self, tag: &str, expected: u16, deliveries: &[Delivery]) {
        let jobs_before = self.inbound_jobs().await;
        for delivery in deliveries {
            let (status, body) = self.send(delivery).await;
            assert_eq!(
                status, expected,
                "case {tag} on {}: answered {status} {body}",
                delivery.path
            );
            assert!(
                body["error"].is_string(),
                "case {tag} on {}: not a JSON error: {body}",
                delivery.path
            );
        }
        self.control(tag).await;
        assert_eq!(
            self.inbound_jobs().await,
            jobs_before + 1,
            "case {tag}: only the control was recorded"
        );
        self.assert_absent(tag, &self.note_uri(tag)).await;
    }

    /// mallory's valid Create of `tag`, correctly signed, for each inbox, after `change`.
    fn on_each_inbox(&self, tag: &str, change: impl Fn(&str, &mut Delivery)) -> Vec<Delivery> {
        INBOXES
            .iter()
            .map(|path| {
                let mut delivery =
                    self.by_mallory(path, serde_json::to_vec(&self.create(tag)).unwrap());
                change(path, &mut delivery);
                delivery
            })
            .collect()
    }
}

fn marker(tag: &str) -> String {
    format!("{tag} marker")
}

fn header<'a>(headers: &'a mut Headers, name: &str) -> &'a mut String {
    &mut headers
        .iter_mut()
        .find(|(key, _)| key.eq_ignore_ascii_case(name))
        .unwrap_or_else(|| panic!("no {name} header"))
        .1
}

// The positive control.

#[tokio::test]
async fn a_signed_create_is_accepted_on_both_inboxes_and_stored() {
    let rig = Rig::new().await;
    let jobs_before = rig.inbound_jobs().await;
    for (index, path) in INBOXES.iter().enumerate() {
        let tag = format!("valid-{index}");
        let (status, body) = rig.deliver(path, &rig.create(&tag)).await;
        assert_eq!(status, 202, "{path}: {body}");
        let stored = rig.wait_stored(&rig.note_uri(&tag)).await;
        assert_eq!(
            stored["account"]["acct"],
            format!("mallory@{}", domain(&rig.b)),
            "{stored}"
        );
        assert_eq!(stored["visibility"], "public", "{stored}");
        assert!(
            stored["content"].as_str().unwrap().contains(&marker(&tag)),
            "{stored}"
        );
    }
    assert_eq!(rig.inbound_jobs().await, jobs_before + 2);
}

// Refused deliveries.

#[tokio::test]
async fn an_unsigned_delivery_is_refused_with_401() {
    let rig = Rig::new().await;
    let tag = "unsigned";
    let deliveries = rig.on_each_inbox(tag, |_, delivery| {
        delivery
            .headers
            .retain(|(name, _)| name.eq_ignore_ascii_case("content-type"));
    });
    rig.assert_refused(tag, 401, &deliveries).await;
}

#[tokio::test]
async fn an_altered_signature_is_refused_with_401() {
    let rig = Rig::new().await;
    let tag = "altered-signature";
    let deliveries = rig.on_each_inbox(tag, |_, delivery| {
        let signature = header(&mut delivery.headers, "signature");
        let start = signature.find("signature=\"").unwrap() + "signature=\"".len();
        let end = start + signature[start..].find('"').unwrap();
        let mut bytes = STANDARD.decode(&signature[start..end]).unwrap();
        bytes[17] ^= 0x01;
        signature.replace_range(start..end, &STANDARD.encode(bytes));
    });
    rig.assert_refused(tag, 401, &deliveries).await;
}

#[tokio::test]
async fn a_signature_by_another_key_than_the_actors_is_refused_with_401() {
    let rig = Rig::new().await;
    let tag = "other-key";
    let fresh = fresh_key();
    let mut deliveries = Vec::new();
    // Signed with a key nobody knows, and with carol's real key, both claiming mallory's key.
    for key in [&fresh, &rig.carol_key] {
        deliveries.extend(rig.on_each_inbox(tag, |path, delivery| {
            delivery.headers = rig.signed_with(
                path,
                &delivery.body,
                &rig.mallory_key_id(),
                key,
                SystemTime::now(),
            );
        }));
    }
    rig.assert_refused(tag, 401, &deliveries).await;
}

#[tokio::test]
async fn a_signature_dated_two_hours_ago_is_refused_with_401() {
    let rig = Rig::new().await;
    let tag = "two-hours-old";
    let deliveries = rig.on_each_inbox(tag, |path, delivery| {
        delivery.headers = rig.signed_with(
            path,
            &delivery.body,
            &rig.mallory_key_id(),
            &rig.mallory_key,
            SystemTime::now() - Duration::from_secs(2 * 60 * 60),
        );
    });
    rig.assert_refused(tag, 401, &deliveries).await;
}

#[tokio::test]
async fn a_body_changed_after_signing_is_refused_with_401() {
    let rig = Rig::new().await;
    let tag = "changed-body";
    let deliveries = rig.on_each_inbox(tag, |path, delivery| {
        // What was signed said something else.
        let signed = rig.create_by(&rig.mallory, tag, "something innocent");
        delivery.headers = rig
            .by_mallory(path, serde_json::to_vec(&signed).unwrap())
            .headers;
    });
    rig.assert_refused(tag, 401, &deliveries).await;
}

#[tokio::test]
async fn a_signature_header_without_key_id_is_refused_with_400() {
    let rig = Rig::new().await;
    let tag = "no-key-id";
    let deliveries = rig.on_each_inbox(tag, |_, delivery| {
        let signature = header(&mut delivery.headers, "signature");
        let kept: Vec<&str> = signature
            .split(',')
            .filter(|part| !part.starts_with("keyId="))
            .collect();
        assert_eq!(kept.len(), 3, "{signature}");
        *signature = kept.join(",");
    });
    rig.assert_refused(tag, 400, &deliveries).await;
}

#[tokio::test]
async fn malformed_json_correctly_signed_is_refused_with_400() {
    let rig = Rig::new().await;
    let tag = "malformed-json";
    let mut body = serde_json::to_vec(&rig.create(tag)).unwrap();
    body.truncate(body.len() - 3);
    let deliveries: Vec<Delivery> = INBOXES
        .iter()
        .map(|path| rig.by_mallory(path, body.clone()))
        .collect();
    rig.assert_refused(tag, 400, &deliveries).await;
}

#[tokio::test]
async fn a_json_array_or_string_signed_is_refused_with_400() {
    let rig = Rig::new().await;
    let tag = "not-an-object";
    let array = serde_json::to_vec(&json!([rig.create(tag)])).unwrap();
    let string = serde_json::to_vec(&json!(marker(tag))).unwrap();
    let deliveries: Vec<Delivery> = INBOXES
        .iter()
        .flat_map(|path| {
            [
                rig.by_mallory(path, array.clone()),
                rig.by_mallory(path, string.clone()),
            ]
        })
        .collect();
    rig.assert_refused(tag, 400, &deliveries).await;
}

#[tokio::test]
async fn an_activity_by_another_actor_than_the_signer_is_refused_with_401() {
    let rig = Rig::new().await;
    let tag = "carol-likes-by-mallory";
    let like = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}#likes/{tag}", rig.carol),
        "type": "Like",
        "actor": rig.carol,
        "object": rig.note_uri("anything"),
    });
    let deliveries: Vec<Delivery> = INBOXES
        .iter()
        .map(|path| rig.by_mallory(path, serde_json::to_vec(&like).unwrap()))
        .collect();
    rig.assert_refused(tag, 401, &deliveries).await;
}

#[tokio::test]
async fn a_forwarded_create_is_believed_only_as_its_origin_serves_it() {
    let rig = Rig::new().await;
    // carol's note that does not exist on B, forwarded by mallory: accepted, then dropped.
    let tag = "carol-by-mallory";
    let invented = rig.create_by(&rig.carol, tag, &marker(tag));
    let (status, body) = rig.deliver("/inbox", &invented).await;
    assert_eq!(status, 202, "{body}");
    rig.control(tag).await;
    jobs_idle(&rig.a).await;
    rig.assert_absent(tag, &format!("{}/statuses/{tag}", rig.carol))
        .await;

    // A real post of dora's on B, forwarded by mallory with other words: A stores the post as
    // B serves it.
    let (dora_token, _) = account(&rig.b, "dora").await;
    let real: Value = http()
        .post(rig.b.url("/api/v1/statuses"))
        .bearer_auth(&dora_token)
        .json(&json!({"status": "what dora really said"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let dora = format!("http://{}/users/dora", domain(&rig.b));
    let mut forwarded = rig.create_by(&dora, "forwarded", "words put in dora's mouth");
    forwarded["id"] = json!(format!("{}/activity", real["uri"].as_str().unwrap()));
    forwarded["object"]["id"] = real["uri"].clone();
    let (status, body) = rig.deliver("/inbox", &forwarded).await;
    assert_eq!(status, 202, "{body}");
    let stored = eventually(WAIT, "dora's post on A", || async {
        rig.statuses_of("dora").await.into_iter().next()
    })
    .await;
    assert_eq!(stored["uri"], real["uri"]);
    assert!(
        stored["content"]
            .as_str()
            .unwrap()
            .contains("what dora really said"),
        "{stored}"
    );
}

#[tokio::test]
async fn an_activity_id_on_another_host_than_its_actor_is_refused_with_400() {
    let rig = Rig::new().await;
    let tag = "activity-elsewhere";
    let mut activity = rig.create(tag);
    activity["id"] = json!(format!("https://elsewhere.example/activities/{tag}"));
    let deliveries: Vec<Delivery> = INBOXES
        .iter()
        .map(|path| rig.by_mallory(path, serde_json::to_vec(&activity).unwrap()))
        .collect();
    rig.assert_refused(tag, 400, &deliveries).await;
}

#[tokio::test]
async fn a_body_over_one_mebibyte_is_refused_with_413() {
    let rig = Rig::new().await;
    let tag = "too-large";
    let mut activity = rig.create(tag);
    activity["object"]["summary"] = json!("x".repeat(1024 * 1024));
    let body = serde_json::to_vec(&activity).unwrap();
    assert!(body.len() > 1024 * 1024);
    let deliveries: Vec<Delivery> = INBOXES
        .iter()
        .map(|path| rig.by_mallory(path, body.clone()))
        .collect();
    rig.assert_refused(tag, 413, &deliveries).await;
}

// Accepted deliveries that must not be believed, or must be cleaned.

#[tokio::test]
async fn a_note_claiming_another_hosts_id_is_accepted_but_dropped() {
    let rig = Rig::new().await;
    // A third real server, where the claimed note does not exist.
    let c_instance = TestInstance::new().await;
    let c = c_instance.start_on_own_domain().await;
    let tag = "forged-origin";
    let forged = format!("http://{}/users/mallory/statuses/{tag}", domain(&c));
    let mut activity = rig.create(tag);
    activity["object"]["id"] = json!(forged);
    let jobs_before = rig.inbound_jobs().await;
    let (status, body) = rig.deliver("/inbox", &activity).await;
    assert_eq!(status, 202, "{body}");
    rig.control(tag).await;
    assert_eq!(rig.inbound_jobs().await, jobs_before + 2);
    // The forged activity's job (and any retry of it) has run as well.
    jobs_idle(&rig.a).await;
    rig.assert_absent(tag, &forged).await;
    let (status, found) = rig
        .alice_get(&format!(
            "/api/v2/search?q={}&type=statuses",
            forged.replace(':', "%3A").replace('/', "%2F")
        ))
        .await;
    assert_eq!(status, 200, "{found}");
    assert_eq!(found["statuses"], json!([]), "{found}");
}

#[tokio::test]
async fn hostile_html_is_accepted_and_stored_sanitized() {
    let rig = Rig::new().await;
    let tag = "hostile-html";
    let hostile = format!(
        "<script>alert(1)</script><p onclick=\"x()\">hi {} <a href=\"javascript:alert(1)\">x</a></p>",
        marker(tag)
    );
    let activity = rig.create_by(&rig.mallory, tag, &hostile);
    let (status, body) = rig.deliver("/users/alice/inbox", &activity).await;
    assert_eq!(status, 202, "{body}");
    let stored = rig.wait_stored(&rig.note_uri(tag)).await;
    let content = stored["content"].as_str().unwrap();
    assert!(
        content.contains(&format!("hi {}", marker(tag))),
        "{content}"
    );
    assert!(!content.contains("<script"), "{content}");
    assert!(!content.contains("alert(1)</script"), "{content}");
    assert!(!content.contains("onclick"), "{content}");
    assert!(!content.contains("javascript:"), "{content}");
}

// JSON-LD shapes other servers send.

/// mallory's Create of `tag`, changed by `change`, must be accepted and stored as public.
async fn assert_shape_accepted(tag: &str, change: impl Fn(&Rig, &mut Value)) {
    let rig = Rig::new().await;
    let mut activity = rig.create(tag);
    change(&rig, &mut activity);
    for path in INBOXES {
        let mut activity = activity.clone();
        // A distinct activity and note per inbox.
        let suffix = if path == "/inbox" { "shared" } else { "user" };
        let note = format!("{}-{suffix}", rig.note_uri(tag));
        activity["id"] = json!(format!("{note}/activity"));
        activity["object"]["id"] = json!(note);
        let (status, body) = rig.deliver(path, &activity).await;
        assert_eq!(status, 202, "{tag} on {path}: {body}");
        let stored = rig.wait_stored(&note).await;
        assert_eq!(stored["visibility"], "public", "{tag} on {path}: {stored}");
        assert!(
            stored["content"].as_str().unwrap().contains(&marker(tag)),
            "{stored}"
        );
        assert_eq!(
            stored["account"]["acct"],
            format!("mallory@{}", domain(&rig.b))
        );
    }
}

#[tokio::test]
async fn to_as_a_single_string_is_processed_like_an_array() {
    assert_shape_accepted("to-string", |_, activity| {
        activity["to"] = json!(PUBLIC);
        activity["object"]["to"] = json!(PUBLIC);
        activity.as_object_mut().unwrap().remove("cc");
        activity["object"].as_object_mut().unwrap().remove("cc");
    })
    .await;
}

#[tokio::test]
async fn an_embedded_actor_object_is_processed_like_its_id() {
    assert_shape_accepted("embedded-actor", |rig, activity| {
        activity["actor"] = json!({"id": rig.mallory, "type": "Person"});
    })
    .await;
}

#[tokio::test]
async fn an_embedded_attributed_to_and_a_context_array_are_processed_like_the_normal_form() {
    assert_shape_accepted("embedded-author", |rig, activity| {
        activity["@context"] = json!([
            "https://www.w3.org/ns/activitystreams",
            "https://w3id.org/security/v1",
            {"sensitive": "as:sensitive", "toot": "http://joinmastodon.org/ns#"},
        ]);
        activity["object"]["attributedTo"] = json!([{"id": rig.mallory, "type": "Person"}]);
    })
    .await;
}

#[tokio::test]
async fn the_same_activity_delivered_twice_is_stored_once() {
    let rig = Rig::new().await;
    let tag = "twice";
    let activity = rig.create(tag);
    let jobs_before = rig.inbound_jobs().await;
    for path in ["/inbox", "/inbox", "/users/alice/inbox"] {
        let (status, body) = rig.deliver(path, &activity).await;
        assert_eq!(status, 202, "{path}: {body}");
    }
    rig.wait_stored(&rig.note_uri(tag)).await;
    rig.control(tag).await;
    assert_eq!(
        rig.inbound_jobs().await,
        jobs_before + 2,
        "recorded once, plus the control"
    );
    let copies = rig
        .statuses_of("mallory")
        .await
        .into_iter()
        .filter(|status| status["uri"] == rig.note_uri(tag))
        .count();
    assert_eq!(copies, 1);
}

#[tokio::test]
async fn an_update_then_a_delete_of_the_actor_itself_changes_then_removes_the_account() {
    let rig = Rig::new().await;
    rig.control("before-deletion").await;
    let (status, found) = rig
        .alice_get(&format!(
            "/api/v1/accounts/lookup?acct=mallory@{}",
            domain(&rig.b)
        ))
        .await;
    assert_eq!(status, 200);
    assert_eq!(found["statuses_count"], 1);

    // A profile update: the actor document travels in the activity.
    let mut actor: Value = http()
        .get(&rig.mallory)
        .header("Accept", "application/activity+json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    actor["name"] = json!("Mallory, renamed");
    actor["summary"] = json!("<p>new bio<script>x()</script></p>");
    let update = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}#updates/1", rig.mallory),
        "type": "Update",
        "actor": rig.mallory,
        "to": [PUBLIC],
        "object": actor,
    });
    assert_eq!(rig.deliver("/inbox", &update).await.0, 202);
    let renamed = eventually(WAIT, "the new display name on A", || async {
        let (_, account) = rig
            .alice_get(&format!("/api/v1/accounts/{}", found["id"].as_str()?))
            .await;
        (account["display_name"] == "Mallory, renamed").then_some(account)
    })
    .await;
    assert!(renamed["note"].as_str().unwrap().contains("new bio"));
    assert!(!renamed["note"].as_str().unwrap().contains("script"));

    // The actor deletes itself: its account and statuses leave A.
    let delete = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}#delete", rig.mallory),
        "type": "Delete",
        "actor": rig.mallory,
        "to": [PUBLIC],
        "object": rig.mallory,
    });
    assert_eq!(rig.deliver("/inbox", &delete).await.0, 202);
    eventually(WAIT, "mallory gone from A", || async {
        let (status, _) = rig
            .alice_get(&format!("/api/v1/accounts/{}", found["id"].as_str()?))
            .await;
        (status == 404).then_some(())
    })
    .await;
    assert!(rig.statuses_of("mallory").await.is_empty());
}

#[tokio::test]
async fn a_post_addressed_to_a_local_account_without_a_mention_reaches_it_alone() {
    let rig = Rig::new().await;
    let alice = format!("http://{}/users/alice", domain(&rig.a));
    let tag = "addressed-only";
    let mut activity = rig.create(tag);
    for field in ["to", "cc"] {
        activity[field] = json!([]);
        activity["object"][field] = json!([]);
    }
    activity["to"] = json!([alice]);
    activity["object"]["to"] = json!([alice]);
    assert_eq!(rig.deliver("/inbox", &activity).await.0, 202);
    // From someone alice does not follow, it is kept aside by her policy: shown among the
    // filtered ones.
    let notification = eventually(WAIT, "alice's notification", || async {
        let (_, notifications) = rig
            .alice_get("/api/v1/notifications?include_filtered=true")
            .await;
        notifications.as_array()?.first().cloned()
    })
    .await;
    assert_eq!(notification["type"], "mention");
    assert_eq!(notification["status"]["visibility"], "direct");
    assert_eq!(notification["status"]["uri"], rig.note_uri(tag));
    // Nobody else sees it: not the public timeline, not an anonymous reader.
    let (_, public) = rig.alice_get("/api/v1/timelines/public").await;
    assert!(
        public
            .as_array()
            .unwrap()
            .iter()
            .all(|status| status["uri"] != rig.note_uri(tag))
    );
    let id = notification["status"]["id"].as_str().unwrap();
    let anonymous = http()
        .get(rig.a.url(&format!("/api/v1/statuses/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 404);
}

#[tokio::test]
async fn a_flag_from_another_server_becomes_a_report_for_the_moderators_here() {
    let rig = Rig::new().await;
    let (moderator, _) = common::staff_account(&rig.a, "mod", "moderator").await;
    let rig = &rig;
    let post = |body: Value| async move {
        let (status, posted) = rig
            .a
            .call(
                reqwest::Method::POST,
                "/api/v1/statuses",
                Some(&rig.alice_token),
                body,
            )
            .await;
        assert_eq!(status, 200, "{posted}");
        posted
    };
    let public = post(json!({"status": "Reported in public"})).await;
    let private = post(json!({"status": "Reported for followers", "visibility": "private"})).await;
    let alice = format!("http://{}/users/alice", domain(&rig.a));
    let flag = |id: &str, objects: Vec<Value>| {
        json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": format!("http://{}/{id}", domain(&rig.b)),
            "type": "Flag",
            "actor": rig.mallory,
            "content": "Please look at these",
            "object": objects,
        })
    };
    let reported = flag(
        "flags/1",
        vec![
            json!(alice),
            public["uri"].clone(),
            private["uri"].clone(),
            json!(rig.note_uri("never-seen")),
        ],
    );
    // Delivered twice, and once about someone of another server: one report.
    for activity in [
        &reported,
        &reported,
        &flag("flags/2", vec![json!(rig.carol)]),
    ] {
        let (status, body) = rig.deliver("/inbox", activity).await;
        assert_eq!(status, 202, "{body}");
    }
    jobs_idle(&rig.a).await;
    let reports = eventually(WAIT, "the report", || async {
        let (status, reports) = rig
            .a
            .call(
                reqwest::Method::GET,
                "/api/v1/admin/reports",
                Some(&moderator),
                Value::Null,
            )
            .await;
        assert_eq!(status, 200, "{reports}");
        (!reports.as_array().unwrap().is_empty()).then_some(reports)
    })
    .await;
    assert_eq!(reports.as_array().unwrap().len(), 1, "{reports:#}");
    let report = &reports[0];
    assert_eq!(report["account"]["username"], "mallory");
    assert_eq!(report["account"]["domain"], domain(&rig.b));
    assert_eq!(report["account"]["email"], Value::Null);
    assert_eq!(report["target_account"]["username"], "alice");
    assert_eq!(report["comment"], "Please look at these");
    assert_eq!(report["category"], "other");
    let mut attached: Vec<&str> = report["statuses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|status| status["id"].as_str().unwrap())
        .collect();
    attached.sort_unstable();
    let mut expected = vec![
        public["id"].as_str().unwrap(),
        private["id"].as_str().unwrap(),
    ];
    expected.sort_unstable();
    assert_eq!(attached, expected, "followers-only posts included");
}

#[tokio::test]
async fn a_move_is_carried_out_only_when_its_actor_moves_itself_to_an_account_naming_it() {
    let rig = Rig::new().await;
    let b_domain = domain(&rig.b);
    let alice_call = |method: reqwest::Method, path: String| {
        let rig = &rig;
        async move {
            let (status, body) = rig
                .a
                .call(method, &path, Some(&rig.alice_token), Value::Null)
                .await;
            assert_eq!(status, 200, "{path}: {body}");
            body
        }
    };
    let search = |name: &'static str| {
        let path = format!("/api/v2/search?q=@{name}@{b_domain}&resolve=true&type=accounts");
        async move { alice_call(reqwest::Method::GET, path).await["accounts"][0]["id"].clone() }
    };
    let mallory_id = search("mallory").await;
    let mallory_id = mallory_id.as_str().unwrap().to_owned();
    alice_call(
        reqwest::Method::POST,
        format!("/api/v1/accounts/{mallory_id}/follow"),
    )
    .await;
    let relation = |id: String| async move {
        alice_call(
            reqwest::Method::GET,
            format!("/api/v1/accounts/relationships?id[]={id}"),
        )
        .await[0]
            .clone()
    };
    eventually(WAIT, "alice following mallory", || async {
        (relation(mallory_id.clone()).await["following"] == true).then_some(())
    })
    .await;
    let move_activity = |id: &str, actor: &str, object: &str, target: &str| {
        json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": format!("{actor}#moves/{id}"),
            "type": "Move",
            "actor": actor,
            "object": object,
            "target": target,
        })
    };
    let unchanged = |case: &'static str| {
        let (rig, mallory_id) = (&rig, mallory_id.clone());
        async move {
            jobs_idle(&rig.a).await;
            assert_eq!(
                relation(mallory_id.clone()).await["following"],
                true,
                "{case}: alice still follows mallory"
            );
            let mallory = alice_call(
                reqwest::Method::GET,
                format!("/api/v1/accounts/{mallory_id}"),
            )
            .await;
            assert!(mallory.get("moved").is_none(), "{case}: {mallory}");
        }
    };

    // To an account that does not name mallory as an alias.
    let to_carol = move_activity("1", &rig.mallory, &rig.mallory, &rig.carol);
    let (status, body) = rig.deliver("/inbox", &to_carol).await;
    assert_eq!(status, 202, "{body}");
    unchanged("no alias").await;
    // A move of someone else than its actor.
    let of_carol = move_activity("2", &rig.mallory, &rig.carol, &rig.mallory);
    let (status, body) = rig.deliver("/inbox", &of_carol).await;
    assert_eq!(status, 202, "{body}");
    unchanged("another's move").await;
    // carol's move, signed by mallory: refused at the door.
    let by_carol = move_activity("3", &rig.carol, &rig.carol, &rig.mallory);
    let (status, body) = rig.deliver("/inbox", &by_carol).await;
    assert_eq!(status, 401, "{body}");
    unchanged("signed by another").await;

    // carol names mallory as an alias: the same move is carried out.
    let carol = rig
        .b
        .woolly
        .accounts()
        .local_account("carol")
        .await
        .unwrap()
        .unwrap();
    rig.b
        .woolly
        .accounts()
        .add_alias(&carol, "mallory")
        .await
        .unwrap();
    let again = move_activity("4", &rig.mallory, &rig.mallory, &rig.carol);
    let (status, body) = rig.deliver("/inbox", &again).await;
    assert_eq!(status, 202, "{body}");
    let carol_id = search("carol").await.as_str().unwrap().to_owned();
    eventually(WAIT, "alice following carol instead", || async {
        let (to_carol, to_mallory) = (
            relation(carol_id.clone()).await,
            relation(mallory_id.clone()).await,
        );
        (to_carol["following"] == true && to_mallory["following"] == false).then_some(())
    })
    .await;
    let mallory = alice_call(
        reqwest::Method::GET,
        format!("/api/v1/accounts/{mallory_id}"),
    )
    .await;
    assert_eq!(
        mallory["moved"]["acct"],
        format!("carol@{b_domain}"),
        "{mallory}"
    );
}
