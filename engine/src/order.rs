//! One sort for the small orderings off the hot paths. `sort_by_key` and
//! `sort_by` make a copy of the whole sort for every element type and
//! closure, and the console's first load pays for each copy; these sort
//! `(key, position)` pairs with one shared copy instead, and are stable.

/// Sorts `v` by `key`, keeping the original order among equal keys. For a
/// descending part of a key, use `!x` (it reverses the order of `i64`
/// without overflowing).
pub fn sort_by_key_pair<T>(v: &mut Vec<T>, key: impl Fn(&T) -> (i64, i64)) {
    let mut keyed: Vec<(i64, i64, u32)> = v
        .iter()
        .enumerate()
        .map(|(i, x)| {
            let (a, b) = key(x);
            (a, b, i as u32)
        })
        .collect();
    sort_triples(&mut keyed);
    take_in_order(v, keyed.iter().map(|k| k.2));
}

/// Rearranges `v` so that its element at `order[k]` comes k-th.
fn take_in_order<T>(v: &mut Vec<T>, order: impl Iterator<Item = u32>) {
    let mut slots: Vec<Option<T>> = std::mem::take(v).into_iter().map(Some).collect();
    v.extend(order.filter_map(|i| slots[i as usize].take()));
}

#[inline(never)]
fn sort_triples(k: &mut [(i64, i64, u32)]) {
    k.sort_unstable();
}

/// Sorts `v` by a text key, keeping the original order among equal keys
/// (one shared sort, like [`sort_by_key_pair`]).
pub fn sort_by_text_key<T>(v: &mut Vec<T>, key: impl Fn(&T) -> String) {
    let mut keyed: Vec<(String, u32)> = v
        .iter()
        .enumerate()
        .map(|(i, x)| (key(x), i as u32))
        .collect();
    sort_texts(&mut keyed);
    take_in_order(v, keyed.iter().map(|k| k.1));
}

#[inline(never)]
fn sort_texts(k: &mut [(String, u32)]) {
    k.sort_unstable();
}

/// A day as a sort key.
pub fn day_key(d: chrono::NaiveDate) -> i64 {
    i64::from(chrono::Datelike::num_days_from_ce(&d))
}

/// A float as a sort key in its total order (`f64::total_cmp`'s): the
/// bits, with the magnitude bits of negatives flipped so they sort below.
pub fn float_key(x: f64) -> i64 {
    let b = x.to_bits() as i64;
    b ^ (((b >> 63) as u64) >> 1) as i64
}

/// Sorts whole numbers ascending.
#[inline(never)]
pub fn sort_ints(v: &mut [i64]) {
    v.sort_unstable();
}

/// Sorts floats ascending by their total order.
#[inline(never)]
pub fn sort_floats(v: &mut [f64]) {
    v.sort_unstable_by(f64::total_cmp);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_by_key_and_keeps_ties_in_order() {
        let mut v = vec![(3, 'a'), (1, 'b'), (3, 'c'), (2, 'd'), (1, 'e')];
        sort_by_key_pair(&mut v, |x| (i64::from(x.0), 0));
        assert_eq!(v, vec![(1, 'b'), (1, 'e'), (2, 'd'), (3, 'a'), (3, 'c')]);
        sort_by_key_pair(&mut v, |x| (!i64::from(x.0), 0));
        assert_eq!(v, vec![(3, 'a'), (3, 'c'), (2, 'd'), (1, 'b'), (1, 'e')]);
        let mut f = vec![2.5, -1.0, 0.0, 10.0];
        sort_floats(&mut f);
        assert_eq!(f, vec![-1.0, 0.0, 2.5, 10.0]);
    }

    #[test]
    fn sorts_by_text_key_and_keeps_ties_in_order() {
        let mut v = vec![("b", 1), ("a", 2), ("b", 3), ("", 4), ("a", 5)];
        sort_by_text_key(&mut v, |x| x.0.to_string());
        assert_eq!(v, vec![("", 4), ("a", 2), ("a", 5), ("b", 1), ("b", 3)]);
    }

    #[test]
    fn float_keys_order_as_total_cmp_does() {
        let xs = [
            f64::NEG_INFINITY,
            -1e300,
            -2.5,
            -0.0,
            0.0,
            1e-300,
            3.0,
            f64::INFINITY,
            f64::NAN,
        ];
        for a in xs {
            for b in xs {
                assert_eq!(
                    float_key(a).cmp(&float_key(b)),
                    a.total_cmp(&b),
                    "{a} vs {b}"
                );
            }
        }
    }
}
