//! The languages pages are written in, and their words: one Fluent catalogue per language in
//! `locales/`, compiled into the binary. A reader gets the language of their setting when signed
//! in, else the first of their browser's `Accept-Language` that Woolly speaks, else English.
//! Adding a language is adding its file and a line to [`Locale`].
//!
//! A message missing from a catalogue falls back to English, and a test checks that every
//! catalogue has every message of the English one.

use std::borrow::Cow;
use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

/// A language the web interface speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Locale {
    En,
    Fr,
}

/// Every language, English (the fallback) first.
pub const LOCALES: [Locale; 2] = [Locale::En, Locale::Fr];

const CATALOGUES: [&str; 2] = [
    include_str!("../locales/en.ftl"),
    include_str!("../locales/fr.ftl"),
];

impl Locale {
    /// Its BCP 47 tag, as `<html lang>` and the user's setting spell it.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Fr => "fr",
        }
    }

    fn index(self) -> usize {
        match self {
            Locale::En => 0,
            Locale::Fr => 1,
        }
    }

    /// The language a tag names (`fr`, `fr-CA`, `FR`), if Woolly speaks it.
    pub fn from_tag(tag: &str) -> Option<Locale> {
        let primary = tag.split(['-', '_']).next()?.trim();
        LOCALES
            .into_iter()
            .find(|locale| locale.tag().eq_ignore_ascii_case(primary))
    }

    /// The best language for an `Accept-Language` header: its ranges by weight, the first
    /// Woolly speaks; English when none is.
    pub fn negotiate(accept_language: Option<&str>) -> Locale {
        let Some(header) = accept_language else {
            return Locale::En;
        };
        let mut ranges: Vec<(f32, &str)> = header
            .split(',')
            .filter_map(|range| {
                let mut parts = range.split(';');
                let tag = parts.next()?.trim();
                let weight = parts
                    .find_map(|parameter| parameter.trim().strip_prefix("q="))
                    .map_or(Some(1.0), |weight| weight.trim().parse::<f32>().ok())?;
                (weight > 0.0 && !tag.is_empty()).then_some((weight, tag))
            })
            .collect();
        // Stable: equal weights keep the order the browser gave.
        ranges.sort_by(|a, b| b.0.total_cmp(&a.0));
        ranges
            .into_iter()
            .find_map(|(_, tag)| Locale::from_tag(tag))
            .unwrap_or(Locale::En)
    }

    /// This language's words.
    pub fn words(self) -> Words {
        Words(self)
    }
}

static BUNDLES: LazyLock<Vec<FluentBundle<FluentResource>>> = LazyLock::new(|| {
    LOCALES
        .into_iter()
        .zip(CATALOGUES)
        .map(|(locale, source)| {
            let resource =
                FluentResource::try_new(source.to_owned()).unwrap_or_else(|(resource, errors)| {
                    tracing::error!(locale = locale.tag(), ?errors, "a catalogue has errors");
                    resource
                });
            let language = locale.tag().parse().unwrap_or_default();
            let mut bundle = FluentBundle::new_concurrent(vec![language]);
            // Pages are HTML whose direction the layout sets; the isolation marks Fluent puts
            // around arguments would show up in form values and titles.
            bundle.set_use_isolating(false);
            bundle.set_formatter(Some(grouped_digits));
            if let Err(errors) = bundle.add_resource(resource) {
                tracing::error!(locale = locale.tag(), ?errors, "a catalogue has errors");
            }
            bundle
        })
        .collect()
});

/// How a language groups the digits of large numbers: the separator its catalogue gives as
/// `number-group-separator` ("," in English, a narrow no-break space in French).
struct DigitGrouping(String);

impl intl_memoizer::Memoizable for DigitGrouping {
    type Args = ();
    type Error = ();

    fn construct(language: unic_langid::LanguageIdentifier, (): ()) -> Result<Self, ()> {
        let locale = Locale::from_tag(language.language.as_str()).unwrap_or(Locale::En);
        let bundle = &BUNDLES[locale.index()];
        let separator = bundle
            .get_message("number-group-separator")
            .and_then(|message| message.value())
            .map(|pattern| {
                bundle
                    .format_pattern(pattern, None, &mut Vec::new())
                    .into_owned()
            })
            .unwrap_or_default();
        Ok(DigitGrouping(separator))
    }
}

/// Whole numbers of four digits or more, grouped by thousands as the bundle's language writes
/// them; anything else as Fluent writes it.
fn grouped_digits(
    value: &FluentValue,
    memoizer: &intl_memoizer::concurrent::IntlLangMemoizer,
) -> Option<String> {
    let FluentValue::Number(number) = value else {
        return None;
    };
    let whole = number.value;
    if whole.fract() != 0.0 || whole.abs() < 1000.0 || whole.abs() >= 1e15 {
        return None;
    }
    #[allow(clippy::cast_possible_truncation)]
    let digits = (whole.abs() as i64).to_string();
    memoizer
        .with_try_get::<DigitGrouping, _, _>((), |grouping| {
            let mut grouped = String::with_capacity(digits.len() * 2);
            if whole < 0.0 {
                grouped.push('-');
            }
            for (index, digit) in digits.chars().enumerate() {
                if index > 0 && (digits.len() - index).is_multiple_of(3) {
                    grouped.push_str(&grouping.0);
                }
                grouped.push(digit);
            }
            grouped
        })
        .ok()
}

