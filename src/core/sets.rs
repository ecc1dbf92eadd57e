//! Sorted sets as sorted vectors.
//!
//! Collecting into a `BTreeSet`/`BTreeMap` compiles a stable sort and a tree
//! builder for every element type; in the wasm bundle those copies added up to
//! tens of kilobytes. These helpers sort once, unstably (equal elements are
//! identical here, so stability buys nothing), and look up by binary search.

use std::cmp::Ordering;

/// Sorts `v` by `cmp`, stably. Every sort in the app goes through here: the one
/// sorting routine compiled is `order`'s, over indices through a `dyn`
/// comparator, instead of a copy of the standard library's sort for each element
/// type and closure (those copies were about 25 KB of the wasm bundle).
pub fn sort_by<T>(v: &mut Vec<T>, cmp: impl Fn(&T, &T) -> Ordering) {
    let idx = {
        let items: &[T] = v;
        order(items.len(), &|a, b| match (items.get(a), items.get(b)) {
            (Some(x), Some(y)) => cmp(x, y),
            _ => Ordering::Equal,
        })
    };
    let mut slots: Vec<Option<T>> = std::mem::take(v).into_iter().map(Some).collect();
    *v = idx
        .into_iter()
        .filter_map(|i| slots.get_mut(i).and_then(Option::take))
        .collect();
}

/// The indices `0..n` in the order `cmp` gives, ties by index (so stable).
fn order(n: usize, cmp: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..n).collect();
    idx.sort_unstable_by(|a, b| cmp(*a, *b).then(a.cmp(b)));
    idx
}

/// Sorted and without duplicates: what collecting into a `BTreeSet` gives.
pub fn set<T: Ord>(mut v: Vec<T>) -> Vec<T> {
    sort_by(&mut v, |a, b| a.cmp(b));
    v.dedup();
    v
}

/// Whether the sorted `set` holds `x`.
pub fn has(set: &[&str], x: &str) -> bool {
    set.binary_search(&x).is_ok()
}

/// Sorted by key, one entry per key (the first given wins): what collecting
/// pairs into a `BTreeMap` gives, except that there the last wins.
pub fn keyed<K: Ord, V>(mut v: Vec<(K, V)>) -> Vec<(K, V)> {
    sort_by(&mut v, |a, b| a.0.cmp(&b.0));
    v.dedup_by(|later, first| later.0 == first.0);
    v
}

/// The value stored under `key` in a [`keyed`] list.
pub fn get<'a, K: AsRef<str>, V>(list: &'a [(K, V)], key: &str) -> Option<&'a V> {
    list.binary_search_by(|(k, _)| k.as_ref().cmp(key))
        .ok()
        .and_then(|i| list.get(i))
        .map(|(_, v)| v)
}

#[cfg(all(test, not(target_arch = "wasm32")))] // proptest is a native dev-dependency
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::{BTreeMap, BTreeSet};

    proptest! {
        #[test]
        fn set_is_a_btreeset(v in proptest::collection::vec("[a-c]{0,3}", 0..40)) {
            let refs: Vec<&str> = v.iter().map(String::as_str).collect();
            let want: Vec<&str> = refs.iter().copied().collect::<BTreeSet<_>>().into_iter().collect();
            let got = set(refs.clone());
            prop_assert_eq!(&got, &want);
            for x in ["", "a", "ab", "z"] {
                prop_assert_eq!(has(&got, x), want.contains(&x));
            }
            prop_assert_eq!(set(v.clone()), v.iter().cloned().collect::<BTreeSet<_>>().into_iter().collect::<Vec<_>>());
        }

        #[test]
        fn sort_by_is_the_standard_stable_sort(v in proptest::collection::vec((0u8..5, 0u16..1000), 0..200)) {
            let mut want = v.clone();
            want.sort_by_key(|a| a.0);
            let mut got = v.clone();
            sort_by(&mut got, |a, b| a.0.cmp(&b.0));
            prop_assert_eq!(got, want);
        }

        #[test]
        fn keyed_is_a_btreemap_where_the_first_wins(v in proptest::collection::vec(("[a-c]{0,2}", 0u8..9), 0..40)) {
            let mut want: BTreeMap<String, u8> = BTreeMap::new();
            for (k, x) in &v {
                want.entry(k.clone()).or_insert(*x);
            }
            let got = keyed(v.clone());
            prop_assert_eq!(got.clone(), want.clone().into_iter().collect::<Vec<_>>());
            for k in ["", "a", "bc", "z"] {
                prop_assert_eq!(get(&got, k), want.get(k));
            }
        }
    }
}
