//! Webhooks: the events an endpoint may be told of, its URL, and which addresses a delivery
//! may never reach (loopback, private networks, link-local and cloud metadata addresses …),
//! so that registering a URL cannot turn the server into a way into its own network.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use ipnet::{IpNet, Ipv4Net, Ipv6Net};

use super::{FieldCode, Invalid};

/// What a webhook can be told of.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    serde::Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
)]
pub enum WebhookEvent {
    /// A public submission waits for moderation (once its contact confirmed their address,
    /// when confirmation e-mails are on).
    #[serde(rename = "endorsement.submitted")]
    Submitted,
    /// An endorsement became public and counted.
    #[serde(rename = "endorsement.approved")]
    Approved,
    /// An approved endorsement was withdrawn.
    #[serde(rename = "endorsement.withdrawn")]
    Withdrawn,
    /// An endorsement was erased: forget what you kept of it.
    #[serde(rename = "endorsement.erased")]
    Erased,
    /// A campaign's public figures changed; the payload holds them as they are now.
    #[serde(rename = "counts.changed")]
    CountsChanged,
}

impl WebhookEvent {
    pub const ALL: [WebhookEvent; 5] = [
        WebhookEvent::Submitted,
        WebhookEvent::Approved,
        WebhookEvent::Withdrawn,
        WebhookEvent::Erased,
        WebhookEvent::CountsChanged,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            WebhookEvent::Submitted => "endorsement.submitted",
            WebhookEvent::Approved => "endorsement.approved",
            WebhookEvent::Withdrawn => "endorsement.withdrawn",
            WebhookEvent::Erased => "endorsement.erased",
            WebhookEvent::CountsChanged => "counts.changed",
        }
    }

    pub fn parse(raw: &str) -> Result<WebhookEvent, Invalid> {
        WebhookEvent::ALL
            .into_iter()
            .find(|event| event.as_str() == raw)
            .ok_or_else(|| {
                let known: Vec<&str> = WebhookEvent::ALL.iter().map(|e| e.as_str()).collect();
                Invalid::new(
                    FieldCode::InvalidChoice,
                    format!(
                        "{raw:?} is not an event; expected one of: {}",
                        known.join(", ")
                    ),
                )
            })
    }
}

impl std::fmt::Display for WebhookEvent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

super::word_enum! {
    /// Where a delivery stands: `pending` (queued, or being retried), `delivered` (the
    /// endpoint answered 2xx), `failed` (given up after the retry window, or its endpoint was
    /// disabled).
    DeliveryStatus, "a delivery status" {
        Pending => "pending",
        Delivered => "delivered",
        Failed => "failed",
    }
}

/// Where a webhook's deliveries go: an absolute `http://` or `https://` URL with a host, no
/// user name or password (the list of webhooks shows URLs, and must never show a secret), at
/// most [`WebhookUrl::MAX`] characters. Whether its host may be reached is another question,
/// answered when it is resolved ([`is_forbidden`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookUrl(url::Url);

impl WebhookUrl {
    pub const MAX: usize = 2048;

    pub fn parse(raw: &str) -> Result<WebhookUrl, Invalid> {
        let raw = raw.trim();
        if raw.chars().count() > WebhookUrl::MAX {
            return Err(Invalid::new(
                FieldCode::TooLong,
                format!("must be at most {} characters", WebhookUrl::MAX),
            ));
        }
        let invalid = || {
            Invalid::new(
                FieldCode::InvalidUrl,
                "must be an absolute http:// or https:// URL with a host",
            )
        };
        let url = url::Url::parse(raw).map_err(|_| invalid())?;
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
            return Err(invalid());
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(Invalid::new(
                FieldCode::InvalidUrl,
                "must not hold a user name or password: the list of webhooks shows URLs; \
                 check the signature instead",
            ));
        }
        Ok(WebhookUrl(url))
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    pub fn url(&self) -> &url::Url {
        &self.0
    }

    /// The host as the URL names it, and the port (the scheme's when none is given).
    pub fn host_and_port(&self) -> (url::Host<&str>, u16) {
        let host = self.0.host().unwrap_or(url::Host::Domain(""));
        (host, self.0.port_or_known_default().unwrap_or(80))
    }
}

/// The networks a webhook may not reach unless private addresses are allowed: this machine,
/// private and shared networks, link-local ones (the cloud metadata service at
/// 169.254.169.254 among them), and addresses that are no single host's.
const FORBIDDEN_V4: [(Ipv4Addr, u8); 11] = [
    (Ipv4Addr::new(0, 0, 0, 0), 8),      // "this network", unspecified
    (Ipv4Addr::new(10, 0, 0, 0), 8),     // private (RFC 1918)
    (Ipv4Addr::new(100, 64, 0, 0), 10),  // carrier-grade NAT (RFC 6598)
    (Ipv4Addr::new(127, 0, 0, 0), 8),    // loopback
    (Ipv4Addr::new(169, 254, 0, 0), 16), // link-local, cloud metadata
    (Ipv4Addr::new(172, 16, 0, 0), 12),  // private (RFC 1918)
    (Ipv4Addr::new(192, 0, 0, 0), 24),   // IETF protocol assignments
    (Ipv4Addr::new(192, 168, 0, 0), 16), // private (RFC 1918)
    (Ipv4Addr::new(198, 18, 0, 0), 15),  // benchmarking
    (Ipv4Addr::new(224, 0, 0, 0), 4),    // multicast
    (Ipv4Addr::new(240, 0, 0, 0), 4),    // reserved, and the broadcast address
];

