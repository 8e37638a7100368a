//! Values that parse instead of validate: once one exists, it is valid.

pub mod campaign;
pub mod country;
pub mod endorsement;
pub mod headline;
pub mod likeness;
pub mod organisation;
pub mod privacy;
#[cfg(test)]
mod properties;
pub mod role;
pub mod text;
pub mod timeline;

pub use campaign::{CampaignDescription, CampaignSlug, CampaignTitle, CampaignUrl};
pub use country::CountryCode;
pub use endorsement::{
    ContactEmail, ContactName, EndorsementStatus, ModerationReason, Statement, Visibility, Website,
};
pub use headline::Headline;
pub use organisation::{OrganisationName, OrganisationType};
pub use role::Role;

/// Why a raw value is not a valid one: a stable code and a sentence for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    pub code: &'static str,
    pub message: String,
}

impl Invalid {
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Invalid {
            code,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.message, self.code)
    }
}

/// Declares a closed set of snake_case words with parsing, display and an OpenAPI schema.
macro_rules! word_enum {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($variant:ident => $word:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
                 serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $word),+ }
            }

            pub fn parse(raw: &str) -> Result<Self, $crate::domain::Invalid> {
                match raw.trim() {
                    $($word => Ok($name::$variant),)+
                    other => Err($crate::domain::Invalid::new(
                        "invalid_choice",
                        format!(
                            "{:?} is not {}; expected one of: {}",
                            other,
                            $what,
                            [$($word),+].join(", ")
                        ),
                    )),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use word_enum;
