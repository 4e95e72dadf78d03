//! Full-text search of posts, one function over SQLite's FTS5 index and PostgreSQL's GIN index
//! (see migration 0051): words and phrases, Mastodon's operators, and who may find what.
//!
//! A searcher finds their own posts and those they interacted with (mentioned in, favourited,
//! bookmarked, boosted, voted in), and the public posts of accounts that opted in to search
//! (`indexable`), as Mastodon 4.2 does; never a post they may not see, nor one of an author they
//! block, mute or are blocked by. Newest first, as Mastodon orders them.

use crate::accounts::shown;
use crate::connect::{Db, Engine, on_reader};
use crate::error::Result;
use crate::statuses::{not_muted, visible_to};

/// Which posts a search looks in (`in:`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SearchScope {
    /// The searcher's library and the public posts of indexable accounts.
    #[default]
    All,
    /// Only the searcher's own posts and those they interacted with (`in:library`).
    Library,
    /// Only public posts of indexable accounts (`in:public`).
    Public,
}

/// A property a post has or lacks (`has:` and `is:`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostProperty {
    Media,
    Image,
    Video,
    Audio,
    Poll,
    /// A link in its text.
    Link,
    Reply,
    Sensitive,
}

/// A parsed search of posts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatusSearch {
    /// Each must be found, its words in order (a word is a phrase of one).
    pub phrases: Vec<String>,
    /// None may be found.
    pub excluded: Vec<String>,
    /// Properties it must have (`true`) or lack (`false`).
    pub properties: Vec<(PostProperty, bool)>,
    /// Its author, when `from:` names one; `Some(None)`: it names nobody known, so nothing.
    pub author: Option<Option<i64>>,
    pub language: Option<String>,
    /// Unix milliseconds: posted at or after `after`, before `before`.
    pub after: Option<i64>,
    pub before: Option<i64>,
    pub scope: SearchScope,
}

impl StatusSearch {
    /// Whether nothing narrows it: such a search finds nothing, rather than every post.
    pub fn is_empty(&self) -> bool {
        self.phrases.is_empty()
            && self.properties.is_empty()
            && self.author.is_none()
            && self.language.is_none()
            && self.after.is_none()
            && self.before.is_none()
    }
}

/// `text` as an FTS5 string: in double quotes, its own doubled. FTS5 reads a quoted string as
/// a phrase of the words its tokenizer finds in it, so no character typed is an operator.
fn fts5_phrase(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

fn property_condition(property: PostProperty) -> &'static str {
    match property {
        PostProperty::Media => "EXISTS (SELECT 1 FROM media_attachment m WHERE m.status_id = s.id)",
        PostProperty::Image => {
            "EXISTS (SELECT 1 FROM media_attachment m WHERE m.status_id = s.id \
               AND m.kind IN ('image', 'gifv'))"
        }
        PostProperty::Video => {
            "EXISTS (SELECT 1 FROM media_attachment m WHERE m.status_id = s.id AND m.kind = 'video')"
        }
        PostProperty::Audio => {
            "EXISTS (SELECT 1 FROM media_attachment m WHERE m.status_id = s.id AND m.kind = 'audio')"
        }
        PostProperty::Poll => "EXISTS (SELECT 1 FROM poll p WHERE p.status_id = s.id)",
        PostProperty::Link => "(s.text LIKE '%http://%' OR s.text LIKE '%https://%')",
        PostProperty::Reply => "s.in_reply_to_id IS NOT NULL",
        PostProperty::Sensitive => "s.sensitive",
    }
}

/// The searcher's library: their own posts and those they interacted with (the ids, from the
/// searcher's own rows: a few thousand at most for most people).
const LIBRARY_IDS: &str = "SELECT id FROM status WHERE account_id = $1 \
    UNION SELECT status_id FROM status_mention WHERE account_id = $1 \
    UNION SELECT status_id FROM favourite WHERE account_id = $1 \
    UNION SELECT status_id FROM bookmark WHERE account_id = $1 \
    UNION SELECT reblog_of_id FROM status WHERE account_id = $1 AND reblog_of_id IS NOT NULL \
    UNION SELECT p.status_id FROM poll p JOIN poll_vote v ON v.poll_id = p.id WHERE v.account_id = $1";
const PUBLIC: &str = "(s.visibility = 'public' AND a.indexable)";

/// What one query of a search looks in. On SQLite, a search with words reads what it may find
/// from the index itself, newest first: each post's `audience` names `anyone` when anyone may
/// find it and `u<ID>` for each local account whose library holds it (migration 0055), so the
/// words and who may find them are one intersection there, whatever the size of the library.
/// Otherwise the two halves are read on their own and merged: what anyone may find, and the
/// searcher's library, from the searcher's own rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Half {
    Public,
    Library,
    /// SQLite's index, for the scope asked.
    Indexed(SearchScope),
}

