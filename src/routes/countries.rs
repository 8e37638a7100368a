use actix_web::{get, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use std::sync::LazyLock;

use super::http::{respond, to_json, Request, JSON};
use crate::answers::Answer;
use crate::domain::CountryCode;
use crate::error::ApiError;

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Country {
    #[schema(example = "CI")]
    pub code: String,
    #[schema(example = "Côte d'Ivoire")]
    pub name: String,
    /// The UN M49 region.
    #[schema(example = "Africa")]
    pub region: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CountryList {
    pub items: Vec<Country>,
}

/// List the countries.
///
/// Every assigned ISO 3166-1 alpha-2 code with its name and UN M49 region: the codes
/// `country_code` accepts.
#[utoipa::path(
    tag = "public",
    responses(
        (status = 200, description = "All assigned codes, alphabetically", body = CountryList),
    )
)]
#[get("/countries")]
pub async fn list_countries(request: Request) -> Result<HttpResponse, ApiError> {
    // The list changes only with a new release: made once, kept by caches for a day at least.
    static COUNTRIES: LazyLock<Answer> = LazyLock::new(|| {
        let items = CountryCode::all()
            .into_iter()
            .map(|c| Country {
                code: c.as_str().to_string(),
                name: c.name().to_string(),
                region: c.region().map(str::to_string),
            })
            .collect();
        Answer::new(to_json(&CountryList { items }).unwrap_or_default(), JSON)
    });
    let mut response = respond(&request.req, &request.state.cache.daily, &COUNTRIES);
    // The same for ever: the front door may answer it again whatever changes.
    crate::answers::front::memorable(&mut response, COUNTRIES.body.clone(), None);
    Ok(response)
}
