//! The world map: every country's outline (Natural Earth, `embed_assets/world.json`, made by
//! `tools/map/generate.mjs`), the countries with endorsers shaded by how many, in the
//! reader's language. Per-country figures follow the privacy rule of the country figures
//! (`domain::privacy`): a country whose only endorsers are a few count-only ones is neither
//! shaded nor counted by name.

use crate::answers::answer_key;
use std::collections::HashMap;
use std::sync::LazyLock;

use actix_web::{get, HttpResponse};
use serde::Deserialize;

use super::{embeddable, headline_of, SVG_POLICY};
use crate::domain::{privacy, CountryCode};
use crate::error::ApiError;
use crate::i18n::{self, places, Arg, Lang};
use crate::routes::extract::{CampaignPath, RequestedLang};
use crate::routes::http::Request;
use crate::store::{campaigns, public};
use crate::templates::escape;

#[derive(Deserialize)]
struct World {
    width: u32,
    height: u32,
    countries: Vec<Outline>,
}

#[derive(Deserialize)]
struct Outline {
    /// ISO 3166-1 numeric; none for the land no ISO code names (Kosovo, Somaliland …).
    id: Option<String>,
    d: String,
}

/// The outlines, each with its country when an ISO code names it.
struct Shapes {
    width: u32,
    height: u32,
    outlines: Vec<(Option<CountryCode>, String)>,
}

static SHAPES: LazyLock<Shapes> = LazyLock::new(|| {
    let world: World =
        serde_json::from_str(include_str!("../embed_assets/world.json")).unwrap_or(World {
            width: 1000,
            height: 450,
            countries: Vec::new(),
        });
    Shapes {
        width: world.width,
        height: world.height,
        outlines: world
            .countries
            .into_iter()
            .map(|outline| {
                let code = outline.id.as_deref().and_then(CountryCode::from_numeric);
                (code, outline.d)
            })
            .collect(),
    }
});

/// The countries the map draws and names, by code.
pub fn drawn_countries() -> Vec<CountryCode> {
    SHAPES
        .outlines
        .iter()
        .filter_map(|(code, _)| *code)
        .collect()
}

/// The shades: the least number of organisations of each class, lightest first. Fixed, so a
/// shade means the same on every campaign's map and at every date.
const CLASSES: [i64; 5] = [1, 2, 5, 10, 50];

/// Greens, each step clearly darker than the last in greyscale too (CIE L* about 83, 72, 62,
/// 50, 34), on land of L* 95.
const STYLE: &str = "\
.land,.c0{fill:#eeeeee}.c1{fill:#a1d99b}.c2{fill:#74c476}.c3{fill:#41ab5d}.c4{fill:#238b45}.c5{fill:#005a32}\
path{stroke:#ffffff;stroke-width:.4;stroke-linejoin:round}\
text{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans','Noto Sans Arabic','Noto Sans SC',sans-serif;font-size:13px;fill:#1a1a1a}\
.legend-title{font-weight:600}.legend rect{stroke:#555555;stroke-width:.5}";

/// The class of a count: 0 for none, else 1–5.
fn class_of(organisations: i64) -> usize {
    CLASSES
        .iter()
        .filter(|least| organisations >= **least)
        .count()
}

/// What a class of the legend reads: "1", "2–4", "50 or more".
fn class_label(lang: Lang, class: usize) -> String {
    let from = CLASSES[class - 1] as u64;
    match CLASSES.get(class) {
        None => i18n::text(lang, "map-range-open", &[("from", Arg::Number(from))]),
        Some(next) if *next as u64 == from + 1 => i18n::format_number(lang, from),
        Some(next) => i18n::text(
            lang,
            "map-range",
            &[
                ("from", Arg::Number(from)),
                ("to", Arg::Number(*next as u64 - 1)),
            ],
        ),
    }
}

/// The map of `figures` (per-country organisations, as `privacy::country_figures` allows them
/// to be shown) with `headline` as its accessible name.
pub fn map_svg(lang: Lang, headline: &str, figures: &HashMap<String, i64>) -> String {
    let shapes = &*SHAPES;
    let legend_height = 56;
    let (width, height) = (shapes.width, shapes.height + legend_height);
    let rtl = lang.is_rtl();
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" aria-labelledby="map-title map-description" xml:lang="{code}" lang="{code}" direction="{direction}">
<title id="map-title">{headline}</title>
<desc id="map-description">{description}</desc>
<style>{STYLE}</style>
<g class="countries">
"#,
        code = lang.code(),
        direction = if rtl { "rtl" } else { "ltr" },
        headline = escape(headline),
        description = escape(&i18n::message(lang, "map-description", None)),
    );
    for (code, d) in &shapes.outlines {
        let Some(code) = code else {
            svg.push_str(&format!("<path class=\"land\" d=\"{d}\"/>\n"));
            continue;
        };
        let name = places::country_name(lang, *code);
        let organisations = figures.get(code.as_str()).copied().unwrap_or(0);
        let title = if organisations > 0 {
            i18n::text(
                lang,
                "map-country",
                &[
                    ("country", Arg::Text(name)),
                    ("organisations", Arg::Number(organisations as u64)),
                ],
            )
        } else {
            name
        };
        svg.push_str(&format!(
            "<path data-code=\"{}\" class=\"c{}\" d=\"{d}\"><title>{}</title></path>\n",
            code.as_str(),
            class_of(organisations),
            escape(&title),
        ));
    }
    svg.push_str("</g>\n");
    svg.push_str(&legend(lang, shapes.width, shapes.height));
    svg.push_str("</svg>\n");
    svg
}

