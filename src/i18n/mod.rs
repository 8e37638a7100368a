//! Localisation: the headline and the embeds' labels in the six official languages of the
//! United Nations.
//!
//! The words live in `locales/{lang}/endorse.ftl` (Project Fluent), compiled into the binary;
//! plural forms come from CLDR's rules (through `fluent-bundle`), chosen by the number as
//! shown, and numbers are grouped as each language writes them (through ICU4X). The rounding
//! rule itself belongs to [`crate::domain::headline`]. See `locales/README.md`.

mod lang;
mod messages;
mod numbers;
pub mod places;

#[cfg(test)]
mod tests;

pub use lang::Lang;
pub use messages::{has_message, headline, message, text, Arg};
pub use numbers::format_number;

/// The ids of the UI messages (those other than the headline's), for callers and tests that
/// want every label.
pub const UI_MESSAGES: [&str; 6] = [
    "label-organisations",
    "label-countries",
    "counter-title",
    "endorse-link",
    "offline",
    "badge-label",
];
