//! Network address strategies: unspecified, loopback, broadcast, private, multicast, IPv4-mapped IPv6,
//! link-local with scope ids, ports 0 and 65535, and random addresses.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};

use proptest::prelude::*;
use proptest::strategy::BoxedStrategy;

use crate::attack::{one_of, weighted, Attack};
use crate::hints::Hints;

/// Edge IPv4 addresses.
#[must_use]
pub fn edge_ipv4() -> Vec<Ipv4Addr> {
    vec![
        Ipv4Addr::UNSPECIFIED,
        Ipv4Addr::LOCALHOST,
        Ipv4Addr::BROADCAST,
        Ipv4Addr::new(10, 0, 0, 1),
        Ipv4Addr::new(192, 168, 0, 1),
        Ipv4Addr::new(169, 254, 169, 254),
        Ipv4Addr::new(224, 0, 0, 1),
        Ipv4Addr::new(255, 255, 255, 254),
        Ipv4Addr::new(0, 0, 0, 1),
    ]
}

/// Edge IPv6 addresses.
#[must_use]
pub fn edge_ipv6() -> Vec<Ipv6Addr> {
    vec![
        Ipv6Addr::UNSPECIFIED,
        Ipv6Addr::LOCALHOST,
        Ipv4Addr::LOCALHOST.to_ipv6_mapped(),
        Ipv6Addr::new(0xfe80, 0, 0, 0, 0, 0, 0, 1),
        Ipv6Addr::new(0xff02, 0, 0, 0, 0, 0, 0, 1),
        Ipv6Addr::new(
            0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff,
        ),
        Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1),
    ]
}

/// Edge ports.
pub fn edge_ports() -> BoxedStrategy<u16> {
    prop_oneof![3 => one_of(vec![0u16, 1, 80, 443, 1023, 1024, 65534, 65535]), 1 => any::<u16>()]
        .boxed()
}

impl Attack for Ipv4Addr {
    fn attack(_: &Hints) -> BoxedStrategy<Ipv4Addr> {
        weighted(vec![
            (3, one_of(edge_ipv4())),
            (2, any::<u32>().prop_map(Ipv4Addr::from).boxed()),
        ])
    }
}

impl Attack for Ipv6Addr {
    fn attack(_: &Hints) -> BoxedStrategy<Ipv6Addr> {
        weighted(vec![
            (3, one_of(edge_ipv6())),
            (2, any::<u128>().prop_map(Ipv6Addr::from).boxed()),
        ])
    }
}

impl Attack for IpAddr {
    fn attack(h: &Hints) -> BoxedStrategy<IpAddr> {
        prop_oneof![
            Ipv4Addr::attack(h).prop_map(IpAddr::V4),
            Ipv6Addr::attack(h).prop_map(IpAddr::V6)
        ]
        .boxed()
    }
}

impl Attack for SocketAddrV4 {
    fn attack(h: &Hints) -> BoxedStrategy<SocketAddrV4> {
        (Ipv4Addr::attack(h), edge_ports())
            .prop_map(|(ip, p)| SocketAddrV4::new(ip, p))
            .boxed()
    }
}

impl Attack for SocketAddrV6 {
    fn attack(h: &Hints) -> BoxedStrategy<SocketAddrV6> {
        (
            Ipv6Addr::attack(h),
            edge_ports(),
            one_of(vec![0u32, 1, u32::MAX]),
            one_of(vec![0u32, 1, u32::MAX]),
        )
            .prop_map(|(ip, p, f, s)| SocketAddrV6::new(ip, p, f, s))
            .boxed()
    }
}

impl Attack for SocketAddr {
    fn attack(h: &Hints) -> BoxedStrategy<SocketAddr> {
        prop_oneof![
            SocketAddrV4::attack(h).prop_map(SocketAddr::V4),
            SocketAddrV6::attack(h).prop_map(SocketAddr::V6)
        ]
        .boxed()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numbers::tests::samples;

    #[test]
    fn edge_addresses_and_ports_appear() {
        let v = samples(&SocketAddr::attack(&Hints::NONE), 256);
        assert!(v.iter().any(|a| a.port() == 0) && v.iter().any(|a| a.port() == 65535));
        assert!(v.iter().any(|a| a.ip().is_unspecified()));
    }
}