/// The legend under the map: its title, then a swatch and a label per class; from the left,
/// or from the right in a right-to-left language.
fn legend(lang: Lang, width: u32, top: u32) -> String {
    let rtl = lang.is_rtl();
    let anchor = if rtl { "end" } else { "start" };
    let edge = |x: u32| if rtl { width - x } else { x };
    let mut out = format!(
        "<g class=\"legend\" text-anchor=\"{anchor}\">\n<text class=\"legend-title\" x=\"{}\" y=\"{}\">{}</text>\n",
        edge(12),
        top + 18,
        escape(&i18n::message(lang, "map-legend", None)),
    );
    for class in 1..=CLASSES.len() {
        let x = 12 + (class as u32 - 1) * 130;
        let swatch_x = if rtl { width - x - 16 } else { x };
        out.push_str(&format!(
            "<rect class=\"c{class}\" x=\"{swatch_x}\" y=\"{}\" width=\"16\" height=\"12\"/><text x=\"{}\" y=\"{}\">{}</text>\n",
            top + 30,
            edge(x + 22),
            top + 41,
            escape(&class_label(lang, class)),
        ));
    }
    out.push_str("</g>\n");
    out
}

/// An SVG world map of the campaign's endorsers.
///
/// Every country's outline (Natural Earth, public domain), the countries with endorsers
/// shaded by how many (five classes of one hue, readable in greyscale, with a legend), one
/// `<path data-code="FR">` per country with a `<title>` naming it in the requested language
/// with its count, and the headline as the map's accessible name. Per-country figures follow
/// the rule of the country figures: a country with only a few count-only endorsers (fewer
/// than `ENDORSE_MIN_GROUP`) is not shaded. For an `<img>` on any site.
#[utoipa::path(
    tag = "embeds", params(CampaignPath, RequestedLang),
    responses(
        (status = 200, description = "The world map", content_type = "image/svg+xml", body = String),
    )
)]
#[get("/{slug}/map.svg")]
pub async fn map(
    request: Request,
    CampaignPath(slug): CampaignPath,
    RequestedLang(lang): RequestedLang,
) -> Result<HttpResponse, ApiError> {
    let min_group = request.state.min_group;
    let key = answer_key(&["map", slug.as_str(), lang.code()]);
    let mut response = request
        .kept_figures(key, "image/svg+xml; charset=utf-8", move |conn| {
            let row = campaigns::find(conn, &slug)?;
            let tallies = public::counts_by_country(conn, row.id)?;
            let campaign = campaigns::with_counts(conn, row)?;
            let figures: HashMap<String, i64> = privacy::country_figures(&tallies, min_group)
                .countries
                .into_iter()
                .collect();
            Ok(map_svg(lang, &headline_of(lang, &campaign), &figures).into_bytes())
        })
        .await?;
    response.headers_mut().insert(
        actix_web::http::header::CONTENT_SECURITY_POLICY,
        actix_web::http::header::HeaderValue::from_static(SVG_POLICY),
    );
    Ok(embeddable(response))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_fall_into_the_classes_of_the_legend() {
        let classes: Vec<usize> = [0, 1, 2, 4, 5, 9, 10, 49, 50, 10_000]
            .into_iter()
            .map(class_of)
            .collect();
        assert_eq!(classes, [0, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
        assert_eq!(class_label(Lang::En, 1), "1");
        assert_eq!(class_label(Lang::En, 2), "2–4");
        assert_eq!(class_label(Lang::En, 5), "50 or more");
        assert_eq!(class_label(Lang::Fr, 4), "de 10 à 49");
    }

    #[test]
    fn the_shapes_name_most_of_the_worlds_countries() {
        let drawn = drawn_countries();
        assert!(drawn.len() > 220, "{}", drawn.len());
        let mut unique = drawn.clone();
        unique.sort_by(|a, b| a.as_str().cmp(b.as_str()));
        unique.dedup();
        assert_eq!(unique.len(), drawn.len(), "one outline per country");
        for code in ["FR", "KE", "BR", "SG", "FJ", "RU", "US"] {
            assert!(drawn.iter().any(|c| c.as_str() == code), "{code}");
        }
    }

    #[test]
    fn the_map_is_small_even_in_arabic_with_every_country_counted() {
        let figures: HashMap<String, i64> = drawn_countries()
            .into_iter()
            .map(|code| (code.as_str().to_string(), 12_345))
            .collect();
        for lang in Lang::ALL {
            let svg = map_svg(lang, &i18n::headline(lang, 99_999, 250), &figures);
            assert!(svg.len() < 150 * 1024, "{lang:?}: {} bytes", svg.len());
        }
    }
}
