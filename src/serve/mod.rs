//! `zhenggai serve`: a local web page and a JSON API over the same library.
//!
//! One [`Engine`] (and so one tantivy searcher pool) answers every request. A
//! background task looks at the index directory's pointer and manifest every
//! [`RELOAD_EVERY`]; when `zhenggai index` has committed, the index is opened again
//! and the new engine replaces the old one between requests, without a restart.
//! Requests that are running keep the engine they started with.
//!
//! The API is described in `openapi.json` (served at `/openapi.json`); the page and
//! its assets are compiled into the binary (`page`).

mod api;
mod page;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock, RwLock};
use std::time::{Duration, SystemTime};

use axum::Router;
use tokio::sync::oneshot;

use crate::search::Engine;

pub use api::NoticeSummary;

/// How often the index directory is checked for a new commit.
pub const RELOAD_EVERY: Duration = Duration::from_millis(500);

/// Default address: loopback only.
pub const DEFAULT_ADDR: &str = "127.0.0.1:7700";

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The index could not be opened.
    #[error(transparent)]
    Index(#[from] crate::Error),
    /// The address could not be bound, or the runtime could not start.
    #[error("无法监听 {addr} (cannot listen on {addr}): {cause}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// The underlying error.
        cause: std::io::Error,
    },
    /// The runtime could not be created.
    #[error("无法启动服务 (cannot start the server): {0}")]
    Runtime(std::io::Error),
}

/// One opened state of the index: the engine and what is derived from it lazily.
pub(crate) struct Generation {
    /// The engine every request of this generation uses.
    pub engine: Engine,
    /// Counter, 1 for the index opened at start, +1 per reload.
    pub number: u64,
    /// Every notice with its counts, computed on first use.
    pub notices: OnceLock<Arc<Vec<NoticeSummary>>>,
}

/// What the handlers share: the index directory and its current generation.
pub(crate) struct AppState {
    dir: PathBuf,
    current: RwLock<Arc<Generation>>,
    /// Engine work running at once: two per core. Requests beyond wait their turn
    /// here instead of each holding a thread of tokio's blocking pool.
    pub(crate) workers: tokio::sync::Semaphore,
}

impl AppState {
    /// The generation to answer a request with.
    pub(crate) fn current(&self) -> Arc<Generation> {
        match self.current.read() {
            Ok(g) => Arc::clone(&g),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    fn replace(&self, engine: Engine) -> u64 {
        let mut slot = match self.current.write() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        let number = slot.number + 1;
        *slot = Arc::new(Generation {
            engine,
            number,
            notices: OnceLock::new(),
        });
        number
    }
}

/// What tells that the index changed: the live generation (the folder `CURRENT`
/// names, through [`crate::index::store::resolve`]), and size and modification time
/// of the files an index commit writes (the pointer itself, and the generation's
/// manifest and tantivy's `meta.json`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Stamp {
    generation: PathBuf,
    files: Vec<Option<(u64, SystemTime)>>,
}

fn stamp(dir: &Path) -> Stamp {
    let live = crate::index::store::resolve(dir);
    let meta = |path: PathBuf| {
        let m = std::fs::metadata(path).ok()?;
        Some((m.len(), m.modified().ok()?))
    };
    let mut files = vec![meta(dir.join(crate::index::store::CURRENT))];
    files.extend(
        [crate::index::MANIFEST, "meta.json"]
            .iter()
            .map(|name| meta(live.join(name))),
    );
    Stamp {
        generation: live,
        files,
    }
}

/// Opens the index and runs one search over every record, with facets, so that the
/// first request does not pay for loading what every search needs (the tie-break
/// keys and facet codes of each segment, the columns, the store's first blocks).
fn open_warm(dir: &Path) -> crate::Result<Engine> {
    let engine = Engine::open(dir)?;
    let mut warm = crate::search::SearchRequest::new("");
    warm.measures_only = true;
    warm.facets = true;
    warm.limit = 1;
    engine.search(&warm)?;
    Ok(engine)
}

/// Builds the router: the page, its assets, the API and `openapi.json`.
fn router(state: Arc<AppState>) -> Router {
    page::routes().merge(api::routes(state))
}

/// Re-opens the index whenever its stamp changes. A half-written index (a build in
/// progress) does not open; the old engine keeps answering and the next tick tries
/// again.
async fn watch(state: Arc<AppState>, mut seen: Stamp, mut stop: oneshot::Receiver<()>) {
    let mut tick = tokio::time::interval(RELOAD_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut failed: Option<Stamp> = None;
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = &mut stop => return,
        }
        let now = stamp(&state.dir);
        if now == seen || failed.as_ref() == Some(&now) {
            continue;
        }
        let dir = state.dir.clone();
        let opened = tokio::task::spawn_blocking(move || open_warm(&dir)).await;
        match opened {
            Ok(Ok(engine)) => {
                let n = state.replace(engine);
                eprintln!("索引已更新，重新打开 (index reopened, generation {n})");
                seen = now;
                failed = None;
            }
            Ok(Err(e)) => {
                eprintln!("索引暂不可用，继续使用旧索引 (keeping the previous index): {e}");
                failed = Some(now);
            }
            Err(e) => {
                eprintln!("重新打开索引失败 (reopening the index failed): {e}");
                failed = Some(now);
            }
        }
    }
}

