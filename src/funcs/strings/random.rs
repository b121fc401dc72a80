//! The random string functions: goutils' `CryptoRandom*` (Sprig's
//! `randAlphaNum`, `randAlpha`, `randNumeric`, `randAscii`) and xstrings'
//! `Shuffle`, drawing from the host's randomness.
//!
//! goutils draws code points uniformly from `' '..='z'` (or `' '..='~'` for
//! ASCII) and keeps those that are letters or digits as asked; drawing
//! uniformly from the kept set directly gives the same distribution. A
//! negative length is an error Sprig discards (the result is empty).
//! `shuffle` is a Fisher-Yates shuffle of the runes, as xstrings does with
//! `math/rand`; only the resulting permutation is observable.

use super::{int_arg, reserve, str_arg};
use crate::template::{Func, FuncError, Host, ParamType, Templates};
use crate::value::Value;

/// A uniform random number in `0..n` (`n > 0`) from the host's bytes.
pub(crate) fn random_below(host: &dyn Host, n: u64) -> u64 {
    if n <= 1 {
        return 0;
    }
    // Reject the top partial range so every residue is equally likely.
    let zone = u64::MAX - (u64::MAX % n + 1) % n;
    loop {
        let mut buf = [0u8; 8];
        host.random_bytes(&mut buf);
        let v = u64::from_le_bytes(buf);
        if v <= zone {
            return v % n;
        }
    }
}

const DIGITS: &[u8] = b"0123456789";
const LETTERS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const ALPHANUMERIC: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// The bytes 32 through 126.
const PRINTABLE_ASCII: &[u8] =
    b" !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~";

/// A random string of `count` characters from `alphabet`.
fn random_string(host: &dyn Host, count: i64, alphabet: &[u8]) -> Result<String, FuncError> {
    if count <= 0 {
        return Ok(String::new());
    }
    // Go's `make([]rune, count)` fails beyond its 2^48-byte allocation limit.
    if count > 1 << 46 {
        return Err(FuncError::msg("runtime error: makeslice: len out of range"));
    }
    let mut out = String::new();
    reserve(&mut out, count as usize)?;
    for _ in 0..count {
        let i = random_below(host, alphabet.len() as u64) as usize;
        out.push(char::from(alphabet[i]));
    }
    Ok(out)
}

/// xstrings' `Shuffle`: the runes of `s` in a random order.
fn shuffle(host: &dyn Host, s: &str) -> String {
    let mut runes: Vec<char> = s.chars().collect();
    for i in (1..runes.len()).rev() {
        let j = random_below(host, i as u64 + 1) as usize;
        runes.swap(i, j);
    }
    runes.into_iter().collect()
}

/// Registers `randAlphaNum`, `randAlpha`, `randNumeric`, `randAscii` and
/// `shuffle`.
pub(super) fn register(set: &mut Templates) {
    for (name, alphabet) in [
        ("randAlphaNum", ALPHANUMERIC),
        ("randAlpha", LETTERS),
        ("randNumeric", DIGITS),
        ("randAscii", PRINTABLE_ASCII),
    ] {
        set.add_func(
            name,
            Func::new([ParamType::INT], move |ctx, args| {
                random_string(ctx.host(), int_arg(&args[0]), alphabet).map(Value::from)
            })
            .infallible(),
        );
    }
    set.add_func(
        "shuffle",
        Func::new([ParamType::String], |ctx, args| {
            Ok(Value::from(shuffle(ctx.host(), str_arg(&args[0]))))
        })
        .infallible(),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::DefaultHost;

    #[test]
    fn random_strings_have_the_right_shape() {
        let host = DefaultHost::default();
        let s = random_string(&host, 64, ALPHANUMERIC).unwrap();
        assert_eq!(s.len(), 64);
        assert!(s.bytes().all(|b| b.is_ascii_alphanumeric()));
        let s = random_string(&host, 40, DIGITS).unwrap();
        assert!(s.bytes().all(|b| b.is_ascii_digit()));
        assert_eq!(random_string(&host, -3, DIGITS).unwrap(), "");
        assert!(random_string(&host, 1 << 50, DIGITS).is_err());
    }

    #[test]
    fn ascii_alphabet_is_complete() {
        assert_eq!(PRINTABLE_ASCII, (b' '..=b'~').collect::<Vec<u8>>());
    }

    #[test]
    fn shuffle_permutes_runes() {
        let host = DefaultHost::default();
        let mut got: Vec<char> = shuffle(&host, "Hello Wörld").chars().collect();
        let mut want: Vec<char> = "Hello Wörld".chars().collect();
        got.sort();
        want.sort();
        assert_eq!(got, want);
        assert!((0..100).all(|_| random_below(&host, 7) < 7));
    }
}
