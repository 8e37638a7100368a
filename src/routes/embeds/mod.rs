//! What partner websites embed: an SVG badge, a counter page for an `<iframe>`, a world map
//! (`map`), the list of endorsers (`list`), and a dependency-free script defining web
//! components for the counter and the list. All public, cookie-free, cacheable, in six languages, and
//! safe on any site: every piece of campaign text is escaped where it is shown.

pub mod list;
pub mod map;

use crate::answers::answer_key;
use std::sync::LazyLock;

use actix_web::http::header::{self, HeaderValue};
use actix_web::{get, HttpResponse};
use base64::Engine;
use sha2::{Digest, Sha256};

use super::as_of::AsOf;
use super::extract::{CampaignPath, RequestedLang};
use super::http::{respond, Request};
use crate::answers::Answer;
use crate::domain::CampaignSlug;
use crate::error::{ApiError, Problem};
use crate::i18n::{self, Arg, Lang};
use crate::store::campaigns::{self, CampaignWithCounts};
use crate::templates::escape;

/// The policy of the SVG embeds (badge, map): nothing to load, their own inline style only.
const SVG_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'";

/// A response that varies with `Accept-Language` and may be used from any origin.
fn embeddable(mut response: HttpResponse) -> HttpResponse {
    let headers = response.headers_mut();
    headers.append(header::VARY, HeaderValue::from_static("Accept-Language"));
    headers.insert(
        header::HeaderName::from_static("cross-origin-resource-policy"),
        HeaderValue::from_static("cross-origin"),
    );
    response
}

fn headline_of(lang: Lang, campaign: &CampaignWithCounts) -> String {
    i18n::headline(
        lang,
        campaign.organisations.max(0) as u64,
        campaign.countries.max(0) as u64,
    )
}

/// Roughly how wide `text` is in 11px Verdana, so the badge fits its text. `textLength` in
/// the SVG then makes the rendered text exactly this wide, whatever font the viewer has.
fn text_width(text: &str) -> f64 {
    text.chars()
        .map(|c| match c {
            'i' | 'j' | 'l' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' => 3.5,
            ' ' | '\u{a0}' | '\u{202f}' | 'f' | 't' | 'r' => 4.5,
            'm' | 'w' | 'M' | 'W' => 10.0,
            c if c.is_ascii_uppercase() || c.is_ascii_digit() => 7.5,
            c if c.is_ascii() => 6.6,
            '\u{2e80}'..='\u{9fff}' | '\u{f900}'..='\u{faff}' | '\u{ff00}'..='\u{ffef}' => 11.0,
            '\u{0600}'..='\u{06ff}' => 6.0,
            _ => 7.2,
        })
        .sum::<f64>()
        .ceil()
}

/// The badge for a headline: a grey label and a green headline, with a `<title>` for screen
/// readers.
pub fn badge_svg(lang: Lang, label: &str, headline: &str) -> String {
    const PAD: f64 = 6.0;
    let label_text = text_width(label);
    let headline_text = text_width(headline);
    let label_width = label_text + 2.0 * PAD;
    let headline_width = headline_text + 2.0 * PAD;
    let width = label_width + headline_width;
    let direction = if lang.is_rtl() { "rtl" } else { "ltr" };
    let title = escape(&format!("{label}: {headline}"));
    let (label, headline) = (escape(label), escape(headline));
    let (label_x, headline_x) = if lang.is_rtl() {
        (headline_width + label_width / 2.0, headline_width / 2.0)
    } else {
        (label_width / 2.0, label_width + headline_width / 2.0)
    };
    let (label_rect_x, headline_rect_x) = if lang.is_rtl() {
        (headline_width, 0.0)
    } else {
        (0.0, label_width)
    };
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20" viewBox="0 0 {width} 20" role="img" aria-label="{title}" xml:lang="{code}" direction="{direction}">
<title>{title}</title>
<linearGradient id="shine" x2="0" y2="100%"><stop offset="0" stop-color="#fff" stop-opacity=".12"/><stop offset="1" stop-opacity=".12"/></linearGradient>
<clipPath id="round"><rect width="{width}" height="20" rx="3"/></clipPath>
<g clip-path="url(#round)">
<rect x="{label_rect_x}" width="{label_width}" height="20" fill="#4a4a4a"/>
<rect x="{headline_rect_x}" width="{headline_width}" height="20" fill="#1f6f3f"/>
<rect width="{width}" height="20" fill="url(#shine)"/>
</g>
<g fill="#fff" text-anchor="middle" font-family="Verdana,'DejaVu Sans','Noto Sans','Noto Sans Arabic','Noto Sans SC',sans-serif" font-size="11">
<text x="{label_x}" y="14" textLength="{label_text}" lengthAdjust="spacingAndGlyphs">{label}</text>
<text x="{headline_x}" y="14" textLength="{headline_text}" lengthAdjust="spacingAndGlyphs">{headline}</text>
</g>
</svg>
"##,
        code = lang.code(),
    )
}

