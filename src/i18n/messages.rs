//! The translated messages: one Fluent bundle per language, built from `locales/*/endorse.ftl`
//! (compiled into the binary) the first time one is needed.

use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

use super::{format_number, Lang};
use crate::domain::headline::ShownCount;

/// One Fluent file of `locales/<lang>/` in each language, in `Lang::ALL` order.
macro_rules! in_every_lang {
    ($file:literal) => {
        [
            (Lang::En, include_str!(concat!("../../locales/en/", $file))),
            (Lang::Fr, include_str!(concat!("../../locales/fr/", $file))),
            (Lang::Es, include_str!(concat!("../../locales/es/", $file))),
            (Lang::Ar, include_str!(concat!("../../locales/ar/", $file))),
            (Lang::Zh, include_str!(concat!("../../locales/zh/", $file))),
            (Lang::Ru, include_str!(concat!("../../locales/ru/", $file))),
        ]
    };
}

/// The Fluent source of the pages (the sign-on form, the e-mails) in each language.
pub(super) const PAGE_SOURCES: [(Lang, &str); 6] = in_every_lang!("pages.ftl");

/// The Fluent source of the headline and the embeds in each language.
pub(super) const SOURCES: [(Lang, &str); 6] = in_every_lang!("endorse.ftl");

/// The console's words (`locales/en/console.ftl`): English only; a console page in another
/// language would fall back to these.
const CONSOLE_SOURCE: &str = include_str!("../../locales/en/console.ftl");

type Bundle = FluentBundle<FluentResource>;

static BUNDLES: LazyLock<Vec<Bundle>> = LazyLock::new(|| {
    SOURCES
        .iter()
        .zip(PAGE_SOURCES)
        .map(|(&(lang, source), (_, pages))| match lang {
            Lang::En => bundle(lang, &[source, pages, CONSOLE_SOURCE]),
            _ => bundle(lang, &[source, pages]),
        })
        .collect()
});

/// A bundle for one language. A syntax error in a translation is logged and the entries that
/// did parse are kept; whatever is missing then falls back to English.
fn bundle(lang: Lang, sources: &[&str]) -> Bundle {
    let locale = lang.code().parse().unwrap_or_default();
    let mut bundle = Bundle::new_concurrent(vec![locale]);
    // Plain text out: no FSI/PDI marks around placeables (see locales/README.md).
    bundle.set_use_isolating(false);
    bundle.set_formatter(Some(number_formatter(lang)));
    for source in sources {
        let resource = match FluentResource::try_new(source.to_string()) {
            Ok(resource) => resource,
            Err((resource, errors)) => {
                tracing::error!(
                    lang = lang.code(),
                    ?errors,
                    "syntax errors in the translation"
                );
                resource
            }
        };
        if let Err(errors) = bundle.add_resource(resource) {
            tracing::error!(lang = lang.code(), ?errors, "errors adding the translation");
        }
    }
    bundle
}

fn bundle_for(lang: Lang) -> Option<&'static Bundle> {
    BUNDLES.get(lang.index())
}

/// Fluent writes numbers with plain digits; this writes a whole number placed in a message as
/// the language groups it, so `{ $organisations }` reads "1 000" in French. (Plural selection
/// still sees the number itself.) Fluent takes a plain `fn`, so there is one per language.
fn number_formatter<M>(lang: Lang) -> fn(&FluentValue, &M) -> Option<String> {
    match lang {
        Lang::En => format_placed_number::<M, 0>,
        Lang::Fr => format_placed_number::<M, 1>,
        Lang::Es => format_placed_number::<M, 2>,
        Lang::Ar => format_placed_number::<M, 3>,
        Lang::Zh => format_placed_number::<M, 4>,
        Lang::Ru => format_placed_number::<M, 5>,
    }
}

