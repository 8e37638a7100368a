//! Values that parse instead of validate: once one exists, it is valid.

pub mod campaign;
pub mod country;
pub mod endorsement;
pub mod headline;
pub mod likeness;
pub mod organisation;
pub mod privacy;
#[cfg(test)]
pub(crate) mod properties;
pub mod proxies;
pub mod role;
pub mod text;
pub mod timeline;
pub mod webhook;

pub use campaign::{CampaignDescription, CampaignSlug, CampaignTitle, CampaignUrl};
pub use country::CountryCode;
pub use endorsement::{
    domain_match, parse_endorsed_at, ContactEmail, ContactName, EndorsementStatus,
    ModerationReason, Statement, Visibility, Website,
};
pub use organisation::{OrganisationName, OrganisationType};
pub use role::Role;
pub use webhook::{DeliveryStatus, WebhookEvent, WebhookUrl};

/// Why a raw value is not a valid one: a stable code and a sentence for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    pub code: FieldCode,
    pub message: String,
}

impl Invalid {
    pub fn new(code: FieldCode, message: impl Into<String>) -> Self {
        Invalid {
            code,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.message, self.code.as_str())
    }
}

/// A parser of a field's raw text into a valid value, or why it is not one: what reading a
/// request body or an imported row takes for each field (`OrganisationName::parse`, …).
pub trait Parse<T>: FnOnce(&str) -> Result<T, Invalid> {}

impl<T, F: FnOnce(&str) -> Result<T, Invalid>> Parse<T> for F {}

/// What is wrong with a field, for a client to switch on: the `code` of each entry of a
/// problem document's `errors`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum FieldCode {
    /// Missing or empty.
    Required,
    /// A JSON value of the wrong type (a number for a string).
    InvalidType,
    TooShort,
    /// Longer than the limit, counted in characters as sent.
    TooLong,
    ControlCharacters,
    /// Invisible direction controls, zero-width spaces and other format characters.
    FormatCharacters,
    Noncharacters,
    /// Not an assigned ISO 3166-1 alpha-2 code.
    UnknownCountry,
    /// A country name that could mean two countries (import).
    AmbiguousCountry,
    InvalidEmail,
    InvalidUrl,
    /// Not one of a closed set of words.
    InvalidChoice,
    InvalidFormat,
    /// `consent_to_publish` is not `true`.
    ConsentRequired,
    UnknownField,
    OutOfRange,
    /// The `Idempotency-Key` came back with another body.
    IdempotencyKeyReused,
    /// A name that carries a web address or an e-mail address.
    LinkNotAllowed,
}

impl FieldCode {
    pub fn as_str(self) -> &'static str {
        match self {
            FieldCode::Required => "required",
            FieldCode::InvalidType => "invalid_type",
            FieldCode::TooShort => "too_short",
            FieldCode::TooLong => "too_long",
            FieldCode::ControlCharacters => "control_characters",
            FieldCode::FormatCharacters => "format_characters",
            FieldCode::Noncharacters => "noncharacters",
            FieldCode::UnknownCountry => "unknown_country",
            FieldCode::AmbiguousCountry => "ambiguous_country",
            FieldCode::InvalidEmail => "invalid_email",
            FieldCode::InvalidUrl => "invalid_url",
            FieldCode::InvalidChoice => "invalid_choice",
            FieldCode::InvalidFormat => "invalid_format",
            FieldCode::ConsentRequired => "consent_required",
            FieldCode::UnknownField => "unknown_field",
            FieldCode::OutOfRange => "out_of_range",
            FieldCode::IdempotencyKeyReused => "idempotency_key_reused",
            FieldCode::LinkNotAllowed => "link_not_allowed",
        }
    }
}

impl PartialEq<&str> for FieldCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// Declares a value held as text: the newtype, its `as_str` and its `into_inner`. Given the
/// bounds of its length, it also parses: by the text rule ([`text::clean`]), then by its own
/// rule if it has one (`then rule`, a function of the cleaned text).
macro_rules! text_value {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name(String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_inner(self) -> String {
                self.0
            }
        }
    };
    ($(#[$meta:meta])* $name:ident, $min:expr, $max:expr $(, then $rule:expr)?) => {
        $crate::domain::text_value!($(#[$meta])* $name);

        impl $name {
            pub fn parse(raw: &str) -> Result<Self, $crate::domain::Invalid> {
                let text = $crate::domain::text::clean(raw, $min, $max)?;
                $(let text = $rule(text)?;)?
                Ok($name(text))
            }
        }
    };
}
pub(crate) use text_value;

/// For the tests' tables: what a parser says of a valid text.
#[cfg(test)]
pub(crate) const VALID: &str = "valid";

/// For the tests: checks what `parse` says of each text, [`VALID`] or the code it is refused
/// with.
#[cfg(test)]
pub(crate) fn check<T>(parse: impl Fn(&str) -> Result<T, Invalid>, cases: &[(&str, &str)]) {
    for &(raw, expected) in cases {
        let said = parse(raw).err().map_or(VALID, |e| e.code.as_str());
        assert_eq!(said, expected, "{raw:?}");
    }
}

/// For the tests: checks that `parse` takes from `min` to `max` characters, and refuses one
/// more as too long, one fewer (from two) as too short, and blank text as required.
#[cfg(test)]
pub(crate) fn check_length<T>(parse: impl Fn(&str) -> Result<T, Invalid>, min: usize, max: usize) {
    let text = |n: usize| "a".repeat(n);
    let cases = [
        ("", "required"),
        (" ", "required"),
        (&text(min), VALID),
        (&text(max), VALID),
        (&text(max + 1), "too_long"),
    ];
    check(&parse, &cases);
    if min > 1 {
        check(&parse, &[(&text(min - 1), "too_short")]);
    }
}

/// Declares a closed set of snake_case words with parsing, display, an OpenAPI schema, and a
/// mapping to a text column (read and written as the enum, on either backend; a stored word
/// that is not one of the set fails to load rather than passing as a string).
macro_rules! word_enum {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($variant:ident => $word:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
                 serde::Serialize, serde::Deserialize, utoipa::ToSchema,
                 diesel::AsExpression, diesel::FromSqlRow)]
        #[diesel(sql_type = diesel::sql_types::Text)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl<DB> diesel::deserialize::FromSql<diesel::sql_types::Text, DB> for $name
        where
            DB: diesel::backend::Backend,
            String: diesel::deserialize::FromSql<diesel::sql_types::Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> diesel::deserialize::Result<Self> {
                let word = String::from_sql(bytes)?;
                $name::parse(&word).map_err(|e| e.message.into())
            }
        }

        impl<DB> diesel::serialize::ToSql<diesel::sql_types::Text, DB> for $name
        where
            DB: diesel::backend::Backend,
            str: diesel::serialize::ToSql<diesel::sql_types::Text, DB>,
        {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, DB>,
            ) -> diesel::serialize::Result {
                self.as_str().to_sql(out)
            }
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $word),+ }
            }

            pub fn parse(raw: &str) -> Result<Self, $crate::domain::Invalid> {
                match raw.trim() {
                    $($word => Ok($name::$variant),)+
                    other => Err($crate::domain::Invalid::new(
                        $crate::domain::FieldCode::InvalidChoice,
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
