//! Splitting the big per-customer loops over the machine's cores, natively
//! only: the browser build runs them on its one thread.

/// Runs `f` over consecutive chunks of `items` (on scoped threads when
/// each would get at least `per_thread` items and threads exist) and
/// returns the chunk results in order, so sums come out the same on every
/// run with the same core count. `per_thread` weighs a thread's start-up
/// (tens of microseconds) against the work per item.
pub(crate) fn sum_parts<T: Sync, R: Send, F: Fn(&[T]) -> R + Sync>(
    items: &[T],
    per_thread: usize,
    f: F,
) -> Vec<R> {
    let threads = threads_for(items.len(), per_thread);
    if threads <= 1 {
        return vec![f(items)];
    }
    let chunk = items.len().div_ceil(threads);
    run_scoped(items, chunk, &f)
}

/// Maps every item, in parallel where each thread would get at least
/// `per_thread` items, keeping the order.
pub(crate) fn map<T: Sync, R: Send, F: Fn(&T) -> R + Sync>(
    items: &[T],
    per_thread: usize,
    f: F,
) -> Vec<R> {
    let threads = threads_for(items.len(), per_thread);
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    run_scoped(items, chunk, &|c: &[T]| {
        c.iter().map(&f).collect::<Vec<R>>()
    })
    .into_iter()
    .flatten()
    .collect()
}

/// Runs `a` and `b` side by side when `worth` and a second core exists,
/// else one after the other.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn join<A: FnOnce() -> RA + Send, B: FnOnce() -> RB + Send, RA: Send, RB: Send>(
    worth: bool,
    a: A,
    b: B,
) -> (RA, RB) {
    if !worth || threads_for(2, 1) < 2 {
        return (a(), b());
    }
    std::thread::scope(|s| {
        let hb = s.spawn(b);
        let ra = a();
        // A panicking side would be a bug in it; let it surface as one.
        let rb = match hb.join() {
            Ok(rb) => rb,
            Err(e) => std::panic::resume_unwind(e),
        };
        (ra, rb)
    })
}

#[cfg(target_arch = "wasm32")]
pub(crate) fn join<A: FnOnce() -> RA, B: FnOnce() -> RB, RA, RB>(
    _worth: bool,
    a: A,
    b: B,
) -> (RA, RB) {
    (a(), b())
}

#[cfg(not(target_arch = "wasm32"))]
fn threads_for(n: usize, per_thread: usize) -> usize {
    let worth = n / per_thread.max(1);
    if worth < 2 {
        return 1;
    }
    std::thread::available_parallelism()
        .map(|p| p.get())
        .unwrap_or(1)
        .min(8)
        .min(worth)
}

#[cfg(target_arch = "wasm32")]
fn threads_for(_n: usize, _per_thread: usize) -> usize {
    1
}

#[cfg(not(target_arch = "wasm32"))]
fn run_scoped<T: Sync, R: Send, F: Fn(&[T]) -> R + Sync>(
    items: &[T],
    chunk: usize,
    f: &F,
) -> Vec<R> {
    std::thread::scope(|s| {
        let handles: Vec<_> = items.chunks(chunk).map(|c| s.spawn(move || f(c))).collect();
        // A panicking worker would be a bug; fall back to computing inline.
        handles
            .into_iter()
            .zip(items.chunks(chunk))
            .map(|(h, c)| h.join().unwrap_or_else(|_| f(c)))
            .collect()
    })
}

#[cfg(target_arch = "wasm32")]
fn run_scoped<T: Sync, R: Send, F: Fn(&[T]) -> R + Sync>(
    items: &[T],
    chunk: usize,
    f: &F,
) -> Vec<R> {
    items.chunks(chunk).map(f).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn parts_cover_every_item_once_and_map_keeps_order() {
        let v: Vec<u64> = (1..=50_000).collect();
        let sum: u64 = super::sum_parts(&v, 1_000, |c| c.iter().sum::<u64>())
            .into_iter()
            .sum();
        assert_eq!(sum, 50_000 * 50_001 / 2);
        let doubled = super::map(&v, 1_000, |x| x * 2);
        assert_eq!(doubled.len(), v.len());
        assert!(doubled.iter().zip(&v).all(|(d, x)| *d == 2 * x));
    }
}