/// A running server: its address, and a way to stop it. Dropping it stops it too.
pub struct Server {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    /// Opens the index in `index` and serves it on `addr` (port 0: any free port) from
    /// a runtime on background threads. Returns once the socket is listening.
    pub fn start(index: &Path, addr: SocketAddr) -> Result<Server, ServeError> {
        let first = stamp(index);
        let engine = open_warm(index)?;
        let state = Arc::new(AppState {
            dir: index.to_path_buf(),
            current: RwLock::new(Arc::new(Generation {
                engine,
                number: 1,
                notices: OnceLock::new(),
            })),
            workers: tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(2, |n| n.get() * 2),
            ),
        });
        let rt = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .thread_name("zhenggai-serve")
            .build()
            .map_err(ServeError::Runtime)?;
        let listener = rt
            .block_on(tokio::net::TcpListener::bind(addr))
            .map_err(|cause| ServeError::Bind { addr, cause })?;
        let bound = listener
            .local_addr()
            .map_err(|cause| ServeError::Bind { addr, cause })?;
        let (stop_tx, stop_rx) = oneshot::channel::<()>();
        let (watch_tx, watch_rx) = oneshot::channel::<()>();
        let app = router(Arc::clone(&state));
        let thread = std::thread::Builder::new()
            .name("zhenggai-serve".into())
            .spawn(move || {
                rt.block_on(async move {
                    tokio::spawn(watch(state, first, watch_rx));
                    let shutdown = async move {
                        let _ = stop_rx.await;
                        let _ = watch_tx.send(());
                    };
                    if let Err(e) = axum::serve(listener, app)
                        .with_graceful_shutdown(shutdown)
                        .await
                    {
                        eprintln!("服务出错 (server error): {e}");
                    }
                });
            })
            .map_err(ServeError::Runtime)?;
        Ok(Server {
            addr: bound,
            stop: Some(stop_tx),
            thread: Some(thread),
        })
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops accepting, lets running requests finish, and waits for the server to end.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// `zhenggai serve`: serves `index` on `addr` until Ctrl-C (or SIGTERM).
pub fn run(index: &Path, addr: SocketAddr) -> Result<(), ServeError> {
    let server = Server::start(index, addr)?;
    eprintln!(
        "正在提供检索页面 http://{} (serving {}; Ctrl-C 停止 / to stop)",
        server.addr(),
        index.display()
    );
    if !server.addr().ip().is_loopback() {
        eprintln!(
            "注意：{} 不是本机回环地址，局域网内其他机器也能访问 (warning: not a loopback address)",
            server.addr().ip()
        );
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(ServeError::Runtime)?;
    rt.block_on(async {
        let ctrl_c = tokio::signal::ctrl_c();
        #[cfg(unix)]
        {
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(mut term) => {
                    tokio::select! {
                        _ = ctrl_c => {}
                        _ = term.recv() => {}
                    }
                }
                Err(_) => {
                    let _ = ctrl_c.await;
                }
            }
        }
        #[cfg(not(unix))]
        {
            let _ = ctrl_c.await;
        }
    });
    eprintln!("正在停止 (stopping)…");
    server.stop();
    Ok(())
}
