use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use validator::ValidateEmail;

use super::{text_value, word_enum, FieldCode, Invalid};

text_value! {
    /// The name of the person to contact: 1–120 characters, with no link in it (see
    /// [`super::text::without_links`]).
    ContactName, 1, 120, then super::text::without_links
}

text_value! {
    /// A contact email address: at most 254 characters and a valid address.
    ContactEmail, 1, ContactEmail::MAX, then email_address
}

impl ContactEmail {
    pub const MAX: usize = 254;
}

fn email_address(email: String) -> Result<String, Invalid> {
    if email.contains(' ') || !email.validate_email() {
        return Err(Invalid::new(
            FieldCode::InvalidEmail,
            format!("{email:?} is not a valid email address"),
        ));
    }
    // An address literal (`x@[127.0.0.1]`) names a machine, not a mail domain: the mailer
    // would be sent to it.
    if email
        .rsplit_once('@')
        .is_some_and(|(_, domain)| domain.starts_with('['))
    {
        return Err(Invalid::new(
            FieldCode::InvalidEmail,
            "must name a mail domain, not an address in brackets",
        ));
    }
    Ok(email)
}

text_value! {
    /// An organisation's website: an absolute `http` or `https` URL of at most 2,048 characters.
    Website, 1, Website::MAX, then http_url
}

impl Website {
    pub const MAX: usize = 2048;
}

fn http_url(raw: String) -> Result<String, Invalid> {
    let invalid = || {
        Invalid::new(
            FieldCode::InvalidUrl,
            "must be an absolute http:// or https:// URL with a host",
        )
    };
    if raw.contains(' ') {
        return Err(invalid());
    }
    let url = url::Url::parse(&raw).map_err(|_| invalid())?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
        return Err(invalid());
    }
    if !url.username().is_empty() || url.password().is_some() {
        // `https://amnesty.org@evil.example` is evil.example: it would read to moderators as
        // the name before the `@`.
        return Err(Invalid::new(
            FieldCode::InvalidUrl,
            "must not hold a user name or password before the host",
        ));
    }
    Ok(raw)
}

text_value! {
    /// What the organisation says in support: at most 2,000 characters.
    Statement, 1, Statement::MAX
}

impl Statement {
    pub const MAX: usize = 2000;
}

text_value! {
    /// Why a moderator changed a status: at most 500 characters, kept with the endorsement.
    ModerationReason, 1, 500
}

word_enum! {
    /// `public`: listed by name. `count_only`: counted in every figure, never named.
    Visibility, "a visibility" {
        Public => "public",
        CountOnly => "count_only",
    }
}

word_enum! {
    /// Where an endorsement is in moderation. Only `approved` ones are public and counted.
    EndorsementStatus, "a status" {
        Pending => "pending",
        Approved => "approved",
        Rejected => "rejected",
        Withdrawn => "withdrawn",
    }
}

impl EndorsementStatus {
    /// The moderation rules: pending → approved | rejected, approved → withdrawn,
    /// rejected → approved, withdrawn → approved. Nothing else, not even a no-op.
    pub fn can_become(self, next: EndorsementStatus) -> bool {
        use EndorsementStatus::*;
        matches!(
            (self, next),
            (Pending, Approved)
                | (Pending, Rejected)
                | (Approved, Withdrawn)
                | (Rejected, Approved)
                | (Withdrawn, Approved)
        )
    }
}

