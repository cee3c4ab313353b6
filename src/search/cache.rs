//! Small caches of what searches compute per segment, shared by every index open in
//! the process.
//!
//! A segment never changes once written, and a new generation of the index is made
//! of new segments with new ids, so an entry keyed by a segment id is never out of
//! date: the entries of an index no longer open are just no longer used, and age
//! out as the least recently used.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Mutex, MutexGuard};

/// A map that keeps at most a given total weight and number of entries, dropping
/// the least recently used first. Lookups and insertions take a lock for a moment;
/// values are computed outside it (two searches may then compute the same value,
/// and the second one's is kept).
#[derive(Debug)]
pub(crate) struct Lru<K, V> {
    inner: Mutex<Inner<K, V>>,
    max_weight: usize,
    max_entries: usize,
}

#[derive(Debug)]
struct Inner<K, V> {
    /// Entries with their weight and when each was last used.
    map: HashMap<K, (V, usize, u64)>,
    /// Sum of the weights held.
    weight: usize,
    /// Uses so far.
    clock: u64,
}

impl<K: Hash + Eq + Clone, V: Clone> Lru<K, V> {
    /// A cache of at most `max_weight` (summed over its entries) and `max_entries`.
    pub(crate) fn new(max_weight: usize, max_entries: usize) -> Self {
        Lru {
            inner: Mutex::new(Inner {
                map: HashMap::new(),
                weight: 0,
                clock: 0,
            }),
            max_weight,
            max_entries,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner<K, V>> {
        match self.inner.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// The value kept for `key`, if there is one.
    pub(crate) fn get(&self, key: &K) -> Option<V> {
        let mut inner = self.lock();
        inner.clock += 1;
        let now = inner.clock;
        inner.map.get_mut(key).map(|(v, _, used)| {
            *used = now;
            v.clone()
        })
    }

    /// Keeps `value` for `key`, as heavy as `weight`; a value heavier than the whole
    /// cache is not kept.
    pub(crate) fn insert(&self, key: K, value: V, weight: usize) {
        if weight > self.max_weight {
            return;
        }
        let mut inner = self.lock();
        inner.clock += 1;
        let now = inner.clock;
        if let Some((_, old, _)) = inner.map.insert(key, (value, weight, now)) {
            inner.weight -= old;
        }
        inner.weight += weight;
        while inner.weight > self.max_weight || inner.map.len() > self.max_entries {
            // The least recently used eighth goes at once (at least one entry):
            // finding the oldest is a scan of the whole map, and one scan then pays
            // for many insertions instead of one.
            let mut ages: Vec<(u64, K)> = inner
                .map
                .iter()
                .map(|(k, (_, _, used))| (*used, k.clone()))
                .collect();
            if ages.is_empty() {
                break;
            }
            let n = (ages.len() / 8).max(1);
            ages.select_nth_unstable_by_key(n - 1, |a| a.0);
            for (_, k) in &ages[..n] {
                if let Some((_, w, _)) = inner.map.remove(k) {
                    inner.weight -= w;
                }
            }
        }
    }

    /// The value kept for `key`, or the one `make` gives (with its weight), then
    /// kept.
    pub(crate) fn get_or_insert_with<E>(
        &self,
        key: &K,
        make: impl FnOnce() -> Result<(V, usize), E>,
    ) -> Result<V, E> {
        if let Some(v) = self.get(key) {
            return Ok(v);
        }
        let (v, weight) = make()?;
        self.insert(key.clone(), v.clone(), weight);
        Ok(v)
    }

    /// The value kept for `key`, or the one `make` gives (with its weight), then
    /// kept; for values that cannot fail to be made.
    pub(crate) fn get_or_insert(&self, key: &K, make: impl FnOnce() -> (V, usize)) -> V {
        if let Some(v) = self.get(key) {
            return v;
        }
        let (v, weight) = make();
        self.insert(key.clone(), v.clone(), weight);
        v
    }

    /// Drops every entry.
    pub(crate) fn clear(&self) {
        let mut inner = self.lock();
        inner.map.clear();
        inner.weight = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::Lru;

    #[test]
    fn keeps_the_most_recently_used_within_its_bounds() {
        let lru: Lru<u32, u32> = Lru::new(100, 3);
        for k in 0..3 {
            lru.insert(k, k * 10, 10);
        }
        assert_eq!(lru.get(&0), Some(0));
        lru.insert(3, 30, 10);
        // 1 was the least recently used.
        assert_eq!(lru.get(&1), None);
        assert_eq!(lru.get(&0), Some(0));
        assert_eq!(lru.get(&2), Some(20));
        // By weight: 20 + 20 + … beyond 100 drops the oldest.
        lru.insert(4, 40, 25);
        lru.insert(5, 50, 25);
        assert!(lru.lock().weight <= 100);
        assert!(lru.lock().map.len() <= 3);
        assert_eq!(lru.get(&5), Some(50));
        // Too heavy to keep at all.
        lru.insert(6, 60, 101);
        assert_eq!(lru.get(&6), None);
        let made: Result<u32, ()> = lru.get_or_insert_with(&7, || Ok((70, 1)));
        assert_eq!(made, Ok(70));
        let again: Result<u32, ()> = lru.get_or_insert_with(&7, || Err(()));
        assert_eq!(again, Ok(70));
        assert_eq!(lru.get_or_insert(&7, || (71, 1)), 70);
        assert_eq!(lru.get_or_insert(&8, || (80, 1)), 80);
        assert_eq!(lru.get(&8), Some(80));
        lru.clear();
        assert_eq!(lru.get(&7), None);
        assert_eq!(lru.lock().weight, 0);
    }

    #[test]
    fn drops_the_oldest_in_batches_and_keeps_what_is_used() {
        let lru: Lru<u32, u32> = Lru::new(10_000, 80);
        for k in 0..80 {
            lru.insert(k, k, 1);
        }
        // 0 is used again: no longer among the oldest.
        assert_eq!(lru.get(&0), Some(0));
        lru.insert(80, 80, 1);
        // The oldest eighth went at once (81 / 8 = 10 entries: 1 to 10), not one.
        let len = lru.lock().map.len();
        assert_eq!(len, 71);
        assert_eq!(lru.lock().weight, 71);
        assert_eq!(lru.get(&0), Some(0));
        for k in 1..=10 {
            assert_eq!(lru.get(&k), None, "{k}");
        }
        for k in 11..=80 {
            assert_eq!(lru.get(&k), Some(k), "{k}");
        }
    }
}
