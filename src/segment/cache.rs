//! A bounded memo of jieba's cuts.
//!
//! jieba cuts every run of characters between two separators on its own (its
//! blocks never span a space), so the cut of a run depends on the run alone and can
//! be remembered. Official text repeats itself: phrases such as 县级以上人民政府 or
//! 深入学习贯彻习近平新时代中国特色社会主义思想 come back in document after document,
//! and a quarter of the bytes of the law corpus are runs seen before. A lookup costs
//! one hash of the run; cutting it again costs the dictionary walk and the route.
//!
//! Keys and cuts live in one growing buffer; when it passes its budget everything
//! is dropped and the memo starts over, so memory stays bounded whatever the corpus.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Runs longer than this many bytes are not remembered (their cut end offsets are
/// stored as `u16`, and long runs rarely repeat).
const MAX_RUN: usize = 512;
/// Bytes looked up before the memo decides whether it pays.
const TRIAL_BYTES: u64 = 1 << 20;
/// Share of looked-up bytes (percent) that must be found for the memo to stay on.
/// Below about a fifth, hashing and copying cost what the saved cutting gains
/// (measured on the law corpus, 19 % found).
const MIN_HIT_PERCENT: u64 = 30;

/// Where one run's key and cut are in the buffer.
#[derive(Debug, Clone, Copy)]
struct Slot {
    /// Offset of the key bytes, followed by `words` end offsets (`u16`, little endian).
    at: u32,
    key_len: u16,
    words: u16,
}

/// The keys are already hashes: pass them through.
#[derive(Debug, Default)]
struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        // Only `write_u64` is used; fold anything else in for correctness.
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// Remembered cuts of runs: for each run, the byte offsets where its words end.
#[derive(Debug)]
pub struct CutCache {
    slots: HashMap<u64, Slot, BuildHasherDefault<PassThrough>>,
    buf: Vec<u8>,
    budget: usize,
    /// Bytes of runs found and not found.
    hit_bytes: u64,
    miss_bytes: u64,
    /// Turned off: too few runs came back.
    off: bool,
}

/// What [`CutCache::find`] found.
#[derive(Debug, Clone, Copy)]
pub enum Lookup {
    /// The run's cut, remembered.
    Hit(CutRef),
    /// Not remembered; the run's hash, for [`CutCache::insert`].
    Miss(u64),
    /// Not to be remembered (too long, or the memo is off).
    Skip,
}

impl CutCache {
    /// An empty memo holding at most about `budget` bytes of keys and cuts.
    pub fn new(budget: usize) -> Self {
        CutCache {
            slots: HashMap::default(),
            buf: Vec::new(),
            budget,
            hit_bytes: 0,
            miss_bytes: 0,
            off: false,
        }
    }

    /// Drops everything once the buffer has passed its budget. Called between
    /// texts, so offsets handed out for one text stay valid while it is analyzed.
    pub fn trim(&mut self) {
        if self.buf.len() > self.budget {
            self.slots.clear();
            self.buf.clear();
        }
        // A memo that is seldom hit costs more (hashing, copying) than it saves:
        // after a trial, it turns itself off.
        let seen = self.hit_bytes + self.miss_bytes;
        if !self.off && seen >= TRIAL_BYTES && self.hit_bytes * 100 < seen * MIN_HIT_PERCENT {
            self.off = true;
            self.slots = HashMap::default();
            self.buf = Vec::new();
        }
    }

    /// Looks `run` up: its remembered cut, or what [`CutCache::insert`] needs to
    /// remember it once it is cut.
    pub fn find(&mut self, run: &str) -> Lookup {
        if self.off || run.len() > MAX_RUN {
            return Lookup::Skip;
        }
        let h = hash(run);
        let found = self.slots.get(&h).copied().filter(|slot| {
            let at = slot.at as usize;
            self.buf.get(at..at + usize::from(slot.key_len)) == Some(run.as_bytes())
        });
        let n = run.len() as u64;
        match found {
            Some(slot) => {
                self.hit_bytes += n;
                Lookup::Hit(CutRef(slot))
            }
            None => {
                self.miss_bytes += n;
                Lookup::Miss(h)
            }
        }
    }