impl Db {
    /// The posts `search` finds for `viewer`, newest first.
    pub async fn search_statuses(
        &self,
        viewer: i64,
        search: &StatusSearch,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<i64>> {
        if search.is_empty() || search.author == Some(None) {
            return Ok(Vec::new());
        }
        let wanted = limit.saturating_add(offset);
        let halves: &[Half] = if self.engine() == Engine::Sqlite && !search.phrases.is_empty() {
            &[Half::Indexed(search.scope)]
        } else {
            match search.scope {
                SearchScope::All => &[Half::Public, Half::Library],
                SearchScope::Public => &[Half::Public],
                SearchScope::Library => &[Half::Library],
            }
        };
        let mut found = Vec::new();
        for half in halves {
            found.extend(self.search_half(viewer, search, *half, wanted).await?);
        }
        found.sort_unstable_by(|a, b| b.cmp(a));
        found.dedup();
        Ok(found
            .into_iter()
            .skip(usize::try_from(offset).unwrap_or_default())
            .take(usize::try_from(limit).unwrap_or_default())
            .collect())
    }

    async fn search_half(
        &self,
        viewer: i64,
        search: &StatusSearch,
        half: Half,
        wanted: i64,
    ) -> Result<Vec<i64>> {
        let engine = self.engine();
        // $1 viewer, $2 now, $3 how many; then the search's own values, numbered on.
        let mut values: Vec<Bound> = Vec::new();
        let mut conditions: Vec<String> = Vec::new();
        let placeholder = |values: &mut Vec<Bound>, value: Bound| {
            values.push(value);
            format!("${}", 3 + values.len())
        };
        let mut from = "status s".to_owned();
        let mut order = "s.id DESC";
        match half {
            Half::Public => conditions.push(PUBLIC.to_owned()),
            Half::Library => conditions.push(format!("s.id IN ({LIBRARY_IDS})")),
            Half::Indexed(_) => {}
        }
        if !search.phrases.is_empty() {
            match engine {
                Engine::Sqlite => {
                    let mut words = search
                        .phrases
                        .iter()
                        .map(|phrase| fts5_phrase(phrase))
                        .collect::<Vec<_>>()
                        .join(" AND ");
                    for excluded in &search.excluded {
                        words = format!("{words} NOT {}", fts5_phrase(excluded));
                    }
                    // The words in the text columns only: `audience` holds words of its own.
                    let mut expression = format!("{{text spoiler_text}} : ({words})");
                    if let Half::Indexed(scope) = half {
                        // Newest first from the index, which intersects the words with the
                        // posts the searcher may find, so the page stops the read.
                        let member = format!("u{viewer}");
                        let audience = match scope {
                            SearchScope::All => format!("(anyone OR {member})"),
                            SearchScope::Library => member,
                            SearchScope::Public => "anyone".to_owned(),
                        };
                        expression.push_str(&format!(" AND audience : {audience}"));
                        from = "status_search f JOIN status s ON s.id = f.rowid".to_owned();
                        order = "f.rowid DESC";
                    }
                    let expression = placeholder(&mut values, Bound::Text(expression));
                    conditions.push(format!("f.status_search MATCH {expression}"));
                }
                Engine::Postgres => {
                    let mut query = Vec::new();
                    for phrase in &search.phrases {
                        let text = placeholder(&mut values, Bound::Text(phrase.clone()));
                        query.push(format!("phraseto_tsquery('simple', {text})"));
                    }
                    for excluded in &search.excluded {
                        let text = placeholder(&mut values, Bound::Text(excluded.clone()));
                        query.push(format!("!!phraseto_tsquery('simple', {text})"));
                    }
                    conditions.push(format!(
                        "to_tsvector('simple', s.text || ' ' || s.spoiler_text) @@ ({})",
                        query.join(" && ")
                    ));
                }
            }
        }
        for (property, wanted) in &search.properties {
            let condition = property_condition(*property);
            conditions.push(if *wanted {
                condition.to_owned()
            } else {
                format!("NOT {condition}")
            });
        }
        if let Some(Some(author)) = search.author {
            let author = placeholder(&mut values, Bound::Number(author));
            conditions.push(format!("s.account_id = {author}"));
        }
        if let Some(language) = &search.language {
            let language = placeholder(&mut values, Bound::Text(language.clone()));
            conditions.push(format!("s.language = {language}"));
        }
        if let Some(after) = search.after {
            let after = placeholder(&mut values, Bound::Number(after));
            conditions.push(format!("s.created_at >= {after}"));
        }
        if let Some(before) = search.before {
            let before = placeholder(&mut values, Bound::Number(before));
            conditions.push(format!("s.created_at < {before}"));
        }
        let sql = format!(
            "SELECT s.id FROM {from} JOIN account a ON a.id = s.account_id \
             WHERE s.reblog_of_id IS NULL AND {} AND {} AND {} AND {} \
             ORDER BY {order} LIMIT $3",
            shown("a"),
            visible_to("s", "$1"),
            not_muted("s", "$1", "$2"),
            conditions.join(" AND "),
        );
        let rows: Vec<(i64,)> = on_reader!(self, pool => {
            let mut query = sqlx::query_as(&sql)
                .bind(viewer)
                .bind(crate::now_millis())
                .bind(wanted);
            for value in &values {
                query = match value {
                    Bound::Text(text) => query.bind(text.as_str()),
                    Bound::Number(number) => query.bind(*number),
                };
            }
            query.fetch_all(pool).await
        })?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }
}

/// A value of the search, bound in the order it was numbered.
enum Bound {
    Text(String),
    Number(i64),
}
