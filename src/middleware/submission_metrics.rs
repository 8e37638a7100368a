//! Counts every public submission by its outcome, whichever layer answered it (the rate
//! limit, an extractor, the handler).

use actix_web::dev::ServiceResponse;
use actix_web::http::Method;
use actix_web::web;

use crate::metrics::Metrics;

/// The route a submission is made to, as actix names its pattern.
const SUBMISSION_ROUTE: &str = "/v1/campaigns/{slug}/endorsements";

/// Counts a public submission by what became of it; other requests are left alone.
pub fn record<B>(response: &ServiceResponse<B>) {
    let request = response.request();
    if request.method() == Method::POST
        && request.match_pattern().as_deref() == Some(SUBMISSION_ROUTE)
    {
        if let Some(metrics) = request.app_data::<web::Data<Metrics>>() {
            metrics.count_submission(response.status().as_u16());
        }
    }
}
