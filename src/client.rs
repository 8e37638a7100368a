//! Who a request comes from, and how often they may submit.
//!
//! The client's address is the TCP peer, unless the peer is a trusted proxy
//! (`ENDORSE_TRUSTED_PROXIES`): then it is the rightmost address in `X-Forwarded-For` that is
//! not itself a trusted proxy. A client cannot spoof its address by sending the header
//! itself, because only trusted peers' headers are read.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::{web, HttpRequest, ResponseError};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use ipnet::IpNet;

use crate::error::ApiError;

/// The networks whose `X-Forwarded-For` header is believed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl std::str::FromStr for TrustedProxies {
    type Err = String;

    /// A comma-separated list of addresses or networks: `127.0.0.1, 10.0.0.0/8, ::1`.
    fn from_str(raw: &str) -> Result<Self, String> {
        raw.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.parse::<IpNet>()
                    .or_else(|_| s.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| format!("{s:?} is not an IP address or network"))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(TrustedProxies)
    }
}

impl TrustedProxies {
    fn trusts(&self, ip: &IpAddr) -> bool {
        self.0.iter().any(|net| net.contains(ip))
    }

    /// The client's address for a request from `peer` carrying `forwarded_for` headers.
    pub fn client_address<'a>(
        &self,
        peer: Option<IpAddr>,
        forwarded_for: impl Iterator<Item = &'a str>,
    ) -> Option<IpAddr> {
        let peer = peer?;
        if !self.trusts(&peer) {
            return Some(peer);
        }
        let hops: Vec<&str> = forwarded_for
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .collect();
        let mut client = peer;
        for hop in hops.iter().rev() {
            match hop.parse::<IpAddr>() {
                Ok(ip) => {
                    client = ip;
                    if !self.trusts(&ip) {
                        break;
                    }
                }
                // A malformed entry: stop at the last address we could trust.
                Err(_) => break,
            }
        }
        Some(client)
    }
}

/// The address a request comes from, as the service sees it (see the module comment).
pub fn client_address(req: &HttpRequest) -> Option<IpAddr> {
    let trusted = req
        .app_data::<web::Data<TrustedProxies>>()
        .map(|t| t.get_ref().clone())
        .unwrap_or_default();
    let forwarded = req
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok());
    trusted.client_address(req.peer_addr().map(|a| a.ip()), forwarded)
}

/// Submissions per minute per client address.
#[derive(Clone)]
pub struct SubmissionLimiter(Option<Arc<DefaultKeyedRateLimiter<IpAddr>>>);

impl SubmissionLimiter {
    /// `per_minute` submissions a minute, in a burst or spread out; 0 turns the limit off.
    pub fn new(per_minute: u32) -> SubmissionLimiter {
        SubmissionLimiter(
            NonZeroU32::new(per_minute).map(|n| Arc::new(RateLimiter::keyed(Quota::per_minute(n)))),
        )
    }

    /// `Err(seconds)` to wait when this client has used up its submissions.
    fn check(&self, client: IpAddr) -> Result<(), u64> {
        let Some(limiter) = &self.0 else {
            return Ok(());
        };
        limiter.check_key(&client).map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
        })?;
        // Forget clients that have not been seen for a while, so memory stays bounded.
        if limiter.len() > 100_000 {
            limiter.retain_recent();
        }
        Ok(())
    }
}

/// Whether a path is that of public submissions, `/v1/campaigns/{slug}/endorsements`. (App
/// middleware runs before routing, so it cannot ask actix for the matched pattern.)
fn is_submission_path(path: &str) -> bool {
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    matches!(segments.as_slice(), ["", "v1", "campaigns", slug, "endorsements"] if !slug.is_empty())
}

/// Refuses a public submission with 429 when its client has used up its quota. Nothing else is
/// limited: moderation, reads and embeds go through untouched.
pub async fn limit_submissions(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<actix_web::body::EitherBody<impl MessageBody>>, actix_web::Error> {
    let is_submission = req.method() == Method::POST && is_submission_path(req.path());
    if is_submission {
        let limiter = req.app_data::<web::Data<SubmissionLimiter>>().cloned();
        if let (Some(limiter), Some(client)) = (limiter, client_address(req.request())) {
            if let Err(seconds) = limiter.check(client) {
                let response = ApiError::RateLimited {
                    retry_after_secs: seconds.max(1),
                }
                .error_response();
                return Ok(req.into_response(response).map_into_right_body());
            }
        }
    }
    Ok(next.call(req).await?.map_into_left_body())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_forwards() {
        let trusted: TrustedProxies = "10.0.0.0/8".parse().unwrap();
        let client = trusted.client_address(Some(ip("203.0.113.9")), ["198.51.100.1"].into_iter());
        assert_eq!(client, Some(ip("203.0.113.9")));
    }

    #[test]
    fn behind_trusted_proxies_the_rightmost_untrusted_hop_is_the_client() {
        let trusted: TrustedProxies = "10.0.0.0/8, 127.0.0.1".parse().unwrap();
        let forwarded = ["198.51.100.7, 203.0.113.5, 10.1.2.3"];
        let client = trusted.client_address(Some(ip("127.0.0.1")), forwarded.into_iter());
        assert_eq!(
            client,
            Some(ip("203.0.113.5")),
            "a client cannot prepend a fake address"
        );
    }

    #[test]
    fn a_trusted_peer_without_a_header_is_the_client() {
        let trusted: TrustedProxies = "::1".parse().unwrap();
        assert_eq!(
            trusted.client_address(Some(ip("::1")), std::iter::empty()),
            Some(ip("::1"))
        );
    }

    #[test]
    fn garbage_in_the_header_stops_at_the_last_trusted_hop() {
        let trusted: TrustedProxies = "127.0.0.1".parse().unwrap();
        let client = trusted.client_address(Some(ip("127.0.0.1")), ["not-an-ip"].into_iter());
        assert_eq!(client, Some(ip("127.0.0.1")));
    }

    #[test]
    fn proxies_parse_from_a_list_and_refuse_nonsense() {
        assert!("".parse::<TrustedProxies>().unwrap().0.is_empty());
        assert_eq!(
            "10.0.0.0/8,::1".parse::<TrustedProxies>().unwrap().0.len(),
            2
        );
        assert!("10.0.0.0/33".parse::<TrustedProxies>().is_err());
        assert!("proxy.example".parse::<TrustedProxies>().is_err());
    }

    #[test]
    fn only_the_public_submission_path_is_limited() {
        assert!(is_submission_path(
            "/v1/campaigns/end-child-immigration-detention/endorsements"
        ));
        assert!(is_submission_path("/v1/campaigns/x/endorsements/"));
        assert!(!is_submission_path("/v1/admin/campaigns/x/endorsements"));
        assert!(!is_submission_path(
            "/v1/campaigns/x/endorsements/5/approve"
        ));
        assert!(!is_submission_path("/v1/campaigns//endorsements"));
    }

    #[test]
    fn a_client_may_submit_its_quota_then_waits() {
        let limiter = SubmissionLimiter::new(3);
        let client = ip("192.0.2.1");
        for _ in 0..3 {
            assert!(limiter.check(client).is_ok());
        }
        let wait = limiter.check(client).unwrap_err();
        assert!((1..=20).contains(&wait), "{wait}");
        assert!(
            limiter.check(ip("192.0.2.2")).is_ok(),
            "other clients are not affected"
        );
        let unlimited = SubmissionLimiter::new(0);
        for _ in 0..1000 {
            assert!(unlimited.check(client).is_ok());
        }
    }
}
