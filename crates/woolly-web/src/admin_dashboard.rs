//! The moderators' dashboard (`/admin/dashboard`): the last 30 days of new users,
//! interactions, and reports opened and resolved, each drawn as a small bar chart in SVG made
//! here (no charting library, nothing from another site), with the servers this one knows most
//! accounts of and where sign-ups came from.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use woolly_core::account_moderation::Moderator;
use woolly_core::dashboard::MeasureResult;
use woolly_core::{CoreError, Woolly};

use crate::i18n::Words;
use crate::page::{Chrome, refusal, render};
use crate::visitor::Member;

pub(crate) fn router() -> Router<Woolly> {
    Router::new().route("/admin/dashboard", get(dashboard))
}

const DAYS: i64 = 30;
const DAY_MILLIS: i64 = 86_400_000;
/// The chart's drawing box: one bar per day.
const CHART_WIDTH: i64 = 300;
const CHART_HEIGHT: i64 = 60;

/// One bar: its place and size in the chart, and what it says on hover.
struct Bar {
    x: i64,
    y: i64,
    width: i64,
    height: i64,
    title: String,
}

/// A measure as the dashboard draws it.
struct Chart {
    title: String,
    total: i64,
    previous_total: i64,
    bars: Vec<Bar>,
    /// The whole series in words, for those who cannot see the chart.
    description: String,
}

impl Chart {
    fn new(words: Words, result: &MeasureResult) -> Chart {
        let most = result
            .data
            .iter()
            .map(|(_, value)| *value)
            .max()
            .unwrap_or(0)
            .max(1);
        let slot = CHART_WIDTH / i64::try_from(result.data.len()).unwrap_or(1).max(1);
        let bars = result
            .data
            .iter()
            .enumerate()
            .map(|(index, (day, value))| {
                let height = (value * (CHART_HEIGHT - 2) / most).max(i64::from(*value > 0));
                Bar {
                    x: i64::try_from(index).unwrap_or(0) * slot,
                    y: CHART_HEIGHT - height,
                    width: (slot - 1).max(1),
                    height,
                    title: format!("{}: {value}", woolly_http::time::date(*day)),
                }
            })
            .collect();
        Chart {
            title: words.t(&format!("dashboard-{}", result.key)),
            total: result.total,
            previous_total: result.previous_total,
            bars,
            description: words.t1(
                "dashboard-chart-description",
                "total",
                &result.total.to_string(),
            ),
        }
    }
}

#[derive(Template)]
#[template(path = "admin_dashboard.html")]
struct DashboardPage<'a> {
    c: Chrome<'a>,
    section: &'static str,
    charts: Vec<Chart>,
    chart_width: i64,
    chart_height: i64,
    /// (title, parts as (name, value)).
    dimensions: Vec<(String, Vec<(String, String)>)>,
}

/// `GET /admin/dashboard`.
async fn dashboard(State(woolly): State<Woolly>, Member { visitor, member }: Member) -> Response {
    let by = Moderator::Staff {
        account: &member.account,
        user: &member.user,
    };
    let end = woolly_core::now_millis();
    let start = end - (DAYS - 1) * DAY_MILLIS;
    let keys: Vec<String> = [
        "new_users",
        "active_users",
        "interactions",
        "opened_reports",
        "resolved_reports",
    ]
    .map(str::to_owned)
    .to_vec();
    let parts: Vec<String> = ["servers", "server_software", "sources", "software_versions"]
        .map(str::to_owned)
        .to_vec();
    let moderation = woolly.moderation();
    let read = async {
        let measures = moderation.measures(by, &keys, start, end).await?;
        let dimensions = moderation.dimensions(by, &parts, start, end, 10).await?;
        Ok::<_, CoreError>((measures, dimensions))
    };
    let (measures, dimensions) = match read.await {
        Ok(read) => read,
        Err(error) => return refusal(&woolly, &visitor, &error),
    };
    let words = visitor.words();
    let page = DashboardPage {
        c: Chrome::new(&woolly, &visitor),
        section: "dashboard",
        charts: measures
            .iter()
            .map(|result| Chart::new(words, result))
            .collect(),
        chart_width: CHART_WIDTH,
        chart_height: CHART_HEIGHT,
        dimensions: dimensions
            .into_iter()
            .map(|dimension| {
                (
                    words.t(&format!("dashboard-{}", dimension.key)),
                    dimension
                        .data
                        .into_iter()
                        .map(|(_, name, value)| (name, value))
                        .collect(),
                )
            })
            .collect(),
    };
    render(&visitor, StatusCode::OK, &page)
}
