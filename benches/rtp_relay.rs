//! RTP relay packets per second on loopback, and per relay core.
//!
//! A sender task sends 172-byte PCMA RTP packets (12-byte header, 20 ms of audio) to the
//! relay's leg A socket; the relay forwards each to a receiver task behind its leg B
//! socket. At most `WINDOW` packets are in flight, so nothing is lost to full socket
//! buffers. The relay runs alone on a single-threaded tokio runtime in its own thread
//! (one core at most); the sender and receiver share another. Three relays, in one
//! criterion group:
//!
//! * `callbackd_bridge` — `drivers::media::bridge`, as a bridged call runs it;
//! * `plain_loop` — a bare `recv_from`/`send_to` forwarding loop, the baseline;
//! * `mmsg_loop` — the same loop reading up to `BATCH` datagrams with one `recvmmsg` and
//!   sending them with one `sendmmsg`.
//!
//! Criterion's throughput is wall clock and includes the load generator on the other
//! core. The relay thread's own CPU time (from `/proc/self/task/<tid>/schedstat`) is
//! printed per packet after each run: that is the per-core figure.
//!
//! `cargo bench --bench rtp_relay -- --warm-up-time 2 --measurement-time 5`

use std::cell::Cell;
use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, SocketAddrV4};
use std::os::fd::AsRawFd;
use std::sync::Arc;
use std::sync::mpsc as std_mpsc;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use drivers::media::bridge;
use drivers::media::{MediaCounters, MediaParams, RtpSocket};
use protocols::g711::Law;
use tokio::io::Interest;
use tokio::net::UdpSocket;
use tokio::runtime::{Builder, Runtime};
use tokio::sync::{Notify, mpsc};

/// Packets in flight at most.
const WINDOW: u64 = 64;
/// Datagrams per `recvmmsg`/`sendmmsg`.
const BATCH: usize = 32;
const PACKET_LEN: usize = 172;
const LOCALHOST: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

#[derive(Clone, Copy)]
enum Kind {
    Bridge,
    Plain,
    Mmsg,
}