/// An embed's handler: its documentation, route, description and content type; the rest is
/// [`campaign_embed`].
macro_rules! embed {
    (
        $(#[doc = $doc:literal])*
        $name:ident, $path:literal, $embed:ident, $description:literal, $content_type:literal
    ) => {
        $(#[doc = $doc])*
        #[utoipa::path(
            tag = "embeds", params(CampaignPath, RequestedLang),
            responses(
                (status = 200, description = $description, content_type = $content_type, body = String),
            )
        )]
        #[get($path)]
        pub async fn $name(
            request: Request,
            CampaignPath(slug): CampaignPath,
            RequestedLang(lang): RequestedLang,
        ) -> Result<HttpResponse, ApiError> {
            campaign_embed(&request, slug, lang, Embed::$embed, AsOf(None)).await
        }
    };
}

/// An SVG badge with the running count.
///
/// "endorsed by | over 90 organisations in more than 40 countries", in the requested
/// language, sized to its text, with a `<title>` for screen readers. For an `<img>` on any
/// site. With `?at=2014-03-01`, the count as the record stood at the end of that UTC day,
/// the label saying so ("endorsed by, as of 2014-03-01").
#[utoipa::path(
    tag = "embeds", params(CampaignPath, RequestedLang, AsOf),
    responses(
        (status = 200, description = "The badge", content_type = "image/svg+xml", body = String),
        (status = 422, description = "`at` is not a day from 2000-01-01 to today", body = Problem),
    )
)]
#[get("/{slug}/badge.svg")]
pub async fn badge(
    request: Request,
    CampaignPath(slug): CampaignPath,
    RequestedLang(lang): RequestedLang,
    as_of: AsOf,
) -> Result<HttpResponse, ApiError> {
    campaign_embed(&request, slug, lang, Embed::Badge, as_of).await
}

const COUNTER_STYLE: &str = "\
:root{color-scheme:light dark}\
body{margin:0;font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans','Noto Sans Arabic','Noto Sans SC',sans-serif;background:transparent}\
main{padding:.75rem 1rem;max-width:40rem}\
.headline{font-size:1.15rem;font-weight:600;line-height:1.3;margin:0 0 .5rem}\
.figures{display:flex;flex-wrap:wrap;gap:.5rem 2rem;margin:0}\
.figures div{display:flex;flex-direction:column}\
dd{margin:0;font-size:1.8rem;font-weight:700;font-variant-numeric:tabular-nums;line-height:1.1}\
dt{order:2;font-size:.85rem}\
.campaign{margin:.5rem 0 0;font-size:.85rem;overflow-wrap:anywhere}\
a{color:inherit}\
@media (max-width:20rem){main{padding:.5rem}.headline{font-size:1rem}dd{font-size:1.4rem}}";

/// The counter page's policy: nothing but its own inline style, and framing by anyone.
static COUNTER_CSP: LazyLock<String> = LazyLock::new(|| {
    let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(COUNTER_STYLE));
    format!(
        "default-src 'none'; style-src 'sha256-{hash}'; base-uri 'none'; form-action 'none'; frame-ancestors *"
    )
});

fn counter_html(lang: Lang, campaign: &CampaignWithCounts) -> String {
    let title = &campaign.campaign.title;
    let page_title = i18n::message(lang, "counter-title", Some(title));
    let link = match &campaign.campaign.url {
        Some(url) => format!(
            r#"<a href="{}" target="_blank" rel="noopener noreferrer"><bdi>{}</bdi></a>"#,
            escape(url),
            escape(title)
        ),
        None => format!("<bdi>{}</bdi>", escape(title)),
    };
    format!(
        r#"<!doctype html>
<html lang="{code}" dir="{dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{page_title}</title>
<style>{COUNTER_STYLE}</style>
</head>
<body>
<main aria-label="{page_title}">
<p class="headline">{headline}</p>
<dl class="figures">
<div><dt>{label_organisations}</dt><dd class="organisations">{organisations}</dd></div>
<div><dt>{label_countries}</dt><dd class="countries">{countries}</dd></div>
</dl>
<p class="campaign">{link}</p>
</main>
</body>
</html>
"#,
        code = lang.code(),
        dir = if lang.is_rtl() { "rtl" } else { "ltr" },
        page_title = escape(&page_title),
        headline = escape(&headline_of(lang, campaign)),
        label_organisations = escape(&i18n::message(lang, "label-organisations", None)),
        label_countries = escape(&i18n::message(lang, "label-countries", None)),
        organisations = escape(&i18n::format_number(
            lang,
            campaign.organisations.max(0) as u64
        )),
        countries = escape(&i18n::format_number(lang, campaign.countries.max(0) as u64)),
    )
}

embed! {
    /// A small page with the running count, for an `<iframe>`.
    ///
    /// Self-contained (no external assets, no scripts, no cookies), framable from any origin,
    /// localised, readable at narrow widths.
    counter, "/{slug}/counter", Counter, "The counter page", "text/html"
}

