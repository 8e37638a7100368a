//! `HEAD` on every `GET` resource.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;

/// `HEAD` is answered as `GET` without the body (RFC 9110), for CDNs, link checkers and uptime
/// monitors: the request is routed as a `GET`, and the HTTP layer, which saw the `HEAD`, sends
/// the headers (`Content-Length` included) and leaves the body out.
pub async fn head_as_get(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if req.method() == Method::HEAD {
        req.head_mut().method = Method::GET;
    }
    next.call(req).await
}
