//! One sort for every element type: [`sort_by`] (stable) and [`unique_sorted`].
//!
//! std's `sort_by` and `BTreeSet` are generic over what they sort, so every element
//! type (and every comparator closure) compiles to its own copy of the sorting
//! code — about 3 KB of wasm each, ten of them in this app. Here the sort itself
//! runs once, on positions (`usize`), through a `dyn` comparator; only the few lines
//! that move the elements into place are generic. Measured: bench/README.md "Size log".

use std::cmp::Ordering;

/// The positions `0..n` in the order that sorts them by `cmp`; equal ones keep
/// their order (a stable sort).
fn sorted_positions(n: usize, cmp: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_unstable_by(|&a, &b| cmp(a, b).then(a.cmp(&b)));
    order
}

/// The swaps that put the element at `order[i]` at `i` for every `i`, in turn
/// (each cycle of the permutation followed once: at most `n - 1` swaps).
fn swaps(mut order: Vec<usize>) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for start in 0..order.len() {
        let mut at = start;
        // `usize::MAX` marks a position already in place.
        while let Some(from) = order.get_mut(at).map(|p| std::mem::replace(p, usize::MAX)) {
            if from == usize::MAX || from == start {
                break;
            }
            out.push((at, from));
            at = from;
        }
    }
    out
}

/// Sorts `v` by `cmp`, stably (equal elements keep their order), like
/// `slice::sort_by`.
pub fn sort_by<T>(v: &mut [T], cmp: impl Fn(&T, &T) -> Ordering) {
    let order = sorted_positions(v.len(), &|a, b| match (v.get(a), v.get(b)) {
        (Some(x), Some(y)) => cmp(x, y),
        _ => Ordering::Equal,
    });
    for (a, b) in swaps(order) {
        v.swap(a, b);
    }
}

/// The distinct strings of `items`, sorted (a set, as a sorted vector: look up
/// with `binary_search`).
pub fn unique_sorted<'a>(items: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let mut v: Vec<&str> = items.into_iter().collect();
    sort_by(&mut v, |a, b| a.cmp(b));
    v.dedup();
    v
}

#[cfg(all(test, not(target_arch = "wasm32")))] // proptest is a native dev-dependency
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn sorts_stably() {
        let mut v = vec![(2, 'a'), (1, 'b'), (2, 'c'), (0, 'd'), (1, 'e')];
        sort_by(&mut v, |x, y| x.0.cmp(&y.0));
        assert_eq!(v, [(0, 'd'), (1, 'b'), (1, 'e'), (2, 'a'), (2, 'c')]);
        let mut empty: Vec<u8> = Vec::new();
        sort_by(&mut empty, u8::cmp);
        assert!(empty.is_empty());
    }

    #[test]
    fn unique_sorted_is_a_set() {
        assert_eq!(unique_sorted(["b", "a", "b", "c", "a"]), ["a", "b", "c"]);
        assert!(unique_sorted([]).is_empty());
    }

    proptest! {
        #[test]
        fn matches_std_stable_sort(v in proptest::collection::vec((0u8..6, any::<u16>()), 0..200)) {
            let mut ours = v.clone();
            sort_by(&mut ours, |x, y| x.0.cmp(&y.0));
            let mut std = v;
            std.sort_by_key(|x| x.0);
            prop_assert_eq!(ours, std);
        }
    }
}
