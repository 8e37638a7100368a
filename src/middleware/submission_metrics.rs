//! Counts every public submission by its outcome, whichever layer answered it (the rate
//! limit, an extractor, the handler).

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::web;

use crate::metrics::Metrics;

/// The route a submission is made to, as actix names its pattern.
const SUBMISSION_ROUTE: &str = "/v1/campaigns/{slug}/endorsements";

/// Counts each public submission by what became of it, whichever layer answered it.
pub async fn count_submissions(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let is_submission = req.method() == Method::POST;
    let response = next.call(req).await?;
    if is_submission && response.request().match_pattern().as_deref() == Some(SUBMISSION_ROUTE) {
        if let Some(metrics) = response.request().app_data::<web::Data<Metrics>>() {
            metrics.count_submission(response.status().as_u16());
        }
    }
    Ok(response)
}
