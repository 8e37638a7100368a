//! Submission limits per client address: a public submission (the JSON API's and the form's)
//! is refused with 429 when its client has used up its quota (`ENDORSE_SUBMIT_RATE`), and
//! nothing else is limited. The submission handlers ask [`may_submit`] once the body has
//! arrived and before they look at it.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use actix_web::{web, HttpRequest};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::db::Db;
use crate::domain::proxies::TrustedProxies;
use crate::error::ApiError;
use crate::store;
use crate::supervisor::Supervisor;

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
///
/// Where the quotas are kept follows the database: on one that several instances share
/// (PostgreSQL), in the database, so that two instances do not allow twice the rate
/// (`store::quotas`); on one that a single process owns (SQLite), in that process's memory.
#[derive(Clone)]
pub struct SubmissionLimiter {
    keeper: Option<Keeper>,
    ipv6_prefix: u8,
}

#[derive(Clone)]
enum Keeper {
    Memory(Arc<DefaultKeyedRateLimiter<IpAddr>>),
    Database(Arc<Shared>),
}

/// Quotas kept in the database.
struct Shared {
    db: Db,
    /// Keys the hash that stands for a client's address in the database.
    key: Vec<u8>,
    interval_us: i64,
    burst_us: i64,
}

/// How often the clients whose quota is whole again are forgotten from the database.
const FORGET_EVERY: Duration = Duration::from_secs(60);

impl SubmissionLimiter {
    /// `per_minute` submissions a minute, in a burst or spread out, counted in this process's
    /// memory; 0 turns the limit off. IPv6 clients are keyed on their first `ipv6_prefix` bits.
    pub fn new(per_minute: u32, ipv6_prefix: u8) -> SubmissionLimiter {
        SubmissionLimiter {
            keeper: NonZeroU32::new(per_minute)
                .map(|n| Keeper::Memory(Arc::new(RateLimiter::keyed(Quota::per_minute(n))))),
            ipv6_prefix: ipv6_prefix.clamp(1, 128),
        }
    }

    /// Like [`SubmissionLimiter::new`], with the quotas kept in `db` (where every instance
    /// using it sees them), clients stood for by an HMAC keyed with `key`. Clients whose quota
    /// is whole again are forgotten by the supervised task `quotas`.
    fn in_database(
        per_minute: u32,
        ipv6_prefix: u8,
        db: Db,
        key: Vec<u8>,
        supervisor: &Supervisor,
    ) -> SubmissionLimiter {
        let Some(per_minute) = NonZeroU32::new(per_minute) else {
            return SubmissionLimiter::new(0, ipv6_prefix);
        };
        let interval_us = 60_000_000 / i64::from(per_minute.get());
        let shared = Arc::new(Shared {
            db: db.clone(),
            key,
            interval_us,
            burst_us: interval_us * i64::from(per_minute.get()),
        });
        supervisor.spawn("quotas", false, move |mut task| {
            let db = db.clone();
            async move {
                let mut ticks = crate::supervisor::every(FORGET_EVERY);
                while task.tick(&mut ticks).await {
                    let now_us = now_us();
                    // One statement: no BEGIN and COMMIT round trips around it.
                    if let Err(e) = db
                        .autocommit(move |conn| Ok(store::quotas::forget_whole(conn, now_us)?))
                        .await
                    {
                        tracing::warn!(error = %e, "forgetting whole submission quotas failed; will retry");
                    }
                }
            }
        });
        SubmissionLimiter {
            keeper: Some(Keeper::Database(shared)),
            ipv6_prefix: ipv6_prefix.clamp(1, 128),
        }
    }

