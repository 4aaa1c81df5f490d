//! The SIP trunk's transport: one UDP socket, or TCP connections (RFC 3261 §18).
//!
//! Over TCP every connection is a pair of tasks: the reader frames the byte stream into
//! whole messages (`protocols::sip::frame`, which tells "need more bytes" from
//! "invalid") and hands each to the trunk actor, as a datagram would be; the writer sends
//! what the actor queues for that peer. Connections are keyed by the peer's address; a
//! message to an address with no connection opens one, and messages wait for it.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;

use actix::prelude::*;
use bytes::{Bytes, BytesMut};
use protocols::sip::{Frame, Limits, frame};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream, UdpSocket};
use tokio::sync::mpsc;

/// A message received from `source` (a datagram, or one framed TCP message).
#[derive(Message)]
#[rtype(result = "()")]
pub struct Received(pub Bytes, pub SocketAddr);

/// A TCP connection opened, failed or closed.
#[derive(Message)]
#[rtype(result = "()")]
pub enum Link {
    Up(SocketAddr, mpsc::Sender<Bytes>),
    Down(SocketAddr),
}

/// Messages queued per TCP connection before the writer falls behind.
const WRITE_QUEUE: usize = 256;
/// Largest datagram read (RFC 3261 §18.1.1 lets UDP messages reach 64 KiB).
const MAX_DATAGRAM: usize = 65_535;

pub enum SipTransport {
    Udp(Arc<UdpSocket>),
    Tcp(Tcp),
}

#[derive(Default)]
pub struct Tcp {
    connections: HashMap<SocketAddr, mpsc::Sender<Bytes>>,
    /// Messages for peers whose connection is being opened.
    waiting: HashMap<SocketAddr, Vec<Bytes>>,
}

/// Where received messages and TCP link changes go.
#[derive(Clone)]
pub struct Sink {
    pub received: Recipient<Received>,
    pub links: Recipient<Link>,
}

impl SipTransport {
    /// Binds the listen address and starts receiving.
    pub async fn bind(listen: SocketAddr, tcp: bool, sink: Sink) -> std::io::Result<SipTransport> {
        if tcp {
            let listener = TcpListener::bind(listen).await?;
            tokio::spawn(accept(listener, sink));
            Ok(SipTransport::Tcp(Tcp::default()))
        } else {
            let socket = Arc::new(UdpSocket::bind(listen).await?);
            tokio::spawn(receive_datagrams(socket.clone(), sink.received));
            Ok(SipTransport::Udp(socket))
        }
    }

    /// Sends one message; over TCP, opens a connection first when there is none.
    pub fn send(&mut self, destination: SocketAddr, payload: Bytes, sink: &Sink) {
        match self {
            // A full send buffer drops the datagram, as the network may; the transaction
            // layer retransmits.
            SipTransport::Udp(socket) => drop(socket.try_send_to(&payload, destination)),
            SipTransport::Tcp(tcp) => tcp.send(destination, payload, sink),
        }
    }

    /// A TCP connection came up or went down.
    pub fn link(&mut self, link: Link) {
        let SipTransport::Tcp(tcp) = self else { return };
        match link {
            Link::Up(peer, writer) => {
                for payload in tcp.waiting.remove(&peer).unwrap_or_default() {
                    let _ = writer.try_send(payload);
                }
                tcp.connections.insert(peer, writer);
            }
            Link::Down(peer) => {
                tcp.connections.remove(&peer);
                tcp.waiting.remove(&peer);
            }
        }
    }
}

impl Tcp {
    fn send(&mut self, destination: SocketAddr, payload: Bytes, sink: &Sink) {
        if let Some(writer) = self.connections.get(&destination) {
            if writer.try_send(payload).is_err() {
                tracing::warn!(%destination, "TCP write queue full; message dropped");
            }
            return;
        }
        let waiting = self.waiting.entry(destination).or_default();
        let first = waiting.is_empty();
        waiting.push(payload);
        if first {
            let sink = sink.clone();
            tokio::spawn(async move {
                match TcpStream::connect(destination).await {
                    Ok(stream) => serve(stream, destination, sink),
                    Err(error) => {
                        tracing::warn!(%destination, %error, "TCP connect failed");
                        sink.links.do_send(Link::Down(destination));
                    }
                }
            });
        }
    }
}

async fn receive_datagrams(socket: Arc<UdpSocket>, received: Recipient<Received>) {
    let mut buf = vec![0u8; MAX_DATAGRAM];
    loop {
        let Ok((len, source)) = socket.recv_from(&mut buf).await else {
            continue;
        };
        let datagram = Received(Bytes::copy_from_slice(&buf[..len]), source);
        if received.send(datagram).await.is_err() {
            break;
        }
    }
}

async fn accept(listener: TcpListener, sink: Sink) {
    loop {
        match listener.accept().await {
            Ok((stream, peer)) => serve(stream, peer, sink.clone()),
            Err(error) => tracing::warn!(%error, "TCP accept failed"),
        }
    }
}

/// Starts the reader and writer of one connection and tells the trunk.
fn serve(stream: TcpStream, peer: SocketAddr, sink: Sink) {
    let (mut reader, mut writer) = stream.into_split();
    let (tx, mut rx) = mpsc::channel::<Bytes>(WRITE_QUEUE);
    sink.links.do_send(Link::Up(peer, tx));
    tokio::spawn(async move {
        while let Some(payload) = rx.recv().await {
            if writer.write_all(&payload).await.is_err() {
                break;
            }
        }
    });
    tokio::spawn(async move {
        let limits = Limits::default();
        let mut buf = BytesMut::with_capacity(8192);
        'read: loop {
            match reader.read_buf(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(_) => {}
            }
            loop {
                match frame(&buf, &limits) {
                    Frame::Complete(n) => {
                        let message = buf.split_to(n).freeze();
                        if sink.received.send(Received(message, peer)).await.is_err() {
                            break 'read;
                        }
                    }
                    Frame::Incomplete => break,
                    Frame::Invalid(error) => {
                        tracing::warn!(%peer, %error, "unframeable SIP on TCP; closing");
                        break 'read;
                    }
                }
            }
        }
        sink.links.do_send(Link::Down(peer));
    });
}
