//! Code split off the first load (xtask/src/split.rs cuts the wasm at every
//! `wasm_split` function): the error a failed fetch turns into, and a way to
//! call split code synchronously once its chunk is in.

use leptos::wasm_split::SplitLoaderError;
use std::future::Future;
use std::task::{Context, Poll, Waker};

/// A chunk could not be fetched (offline before the service worker had
/// stored it, or the server went away). Not cached: the next call retries.
#[derive(Debug)]
pub struct ChunkMissing;

impl From<SplitLoaderError> for ChunkMissing {
    fn from(_: SplitLoaderError) -> Self {
        ChunkMissing
    }
}

/// The answer of a split function if its chunk is already loaded; `None`
/// otherwise (the fetch has then started, and a later call will succeed).
pub fn if_loaded<T>(call: impl Future<Output = Result<T, ChunkMissing>>) -> Option<T> {
    let mut call = std::pin::pin!(call);
    match call.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(Ok(v)) => Some(v),
        Poll::Ready(Err(ChunkMissing)) | Poll::Pending => None,
    }
}

/// A function whose code lives in its own chunk `$chunk`, fetched on the
/// first call (calls are `async` and answer `Err(ChunkMissing)` if the fetch
/// fails). Unsplit builds (debug, native) get a plain `async fn`.
macro_rules! split_fn {
    ($chunk:ident; $(#[$meta:meta])* $vis:vis fn $name:ident($($arg:ident: $ty:ty),* $(,)?) -> $ret:ty $body:block) => {
        #[cfg(split_chunks)]
        #[leptos::wasm_split::wasm_split($chunk, wasm_split_path = ::leptos::wasm_split, fallible)]
        $(#[$meta])* $vis fn $name($($arg: $ty),*) -> $ret $body

        #[cfg(not(split_chunks))]
        $(#[$meta])* $vis async fn $name($($arg: $ty),*) -> $ret $body
    };
}
pub(crate) use split_fn;