/// The embeds of a campaign's running count.
#[derive(Debug, Clone, Copy)]
enum Embed {
    Badge,
    Counter,
}

impl Embed {
    fn name(self) -> &'static str {
        match self {
            Embed::Badge => "badge",
            Embed::Counter => "counter",
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            Embed::Badge => "image/svg+xml; charset=utf-8",
            Embed::Counter => "text/html; charset=utf-8",
        }
    }

    /// The embed's own content policy.
    fn policy(self) -> Result<HeaderValue, ApiError> {
        match self {
            Embed::Badge => Ok(HeaderValue::from_static(SVG_POLICY)),
            Embed::Counter => HeaderValue::from_str(&COUNTER_CSP)
                .map_err(|e| ApiError::internal(anyhow::anyhow!("counter policy: {e}"))),
        }
    }

    fn render(self, lang: Lang, campaign: &CampaignWithCounts, as_of: AsOf) -> String {
        match self {
            Embed::Badge => {
                let label = match as_of.0 {
                    None => i18n::message(lang, "badge-label", None),
                    Some(day) => i18n::text(
                        lang,
                        "badge-label-as-of",
                        &[("date", Arg::Text(day.to_string()))],
                    ),
                };
                badge_svg(lang, &label, &headline_of(lang, campaign))
            }
            Embed::Counter => counter_html(lang, campaign),
        }
    }
}

/// An embed of a campaign's count in the requested language, kept like the figures, with the
/// embed's own content policy, usable from any site.
async fn campaign_embed(
    request: &Request,
    slug: CampaignSlug,
    lang: Lang,
    embed: Embed,
    as_of: AsOf,
) -> Result<HttpResponse, ApiError> {
    let policy = embed.policy()?;
    let (shelf, key) = as_of.keep(answer_key(&[embed.name(), slug.as_str(), lang.code()]));
    let mut response = request
        .kept_on(shelf, key, embed.content_type(), move |conn| {
            let row = campaigns::find(conn, &slug)?;
            let campaign = match as_of.0 {
                None => campaigns::with_counts(conn, row)?,
                Some(day) => campaigns::with_counts_at(conn, row, AsOf::end(day))?,
            };
            Ok(embed.render(lang, &campaign, as_of).into_bytes())
        })
        .await?;
    response
        .headers_mut()
        .insert(header::CONTENT_SECURITY_POLICY, policy);
    Ok(embeddable(response))
}

/// The web component, with every language's labels from the translation files.
static WIDGET_JS: LazyLock<String> = LazyLock::new(|| {
    let labels: serde_json::Map<String, serde_json::Value> = Lang::ALL
        .iter()
        .map(|lang| {
            (
                lang.code().to_string(),
                serde_json::json!({
                    "organisations": i18n::message(*lang, "label-organisations", None),
                    "countries": i18n::message(*lang, "label-countries", None),
                    "offline": i18n::message(*lang, "offline", None),
                    "list": i18n::message(*lang, "list-frame", None),
                }),
            )
        })
        .collect();
    // JSON is valid JavaScript; `<` is escaped so the text can never close a <script>.
    let labels = serde_json::Value::Object(labels)
        .to_string()
        .replace('<', "\\u003c");
    include_str!("../embed_assets/widget.js").replacen("/*LABELS*/{}", &labels, 1)
});

/// A script defining `<endorsement-counter campaign="…" lang="…">` and
/// `<endorsement-list campaign="…" lang="…">`.
///
/// Dependency-free. The counter fetches the stats from the server it was loaded from and
/// renders the headline and the two numbers, or a quiet note when the count cannot be
/// fetched. The list shows the list page (`/embed/{slug}/list`) in a frame that grows to fit
/// it, so search and paging work as on the page itself.
#[utoipa::path(
    tag = "embeds",
    responses(
        (status = 200, description = "The web component", content_type = "text/javascript", body = String),
    )
)]
#[get("/widget.js")]
pub async fn widget(request: Request) -> HttpResponse {
    static WIDGET: LazyLock<Answer> = LazyLock::new(|| {
        Answer::new(
            WIDGET_JS.as_bytes().to_vec(),
            "text/javascript; charset=utf-8",
        )
    });
    embeddable(respond(&request.req, &request.state.cache.normal, &WIDGET))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_longer_headline_makes_a_wider_badge() {
        let short = badge_svg(Lang::En, "endorsed by", "1 organisation in 1 country");
        let long = badge_svg(
            Lang::En,
            "endorsed by",
            "over 10,000 organisations in more than 150 countries",
        );
        let width = |svg: &str| -> f64 {
            svg.split("width=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .parse()
                .unwrap()
        };
        assert!(width(&long) > width(&short) + 100.0);
    }

    #[test]
    fn the_widget_carries_every_languages_labels() {
        for lang in Lang::ALL {
            assert!(
                WIDGET_JS.contains(&format!("\"{}\":", lang.code())),
                "{lang:?}"
            );
        }
        assert!(!WIDGET_JS.contains("/*LABELS*/"));
    }
}
