//! Who is on the other end of a request: the connection's peer, or, when that
//! peer is a proxy the installation trusts (`trusted_proxies`), the address the
//! proxy says it forwarded. Nobody else's `X-Forwarded-For` is believed.

use crate::AppState;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use ipnet::IpNet;
use std::net::{IpAddr, SocketAddr};

/// The client's address as an extractor; never refuses a request.
#[derive(Debug, Clone, Copy)]
pub struct ClientAddress(pub Option<IpAddr>);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip());
        Ok(ClientAddress(peer.map(|peer| {
            client_address(peer, &parts.headers, &state.config.trusted_proxies)
        })))
    }
}

/// The client behind `peer`: walking `X-Forwarded-For` from the nearest hop,
/// each trusted proxy hands over to the address it names, and the first hop
/// that is not a trusted proxy is the client.
pub fn client_address(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    let mut client = peer;
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    for hop in hops.iter().rev() {
        if !is_trusted(&client) {
            break;
        }
        match hop.parse::<IpAddr>() {
            Ok(ip) => client = ip,
            // A hop that is not an address: stop at the last one known.
            Err(_) => break,
        }
    }
    client
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forwarded(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", value.parse().expect("header"));
        headers
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("ip")
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_claims() {
        let headers = forwarded("203.0.113.7");
        assert_eq!(
            client_address(ip("127.0.0.1"), &headers, &[]),
            ip("127.0.0.1")
        );
        assert_eq!(
            client_address(ip("198.51.100.1"), &headers, &[]),
            ip("198.51.100.1")
        );
    }

    #[test]
    fn a_trusted_proxy_hands_over_to_the_address_it_added() {
        let trusted: Vec<IpNet> = vec!["127.0.0.1/32".parse().expect("net")];
        // The client may prepend anything; only the entry the proxy added counts.
        let headers = forwarded("10.9.9.9, 203.0.113.7");
        assert_eq!(
            client_address(ip("127.0.0.1"), &headers, &trusted),
            ip("203.0.113.7")
        );
        let garbage = forwarded("no-es-una-ip");
        assert_eq!(
            client_address(ip("127.0.0.1"), &garbage, &trusted),
            ip("127.0.0.1")
        );
    }

    #[test]
    fn a_chain_of_trusted_proxies_is_walked_to_the_first_untrusted_hop() {
        let trusted: Vec<IpNet> = vec!["10.0.0.0/8".parse().expect("net")];
        let headers = forwarded("198.51.100.2, 203.0.113.7, 10.0.0.5");
        assert_eq!(
            client_address(ip("10.0.0.1"), &headers, &trusted),
            ip("203.0.113.7")
        );
    }
}
