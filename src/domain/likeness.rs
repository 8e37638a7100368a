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
    fn names_a_reader_takes_for_the_same_share_a_key() {
        for (a, b) in [
            // Case and spacing do not make a new name.
            ("Save the Children", " SAVE  the\u{a0}children "),
            // Nor does a zero-width space.
            ("Save the\u{200B} Children", "Save the Children"),
            ("Terre des\u{200B}Hommes", "Terre desHommes"),
            // Full-width letters are the ordinary ones.
            ("ＵＮＩＣＥＦ", "UNICEF"),
            // Composed and decomposed accents are the same letter.
            ("Caf\u{e9} Solidarit\u{e9}", "Cafe\u{301} Solidarite\u{301}"),
            // Full case folding applies.
            ("STRASSE", "straße"),
            ("ΣΟΦΙΑ", "σοφια"),
            // Greek or Cyrillic lookalikes inside a Latin word are Latin: Cyrillic е (U+0435)
            // and а (U+0430).
            ("Save the Childr\u{435}n", "Save the Children"),
            ("\u{430}mnesty", "amnesty"),
        ] {
            assert_eq!(reader_key(a), reader_key(b), "{a:?} and {b:?}");
        }
    }

    #[test]
    fn names_in_other_scripts_keep_their_letters() {
        assert_eq!(reader_key("Детский фонд"), "детский фонд");
        assert_ne!(reader_key("Детский фонд"), reader_key("Detskiy fond"));
        assert_eq!(reader_key("中国NGO网络"), "中国ngo网络");
    }

    #[test]
    fn distinct_names_stay_distinct() {
        for (a, b) in [
            ("Burn Foundation", "Bum Foundation"),
            ("Network 1", "Network l"),
        ] {
            assert_ne!(reader_key(a), reader_key(b), "{a:?} and {b:?}");
        }
    }

    #[test]
    fn the_lookalike_key_catches_whole_script_and_digit_confusables() {
        assert_eq!(lookalike_key("Network 1"), lookalike_key("Network l"));
        // "сор" in Cyrillic letters only.
        assert_eq!(lookalike_key("\u{441}\u{43e}\u{440}"), lookalike_key("cop"));
    }
}
