//! Security headers on every response. JSON, CSV and problem documents get a policy that lets
//! them do nothing when opened as a page; the docs may run their own scripts and nothing
//! else; the embeds set their own policies (the counter page is the one thing that may be
//! framed, by anyone).

use actix_web::http::header::{self, HeaderMap, HeaderValue};

const API_POLICY: &str =
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
const DOCS_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
img-src 'self' data:; connect-src 'self'; font-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

// Made once, at compile time: `from_static` checks every byte each time it runs.
const NOSNIFF: HeaderValue = HeaderValue::from_static("nosniff");
const NO_REFERRER: HeaderValue = HeaderValue::from_static("no-referrer");
const DENY: HeaderValue = HeaderValue::from_static("DENY");
const API_POLICY_VALUE: HeaderValue = HeaderValue::from_static(API_POLICY);
const DOCS_POLICY_VALUE: HeaderValue = HeaderValue::from_static(DOCS_POLICY);

/// Whether a path is the docs' (which get the docs' policy unless they set one).
pub fn is_docs(path: &str) -> bool {
    path == "/docs" || path.starts_with("/docs/")
}

/// Adds the headers a response has not set itself.
pub fn apply(headers: &mut HeaderMap, docs: bool) {
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, NOSNIFF);
    if !headers.contains_key(header::REFERRER_POLICY) {
        // The console sets `same-origin`, so that browsers send `Origin` with its forms.
        headers.insert(header::REFERRER_POLICY, NO_REFERRER);
    }
    let framable = match headers.get(header::CONTENT_SECURITY_POLICY) {
        Some(policy) => policy
            .to_str()
            .is_ok_and(|policy| policy.contains("frame-ancestors *")),
        None => {
            headers.insert(
                header::CONTENT_SECURITY_POLICY,
                if docs {
                    DOCS_POLICY_VALUE
                } else {
                    API_POLICY_VALUE
                },
            );
            false
        }
    };
    if !framable {
        headers.insert(header::X_FRAME_OPTIONS, DENY);
    }
}
