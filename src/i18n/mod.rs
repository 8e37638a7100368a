//! Localisation: the headline and the embeds' labels in the six official languages of the
//! United Nations.

mod lang;
mod numbers;

pub use lang::Lang;
pub use numbers::format_number;