    /// Remembers the cut of `run` (`ends`: byte offsets where its words end), found
    /// missing with `hash`. Returns the handle, or `None` if another run has the same
    /// hash.
    pub fn insert(&mut self, hash: u64, run: &str, ends: &[u32]) -> Option<CutRef> {
        if ends.len() > MAX_RUN {
            return None;
        }
        let at = u32::try_from(self.buf.len()).ok()?;
        let std::collections::hash_map::Entry::Vacant(v) = self.slots.entry(hash) else {
            return None;
        };
        let slot = Slot {
            at,
            key_len: run.len() as u16,
            words: ends.len() as u16,
        };
        v.insert(slot);
        self.buf.extend_from_slice(run.as_bytes());
        for &e in ends {
            self.buf.extend_from_slice(&(e as u16).to_le_bytes());
        }
        Some(CutRef(slot))
    }

    /// Whether the memo is in use (it turns itself off when seldom hit).
    pub fn is_on(&self) -> bool {
        !self.off
    }

    /// Bytes of runs found so far, and of runs looked up and not found.
    pub fn stats(&self) -> (u64, u64) {
        (self.hit_bytes, self.miss_bytes)
    }

    /// Appends the word end offsets of a remembered cut to `out`.
    pub fn ends(&self, cut: CutRef, out: &mut Vec<u32>) {
        let s = cut.0;
        let from = s.at as usize + usize::from(s.key_len);
        let to = from + 2 * usize::from(s.words);
        if let Some(bytes) = self.buf.get(from..to) {
            out.extend(
                bytes
                    .chunks_exact(2)
                    .map(|b| u32::from(u16::from_le_bytes([b[0], b[1]]))),
            );
        }
    }
}

/// A remembered cut, valid until the next [`CutCache::trim`].
#[derive(Debug, Clone, Copy)]
pub struct CutRef(Slot);

fn hash(run: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(run.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_cuts_and_forgets_past_its_budget() {
        let mut c = CutCache::new(64);
        let Lookup::Miss(h) = c.find("医共体建设") else {
            panic!("found in an empty memo")
        };
        let r = c.insert(h, "医共体建设", &[9, 15]).unwrap();
        let mut ends = Vec::new();
        c.ends(r, &mut ends);
        assert_eq!(ends, [9, 15]);
        let Lookup::Hit(found) = c.find("医共体建设") else {
            panic!("not remembered")
        };
        ends.clear();
        c.ends(found, &mut ends);
        assert_eq!(ends, [9, 15]);
        assert!(matches!(c.find("医共体"), Lookup::Miss(_)));
        // A second insert of the same run is refused, the first stays.
        assert!(c.insert(h, "医共体建设", &[15]).is_none());
        for i in 0..10 {
            let run = format!("第{i}条规定");
            if let Lookup::Miss(h) = c.find(&run) {
                c.insert(h, &run, &[4, 7, 13]);
            }
        }
        assert_eq!(c.stats(), (15, 24 + 10 * 13));
        c.trim();
        assert!(matches!(c.find("医共体建设"), Lookup::Miss(_)));
        // Too long to remember.
        assert!(matches!(c.find(&"长".repeat(400)), Lookup::Skip));
    }

    #[test]
    fn turns_itself_off_when_seldom_hit() {
        let mut c = CutCache::new(1 << 30);
        let mut i = 0u64;
        while c.stats().1 < TRIAL_BYTES {
            let run = format!("第{i}条");
            if let Lookup::Miss(h) = c.find(&run) {
                c.insert(h, &run, &[3]);
            }
            i += 1;
        }
        assert!(matches!(c.find("第1条"), Lookup::Hit(_)));
        c.trim();
        assert!(matches!(c.find("第1条"), Lookup::Skip));
    }
}
