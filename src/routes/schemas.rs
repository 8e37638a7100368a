//! OpenAPI schemas for values whose rules the derive cannot see: the assigned country codes
//! and the consent flag that must be `true`. Text patterns used by request bodies live here
//! too, so every field states the same rule.

use std::borrow::Cow;

use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::RefOr;
use utoipa::{PartialSchema, ToSchema};

use crate::domain::CountryCode;

/// Declares a schema type that the spec names `$name`, made by `$schema` (an `ObjectBuilder`).
macro_rules! named_schema {
    ($(#[$meta:meta])* $type:ident named $name:literal: $schema:expr) => {
        $(#[$meta])*
        pub struct $type;

        impl PartialSchema for $type {
            fn schema() -> RefOr<Schema> {
                $schema.into()
            }
        }

        impl ToSchema for $type {
            fn name() -> Cow<'static, str> {
                $name.into()
            }
        }
    };
}

named_schema! {
    /// An assigned ISO 3166-1 alpha-2 code. Lower case is accepted too.
    CountryCodeSchema named "CountryCode": ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(
            "An assigned ISO 3166-1 alpha-2 code (`GB`, not `UK`), upper case; lower case \
             is accepted too. `GET /v1/countries` lists them with names and regions.",
        ))
        .enum_values(Some(
            CountryCode::all()
                .iter()
                .map(|c| c.as_str().to_string())
                .collect::<Vec<_>>(),
        ))
}

named_schema! {
    /// The organisation's consent to publication: only `true` is accepted.
    ConsentSchema named "ConsentToPublish": ObjectBuilder::new()
        .schema_type(Type::Boolean)
        .description(Some(
            "Must be `true`: the organisation agrees that its endorsement is published.",
        ))
        .enum_values(Some([true]))
}

/// The schemas of free-text fields, made from the same rule as the server's text checks
/// (`domain::text`): the characters refused, the whitespace trimmed, the minimum of visible
/// characters, and the maximum counted on the text as sent. Request bodies point at these with
/// `#[schema(schema_with = …)]`, so no field carries a copy of the rule.
pub mod text {
    use std::sync::LazyLock;

    use utoipa::openapi::schema::SchemaType;
    use utoipa::openapi::schema::{KnownFormat, Object, ObjectBuilder, SchemaFormat, Type};

    use crate::domain::{text as rule, ContactEmail, OrganisationName, Statement, Website};

    /// `[^R]`: any character the text rule accepts.
    static ANY: LazyLock<String> = LazyLock::new(|| format!("[^{}]", rule::refused_class()));
    /// `[^WR]`: an accepted character that is not whitespace.
    static VISIBLE: LazyLock<String> =
        LazyLock::new(|| format!("[^{}{}]", rule::whitespace_class(), rule::refused_class()));
    static SPACE: LazyLock<String> = LazyLock::new(|| format!("[{}]", rule::whitespace_class()));

    /// Text of at most `max` characters with at least `min_visible` non-whitespace ones.
    fn pattern(min_visible: usize) -> String {
        let any = ANY.as_str();
        let mut pattern = format!("^{any}*");
        for _ in 0..min_visible {
            pattern.push_str(&format!("{}{any}*", VISIBLE.as_str()));
        }
        pattern.push('$');
        pattern
    }

    fn string(nullable: bool) -> ObjectBuilder {
        let kind = if nullable {
            SchemaType::from_iter([Type::String, Type::Null])
        } else {
            SchemaType::Type(Type::String)
        };
        ObjectBuilder::new().schema_type(kind)
    }

    fn text(min_visible: usize, max: usize, nullable: bool) -> ObjectBuilder {
        let mut builder = string(nullable)
            .max_length(Some(max))
            .pattern(Some(pattern(min_visible)));
        if min_visible > 0 {
            builder = builder.min_length(Some(min_visible));
        }
        builder
    }

    /// An http(s) URL, or blank (none); surrounding whitespace is trimmed.
    fn website_pattern() -> String {
        let space = SPACE.as_str();
        format!(
            "^{space}*$|^{space}*[Hh][Tt][Tt][Pp][Ss]?://{}+{space}*$",
            VISIBLE.as_str()
        )
    }

    /// Declares the schema functions: each is its base with a description and, where one is
    /// given, an example.
    macro_rules! schemas {
        ($($name:ident: $base:expr, $description:expr $(, example $example:expr)?;)+) => {
            $(
                pub fn $name() -> Object {
                    $base
                        .description(Some($description))
                        $(.examples([$example]))?
                        .build()
                }
            )+
        };
    }

    schemas! {
        organisation_name: text(OrganisationName::MIN, OrganisationName::MAX, false),
            "The organisation's name, 2–200 characters; trimmed, whitespace collapsed.",
            example "International Detention Coalition";
        contact_name: text(1, 120, false),
            "The person to contact; never shown publicly.",
            example "Ana Lima";
        contact_name_or_none: text(0, 120, true),
            "The person to contact, if any; never shown publicly.";
        email: string(false)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Email)))
                .max_length(Some(ContactEmail::MAX)),
            "An email address; never shown publicly.",
            example "ana@example.org";
        email_or_none: string(true)
                .max_length(Some(ContactEmail::MAX))
                .pattern(Some(pattern(0))),
            "An email address, if any; empty means none. Never shown publicly.";
        website_or_none: string(true)
                .max_length(Some(Website::MAX))
                .pattern(Some(website_pattern())),
            "An http(s) URL; empty or null means none.",
            example "https://idcoalition.org";
        statement_or_none: text(0, Statement::MAX, true),
            "What the organisation says in support, up to 2,000 characters; empty or null \
             means none.";
        reason_or_none: text(0, 500, true),
            "Why, in up to 500 characters; kept with the endorsement.";
        campaign_title: text(2, 200, false),
            "2–200 characters.",
            example "Global Campaign to End the Immigration Detention of Children";
        campaign_description_or_none: text(0, 2000, true),
            "Up to 2,000 characters; empty or null means none.";
        search: text(0, 200, false),
            "Only organisations whose name contains this text, compared as a reader sees it \
             (any case, spacing and form).";
    }

    #[cfg(test)]
    mod tests {
        use proptest::prelude::*;

        use super::*;
        use crate::domain::properties::messy_text;
        use crate::domain::text::clean;

        fn matches(pattern: &str, text: &str) -> bool {
            regex::Regex::new(pattern).unwrap().is_match(text)
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(2000))]

            /// What the spec's pattern and length say is exactly what the server's text rule
            /// accepts, for each minimum the fields use.
            #[test]
            fn the_spec_and_the_server_agree_on_text(raw in messy_text(8), min in 0usize..3, max in 1usize..6) {
                let by_spec = matches(&pattern(min), &raw) && raw.chars().count() <= max;
                let by_server = clean(&raw, min, max).is_ok();
                prop_assert_eq!(by_spec, by_server, "{:?} min {} max {}", raw, min, max);
            }
        }

        #[test]
        fn a_website_is_an_http_url_or_blank() {
            let p = website_pattern();
            for ok in ["", "  ", "https://example.org", " http://x.org/a?b=c "] {
                assert!(matches(&p, ok), "{ok:?}");
            }
            for bad in [
                "ftp://x.org",
                "https://x .org",
                "https://\u{202E}x.org",
                "x",
            ] {
                assert!(!matches(&p, bad), "{bad:?}");
            }
        }
    }
}
