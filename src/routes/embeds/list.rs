//! The list of endorsers, for an `<iframe>` on any site: public endorsers (approved, not
//! count-only) grouped by country, countries and names in the reader's alphabetical order,
//! searchable by name with a plain GET form, paged by links, without cookies and with a
//! strict content policy (its own style sheet and the pages' height-reporting script only).

use actix_web::http::header::{self, HeaderValue};
use actix_web::{get, web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::IntoParams;

use super::embeddable;
use crate::answers::{Answer, AnswerKind};
use crate::domain::{CampaignSlug, CountryCode, FieldCode};
use crate::error::{ApiError, FieldError, Problem};
use crate::i18n::{self, places, Lang};
use crate::routes::extract::{CampaignPath, RequestedLang};
use crate::routes::http::{kept, respond, Request};
use crate::routes::paging::non_empty;
use crate::store::{campaigns, public};
use crate::templates;

/// Endorsers per page.
pub const PAGE_SIZE: usize = 100;
/// The longest search, in characters.
pub const MAX_QUERY: usize = 100;
const MAX_PAGE: usize = 100_000;

const STYLE: &str = include_str!("list.css");

/// The list page's policy: its own style sheet and script, GET forms to itself, and framing
/// by anyone.
const POLICY: &str = "default-src 'none'; style-src 'self'; script-src 'self'; \
form-action 'self'; base-uri 'none'; frame-ancestors *";

const HTML: &str = "text/html; charset=utf-8";

/// The list's stylesheet, `/assets/list.css`: public, cacheable for a day.
pub fn configure_assets(cfg: &mut web::ServiceConfig) {
    crate::routes::sign::asset(cfg, "/assets/list.css", "text/css; charset=utf-8", STYLE);
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Part of an organisation's name, compared as a reader sees it (case and accents aside);
    /// at most 100 characters.
    pub q: Option<String>,
    /// The page, from 1 (100 endorsers a page).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100000)]
    pub page: Option<String>,
}

/// What the list shows of a request: its search and page, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Wanted {
    query: Option<String>,
    page: usize,
}

fn parse(query: &ListQuery) -> Result<Wanted, ApiError> {
    let mut errors = Vec::new();
    let search = non_empty(&query.q).map(|q| q.trim().to_string());
    if search
        .as_ref()
        .is_some_and(|q| q.chars().count() > MAX_QUERY)
    {
        errors.push(FieldError::new(
            "q",
            FieldCode::TooLong,
            format!("must be at most {MAX_QUERY} characters"),
        ));
    }
    // Strict, as the spec says (an integer): the page's own links never send an empty one.
    let page = match query.page.as_deref() {
        None => 1,
        Some(raw) => match raw.parse::<usize>() {
            Ok(n) if (1..=MAX_PAGE).contains(&n) => n,
            _ => {
                errors.push(FieldError::new(
                    "page",
                    FieldCode::OutOfRange,
                    format!("must be a whole number from 1 to {MAX_PAGE}"),
                ));
                1
            }
        },
    };
    if errors.is_empty() {
        Ok(Wanted {
            query: search,
            page,
        })
    } else {
        Err(ApiError::Validation(errors))
    }
}

#[derive(Serialize)]
struct ShownEndorser {
    name: String,
    kind: String,
    website: Option<String>,
}

#[derive(Serialize)]
struct Group {
    code: String,
    name: String,
    endorsers: Vec<ShownEndorser>,
}

/// Only web addresses are links; anything else a record might hold is shown as no link.
fn safe_website(website: Option<String>) -> Option<String> {
    website.filter(|w| url::Url::parse(w).is_ok_and(|url| matches!(url.scheme(), "http" | "https")))
}

/// The endorsers in the order the list shows them: by country (the country's name in
/// `lang`, as `lang` sorts), then by name.
fn in_order(lang: Lang, endorsers: Vec<public::Endorser>) -> Vec<(CountryCode, public::Endorser)> {
    let order = places::country_order(lang);
    let mut rows: Vec<(CountryCode, public::Endorser)> = endorsers
        .into_iter()
        .filter_map(|e| Some((CountryCode::parse(&e.country_code).ok()?, e)))
        .collect();
    places::sort_by_name(lang, &mut rows, |(_, e)| e.organisation_name.as_str());
    // Stable: names stay in order within a country.
    rows.sort_by_key(|(code, _)| order.get(code).copied().unwrap_or(usize::MAX));
    rows
}

/// The address of the list with `query`, `page` and `lang`.
fn href(slug: &CampaignSlug, lang: Lang, query: Option<&str>, page: usize) -> String {
    let mut pairs = url::form_urlencoded::Serializer::new(String::new());
    pairs.append_pair("lang", lang.code());
    if let Some(query) = query {
        pairs.append_pair("q", query);
    }
    if page > 1 {
        pairs.append_pair("page", &page.to_string());
    }
    format!("/embed/{slug}/list?{}", pairs.finish())
}

