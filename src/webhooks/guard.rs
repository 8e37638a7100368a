//! Which addresses a webhook may reach, checked where it counts: when a URL is registered, and
//! again on every delivery by the HTTP client's own resolver, which hands the client only the
//! addresses it has checked. So a name that resolves to a public address when it is checked
//! and to a private one a moment later (DNS rebinding) is never connected to: the check and
//! the connection use the same answer.

use std::net::{IpAddr, SocketAddr};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

use crate::domain::webhook::is_forbidden;
use crate::domain::WebhookUrl;

/// Why a webhook's host may not be reached.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("{host} does not resolve: {reason}")]
    Unresolved { host: String, reason: String },
    #[error(
        "{host} resolves to {address}, which is not a public address (loopback, private, \
         link-local or another address webhooks may not reach); a server whose receivers are \
         on its own network may allow them with ENDORSE_WEBHOOK_ALLOW_PRIVATE=true"
    )]
    NotPublic { host: String, address: IpAddr },
}

/// The addresses of `host` (a name or an IP address) with `port`, refused when any of them is
/// forbidden and `allow_private` is false.
pub async fn resolve(
    host: &str,
    port: u16,
    allow_private: bool,
) -> Result<Vec<SocketAddr>, Refused> {
    let literal = host.trim_start_matches('[').trim_end_matches(']');
    let addresses: Vec<SocketAddr> = match literal.parse::<IpAddr>() {
        Ok(ip) => vec![SocketAddr::new(ip, port)],
        Err(_) => tokio::net::lookup_host((host, port))
            .await
            .map_err(|e| Refused::Unresolved {
                host: host.to_string(),
                reason: e.to_string(),
            })?
            .collect(),
    };
    if addresses.is_empty() {
        return Err(Refused::Unresolved {
            host: host.to_string(),
            reason: "no addresses".into(),
        });
    }
    if !allow_private {
        if let Some(bad) = addresses.iter().find(|a| is_forbidden(a.ip())) {
            return Err(Refused::NotPublic {
                host: host.to_string(),
                address: bad.ip(),
            });
        }
    }
    Ok(addresses)
}

/// Checks a webhook URL's host as [`resolve`] does (the HTTP client does not resolve an IP
/// address written in a URL, so deliveries check those here too).
pub async fn check(url: &WebhookUrl, allow_private: bool) -> Result<(), Refused> {
    let (host, port) = url.host_and_port();
    resolve(&host.to_string(), port, allow_private)
        .await
        .map(drop)
}

/// The HTTP client's resolver: every name it connects to goes through [`resolve`].
#[derive(Debug, Clone, Copy)]
pub struct GuardedResolver {
    pub allow_private: bool,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allow_private = self.allow_private;
        let host = name.as_str().to_string();
        Box::pin(async move {
            // Port 0: the client puts the URL's port in.
            let addresses = resolve(&host, 0, allow_private).await?;
            Ok(Box::new(addresses.into_iter()) as Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn loopback_names_and_addresses_are_refused_unless_allowed() {
        for host in ["localhost", "127.0.0.1", "[::1]", "169.254.169.254"] {
            let refused = resolve(host, 80, false).await.unwrap_err();
            assert!(
                matches!(refused, Refused::NotPublic { .. }),
                "{host}: {refused}"
            );
        }
        assert!(resolve("127.0.0.1", 80, true).await.is_ok());
    }
}
