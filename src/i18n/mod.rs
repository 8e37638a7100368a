//! Localisation: the headline and the embeds' labels in the six official languages of the
//! United Nations.

mod lang;

pub use lang::Lang;