    /// Where `db` wants its quotas kept (see the type's documentation); in the database, keyed
    /// with the secret `quotas`, made the first time.
    pub async fn for_database(
        per_minute: u32,
        ipv6_prefix: u8,
        db: &Db,
        supervisor: &Supervisor,
    ) -> Result<SubmissionLimiter, ApiError> {
        if per_minute == 0 || !db.backend().is_shared_by_instances() {
            return Ok(SubmissionLimiter::new(per_minute, ipv6_prefix));
        }
        let key = db
            .write(|conn| store::secrets::get_or_make(conn, "quotas"))
            .await?;
        let limiter =
            SubmissionLimiter::in_database(per_minute, ipv6_prefix, db.clone(), key, supervisor);
        Ok(limiter)
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

    /// Takes one submission from `client`'s quota: `RateLimited` with the seconds to wait
    /// when it has used it up, or the database's error when the quota cannot be read (so
    /// nothing passes unlimited).
    pub async fn check(&self, client: IpAddr) -> Result<(), ApiError> {
        let wait_secs = |micros: u64| (micros.div_ceil(1_000_000)).max(1);
        match &self.keeper {
            None => Ok(()),
            Some(Keeper::Memory(limiter)) => {
                limiter.check_key(&self.key(client)).map_err(|not_until| {
                    let wait = not_until.wait_time_from(DefaultClock::default().now());
                    ApiError::RateLimited {
                        retry_after_secs: wait_secs(wait.as_micros() as u64),
                    }
                })?;
                // Forget clients that have not been seen for a while, so memory stays bounded.
                if limiter.len() > 100_000 {
                    limiter.retain_recent();
                }
                Ok(())
            }
            Some(Keeper::Database(shared)) => {
                let client = shared.client_hash(self.key(client));
                let (interval_us, burst_us) = (shared.interval_us, shared.burst_us);
                // One upsert: no BEGIN and COMMIT round trips around it.
                let taken = shared
                    .db
                    .autocommit(move |conn| {
                        let take = store::quotas::Take {
                            client: &client,
                            now_us: now_us(),
                            interval_us,
                            burst_us,
                        };
                        Ok(store::quotas::take(conn, &take)?)
                    })
                    .await?;
                taken.map_err(|wait_us| ApiError::RateLimited {
                    retry_after_secs: wait_secs(wait_us.max(0) as u64),
                })
            }
        }
    }
}

impl Shared {
    /// What stands for a client in the database: HMAC-SHA-256 of its address's bytes, cut to
    /// 16 bytes, so the table never holds an address.
    fn client_hash(&self, client: IpAddr) -> [u8; 16] {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes any key");
        match client {
            IpAddr::V4(v4) => mac.update(&v4.octets()),
            IpAddr::V6(v6) => mac.update(&v6.octets()),
        }
        let mut hash = [0u8; 16];
        hash.copy_from_slice(&mac.finalize().into_bytes()[..16]);
        hash
    }
}

fn now_us() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_micros() as i64)
}

/// Whether `req`'s client may submit now; `RateLimited` with the seconds to wait when not.
/// Fails closed: without the limiter in the app's state (a wiring bug, logged) every
/// submission waits, and a request whose client cannot be told counts as one unknown client,
/// never as unlimited.
pub async fn may_submit(req: &HttpRequest) -> Result<(), ApiError> {
    let Some(limiter) = req.app_data::<web::Data<SubmissionLimiter>>() else {
        tracing::error!(
            "the submission limiter is missing from the app's state; refusing submissions"
        );
        return Err(ApiError::RateLimited {
            retry_after_secs: 60,
        });
    };
    let client = client_address(req).unwrap_or(IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED));
    limiter.check(client).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn without_a_limiter_or_a_client_address_submissions_are_limited_not_free() {
        let unwired = actix_web::test::TestRequest::default().to_http_request();
        assert!(
            may_submit(&unwired).await.is_err(),
            "no limiter: refused, not unlimited"
        );
        let wired = actix_web::test::TestRequest::default()
            .app_data(web::Data::new(SubmissionLimiter::new(1, 64)))
            .to_http_request();
        assert!(wired.peer_addr().is_none());
        assert!(may_submit(&wired).await.is_ok());
        assert!(
            may_submit(&wired).await.is_err(),
            "clients that cannot be told share one quota"
        );
    }

    #[tokio::test]
    async fn a_client_may_submit_its_quota_then_waits() {
        let limiter = SubmissionLimiter::new(3, 64);
        let client = IpAddr::from([192, 0, 2, 1]);
        for _ in 0..3 {
            assert!(limiter.check(client).await.is_ok());
        }
        let ApiError::RateLimited {
            retry_after_secs: wait,
        } = limiter.check(client).await.unwrap_err()
        else {
            panic!("refused as rate limited");
        };
        assert!((1..=20).contains(&wait), "{wait}");
        assert!(
            limiter.check(IpAddr::from([192, 0, 2, 2])).await.is_ok(),
            "other clients are not affected"
        );
        let unlimited = SubmissionLimiter::new(0, 64);
        for _ in 0..1000 {
            assert!(unlimited.check(client).await.is_ok());
        }
    }

    #[tokio::test]
    async fn ipv6_clients_share_their_networks_quota() {
        let limiter = SubmissionLimiter::new(2, 64);
        let host = |last: u16| IpAddr::from([0x2001, 0xdb8, 0, 0x42, 0, 0, 0, last]);
        assert!(limiter.check(host(1)).await.is_ok());
        assert!(limiter.check(host(2)).await.is_ok());
        assert!(
            limiter.check(host(3)).await.is_err(),
            "a third address of one /64"
        );
        assert!(
            limiter
                .check(IpAddr::from([0x2001, 0xdb8, 0, 0x43, 0, 0, 0, 1]))
                .await
                .is_ok(),
            "the next /64 is another client"
        );
        let whole = SubmissionLimiter::new(2, 128);
        for last in 1..10 {
            assert!(
                whole.check(host(last)).await.is_ok(),
                "keyed on the whole address"
            );
        }
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap();
        assert_eq!(limiter.key(mapped), IpAddr::from([192, 0, 2, 7]));
    }
}
