//! Splitting the big per-customer loops over the machine's cores, natively
//! only: the browser build runs them on its one thread.

/// Runs `f` over consecutive chunks of `items` (on scoped threads when the
/// work is large enough and threads exist) and returns the chunk results in
/// order, so sums come out the same on every run with the same core count.
pub(crate) fn sum_parts<T: Sync, R: Send, F: Fn(&[T]) -> R + Sync>(items: &[T], f: F) -> Vec<R> {
    let threads = threads_for(items.len());
    if threads <= 1 {
        return vec![f(items)];
    }
    let chunk = items.len().div_ceil(threads);
    run_scoped(items, chunk, &f)
}

/// Maps every item, in parallel where worthwhile, keeping the order.
pub(crate) fn map<T: Sync, R: Send, F: Fn(&T) -> R + Sync>(items: &[T], f: F) -> Vec<R> {
    let threads = threads_for(items.len());
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

#[cfg(not(target_arch = "wasm32"))]
fn threads_for(n: usize) -> usize {
    if n < 20_000 {
        return 1;
    }
    std::thread::available_parallelism()
        .map(|p| p.get())
        .unwrap_or(1)
        .min(8)
}

#[cfg(target_arch = "wasm32")]
fn threads_for(_n: usize) -> usize {
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
        let sum: u64 = super::sum_parts(&v, |c| c.iter().sum::<u64>())
            .into_iter()
            .sum();
        assert_eq!(sum, 50_000 * 50_001 / 2);
        let doubled = super::map(&v, |x| x * 2);
        assert_eq!(doubled.len(), v.len());
        assert!(doubled.iter().zip(&v).all(|(d, x)| *d == 2 * x));
    }
}
