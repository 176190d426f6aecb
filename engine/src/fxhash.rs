//! A multiply-rotate hasher (the Fx hash of rustc) for the engine's
//! internal maps over receipts, member ids and histories: much cheaper
//! than SipHash on short keys, and the keys come from the store, not from
//! an adversary. Nothing iterates these maps where order would show.

use std::collections::HashMap;

#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher(u64);

const FX_K: u64 = 0xf135_7aea_2e62_a9c5;

impl FxHasher {
    #[inline]
    fn add(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(26) ^ w).wrapping_mul(FX_K);
    }
}

impl std::hash::Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().unwrap_or([0; 8])));
        }
        // The last bytes as a little-endian word, zero-filled: built byte
        // by byte, because copying them into a buffer first was a call to
        // memcpy per key in the console's size-optimised wasm, half of
        // `programme_health`'s time at 670k receipts.
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = 0u64;
            for (i, b) in rest.iter().enumerate() {
                w |= u64::from(*b) << (8 * i);
            }
            self.add(w);
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

pub(crate) type FxMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<FxHasher>>;

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::hash::Hasher;

    proptest! {
        /// The same hash as the buffer-and-copy reading of the last bytes
        /// it replaced: every word little-endian, the last zero-filled.
        #[test]
        fn words_are_the_bytes_little_endian(bytes in proptest::collection::vec(any::<u8>(), 0..40), seed in any::<u64>()) {
            let mut h = FxHasher(seed);
            h.write(&bytes);
            let mut want = FxHasher(seed);
            for c in bytes.chunks(8) {
                let mut buf = [0u8; 8];
                buf[..c.len()].copy_from_slice(c);
                want.add(u64::from_le_bytes(buf));
            }
            prop_assert_eq!(h.finish(), want.finish());
        }
    }
}
