//! A fixed xorshift sequence for tests that generate their inputs: the same
//! cases on every run, with no dependency.

pub(crate) struct Xorshift(u64);

impl Xorshift {
    /// A sequence starting after `seed` (which must not be zero).
    pub(crate) fn new(seed: u64) -> Xorshift {
        Xorshift(seed)
    }

    /// The value last produced (the seed before the first step).
    pub(crate) fn value(&self) -> u64 {
        self.0
    }

    /// The next value.
    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// The next value below `n`.
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}
