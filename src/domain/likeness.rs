//! When two organisation names are the same name: as a reader sees them, not as bytes.
//!
//! [`reader_key`] is what the database's uniqueness rule compares. Two names share it when a
//! reader could not tell them apart on the page:
//! - invisible characters (Default_Ignorable_Code_Point: zero-width spaces and joiners, soft
//!   hyphens, variation selectors) are dropped;
//! - compatibility and canonical forms are unified (NFKC): a full-width `Ｓ` is `S`, a
//!   decomposed `é` (e + U+0301) is the composed one;
//! - case is folded (full Unicode case folding: `STRASSE` is `straße`);
//! - every run of whitespace, of any kind, is one space;
//! - in a word that mixes Latin letters with Greek or Cyrillic ones, the Greek and Cyrillic
//!   letters that look like Latin letters (UTS #39 confusables) count as those letters, so
//!   "Save the Childrеn" with a Cyrillic `е` is "Save the Children".
//!
//! [`lookalike_key`] goes further, with the full UTS #39 skeleton (`0` and `O`, `rn` and `m`,
//! whole words in another script): too eager to refuse a submission on, but the right
//! question for "is this possibly a duplicate?", which `endorse check-duplicates` and the
//! moderators ask.

use icu_casemap::CaseMapper;
use icu_normalizer::ComposingNormalizerBorrowed;
use icu_properties::props::{DefaultIgnorableCodePoint, Script};
use icu_properties::{CodePointMapData, CodePointSetData};

/// The version of the rule below. Stored keys made by an older rule are made again when the
/// database is migrated (`store::names::rekey`).
pub const READER_KEY_VERSION: i64 = 2;

/// The form in which two names are compared for duplicates (see the module comment).
pub fn reader_key(name: &str) -> String {
    let nfkc = ComposingNormalizerBorrowed::new_nfkc();
    let ignorable = CodePointSetData::new::<DefaultIgnorableCodePoint>();
    let visible: String = name.chars().filter(|c| !ignorable.contains(*c)).collect();
    let folded = CaseMapper::new()
        .fold_string(&nfkc.normalize(&visible))
        .into_owned();
    let folded = nfkc.normalize(&folded);
    folded
        .split_whitespace()
        .map(unify_mixed_script_word)
        .collect::<Vec<_>>()
        .join(" ")
}

/// A stricter likeness for suggesting possible duplicates: the UTS #39 skeleton of the
/// reader's key.
pub fn lookalike_key(name: &str) -> String {
    unicode_security::skeleton(&reader_key(name)).collect()
}

fn script_of(c: char) -> Script {
    CodePointMapData::<Script>::new().get(c)
}

/// In a word mixing Latin with Greek or Cyrillic letters, the Greek and Cyrillic letters whose
/// UTS #39 prototype is Latin become that Latin text.
fn unify_mixed_script_word(word: &str) -> String {
    let has_latin = word.chars().any(|c| script_of(c) == Script::Latin);
    let has_lookalikes = word
        .chars()
        .any(|c| matches!(script_of(c), Script::Greek | Script::Cyrillic));
    if !(has_latin && has_lookalikes) {
        return word.to_string();
    }
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        if matches!(script_of(c), Script::Greek | Script::Cyrillic) {
            let prototype: String =
                unicode_security::skeleton(c.encode_utf8(&mut [0; 4])).collect();
            if !prototype.is_empty() && prototype.chars().all(|p| script_of(p) == Script::Latin) {
                out.push_str(&CaseMapper::new().fold_string(&prototype));
                continue;
            }
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_and_spacing_do_not_make_a_new_name() {
        assert_eq!(
            reader_key("Save the Children"),
            reader_key(" SAVE  the\u{a0}children ")
        );
    }

    #[test]
    fn a_zero_width_space_does_not_make_a_new_name() {
        assert_eq!(
            reader_key("Save the\u{200B} Children"),
            reader_key("Save the Children")
        );
        assert_eq!(
            reader_key("Terre des\u{200B}Hommes"),
            reader_key("Terre desHommes")
        );
    }

    #[test]
    fn full_width_letters_are_the_ordinary_ones() {
        assert_eq!(reader_key("ＵＮＩＣＥＦ"), reader_key("UNICEF"));
    }

    #[test]
    fn composed_and_decomposed_accents_are_the_same_letter() {
        assert_eq!(
            reader_key("Caf\u{e9} Solidarit\u{e9}"),
            reader_key("Cafe\u{301} Solidarite\u{301}")
        );
    }

    #[test]
    fn full_case_folding_applies() {
        assert_eq!(reader_key("STRASSE"), reader_key("straße"));
        assert_eq!(reader_key("ΣΟΦΙΑ"), reader_key("σοφια"));
    }

    #[test]
    fn greek_or_cyrillic_lookalikes_inside_a_latin_word_are_latin() {
        // Cyrillic е (U+0435) and а (U+0430).
        assert_eq!(
            reader_key("Save the Childr\u{435}n"),
            reader_key("Save the Children")
        );
        assert_eq!(reader_key("\u{430}mnesty"), reader_key("amnesty"));
    }

    #[test]
    fn names_in_other_scripts_keep_their_letters() {
        assert_eq!(reader_key("Детский фонд"), "детский фонд");
        assert_ne!(reader_key("Детский фонд"), reader_key("Detskiy fond"));
        assert_eq!(reader_key("中国NGO网络"), "中国ngo网络");
    }

    #[test]
    fn distinct_names_stay_distinct() {
        assert_ne!(reader_key("Burn Foundation"), reader_key("Bum Foundation"));
        assert_ne!(reader_key("Network 1"), reader_key("Network l"));
    }

    #[test]
    fn the_lookalike_key_catches_whole_script_and_digit_confusables() {
        assert_eq!(lookalike_key("Network 1"), lookalike_key("Network l"));
        // "сор" in Cyrillic letters only.
        assert_eq!(lookalike_key("\u{441}\u{43e}\u{440}"), lookalike_key("cop"));
    }
}
