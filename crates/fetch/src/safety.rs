//! Outbound safety: which addresses the fetcher may connect to.
//!
//! The check runs after DNS resolution, on every address a name resolves to,
//! and the connection is then made to one of exactly those checked addresses
//! (our resolver hands them to the HTTP client), so a name that resolves to
//! a public address for the check and to a private one for the connection
//! (DNS rebinding) cannot get through. Address literals in URLs never reach
//! a resolver, so [`check_url`] checks them before each hop.

use std::future::Future;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::pin::Pin;

use url::{Host, Url};

use crate::error::Refusal;

/// Which classes of address are allowed beyond the public internet.
///
/// Cloud metadata addresses, unspecified, broadcast and multicast addresses
/// are never allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AddressPolicy {
    /// 127.0.0.0/8 and ::1 (and host names that resolve there, like
    /// `localhost`).
    pub allow_loopback: bool,
    /// RFC 1918, fc00::/7 unique local, 100.64.0.0/10 shared (CGNAT) and
    /// link-local 169.254.0.0/16, fe80::/10.
    pub allow_private: bool,
}

/// Host names of cloud metadata services, refused before resolution.
const METADATA_HOSTS: &[&str] = &[
    "metadata.google.internal",
    "metadata.goog",
    "metadata",
    "instance-data",
    "instance-data.ec2.internal",
];

/// The metadata service addresses (AWS, GCP, Azure, OpenStack, Oracle use
/// 169.254.169.254; AWS's IPv6 endpoint; Alibaba's 100.100.100.200).
fn is_metadata(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            v4 == Ipv4Addr::new(169, 254, 169, 254)
                || v4 == Ipv4Addr::new(169, 254, 170, 2)
                || v4 == Ipv4Addr::new(100, 100, 100, 200)
        }
        IpAddr::V6(v6) => v6 == Ipv6Addr::new(0xfd00, 0x0ec2, 0, 0, 0, 0, 0, 0x0254),
    }
}