const FORBIDDEN_V6: [(Ipv6Addr, u8); 6] = [
    (Ipv6Addr::UNSPECIFIED, 128),
    (Ipv6Addr::LOCALHOST, 128),
    (Ipv6Addr::new(0x64, 0xff9b, 1, 0, 0, 0, 0, 0), 48), // local-use NAT64
    (Ipv6Addr::new(0xfc00, 0, 0, 0, 0, 0, 0, 0), 7),     // unique local (ULA)
    (Ipv6Addr::new(0xfe80, 0, 0, 0, 0, 0, 0, 0), 10),    // link-local
    (Ipv6Addr::new(0xff00, 0, 0, 0, 0, 0, 0, 0), 8),     // multicast
];

/// Whether a delivery may not go to `address` (unless private addresses are allowed). An
/// IPv6 address that carries an IPv4 one (mapped `::ffff:a.b.c.d`, compatible, NAT64 or
/// 6to4) is judged by the IPv4 address inside it.
pub fn is_forbidden(address: IpAddr) -> bool {
    match address {
        IpAddr::V4(v4) => FORBIDDEN_V4.iter().any(|(net, len)| {
            Ipv4Net::new(*net, *len).is_ok_and(|net| IpNet::V4(net).contains(&IpAddr::V4(v4)))
        }),
        IpAddr::V6(v6) => {
            if let Some(inner) = embedded_v4(v6) {
                return is_forbidden(IpAddr::V4(inner));
            }
            FORBIDDEN_V6.iter().any(|(net, len)| {
                Ipv6Net::new(*net, *len).is_ok_and(|net| IpNet::V6(net).contains(&IpAddr::V6(v6)))
            })
        }
    }
}

/// The IPv4 address an IPv6 one stands for, where it stands for one.
fn embedded_v4(v6: Ipv6Addr) -> Option<Ipv4Addr> {
    let s = v6.segments();
    let low = Ipv4Addr::new((s[6] >> 8) as u8, s[6] as u8, (s[7] >> 8) as u8, s[7] as u8);
    match s {
        // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible, deprecated); not :: and ::1.
        [0, 0, 0, 0, 0, 0xffff, _, _] => Some(low),
        [0, 0, 0, 0, 0, 0, _, _] if v6 != Ipv6Addr::UNSPECIFIED && v6 != Ipv6Addr::LOCALHOST => {
            Some(low)
        }
        // 64:ff9b::a.b.c.d (the well-known NAT64 prefix).
        [0x64, 0xff9b, 0, 0, 0, 0, _, _] => Some(low),
        // 2002:AABB:CCDD::/48 (6to4).
        [0x2002, hi, lo, ..] => Some(Ipv4Addr::new(
            (hi >> 8) as u8,
            hi as u8,
            (lo >> 8) as u8,
            lo as u8,
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forbidden(raw: &str) -> bool {
        is_forbidden(raw.parse().unwrap())
    }

    #[test]
    fn private_loopback_link_local_and_metadata_addresses_are_forbidden() {
        for raw in [
            "127.0.0.1",
            "127.255.0.9",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "100.127.255.255",
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.1",
            "::",
            "::1",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "::ffff:10.0.0.1",
            "64:ff9b::a00:1",
            "2002:c0a8:0101::1",
        ] {
            assert!(forbidden(raw), "{raw} must be refused");
        }
    }

    #[test]
    fn public_addresses_are_allowed() {
        for raw in [
            "93.184.215.14",
            "8.8.8.8",
            "172.32.0.1",
            "100.128.0.1",
            "169.255.0.1",
            "2606:2800:21f:cb07:6820:80da:af6b:8b2c",
            "::ffff:8.8.8.8",
            "2002:0808:0808::1",
        ] {
            assert!(!forbidden(raw), "{raw} must be allowed");
        }
    }

    #[test]
    fn a_webhook_url_is_http_or_https_with_a_host_and_no_credentials() {
        assert!(WebhookUrl::parse("https://hooks.example.org/endorse?x=1").is_ok());
        assert!(WebhookUrl::parse("http://127.0.0.1:9000/").is_ok());
        for bad in [
            "ftp://example.org/",
            "example.org/hook",
            "https://",
            "https://user:pass@example.org/",
            "javascript:alert(1)",
        ] {
            let invalid = WebhookUrl::parse(bad).unwrap_err();
            assert_eq!(invalid.code, FieldCode::InvalidUrl, "{bad}");
        }
    }

    #[test]
    fn events_parse_by_their_dotted_names_only() {
        for event in WebhookEvent::ALL {
            assert_eq!(WebhookEvent::parse(event.as_str()), Ok(event));
            assert_eq!(
                serde_json::to_value(event).unwrap(),
                serde_json::json!(event.as_str())
            );
        }
        assert!(WebhookEvent::parse("endorsement.rejected").is_err());
        assert!(WebhookEvent::parse("endorsement_approved").is_err());
    }
}
