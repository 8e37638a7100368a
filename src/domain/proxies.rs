//! Who a request comes from: the TCP peer, unless the peer is a trusted reverse proxy
//! (`ENDORSE_TRUSTED_PROXIES`); then the rightmost address in `X-Forwarded-For` that is not
//! itself a trusted proxy. A client cannot spoof its address by sending the header itself,
//! because only trusted peers' headers are read.

use std::net::IpAddr;

use ipnet::IpNet;

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

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn the_client_is_the_rightmost_hop_that_is_not_a_trusted_proxy() {
        let cases: [(&str, &str, &[&str], &str); 4] = [
            // An untrusted peer is the client, whatever it forwards.
            (
                "10.0.0.0/8",
                "203.0.113.9",
                &["198.51.100.1"],
                "203.0.113.9",
            ),
            // Behind trusted proxies the rightmost untrusted hop is the client: a client
            // cannot prepend a fake address.
            (
                "10.0.0.0/8, 127.0.0.1",
                "127.0.0.1",
                &["198.51.100.7, 203.0.113.5, 10.1.2.3"],
                "203.0.113.5",
            ),
            // A trusted peer without a header is the client.
            ("::1", "::1", &[], "::1"),
            // Garbage in the header stops at the last trusted hop.
            ("127.0.0.1", "127.0.0.1", &["not-an-ip"], "127.0.0.1"),
        ];
        for (trusted, peer, forwarded, client) in cases {
            let proxies: TrustedProxies = trusted.parse().unwrap();
            assert_eq!(
                proxies.client_address(Some(ip(peer)), forwarded.iter().copied()),
                Some(ip(client)),
                "trusting {trusted}, from {peer} forwarding {forwarded:?}"
            );
        }
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
}
