//! RTP port allocation from a trunk's `rtp_ports` range.
//!
//! RTP takes an even port and RTCP the odd one above it (RFC 3550 §11). The pool hands out
//! pairs round-robin from a shared cursor and simply tries the next pair when the
//! operating system says a port is taken, so ports freed by ended calls come back without
//! any bookkeeping and two nodes can share a range without clashing.

use std::io;
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicU32, Ordering};

use tokio::net::UdpSocket;

/// The two sockets of one RTP session.
#[derive(Debug)]
pub struct RtpSocket {
    pub rtp: UdpSocket,
    pub rtcp: UdpSocket,
}

impl RtpSocket {
    /// The local RTP address (to put in SDP).
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.rtp.local_addr()
    }
}

/// A range of even/odd port pairs on one local address.
#[derive(Debug)]
pub struct PortPool {
    ip: IpAddr,
    /// First even port.
    low: u16,
    /// Number of pairs in the range.
    pairs: u32,
    cursor: AtomicU32,
}

impl PortPool {
    /// Pairs from `low..=high` on `ip`; `low` is rounded up to even. Empty ranges give a
    /// pool whose every allocation fails.
    pub fn new(ip: IpAddr, low: u16, high: u16) -> PortPool {
        let low = low.saturating_add(low % 2);
        let pairs = if high > low {
            u32::from(high - low).div_ceil(2)
        } else {
            0
        };
        PortPool {
            ip,
            low,
            pairs,
            cursor: AtomicU32::new(0),
        }
    }

    /// Binds the next free pair.
    pub async fn allocate(&self) -> io::Result<RtpSocket> {
        for _ in 0..self.pairs {
            let pair = self.cursor.fetch_add(1, Ordering::Relaxed) % self.pairs;
            let port = self.low + (pair * 2) as u16;
            let Ok(rtp) = UdpSocket::bind((self.ip, port)).await else {
                continue;
            };
            let Ok(rtcp) = UdpSocket::bind((self.ip, port + 1)).await else {
                continue;
            };
            return Ok(RtpSocket { rtp, rtcp });
        }
        Err(io::Error::new(
            io::ErrorKind::AddrInUse,
            "no free RTP port pair in the range",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    #[tokio::test]
    async fn pairs_are_even_odd_and_skip_busy_ports() {
        let ip = IpAddr::V4(Ipv4Addr::LOCALHOST);
        // Find a free stretch: the pool must work around whatever is taken.
        let pool = PortPool::new(ip, 41001, 41010);
        let a = pool.allocate().await.unwrap();
        let b = pool.allocate().await.unwrap();
        let (pa, pb) = (
            a.local_addr().unwrap().port(),
            b.local_addr().unwrap().port(),
        );
        assert_eq!(pa % 2, 0);
        assert_eq!(a.rtcp.local_addr().unwrap().port(), pa + 1);
        assert_ne!(pa, pb);
        let mut held = vec![a, b];
        while let Ok(s) = pool.allocate().await {
            held.push(s);
        }
        assert!(held.len() <= 4, "only four pairs in 41002..=41009");
        held.pop();
        assert!(pool.allocate().await.is_ok(), "a freed pair is found again");
    }
}