enum Class {
    Public,
    Loopback,
    Private(&'static str),
    Never(&'static str),
}

fn classify(ip: IpAddr) -> Class {
    if is_metadata(ip) {
        return Class::Never("a cloud metadata address");
    }
    match ip {
        IpAddr::V4(v4) => classify_v4(v4),
        IpAddr::V6(v6) => {
            // IPv4-mapped (::ffff:a.b.c.d) and the deprecated IPv4-compatible
            // form reach the IPv4 address: judge that one.
            if let Some(v4) = v6.to_ipv4_mapped() {
                return classify(IpAddr::V4(v4));
            }
            let seg = v6.segments();
            if v6.is_unspecified() {
                Class::Never("unspecified")
            } else if v6.is_loopback() {
                Class::Loopback
            } else if v6.is_multicast() {
                Class::Never("multicast")
            } else if seg[0] & 0xfe00 == 0xfc00 {
                Class::Private("private (unique local fc00::/7)")
            } else if seg[0] & 0xffc0 == 0xfe80 {
                Class::Private("link-local (fe80::/10)")
            } else if seg[0] & 0xffc0 == 0xfec0 {
                Class::Private("site-local (fec0::/10)")
            } else if seg[..6] == [0, 0, 0, 0, 0, 0] {
                // ::a.b.c.d, IPv4-compatible.
                let [a, b] = [seg[6].to_be_bytes(), seg[7].to_be_bytes()];
                classify_v4(Ipv4Addr::new(a[0], a[1], b[0], b[1]))
            } else if seg[0] == 0x64 && seg[1] == 0xff9b && seg[2..6] == [0, 0, 0, 0] {
                // NAT64 well-known prefix 64:ff9b::/96 embeds an IPv4 address.
                let [a, b] = [seg[6].to_be_bytes(), seg[7].to_be_bytes()];
                classify_v4(Ipv4Addr::new(a[0], a[1], b[0], b[1]))
            } else {
                Class::Public
            }
        }
    }
}

fn classify_v4(v4: Ipv4Addr) -> Class {
    let o = v4.octets();
    if is_metadata(IpAddr::V4(v4)) {
        Class::Never("a cloud metadata address")
    } else if v4.is_unspecified() || o[0] == 0 {
        Class::Never("unspecified (0.0.0.0/8)")
    } else if v4.is_broadcast() {
        Class::Never("broadcast")
    } else if v4.is_multicast() || o[0] >= 240 {
        Class::Never("multicast or reserved")
    } else if v4.is_loopback() {
        Class::Loopback
    } else if o[0] == 10
        || (o[0] == 172 && (16..32).contains(&o[1]))
        || (o[0] == 192 && o[1] == 168)
    {
        Class::Private("private (RFC 1918)")
    } else if o[0] == 169 && o[1] == 254 {
        Class::Private("link-local (169.254.0.0/16)")
    } else if o[0] == 100 && (64..128).contains(&o[1]) {
        Class::Private("shared address space (CGNAT 100.64.0.0/10)")
    } else if o[0] == 192 && o[1] == 0 && o[2] == 0 {
        Class::Private("IETF protocol assignments (192.0.0.0/24)")
    } else if o[0] == 198 && (o[1] == 18 || o[1] == 19) {
        Class::Private("benchmarking (198.18.0.0/15)")
    } else {
        Class::Public
    }
}

impl AddressPolicy {
    /// Everything public, nothing else (the default).
    pub fn public_only() -> Self {
        Self::default()
    }

    /// Whether `ip` may be connected to; the refusal names the class.
    pub fn check_ip(&self, ip: IpAddr) -> Result<(), Refusal> {
        let class = match classify(ip) {
            Class::Public => return Ok(()),
            Class::Loopback if self.allow_loopback => return Ok(()),
            Class::Loopback => "loopback",
            Class::Private(_) if self.allow_private => return Ok(()),
            Class::Private(c) | Class::Never(c) => c,
        };
        Err(Refusal::Address { addr: ip, class })
    }

    /// Checks what can be checked without DNS: scheme, host present,
    /// metadata host names, and address literals.
    pub fn check_url(&self, url: &Url) -> Result<(), Refusal> {
        match url.scheme() {
            "http" | "https" => {}
            s => return Err(Refusal::Scheme(s.to_string())),
        }
        match url.host() {
            None => Err(Refusal::NoHost),
            Some(Host::Ipv4(v4)) => self.check_ip(IpAddr::V4(v4)),
            Some(Host::Ipv6(v6)) => self.check_ip(IpAddr::V6(v6)),
            Some(Host::Domain(d)) => check_name(d),
        }
    }

    /// Checks a resolved name: every address must pass.
    pub fn check_addrs(&self, host: &str, addrs: &[SocketAddr]) -> Result<(), Refusal> {
        check_name(host)?;
        if addrs.is_empty() {
            return Err(Refusal::NoAddress);
        }
        addrs.iter().try_for_each(|a| self.check_ip(a.ip()))
    }
}

fn check_name(host: &str) -> Result<(), Refusal> {
    let h = host.trim_end_matches('.').to_ascii_lowercase();
    if METADATA_HOSTS.contains(&h.as_str()) {
        return Err(Refusal::MetadataHost(h));
    }
    Ok(())
}

/// The resolver given to the HTTP client: resolves with the system resolver,
/// refuses the whole name if any address is refused, and hands the checked
/// addresses to the connector.
pub(crate) struct CheckedResolver {
    pub(crate) policy: AddressPolicy,
}

/// The error our resolver returns; found again in the client's error chain
/// to report the refusal with its reason.
#[derive(Debug)]
pub(crate) struct RefusedByResolver(pub(crate) Refusal);

impl std::fmt::Display for RefusedByResolver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for RefusedByResolver {}

impl reqwest::dns::Resolve for CheckedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let policy = self.policy;
        let host = name.as_str().to_string();
        let fut: Pin<Box<dyn Future<Output = _> + Send>> = Box::pin(async move {
            type BoxError = Box<dyn std::error::Error + Send + Sync>;
            if let Err(r) = check_name(&host) {
                return Err(Box::new(RefusedByResolver(r)) as BoxError);
            }
            // A lookup failure is a network error (retryable), not a
            // refusal. Port 0: the client puts in the URL's port.
            let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await
                .map_err(|e| Box::new(e) as BoxError)?
                .collect();
            match policy.check_addrs(&host, &addrs) {
                Ok(()) => Ok(Box::new(addrs.into_iter()) as reqwest::dns::Addrs),
                Err(r) => Err(Box::new(RefusedByResolver(r)) as BoxError),
            }
        });
        fut
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(p: AddressPolicy, s: &str) -> bool {
        p.check_ip(s.parse().unwrap()).is_err()
    }

    #[test]
    fn default_refuses_non_public() {
        let p = AddressPolicy::default();
        for a in [
            "10.0.0.1",
            "172.16.5.4",
            "172.31.255.255",
            "192.168.1.1",
            "127.0.0.1",
            "127.5.5.5",
            "169.254.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "100.127.255.254",
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.1",
            "::1",
            "::",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "fd00:ec2::254",
            "::ffff:10.0.0.1",
            "::ffff:127.0.0.1",
            "64:ff9b::a9fe:a9fe",
        ] {
            assert!(refused(p, a), "{a} should be refused");
        }
        for a in [
            "93.184.216.34",
            "172.32.0.1",
            "100.128.0.1",
            "2606:4700::1111",
            "8.8.8.8",
        ] {
            assert!(!refused(p, a), "{a} should be allowed");
        }
    }

    #[test]
    fn flags_open_only_their_class() {
        let lo = AddressPolicy {
            allow_loopback: true,
            allow_private: false,
        };
        assert!(!refused(lo, "127.0.0.1") && !refused(lo, "::1"));
        assert!(refused(lo, "10.0.0.1") && refused(lo, "169.254.169.254"));
        let all = AddressPolicy {
            allow_loopback: true,
            allow_private: true,
        };
        assert!(!refused(all, "10.0.0.1") && !refused(all, "fe80::1"));
        // Metadata stays refused whatever the flags say.
        assert!(refused(all, "169.254.169.254") && refused(all, "fd00:ec2::254"));
        assert!(refused(all, "0.0.0.0"));
    }

    #[test]
    fn urls() {
        let p = AddressPolicy::default();
        let u = |s: &str| Url::parse(s).unwrap();
        assert!(matches!(
            p.check_url(&u("ftp://example.com/")),
            Err(Refusal::Scheme(_))
        ));
        assert!(matches!(
            p.check_url(&u("http://metadata.google.internal/computeMetadata/v1/")),
            Err(Refusal::MetadataHost(_))
        ));
        assert!(matches!(
            p.check_url(&u("http://[::ffff:a9fe:a9fe]/")),
            Err(Refusal::Address { .. })
        ));
        // Decimal and hex forms of an address are parsed as addresses by the
        // URL standard, so they cannot hide one.
        assert!(p.check_url(&u("http://2130706433/")).is_err());
        assert!(p.check_url(&u("http://0x7f.1/")).is_err());
        assert!(p.check_url(&u("https://example.com/")).is_ok());
        let e = p.check_url(&u("http://10.0.0.1/")).unwrap_err();
        assert_eq!(e.to_string(), "address 10.0.0.1 is private (RFC 1918)");
    }
}
