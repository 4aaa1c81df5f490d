//! The operator's HTTP endpoint at `[metrics] listen`: `/metrics` (Prometheus text format
//! 0.0.4), `/healthz` (the process answers) and `/readyz` (configuration loaded and every
//! trunk has reported its state at least once).

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::header::CONTENT_TYPE;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

/// The Prometheus text exposition format.
const TEXT_FORMAT: &str = "text/plain; version=0.0.4; charset=utf-8";

/// Which trunks have reported their state.
#[derive(Debug)]
pub struct Readiness {
    reported: Vec<AtomicBool>,
}

impl Readiness {
    pub fn new(trunks: usize) -> Arc<Readiness> {
        Arc::new(Readiness {
            reported: (0..trunks).map(|_| AtomicBool::new(false)).collect(),
        })
    }

    pub fn reported(&self, trunk: usize) {
        if let Some(flag) = self.reported.get(trunk) {
            flag.store(true, Ordering::Relaxed);
        }
    }

    fn ready(&self) -> bool {
        self.reported.iter().all(|f| f.load(Ordering::Relaxed))
    }
}

/// Binds the endpoint and serves it until the process ends.
pub async fn serve(listen: SocketAddr, readiness: Arc<Readiness>) -> std::io::Result<SocketAddr> {
    let listener = TcpListener::bind(listen).await?;
    let bound = listener.local_addr()?;
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            let readiness = readiness.clone();
            tokio::spawn(async move {
                let service = service_fn(move |req| answer(req, readiness.clone()));
                let _ = http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    Ok(bound)
}

async fn answer(
    req: Request<Incoming>,
    readiness: Arc<Readiness>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let response = match (req.method(), req.uri().path()) {
        (&Method::GET, "/metrics") => {
            let text = engine::metrics::metrics().render();
            Response::builder()
                .header(CONTENT_TYPE, TEXT_FORMAT)
                .body(Full::new(Bytes::from(text)))
        }
        (&Method::GET, "/healthz") => Response::builder().body(Full::new(Bytes::from("ok\n"))),
        (&Method::GET, "/readyz") if readiness.ready() => {
            Response::builder().body(Full::new(Bytes::from("ready\n")))
        }
        (&Method::GET, "/readyz") => Response::builder()
            .status(StatusCode::SERVICE_UNAVAILABLE)
            .body(Full::new(Bytes::from("trunks not yet reported\n"))),
        _ => Response::builder()
            .status(StatusCode::NOT_FOUND)
            .body(Full::new(Bytes::from("not found\n"))),
    };
    Ok(response.unwrap_or_else(|_| Response::new(Full::new(Bytes::new()))))
}
