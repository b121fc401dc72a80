//! Randomness: `randBytes` (base64 of `count` random bytes) and `uuidv4`
//! (google/uuid's `New().String()`), both drawing on the host's random
//! source, plus [`HostRng`], the `rand_core` adapter through which key
//! generation and signing draw on it too.

use rand_core::{CryptoRng, RngCore};

use super::encoding::base64_encode;
use crate::template::{FuncError, Host};

/// A cryptographic RNG over the host's random bytes.
pub struct HostRng<'a>(pub &'a dyn Host);

impl RngCore for HostRng<'_> {
    fn next_u32(&mut self) -> u32 {
        let mut b = [0u8; 4];
        self.0.random_bytes(&mut b);
        u32::from_le_bytes(b)
    }

    fn next_u64(&mut self) -> u64 {
        let mut b = [0u8; 8];
        self.0.random_bytes(&mut b);
        u64::from_le_bytes(b)
    }

    fn fill_bytes(&mut self, dest: &mut [u8]) {
        self.0.random_bytes(dest);
    }

    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
        self.0.random_bytes(dest);
        Ok(())
    }
}

impl CryptoRng for HostRng<'_> {}

/// Go's largest allocation on 64-bit platforms (`maxAlloc`, 2^48 bytes):
/// `make([]byte, n)` beyond it panics with "makeslice: len out of range".
const GO_MAX_ALLOC: i64 = 1 << 48;

/// Sprig's `randBytes(count int) (string, error)`.
pub fn rand_bytes(host: &dyn Host, count: i64) -> Result<String, FuncError> {
    if !(0..=GO_MAX_ALLOC).contains(&count) {
        return Err(FuncError::msg("runtime error: makeslice: len out of range"));
    }
    let count = usize::try_from(count).map_err(|_| out_of_memory())?;
    let mut buf = Vec::new();
    buf.try_reserve_exact(count).map_err(|_| out_of_memory())?;
    // Also make sure the encoded text will fit before filling anything.
    let mut probe = Vec::<u8>::new();
    probe
        .try_reserve_exact(count.div_ceil(3).saturating_mul(4))
        .map_err(|_| out_of_memory())?;
    drop(probe);
    buf.resize(count, 0);
    host.random_bytes(&mut buf);
    Ok(base64_encode(&buf))
}

fn out_of_memory() -> FuncError {
    FuncError::msg("runtime: out of memory")
}

/// Sprig's `uuidv4()`: a random (version 4, RFC 4122 variant) UUID.
pub fn uuidv4(host: &dyn Host) -> String {
    let mut b = [0u8; 16];
    host.random_bytes(&mut b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex = super::encoding::hex_encode(&b);
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A host whose random bytes count up from a seed.
    struct Counting(std::cell::Cell<u8>);

    impl Host for Counting {
        fn random_bytes(&self, buf: &mut [u8]) {
            for b in buf {
                *b = self.0.get();
                self.0.set(self.0.get().wrapping_add(1));
            }
        }
        fn now(&self) -> (i64, u32) {
            (0, 0)
        }
    }

    #[test]
    fn uuid_layout() {
        let host = Counting(std::cell::Cell::new(0xf0));
        // f0 f1 ... ff 00: version and variant bits forced.
        assert_eq!(uuidv4(&host), "f0f1f2f3-f4f5-46f7-b8f9-fafbfcfdfeff");
    }

    #[test]
    fn rand_bytes_lengths_and_errors() {
        let host = Counting(std::cell::Cell::new(0));
        assert_eq!(rand_bytes(&host, 3).unwrap(), "AAEC");
        assert_eq!(rand_bytes(&host, 0).unwrap(), "");
        assert_eq!(
            rand_bytes(&host, -1).unwrap_err().text(),
            "runtime error: makeslice: len out of range"
        );
        assert_eq!(
            rand_bytes(&host, 1 << 50).unwrap_err().text(),
            "runtime error: makeslice: len out of range"
        );
        let mut rng = HostRng(&host);
        assert_eq!(rng.next_u32(), u32::from_le_bytes([3, 4, 5, 6]));
    }
}
