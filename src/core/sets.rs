//! Sorted sets as sorted vectors.
//!
//! Collecting into a `BTreeSet`/`BTreeMap` compiles a stable sort and a tree
//! builder for every element type; in the wasm bundle those copies added up to
//! tens of kilobytes. These helpers sort once, unstably (equal elements are
//! identical here, so stability buys nothing), and look up by binary search.

/// Sorted and without duplicates: what collecting into a `BTreeSet<&str>` gives.
pub fn str_set(mut v: Vec<&str>) -> Vec<&str> {
    v.sort_unstable();
    v.dedup();
    v
}

/// Sorted and without duplicates, owned.
pub fn string_set(mut v: Vec<String>) -> Vec<String> {
    v.sort_unstable();
    v.dedup();
    v
}

/// Whether the sorted `set` holds `x`.
pub fn has(set: &[&str], x: &str) -> bool {
    set.binary_search(&x).is_ok()
}

/// Sorted by key, one entry per key (the first given wins): what collecting
/// pairs into a `BTreeMap` gives, except that there the last wins.
pub fn keyed<V>(v: Vec<(String, V)>) -> Vec<(String, V)> {
    let mut order: Vec<(&str, usize)> = v
        .iter()
        .enumerate()
        .map(|(i, (k, _))| (k.as_str(), i))
        .collect();
    order.sort_unstable();
    order.dedup_by(|later, first| later.0 == first.0);
    let keep: Vec<usize> = order.into_iter().map(|(_, i)| i).collect();
    let mut slots: Vec<Option<(String, V)>> = v.into_iter().map(Some).collect();
    keep.into_iter()
        .filter_map(|i| slots.get_mut(i).and_then(Option::take))
        .collect()
}

/// The value stored under `key` in a [`keyed`] list.
pub fn get<'a, V>(list: &'a [(String, V)], key: &str) -> Option<&'a V> {
    list.binary_search_by(|(k, _)| k.as_str().cmp(key))
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
        fn str_set_is_a_btreeset(v in proptest::collection::vec("[a-c]{0,3}", 0..40)) {
            let refs: Vec<&str> = v.iter().map(String::as_str).collect();
            let want: Vec<&str> = refs.iter().copied().collect::<BTreeSet<_>>().into_iter().collect();
            let got = str_set(refs.clone());
            prop_assert_eq!(&got, &want);
            for x in ["", "a", "ab", "z"] {
                prop_assert_eq!(has(&got, x), want.contains(&x));
            }
            prop_assert_eq!(string_set(v.clone()), v.iter().cloned().collect::<BTreeSet<_>>().into_iter().collect::<Vec<_>>());
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
