//! Submission limits per client address: the public submission path is refused with 429 when
//! its client has used up its quota (`ENDORSE_SUBMIT_RATE`), and nothing else is limited.

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

use crate::domain::proxies::TrustedProxies;
use crate::error::ApiError;

/// The address a request comes from, as the service sees it (`domain::proxies`).
pub fn client_address(req: &HttpRequest) -> Option<IpAddr> {
    let forwarded = req
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok());
    let peer = req.peer_addr().map(|a| a.ip());
    match req.app_data::<web::Data<TrustedProxies>>() {
        Some(trusted) => trusted.client_address(peer, forwarded),
        None => TrustedProxies::default().client_address(peer, forwarded),
    }
}

/// Submissions per minute per client: an IPv4 address, or an IPv6 network of the configured
/// prefix (a subscriber's /64 by default), since one subscriber holds more IPv6 addresses than
/// any limit could count.
#[derive(Clone)]
pub struct SubmissionLimiter {
    limiter: Option<Arc<DefaultKeyedRateLimiter<IpAddr>>>,
    ipv6_prefix: u8,
}

impl SubmissionLimiter {
    /// `per_minute` submissions a minute, in a burst or spread out; 0 turns the limit off.
    /// IPv6 clients are keyed on their first `ipv6_prefix` bits.
    pub fn new(per_minute: u32, ipv6_prefix: u8) -> SubmissionLimiter {
        SubmissionLimiter {
            limiter: NonZeroU32::new(per_minute)
                .map(|n| Arc::new(RateLimiter::keyed(Quota::per_minute(n)))),
            ipv6_prefix: ipv6_prefix.clamp(1, 128),
        }
    }

    /// What the limit counts `client` as: its IPv4 address (an IPv4-mapped IPv6 address is
    /// one), or its IPv6 network.
    pub fn key(&self, client: IpAddr) -> IpAddr {
        match client {
            IpAddr::V4(v4) => IpAddr::V4(v4),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => IpAddr::V4(v4),
                None => {
                    let mask = u128::MAX << (128 - u32::from(self.ipv6_prefix));
                    IpAddr::V6(std::net::Ipv6Addr::from_bits(v6.to_bits() & mask))
                }
            },
        }
    }

    /// `Err(seconds)` to wait when this client has used up its submissions.
    pub fn check(&self, client: IpAddr) -> Result<(), u64> {
        let Some(limiter) = &self.limiter else {
            return Ok(());
        };
        limiter.check_key(&self.key(client)).map_err(|not_until| {
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

/// Whether `req`'s client may submit now; `Err(seconds)` to wait. Fails closed: without the
/// limiter in the app's state (a wiring bug, logged) every submission waits, and a request
/// whose client cannot be told counts as one unknown client, never as unlimited.
pub fn may_submit(req: &HttpRequest) -> Result<(), u64> {
    let Some(limiter) = req.app_data::<web::Data<SubmissionLimiter>>() else {
        tracing::error!(
            "the submission limiter is missing from the app's state; refusing submissions"
        );
        return Err(60);
    };
    let client = client_address(req).unwrap_or(IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED));
    limiter.check(client)
}

/// Refuses a public submission with 429 when its client has used up its quota. It wraps the
/// submission route alone: moderation, reads and embeds never pass through it.
pub async fn limit_submissions(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<actix_web::body::EitherBody<impl MessageBody>>, actix_web::Error> {
    let is_submission = req.method() == Method::POST;
    if is_submission {
        if let Err(seconds) = may_submit(req.request()) {
            let response = ApiError::RateLimited {
                retry_after_secs: seconds.max(1),
            }
            .error_response();
            return Ok(req.into_response(response).map_into_right_body());
        }
    }
    Ok(next.call(req).await?.map_into_left_body())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_limiter_or_a_client_address_submissions_are_limited_not_free() {
        let unwired = actix_web::test::TestRequest::default().to_http_request();
        assert!(
            may_submit(&unwired).is_err(),
            "no limiter: refused, not unlimited"
        );
        let wired = actix_web::test::TestRequest::default()
            .app_data(web::Data::new(SubmissionLimiter::new(1, 64)))
            .to_http_request();
        assert!(wired.peer_addr().is_none());
        assert!(may_submit(&wired).is_ok());
        assert!(
            may_submit(&wired).is_err(),
            "clients that cannot be told share one quota"
        );
    }

    #[test]
    fn a_client_may_submit_its_quota_then_waits() {
        let limiter = SubmissionLimiter::new(3, 64);
        let client = IpAddr::from([192, 0, 2, 1]);
        for _ in 0..3 {
            assert!(limiter.check(client).is_ok());
        }
        let wait = limiter.check(client).unwrap_err();
        assert!((1..=20).contains(&wait), "{wait}");
        assert!(
            limiter.check(IpAddr::from([192, 0, 2, 2])).is_ok(),
            "other clients are not affected"
        );
        let unlimited = SubmissionLimiter::new(0, 64);
        for _ in 0..1000 {
            assert!(unlimited.check(client).is_ok());
        }
    }

    #[test]
    fn ipv6_clients_share_their_networks_quota() {
        let limiter = SubmissionLimiter::new(2, 64);
        let host = |last: u16| IpAddr::from([0x2001, 0xdb8, 0, 0x42, 0, 0, 0, last]);
        assert!(limiter.check(host(1)).is_ok());
        assert!(limiter.check(host(2)).is_ok());
        assert!(
            limiter.check(host(3)).is_err(),
            "a third address of one /64"
        );
        assert!(
            limiter
                .check(IpAddr::from([0x2001, 0xdb8, 0, 0x43, 0, 0, 0, 1]))
                .is_ok(),
            "the next /64 is another client"
        );
        let whole = SubmissionLimiter::new(2, 128);
        for last in 1..10 {
            assert!(
                whole.check(host(last)).is_ok(),
                "keyed on the whole address"
            );
        }
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap();
        assert_eq!(limiter.key(mapped), IpAddr::from([192, 0, 2, 7]));
    }
}
