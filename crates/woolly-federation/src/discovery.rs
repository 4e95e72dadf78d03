//! Discovery documents: `/.well-known/nodeinfo` with NodeInfo 2.0 and 2.1, and
//! `/.well-known/host-meta` (XRD) pointing at WebFinger.
//!
//! Mastodon serves NodeInfo 2.0 only; GoToSocial serves both. `metadata` must exist and carries
//! `upstream.name: "mastodon"`, which megalodon's server detection reads.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;
use woolly_core::{MASTODON_COMPATIBLE_VERSION, WOOLLY_VERSION, Woolly};
use woolly_http::HttpError;

const NODEINFO_SCHEMA: &str = "http://nodeinfo.diaspora.software/ns/schema/";
const REPOSITORY: &str = "https://github.com/woolly-social/woolly";

pub(crate) fn router() -> Router<Woolly> {
    Router::new()
        .route("/.well-known/nodeinfo", get(nodeinfo_links))
        .route("/nodeinfo/{version}", get(nodeinfo))
        .route("/.well-known/host-meta", get(host_meta))
}

async fn nodeinfo_links(State(woolly): State<Woolly>) -> Json<serde_json::Value> {
    let base = woolly.config().base_url();
    let links = ["2.0", "2.1"].map(|version| {
        json!({
            "rel": format!("{NODEINFO_SCHEMA}{version}"),
            "href": format!("{base}/nodeinfo/{version}"),
        })
    });
    Json(json!({ "links": links }))
}

async fn nodeinfo(
    State(woolly): State<Woolly>,
    Path(version): Path<String>,
) -> Result<Response, HttpError> {
    if version != "2.0" && version != "2.1" {
        return Err(HttpError::not_found());
    }
    let overview = woolly.instance().overview().await?;
    let stats = overview.stats;
    let config = woolly.config();
    let mut software = json!({ "name": "woolly", "version": WOOLLY_VERSION });
    if version == "2.1" {
        software["repository"] = json!(REPOSITORY);
        software["homepage"] = json!(REPOSITORY);
    }
    let document = json!({
        "version": version,
        "software": software,
        "protocols": ["activitypub"],
        "services": { "outbound": [], "inbound": [] },
        "usage": {
            "users": {
                "total": stats.user_count,
                "activeMonth": stats.active_month,
                "activeHalfyear": stats.active_halfyear,
            },
            "localPosts": stats.status_count,
        },
        "openRegistrations": overview.registrations.enabled(),
        "metadata": {
            "nodeName": config.title,
            "nodeDescription": config.description,
            "upstream": { "name": "mastodon", "version": MASTODON_COMPATIBLE_VERSION },
        },
    });
    let content_type = format!("application/json; profile=\"{NODEINFO_SCHEMA}{version}#\"");
    Ok(([(header::CONTENT_TYPE, content_type)], Json(document)).into_response())
}

async fn host_meta(State(woolly): State<Woolly>) -> impl IntoResponse {
    let base = woolly.config().base_url();
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <XRD xmlns=\"http://docs.oasis-open.org/ns/xri/xrd-1.0\">\n  \
         <Link rel=\"lrdd\" template=\"{base}/.well-known/webfinger?resource={{uri}}\"/>\n\
         </XRD>\n"
    );
    (
        [(header::CONTENT_TYPE, "application/xrd+xml; charset=utf-8")],
        body,
    )
}