/// Parses `endorsed_at`: an RFC 3339 time or a plain date (midnight UTC), from 1900 to now,
/// with a day's leeway for time zones ahead of UTC.
pub fn parse_endorsed_at(raw: &str) -> Result<NaiveDateTime, Invalid> {
    let raw = raw.trim();
    let at = DateTime::parse_from_rfc3339(raw)
        .map(|t| t.with_timezone(&Utc).naive_utc())
        .or_else(|_| {
            NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                .map(|d| d.and_hms_opt(0, 0, 0).unwrap_or_default())
        })
        .map_err(|_| {
            Invalid::new(
                FieldCode::InvalidFormat,
                "must be an RFC 3339 time (2012-03-21T09:00:00Z) or a date (2012-03-21)",
            )
        })?;
    let at = chrono::SubsecRound::trunc_subsecs(at, 0);
    let earliest = NaiveDate::from_ymd_opt(1900, 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .unwrap_or_default();
    let now = chrono::SubsecRound::trunc_subsecs(Utc::now().naive_utc(), 0);
    if at < earliest || at > now + chrono::TimeDelta::days(1) {
        return Err(Invalid::new(
            FieldCode::OutOfRange,
            "must be from 1900 to today (a time at most a day ahead of UTC)",
        ));
    }
    Ok(at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{check, check_length, VALID};

    #[test]
    fn a_valid_email_is_kept_as_written() {
        assert_eq!(
            ContactEmail::parse(" ana@example.org ")
                .unwrap()
                .into_inner(),
            "ana@example.org"
        );
    }

    #[test]
    fn malformed_or_overlong_emails_are_refused() {
        let long = format!("{}@example.org", "a".repeat(250));
        check(
            ContactEmail::parse,
            &[
                ("ana", "invalid_email"),
                ("ana@", "invalid_email"),
                ("@example.org", "invalid_email"),
                ("ana example@x.org", "invalid_email"),
                ("a@b@c", "invalid_email"),
                ("x@[127.0.0.1]", "invalid_email"),
                ("x@[IPv6:::1]", "invalid_email"),
                (&long, "too_long"),
            ],
        );
    }

    #[test]
    fn a_contact_name_is_one_to_one_hundred_and_twenty_characters() {
        check_length(ContactName::parse, 1, 120);
    }

    #[test]
    fn only_absolute_http_and_https_urls_are_websites() {
        let long = format!("https://example.org/{}", "a".repeat(2048));
        check(
            Website::parse,
            &[
                ("https://idcoalition.org/", VALID),
                ("http://example.org/path?q=1", VALID),
                ("javascript:alert(1)", "invalid_url"),
                ("ftp://example.org", "invalid_url"),
                ("example.org", "invalid_url"),
                ("https://", "invalid_url"),
                ("http:// x.org", "invalid_url"),
                ("https://amnesty.org@evil-site.net", "invalid_url"),
                ("https://user:pass@example.org/", "invalid_url"),
                (&long, "too_long"),
            ],
        );
    }

    #[test]
    fn a_statement_is_at_most_two_thousand_characters() {
        check(
            Statement::parse,
            &[
                (&"word ".repeat(400), VALID),
                (&"a".repeat(2001), "too_long"),
            ],
        );
    }

    #[test]
    fn a_moderation_reason_is_at_most_five_hundred_characters() {
        check(
            ModerationReason::parse,
            &[
                ("Could not verify", VALID),
                (&"r".repeat(501), "too_long"),
                ("tab\u{8}", "control_characters"),
            ],
        );
    }

    #[test]
    fn visibility_is_public_or_count_only() {
        assert_eq!(
            Visibility::parse("count_only").unwrap(),
            Visibility::CountOnly
        );
        assert_eq!(
            Visibility::parse("hidden").unwrap_err().code,
            "invalid_choice"
        );
    }

    #[test]
    fn only_the_contract_status_changes_are_allowed() {
        use EndorsementStatus::*;
        let allowed = [
            (Pending, Approved),
            (Pending, Rejected),
            (Approved, Withdrawn),
            (Rejected, Approved),
            (Withdrawn, Approved),
        ];
        for from in EndorsementStatus::ALL {
            for to in EndorsementStatus::ALL {
                assert_eq!(
                    from.can_become(*to),
                    allowed.contains(&(*from, *to)),
                    "{from} -> {to}"
                );
            }
        }
    }
}

/// Whether a contact's address is at the organisation's own domain: the registrable domains
/// (by the Public Suffix List: `ngo.org.uk`, not `org.uk`; `x.github.io`, not `github.io`) of
/// the e-mail address and of the website are the same. `None` when either is missing or has
/// no registrable domain.
pub fn domain_match(email: Option<&str>, website: Option<&str>) -> Option<bool> {
    let registrable = |host: &str| -> Option<String> {
        let host = url::Host::parse(host.trim_end_matches('.'))
            .ok()?
            .to_string();
        psl::domain_str(&host).map(str::to_string)
    };
    let email_domain = email?.rsplit_once('@')?.1;
    let website_host = url::Url::parse(website?).ok()?.host_str()?.to_string();
    Some(registrable(email_domain)? == registrable(&website_host)?)
}

#[cfg(test)]
mod domain_match_tests {
    use super::domain_match;

    #[test]
    fn an_address_at_the_organisations_own_domain_matches() {
        let m = |email, website| domain_match(Some(email), Some(website));
        assert_eq!(
            m(
                "ana@savethechildren.org.uk",
                "https://www.savethechildren.org.uk/about"
            ),
            Some(true)
        );
        assert_eq!(
            m("ana@mail.idcoalition.org", "https://idcoalition.org"),
            Some(true)
        );
        assert_eq!(
            m("ANA@IDCoalition.ORG", "https://idcoalition.org"),
            Some(true)
        );
        assert_eq!(m("ana@gmail.com", "https://idcoalition.org"), Some(false));
        // Public suffixes are not one organisation: org.uk, github.io.
        assert_eq!(
            m("ana@other.org.uk", "https://savethechildren.org.uk"),
            Some(false)
        );
        assert_eq!(
            m("ana@alice.github.io", "https://bob.github.io"),
            Some(false)
        );
        assert_eq!(m("ana@bücher.de", "https://xn--bcher-kva.de"), Some(true));
        assert_eq!(domain_match(None, Some("https://x.org")), None);
        assert_eq!(domain_match(Some("a@x.org"), None), None);
    }
}