fn format_placed_number<M, const LANG: usize>(value: &FluentValue, _: &M) -> Option<String> {
    let FluentValue::Number(number) = value else {
        return None;
    };
    // Only plain whole numbers; a translator's NUMBER(…, options) keeps Fluent's own formatting.
    if number.options != Default::default() {
        return None;
    }
    let n = number.value;
    if !(n >= 0.0 && n.fract() == 0.0 && n <= u64::MAX as f64) {
        return None;
    }
    Some(format_number(Lang::ALL[LANG], n as u64))
}

/// The arguments of the headline messages for an exact count.
pub(super) fn headline_args(organisations: u64, countries: u64) -> FluentArgs<'static> {
    let organisations = ShownCount::of(organisations);
    let countries = ShownCount::of(countries);
    let mut args = FluentArgs::new();
    args.set("organisations", organisations.shown);
    args.set("organisations-rounded", organisations.rounded.to_string());
    args.set("countries", countries.shown);
    args.set("countries-rounded", countries.rounded.to_string());
    args
}

/// Formats message `id` in `lang`; `Err` lists what went wrong (a missing message, a Fluent
/// error) so the caller can fall back.
pub(super) fn try_format(
    lang: Lang,
    id: &str,
    args: Option<&FluentArgs>,
) -> Result<String, String> {
    let bundle = bundle_for(lang).ok_or("no bundle")?;
    let message = bundle.get_message(id).ok_or("no such message")?;
    let pattern = message.value().ok_or("the message has no value")?;
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, args, &mut errors);
    if errors.is_empty() {
        Ok(text.into_owned())
    } else {
        Err(format!("{errors:?}"))
    }
}

/// Formats message `id` in `lang`, falling back to English; if English fails too (a caller
/// left out an argument), English as far as Fluent got; if there is no such message at all,
/// the id itself. Never panics.
pub(super) fn format(lang: Lang, id: &str, args: Option<&FluentArgs>) -> String {
    let error = match try_format(lang, id, args) {
        Ok(text) => return text,
        Err(error) => error,
    };
    tracing::warn!(lang = lang.code(), id, %error, "message unavailable; using English");
    let english =
        bundle_for(Lang::En).and_then(|bundle| Some((bundle, bundle.get_message(id)?.value()?)));
    let Some((bundle, pattern)) = english else {
        tracing::error!(id, "no English message");
        return id.to_string();
    };
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, args, &mut errors);
    if !errors.is_empty() {
        tracing::error!(id, ?errors, "errors formatting the English message");
    }
    text.into_owned()
}

/// The running count in words: "over 90 organisations in more than 40 countries".
/// The counts are exact; they are rounded by [`ShownCount`].
pub fn headline(lang: Lang, organisations: u64, countries: u64) -> String {
    format(
        lang,
        "headline",
        Some(&headline_args(organisations, countries)),
    )
}

/// An argument of a message: text, or a whole number (which selects plural forms and is
/// written as the language groups digits).
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Text(String),
    Number(u64),
}

/// Message `id` in `lang` with named arguments, falling back to English (see [`format`]).
pub fn text(lang: Lang, id: &str, args: &[(&str, Arg)]) -> String {
    let mut fluent = FluentArgs::new();
    for (name, value) in args {
        match value {
            Arg::Text(text) => fluent.set(*name, text.clone()),
            Arg::Number(n) => fluent.set(*name, *n),
        }
    }
    format(lang, id, Some(&fluent))
}

/// Whether message `id` exists in English (the reference every language follows).
pub fn has_message(id: &str) -> bool {
    bundle_for(Lang::En).is_some_and(|bundle| bundle.has_message(id))
}

/// A UI message without arguments, or with `campaign` as the only argument (counter-title).
pub fn message(lang: Lang, id: &str, campaign: Option<&str>) -> String {
    let args = campaign.map(|campaign| {
        let mut args = FluentArgs::new();
        args.set("campaign", campaign.to_string());
        args
    });
    format(lang, id, args.as_ref())
}
