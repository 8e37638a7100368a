//! What runs around every request, whatever the route: the request's span and id, security
//! headers, submission metrics, `HEAD`, and problem documents for errors that no
//! handler answered.

pub mod every_request;
pub mod problem;
pub mod request_span;
pub mod security_headers;
pub mod submission_metrics;