/// The page for `wanted`, from the database.
fn render(
    conn: &mut crate::db::DbConnection,
    slug: &CampaignSlug,
    lang: Lang,
    wanted: &Wanted,
) -> Result<Vec<u8>, ApiError> {
    let campaign = campaigns::find(conn, slug)?;
    let endorsers = public::endorsers(conn, campaign.id, wanted.query.as_deref())?;
    let total = endorsers.len();
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let mut groups: Vec<Group> = Vec::new();
    for (code, endorser) in in_order(lang, endorsers)
        .into_iter()
        .skip((wanted.page - 1) * PAGE_SIZE)
        .take(PAGE_SIZE)
    {
        let shown = ShownEndorser {
            name: endorser.organisation_name,
            kind: i18n::message(
                lang,
                &format!("type-{}", endorser.organisation_type.as_str()),
                None,
            ),
            website: safe_website(endorser.website),
        };
        match groups.last_mut() {
            Some(group) if group.code == code.as_str() => group.endorsers.push(shown),
            _ => groups.push(Group {
                code: code.as_str().to_string(),
                name: places::country_name(lang, code),
                endorsers: vec![shown],
            }),
        }
    }
    let query = wanted.query.as_deref();
    let previous = (wanted.page > 1).then(|| href(slug, lang, query, (wanted.page - 1).min(pages)));
    let next = (wanted.page < pages).then(|| href(slug, lang, query, wanted.page + 1));
    let html = templates::render(
        "embed/list.html",
        minijinja::context! {
            lang => lang.code(),
            dir => if lang.is_rtl() { "rtl" } else { "ltr" },
            campaign_title => campaign.title,
            action => format!("/embed/{slug}/list"),
            query => query.unwrap_or_default(),
            max_query => MAX_QUERY,
            show_all => href(slug, lang, None, 1),
            total => total,
            groups => groups,
            page => wanted.page,
            pages => pages,
            previous => previous,
            next => next,
        },
    )?;
    Ok(html.into_bytes())
}

/// The list of a campaign's endorsers, for an `<iframe>`.
///
/// Public endorsers (approved, not count-only: those are never shown, whatever the search)
/// grouped by country, countries and names in the requested language's alphabetical order,
/// each with its type and a link to its website; searchable by name (`q`, a GET form that
/// works without scripts), 100 a page with previous and next links that keep the search and
/// the language. Framable from any origin, no cookies, no inline scripts or styles.
#[utoipa::path(
    tag = "embeds", params(CampaignPath, RequestedLang, ListQuery),
    responses(
        (status = 200, description = "The list page", content_type = "text/html", body = String),
        (status = 422, description = "`q` is too long or `page` is not a page number", body = Problem),
    )
)]
#[get("/{slug}/list")]
pub async fn list(
    request: Request,
    CampaignPath(slug): CampaignPath,
    RequestedLang(lang): RequestedLang,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let wanted = parse(&query)?;
    let answer = match &wanted.query {
        // Pages without a search are few and kept like the public list's; searches are not.
        None => {
            let key = format!("embed-list:{slug}:{}:{}", lang.code(), wanted.page);
            kept(&request.state, AnswerKind::Lists, key, HTML, move |conn| {
                Ok((render(conn, &slug, lang, &wanted)?, None))
            })
            .await?
        }
        Some(_) => {
            let body = request
                .state
                .db
                .read(move |conn| render(conn, &slug, lang, &wanted))
                .await?;
            std::sync::Arc::new(Answer::new(body, HTML))
        }
    };
    let mut response = respond(&request.req, &request.state.cache.normal, &answer);
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(POLICY),
    );
    Ok(embeddable(response))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(q: Option<&str>, page: Option<&str>) -> ListQuery {
        ListQuery {
            q: q.map(str::to_string),
            page: page.map(str::to_string),
        }
    }

    #[test]
    fn a_search_and_a_page_are_read_and_bad_ones_refused() {
        assert_eq!(
            parse(&query(Some("  child "), Some("3"))).unwrap(),
            Wanted {
                query: Some("child".into()),
                page: 3
            }
        );
        assert_eq!(parse(&query(Some(""), None)).unwrap().page, 1);
        // The spec says an integer: an empty or padded page is refused, not guessed at.
        for page in ["", " 2", "0", "-1", "two", "100001", "1.5"] {
            assert!(parse(&query(None, Some(page))).is_err(), "{page}");
        }
        assert!(parse(&query(Some(&"x".repeat(101)), None)).is_err());
    }

    #[test]
    fn only_web_addresses_become_links() {
        assert!(safe_website(Some("https://example.org".into())).is_some());
        assert!(safe_website(Some("javascript:alert(1)".into())).is_none());
        assert!(safe_website(Some("data:text/html,x".into())).is_none());
    }
}
