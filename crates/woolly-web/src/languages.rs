//! The languages a post can be written in, as the composer and the preferences offer them: the
//! two-letter ISO 639-1 codes Mastodon's apps send, each named in itself ("Deutsch", "日本語"),
//! so that a reader finds their own language whatever the interface speaks.

use std::sync::LazyLock;

/// Every ISO 639-1 language as (code, name in itself), in alphabetical order of those names.
static LANGUAGES: LazyLock<Vec<(&'static str, String)>> = LazyLock::new(|| {
    let mut languages: Vec<(&'static str, String)> = isolang::languages()
        .filter_map(|language| {
            let code = language.to_639_1()?;
            let name = language.to_autonym().unwrap_or_else(|| language.to_name());
            Some((code, capitalized(name)))
        })
        .collect();
    languages.sort_by_cached_key(|(_, name)| name.to_lowercase());
    languages
});

/// Names such as "français" begin with a capital in a list of languages.
fn capitalized(name: &str) -> String {
    let mut characters = name.chars();
    match characters.next() {
        Some(first) => first.to_uppercase().chain(characters).collect(),
        None => String::new(),
    }
}

/// A select's options: (code, name, selected), with `selected` chosen.
pub fn choices(selected: &str) -> Vec<(&'static str, &'static str, bool)> {
    LANGUAGES
        .iter()
        .map(|(code, name)| (*code, name.as_str(), *code == selected))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_holds_the_two_letter_languages_named_in_themselves() {
        let french = choices("fr");
        let chosen: Vec<_> = french.iter().filter(|(_, _, selected)| *selected).collect();
        assert_eq!(chosen.len(), 1);
        assert_eq!(chosen[0].1, "Français");
        let codes: Vec<&str> = LANGUAGES.iter().map(|(code, _)| *code).collect();
        assert!(codes.contains(&"en") && codes.contains(&"ja") && !codes.contains(&"xx"));
        assert!(LANGUAGES.len() > 150, "{} languages", LANGUAGES.len());
        assert!(LANGUAGES.iter().all(|(code, _)| code.len() == 2));
    }
}