/// A relay running on its own thread; dropping it stops it.
struct Relay {
    leg_a: SocketAddr,
    tid: i32,
    stop: Option<std_mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Relay {
    /// Starts `kind` between a sender at `sender` and a receiver at `receiver`.
    fn start(kind: Kind, sender: SocketAddr, receiver: SocketAddr) -> Relay {
        let (ready_tx, ready_rx) = std_mpsc::channel();
        let (stop, stopped) = std_mpsc::channel::<()>();
        let thread = std::thread::spawn(move || {
            let rt = Builder::new_current_thread().enable_all().build().unwrap();
            rt.block_on(async move {
                let a = bind_pair().await;
                let b = bind_pair().await;
                let tid = unsafe { libc::gettid() };
                ready_tx.send((a.rtp.local_addr().unwrap(), tid)).unwrap();
                let (quit_tx, quit_rx) = tokio::sync::oneshot::channel::<()>();
                std::thread::spawn(move || {
                    let _ = stopped.recv();
                    let _ = quit_tx.send(());
                });
                match kind {
                    Kind::Bridge => {
                        let (events, mut heard) = mpsc::channel(16);
                        let handle = bridge::spawn(
                            (a, MediaParams::g711(sender, Law::Alaw, Some(101))),
                            (b, MediaParams::g711(receiver, Law::Alaw, Some(101))),
                            events,
                            Arc::new(MediaCounters::default()),
                            Duration::from_secs(600),
                        );
                        tokio::select! {
                            _ = quit_rx => {}
                            _ = async { while heard.recv().await.is_some() {} } => {}
                        }
                        handle.stop().await;
                    }
                    Kind::Plain => {
                        tokio::select! {
                            _ = quit_rx => {}
                            _ = plain_loop(&a.rtp, &b.rtp, sender, receiver) => {}
                        }
                    }
                    Kind::Mmsg => {
                        tokio::select! {
                            _ = quit_rx => {}
                            _ = mmsg_loop(&a.rtp, &b.rtp, sender, receiver) => {}
                        }
                    }
                }
            });
        });
        let (leg_a, tid) = ready_rx.recv().unwrap();
        Relay {
            leg_a,
            tid,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// Nanoseconds the relay thread has spent on a CPU.
    fn cpu_ns(&self) -> u64 {
        let path = format!("/proc/self/task/{}/schedstat", self.tid);
        std::fs::read_to_string(path)
            .ok()
            .and_then(|s| s.split_whitespace().next()?.parse().ok())
            .unwrap_or(0)
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

async fn bind_pair() -> RtpSocket {
    loop {
        let rtp = UdpSocket::bind((LOCALHOST, 0)).await.unwrap();
        let port = rtp.local_addr().unwrap().port();
        if port % 2 == 0
            && let Ok(rtcp) = UdpSocket::bind((LOCALHOST, port + 1)).await
        {
            return RtpSocket { rtp, rtcp };
        }
    }
}

/// The baseline: forward each datagram as it comes, nothing else.
async fn plain_loop(a: &UdpSocket, b: &UdpSocket, a_peer: SocketAddr, b_peer: SocketAddr) {
    let mut buf_a = [0u8; 1500];
    let mut buf_b = [0u8; 1500];
    loop {
        tokio::select! {
            r = a.recv_from(&mut buf_a) => if let Ok((len, _)) = r {
                let _ = b.send_to(&buf_a[..len], b_peer).await;
            },
            r = b.recv_from(&mut buf_b) => if let Ok((len, _)) = r {
                let _ = a.send_to(&buf_b[..len], a_peer).await;
            },
        }
    }
}

/// The baseline with `recvmmsg`/`sendmmsg`: up to `BATCH` datagrams per system call.
async fn mmsg_loop(a: &UdpSocket, b: &UdpSocket, a_peer: SocketAddr, b_peer: SocketAddr) {
    let mut batch = Batch::new();
    loop {
        tokio::select! {
            r = a.readable() => if r.is_ok() { let _ = batch.forward(a, b, b_peer); },
            r = b.readable() => if r.is_ok() { let _ = batch.forward(b, a, a_peer); },
        }
    }
}

/// Buffers and headers for one `recvmmsg`/`sendmmsg` round.
struct Batch {
    /// The memory the iovecs point into.
    _bufs: Vec<[u8; 1500]>,
    iovecs: Vec<libc::iovec>,
    headers: Vec<libc::mmsghdr>,
}

impl Batch {
    fn new() -> Batch {
        let mut bufs = vec![[0u8; 1500]; BATCH];
        let iovecs: Vec<libc::iovec> = bufs
            .iter_mut()
            .map(|b| libc::iovec {
                iov_base: b.as_mut_ptr().cast(),
                iov_len: b.len(),
            })
            .collect();
        // SAFETY: mmsghdr is plain old data; all-zero is a valid empty header.
        let headers = vec![unsafe { std::mem::zeroed::<libc::mmsghdr>() }; BATCH];
        Batch {
            _bufs: bufs,
            iovecs,
            headers,
        }
    }

    /// Reads what `from` has queued (up to `BATCH`) and sends it all to `to_peer`.
    fn forward(&mut self, from: &UdpSocket, to: &UdpSocket, to_peer: SocketAddr) -> io::Result<()> {
        let SocketAddr::V4(peer) = to_peer else {
            return Ok(());
        };
        let mut name = sockaddr(peer);
        for (h, iov) in self.headers.iter_mut().zip(self.iovecs.iter_mut()) {
            iov.iov_len = 1500;
            h.msg_hdr.msg_iov = iov;
            h.msg_hdr.msg_iovlen = 1;
            h.msg_hdr.msg_name = std::ptr::null_mut();
            h.msg_hdr.msg_namelen = 0;
            h.msg_len = 0;
        }
        let headers = self.headers.as_mut_ptr();
        let n = from.try_io(Interest::READABLE, || {
            // SAFETY: `headers` points at BATCH headers whose iovecs point into `bufs`,
            // all alive for the call.
            let n = unsafe {
                libc::recvmmsg(
                    from.as_raw_fd(),
                    headers,
                    BATCH as u32,
                    libc::MSG_DONTWAIT,
                    std::ptr::null_mut(),
                )
            };
            if n < 0 {
                Err(io::Error::last_os_error())
            } else {
                Ok(n as usize)
            }
        })?;
        for (h, iov) in self.headers[..n].iter_mut().zip(self.iovecs.iter_mut()) {
            iov.iov_len = h.msg_len as usize;
            h.msg_hdr.msg_name = (&raw mut name).cast();
            h.msg_hdr.msg_namelen = std::mem::size_of::<libc::sockaddr_in>() as u32;
        }
        // SAFETY: as above; `name` outlives the call. A short or failed send drops
        // datagrams, as a full UDP socket would.
        unsafe { libc::sendmmsg(to.as_raw_fd(), headers, n as u32, libc::MSG_DONTWAIT) };
        Ok(())
    }
}

fn sockaddr(addr: SocketAddrV4) -> libc::sockaddr_in {
    libc::sockaddr_in {
        sin_family: libc::AF_INET as libc::sa_family_t,
        sin_port: addr.port().to_be(),
        sin_addr: libc::in_addr {
            s_addr: u32::from(*addr.ip()).to_be(),
        },
        sin_zero: [0; 8],
    }
}

/// Sends `count` packets through the relay and waits for them; returns the packets lost.
async fn drive(sender: &UdpSocket, receiver: &UdpSocket, leg_a: SocketAddr, count: u64) -> u64 {
    let sent = Cell::new(0u64);
    let settled = Cell::new(0u64);
    let room = Notify::new();
    let mut lost = 0;
    let send = async {
        let mut packet = [0xd5u8; PACKET_LEN];
        packet[..12].copy_from_slice(&[0x80, 8, 0, 0, 0, 0, 0, 0, 0x12, 0x34, 0x56, 0x78]);
        while sent.get() < count {
            if sent.get() - settled.get() >= WINDOW {
                room.notified().await;
                continue;
            }
            let seq = sent.get() as u16;
            packet[2..4].copy_from_slice(&seq.to_be_bytes());
            packet[4..8].copy_from_slice(&(u32::from(seq) * 160).to_be_bytes());
            if sender.send_to(&packet, leg_a).await.is_ok() {
                sent.set(sent.get() + 1);
            }
        }
    };
    let receive = async {
        let mut buf = [0u8; 1500];
        while settled.get() < count {
            match tokio::time::timeout(Duration::from_millis(20), receiver.recv(&mut buf)).await {
                Ok(_) => settled.set(settled.get() + 1),
                Err(_) => {
                    // Whatever is still in flight after 20 ms of silence is gone.
                    lost += sent.get() - settled.get();
                    settled.set(sent.get());
                }
            }
            room.notify_one();
        }
    };
    tokio::join!(send, receive);
    lost
}

fn relay_benches(c: &mut Criterion) {
    let load = Builder::new_current_thread().enable_all().build().unwrap();
    let mut group = c.benchmark_group("rtp_relay");
    group.throughput(Throughput::Elements(1));
    for (name, kind) in [
        ("plain_loop", Kind::Plain),
        ("mmsg_loop", Kind::Mmsg),
        ("callbackd_bridge", Kind::Bridge),
    ] {
        run(&mut group, &load, name, kind);
    }
    group.finish();
}

fn run(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    load: &Runtime,
    name: &str,
    kind: Kind,
) {
    let (sender, receiver) = load.block_on(async {
        (
            UdpSocket::bind((LOCALHOST, 0)).await.unwrap(),
            UdpSocket::bind((LOCALHOST, 0)).await.unwrap(),
        )
    });
    let relay = Relay::start(
        kind,
        sender.local_addr().unwrap(),
        receiver.local_addr().unwrap(),
    );
    let (mut packets, mut lost) = (0u64, 0u64);
    let cpu_before = relay.cpu_ns();
    let wall = Instant::now();
    group.bench_function(name, |b| {
        b.iter_custom(|iters| {
            let start = Instant::now();
            lost += load.block_on(drive(&sender, &receiver, relay.leg_a, iters));
            packets += iters;
            start.elapsed()
        })
    });
    let cpu = relay.cpu_ns() - cpu_before;
    let wall = wall.elapsed();
    eprintln!(
        "{name}: {packets} packets, {lost} lost; relay thread {:.0} ns CPU per packet \
         ({:.0} packets per relay CPU-second; relay busy {:.0} % of wall time)",
        cpu as f64 / packets as f64,
        packets as f64 / (cpu as f64 / 1e9),
        100.0 * cpu as f64 / wall.as_nanos() as f64,
    );
}

criterion_group!(benches, relay_benches);
criterion_main!(benches);