/// The words of one language, as templates ask for them: `words.t("sign-in")`.
#[derive(Debug, Clone, Copy)]
pub struct Words(Locale);

impl Words {
    pub fn locale(&self) -> Locale {
        self.0
    }

    /// A message without arguments.
    pub fn t(&self, id: &str) -> String {
        self.format(id, None)
    }

    /// The first of `ids` the catalogues hold, without arguments (the last one when none is).
    pub fn first_of(&self, ids: &[&str]) -> String {
        let held = ids.iter().find(|id| {
            [self.0, Locale::En]
                .iter()
                .any(|locale| BUNDLES[locale.index()].has_message(id))
        });
        self.t(held.or(ids.last()).copied().unwrap_or_default())
    }

    /// A message with one text argument.
    pub fn t1(&self, id: &str, name: &str, value: &str) -> String {
        let mut args = FluentArgs::new();
        args.set(name, FluentValue::from(value));
        self.format(id, Some(&args))
    }

    /// A message with two text arguments.
    pub fn t2(&self, id: &str, first: (&str, &str), second: (&str, &str)) -> String {
        let mut args = FluentArgs::new();
        args.set(first.0, FluentValue::from(first.1));
        args.set(second.0, FluentValue::from(second.1));
        self.format(id, Some(&args))
    }

    /// A message with a number, which picks its plural form (templates pass it by reference).
    pub fn count(&self, id: &str, count: impl std::borrow::Borrow<i64>) -> String {
        let mut args = FluentArgs::new();
        args.set("count", FluentValue::from(*count.borrow()));
        self.format(id, Some(&args))
    }

    fn format(&self, id: &str, args: Option<&FluentArgs>) -> String {
        [self.0, Locale::En]
            .into_iter()
            .find_map(|locale| {
                let bundle = &BUNDLES[locale.index()];
                let pattern = bundle.get_message(id)?.value()?;
                let mut errors = Vec::new();
                let text: Cow<'_, str> = bundle.format_pattern(pattern, args, &mut errors);
                if !errors.is_empty() {
                    tracing::warn!(
                        id,
                        locale = locale.tag(),
                        ?errors,
                        "a message did not format"
                    );
                }
                Some(text.into_owned())
            })
            .unwrap_or_else(|| {
                tracing::warn!(id, "no catalogue has this message");
                id.to_owned()
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The ids of a catalogue's messages: the lines that start one (`id = …`).
    fn message_ids(source: &str) -> Vec<String> {
        if let Err((_, errors)) = FluentResource::try_new(source.to_owned()) {
            panic!("the catalogue does not parse: {errors:?}");
        }
        source
            .lines()
            .filter(|line| line.starts_with(|c: char| c.is_ascii_lowercase()))
            .filter_map(|line| line.split_once(" ="))
            .map(|(id, _)| id.to_owned())
            .collect()
    }

    #[test]
    fn every_catalogue_parses_and_has_every_english_message() {
        let english = message_ids(CATALOGUES[0]);
        assert!(english.len() > 50, "{}", english.len());
        for (locale, source) in LOCALES.into_iter().zip(CATALOGUES).skip(1) {
            let ids = message_ids(source);
            let missing: Vec<_> = english.iter().filter(|id| !ids.contains(id)).collect();
            assert!(missing.is_empty(), "{} lacks {missing:?}", locale.tag());
            let extra: Vec<_> = ids.iter().filter(|id| !english.contains(id)).collect();
            assert!(extra.is_empty(), "{} has unknown {extra:?}", locale.tag());
        }
    }

    #[test]
    fn accept_language_picks_the_heaviest_language_woolly_speaks() {
        assert_eq!(Locale::negotiate(None), Locale::En);
        assert_eq!(
            Locale::negotiate(Some("fr-FR,fr;q=0.9,en;q=0.8")),
            Locale::Fr
        );
        assert_eq!(
            Locale::negotiate(Some("de, fr;q=0.5, en;q=0.7")),
            Locale::En
        );
        assert_eq!(Locale::negotiate(Some("de, fr;q=0.5")), Locale::Fr);
        assert_eq!(Locale::negotiate(Some("fr;q=0, en")), Locale::En);
        assert_eq!(Locale::negotiate(Some(";;,q=,")), Locale::En);
    }

    #[test]
    fn plurals_follow_the_language() {
        assert_eq!(Locale::En.words().count("people-count", 1), "1 person");
        assert_eq!(Locale::En.words().count("people-count", 2), "2 people");
        assert_eq!(Locale::Fr.words().count("people-count", 0), "0 personne");
        assert_eq!(Locale::Fr.words().count("people-count", 3), "3 personnes");
    }

    #[test]
    fn large_numbers_are_grouped_as_the_language_writes_them() {
        assert_eq!(Locale::En.words().count("people-count", 999), "999 people");
        assert_eq!(
            Locale::En.words().count("people-count", 1234),
            "1,234 people"
        );
        assert_eq!(
            Locale::En.words().count("people-count", 12_345_678),
            "12,345,678 people"
        );
        assert_eq!(
            Locale::Fr.words().count("people-count", 1234),
            "1\u{202f}234 personnes"
        );
    }
}
