//! Names of countries and languages in each language, from CLDR through ICU4X: the country
//! list of the sign-on form (sorted as each language sorts, by ICU4X's collator) and the
//! language switcher.

use std::cmp::Ordering;
use std::sync::LazyLock;

use icu_collator::options::CollatorOptions;
use icu_collator::Collator;
use icu_experimental::displaynames::multi::{LanguageDisplayNames, RegionDisplayNames};
use icu_experimental::displaynames::DisplayNamesOptions;
use icu_locale::subtags::{Language, Region};
use icu_locale::Locale;

use super::Lang;
use crate::domain::CountryCode;

fn locale(lang: Lang) -> Locale {
    Locale::try_from_str(lang.code()).unwrap_or(Locale::UNKNOWN)
}

/// Every assigned country, named and sorted in one language.
static COUNTRIES: LazyLock<Vec<Vec<(CountryCode, String)>>> = LazyLock::new(|| {
    Lang::ALL
        .iter()
        .map(|&lang| {
            let names =
                RegionDisplayNames::try_new(locale(lang).into(), DisplayNamesOptions::default())
                    .ok();
            let mut countries: Vec<(CountryCode, String)> = CountryCode::all()
                .into_iter()
                .map(|code| {
                    let name = Region::try_from_str(code.as_str())
                        .ok()
                        .and_then(|region| names.as_ref()?.of(region).map(str::to_string))
                        // CLDR names every assigned code; the ISO name is only a safety net.
                        .unwrap_or_else(|| code.name().to_string());
                    (code, name)
                })
                .collect();
            let collator = Collator::try_new(locale(lang).into(), CollatorOptions::default()).ok();
            countries.sort_by(|(_, a), (_, b)| match &collator {
                Some(collator) => collator.compare(a, b),
                None => a.cmp(b),
            });
            countries
        })
        .collect()
});

/// Every assigned country with its name in `lang`, in that language's alphabetical order.
pub fn countries(lang: Lang) -> &'static [(CountryCode, String)] {
    &COUNTRIES[lang.index()]
}

/// A country's name in `lang`.
pub fn country_name(lang: Lang, code: CountryCode) -> String {
    countries(lang)
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, name)| name.clone())
        .unwrap_or_else(|| code.name().to_string())
}

/// Each language's own name for itself ("Français", "العربية"), for the language switcher.
static AUTONYMS: LazyLock<Vec<String>> = LazyLock::new(|| {
    Lang::ALL
        .iter()
        .map(|&lang| {
            let name =
                LanguageDisplayNames::try_new(locale(lang).into(), DisplayNamesOptions::default())
                    .ok()
                    .and_then(|names| {
                        let language = Language::try_from_str(lang.code()).ok()?;
                        names.of(language).map(str::to_string)
                    })
                    .unwrap_or_else(|| lang.code().to_string());
            // Switchers start a language's name with a capital where its script has them.
            let mut chars = name.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect(),
                None => name,
            }
        })
        .collect()
});

/// What `lang` calls itself.
pub fn autonym(lang: Lang) -> &'static str {
    &AUTONYMS[lang.index()]
}

/// Compares two names as `lang` sorts them.
pub fn compare(lang: Lang, a: &str, b: &str) -> Ordering {
    match Collator::try_new(locale(lang).into(), CollatorOptions::default()) {
        Ok(collator) => collator.compare(a, b),
        Err(_) => a.cmp(b),
    }
}

/// Where each country comes in `lang`'s alphabetical order of country names.
pub fn country_order(lang: Lang) -> std::collections::HashMap<CountryCode, usize> {
    countries(lang)
        .iter()
        .enumerate()
        .map(|(position, (code, _))| (*code, position))
        .collect()
}

/// Sorts `items` by the name `name` gives each, as `lang` sorts (one collator for the whole
/// sort).
pub fn sort_by_name<T>(lang: Lang, items: &mut [T], name: impl Fn(&T) -> &str) {
    match Collator::try_new(locale(lang).into(), CollatorOptions::default()) {
        Ok(collator) => items.sort_by(|a, b| collator.compare(name(a), name(b))),
        Err(_) => items.sort_by(|a, b| name(a).cmp(name(b))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countries_are_named_in_each_language_from_cldr() {
        let gb = CountryCode::parse("GB").unwrap();
        assert_eq!(country_name(Lang::En, gb), "United Kingdom");
        assert_eq!(country_name(Lang::Fr, gb), "Royaume-Uni");
        assert_eq!(country_name(Lang::Es, gb), "Reino Unido");
        assert_eq!(country_name(Lang::Ru, gb), "Великобритания");
        assert_eq!(country_name(Lang::Zh, gb), "英国");
        assert_eq!(country_name(Lang::Ar, gb), "المملكة المتحدة");
        for lang in Lang::ALL {
            assert_eq!(countries(lang).len(), CountryCode::all().len(), "{lang:?}");
        }
    }

    #[test]
    fn each_language_sorts_its_own_way() {
        let position = |lang: Lang, code: &str| {
            countries(lang)
                .iter()
                .position(|(c, _)| c.as_str() == code)
                .unwrap()
        };
        // French puts the accented "Égypte" among the E, not after Z.
        assert!(position(Lang::Fr, "EG") < position(Lang::Fr, "FR"));
        assert!(position(Lang::Fr, "EG") > position(Lang::Fr, "DK"));
        assert_eq!(compare(Lang::Fr, "Égypte", "Espagne"), Ordering::Less);
    }

    #[test]
    fn languages_name_themselves() {
        assert_eq!(autonym(Lang::En), "English");
        assert_eq!(autonym(Lang::Fr), "Français");
        assert_eq!(autonym(Lang::Es), "Español");
        assert_eq!(autonym(Lang::Ru), "Русский");
        assert_eq!(autonym(Lang::Ar), "العربية");
        assert_eq!(autonym(Lang::Zh), "中文");
    }
}
