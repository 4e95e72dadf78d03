//! `List` (`entities/List.md`).

use serde::Serialize;
use woolly_core::lists::List;

#[derive(Debug, Clone, Serialize)]
pub struct ListEntity {
    pub id: String,
    pub title: String,
    /// `followed`, `list` or `none`.
    pub replies_policy: &'static str,
    /// Mastodon 4.2+.
    pub exclusive: bool,
}

impl ListEntity {
    pub fn new(list: &List) -> ListEntity {
        ListEntity {
            id: list.id.to_string(),
            title: list.title.clone(),
            replies_policy: list.replies_policy.as_str(),
            exclusive: list.exclusive,
        }
    }
}
