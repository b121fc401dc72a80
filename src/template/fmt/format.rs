//! The flag-aware formatting primitives of Go's `fmt` (its internal `fmt`
//! type in `format.go`): padding by runes, integers in any base with
//! precision and `#`, `%U`, `%c`, `%q`, hex dumps of strings and bytes, and
//! the sign, `#` and zero-padding rules applied to `strconv` float output.

use super::quote::{can_backquote, decode_rune, push_rune, quote, quote_rune, rune_count};
use super::quote::{MAX_RUNE, RUNE_ERROR};
use crate::value::{format_float, FloatFmt};

/// The flags, width and precision of one verb.
#[derive(Clone, Copy, Debug, Default)]
pub struct Flags {
    pub wid: usize,
    pub prec: usize,
    pub wid_present: bool,
    pub prec_present: bool,
    pub minus: bool,
    pub plus: bool,
    pub sharp: bool,
    pub space: bool,
    pub zero: bool,
    /// `%+v`: `plus` moves here for the `v` verb.
    pub plus_v: bool,
    /// `%#v`: `sharp` moves here for the `v` verb.
    pub sharp_v: bool,
}

/// Digits for the integer bases; index 16 is the hex prefix letter.
pub const LOWER_DIGITS: &[u8; 17] = b"0123456789abcdefx";
pub const UPPER_DIGITS: &[u8; 17] = b"0123456789ABCDEFX";

/// Output buffer plus the current verb's flags.
#[derive(Default)]
pub struct Formatter {
    pub buf: Vec<u8>,
    pub f: Flags,
}

impl Formatter {
    pub fn write_str(&mut self, s: &str) {
        self.buf.extend_from_slice(s.as_bytes());
    }

    pub fn write_byte(&mut self, b: u8) {
        self.buf.push(b);
    }

    pub fn write_char(&mut self, c: char) {
        push_rune(&mut self.buf, u32::from(c));
    }

    /// `n` bytes of padding: zeros when `0` is set (left side only).
    pub fn write_padding(&mut self, n: usize) {
        let byte = if self.f.zero && !self.f.minus {
            b'0'
        } else {
            b' '
        };
        self.buf.resize(self.buf.len() + n, byte);
    }

    /// Writes `b` padded to the width, counted in runes.
    pub fn pad(&mut self, b: &[u8]) {
        if !self.f.wid_present || self.f.wid == 0 {
            self.buf.extend_from_slice(b);
            return;
        }
        let width = self.f.wid.saturating_sub(rune_count(b));
        if self.f.minus {
            self.buf.extend_from_slice(b);
            self.write_padding(width);
        } else {
            self.write_padding(width);
            self.buf.extend_from_slice(b);
        }
    }

    pub fn pad_str(&mut self, s: &str) {
        self.pad(s.as_bytes());
    }

    /// `pad` with zero padding switched off.
    fn pad_no_zero(&mut self, b: &[u8]) {
        let zero = self.f.zero;
        self.f.zero = false;
        self.pad(b);
        self.f.zero = zero;
    }

    pub fn fmt_boolean(&mut self, v: bool) {
        self.pad_str(if v { "true" } else { "false" });
    }

    /// `%U`: `U+0078`, or `U+0078 'x'` with `#` for a printable rune.
    pub fn fmt_unicode(&mut self, u: u64) {
        let prec = if self.f.prec_present && self.f.prec > 4 {
            self.f.prec
        } else {
            4
        };
        let hex = format!("{u:X}");
        let mut out = Vec::with_capacity(prec + 10);
        out.extend_from_slice(b"U+");
        out.resize(out.len() + prec.saturating_sub(hex.len()), b'0');
        out.extend_from_slice(hex.as_bytes());
        if self.f.sharp && u <= u64::from(MAX_RUNE) && super::isprint::is_print(u as u32) {
            out.extend_from_slice(b" '");
            push_rune(&mut out, u as u32);
            out.push(b'\'');
        }
        self.pad_no_zero(&out);
    }

    /// Integers in base 2, 8, 10 or 16, with precision, `#` prefixes,
    /// `%O`'s `0o`, signs and zero padding.
    pub fn fmt_integer(&mut self, u: u64, base: u32, signed: bool, verb: char, digits: &[u8; 17]) {
        let negative = signed && (u as i64) < 0;
        let mut u = if negative { u.wrapping_neg() } else { u };
        let mut prec = 0usize;
        if self.f.prec_present {
            prec = self.f.prec;
            if prec == 0 && u == 0 {
                // Precision 0 and value 0 print nothing but the padding.
                let zero = self.f.zero;
                self.f.zero = false;
                self.write_padding(self.f.wid);
                self.f.zero = zero;
                return;
            }
        } else if self.f.zero && !self.f.minus && self.f.wid_present {
            prec = self.f.wid;
            if negative || self.f.plus || self.f.space {
                prec = prec.saturating_sub(1); // room for the sign
            }
        }
        // Digits, least significant first.
        let mut rev = Vec::with_capacity(prec.max(24));
        let base64 = u64::from(base);
        loop {
            rev.push(digits[(u % base64) as usize]);
            u /= base64;
            if u == 0 {
                break;
            }
        }
        while rev.len() < prec {
            rev.push(b'0');
        }
        if self.f.sharp {
            match base {
                2 => rev.extend_from_slice(b"b0"),
                8 if rev.last() != Some(&b'0') => rev.push(b'0'),
                16 => {
                    rev.push(digits[16]);
                    rev.push(b'0');
                }
                _ => {}
            }
        }
        if verb == 'O' {
            rev.extend_from_slice(b"o0");
        }
        if negative {
            rev.push(b'-');
        } else if self.f.plus {
            rev.push(b'+');
        } else if self.f.space {
            rev.push(b' ');
        }
        rev.reverse();
        self.pad_no_zero(&rev);
    }

    /// Precision truncates a string to that many runes.
    fn truncate<'a>(&self, b: &'a [u8]) -> &'a [u8] {
        if self.f.prec_present {
            let mut n = self.f.prec;
            let mut i = 0;
            while i < b.len() {
                if n == 0 {
                    return &b[..i];
                }
                n -= 1;
                i += decode_rune(&b[i..]).1;
            }
        }
        b
    }

    /// `%s` of a string or byte slice.
    pub fn fmt_s(&mut self, b: &[u8]) {
        let b = self.truncate(b);
        self.pad(b);
    }

    /// `%x`/`%X` of a string or byte slice: a hex dump, `# ` adding `0x`
    /// to every byte and ` ` separating them.
    pub fn fmt_sbx(&mut self, b: &[u8], digits: &[u8; 17]) {
        let mut length = b.len();
        if self.f.prec_present && self.f.prec < length {
            length = self.f.prec;
        }
        let mut width = 2 * length;
        if width > 0 {
            if self.f.space {
                if self.f.sharp {
                    width *= 2;
                }
                width += length - 1;
            } else if self.f.sharp {
                width += 2;
            }
        } else {
            if self.f.wid_present {
                self.write_padding(self.f.wid);
            }
            return;
        }
        if self.f.wid_present && self.f.wid > width && !self.f.minus {
            self.write_padding(self.f.wid - width);
        }
        if self.f.sharp {
            self.buf.push(b'0');
            self.buf.push(digits[16]);
        }
        for (i, &c) in b[..length].iter().enumerate() {
            if self.f.space && i > 0 {
                self.buf.push(b' ');
                if self.f.sharp {
                    self.buf.push(b'0');
                    self.buf.push(digits[16]);
                }
            }
            self.buf.push(digits[usize::from(c >> 4)]);
            self.buf.push(digits[usize::from(c & 0xf)]);
        }
        if self.f.wid_present && self.f.wid > width && self.f.minus {
            self.write_padding(self.f.wid - width);
        }
    }

    /// `%q` of a string: Go-quoted, ASCII-only with `+`, backquoted with
    /// `#` when possible.
    pub fn fmt_q(&mut self, b: &[u8]) {
        let b = self.truncate(b);
        if self.f.sharp && can_backquote(b) {
            let mut quoted = Vec::with_capacity(b.len() + 2);
            quoted.push(b'`');
            quoted.extend_from_slice(b);
            quoted.push(b'`');
            self.pad(&quoted);
            return;
        }
        let quoted = quote(b, self.f.plus);
        self.pad_str(&quoted);
    }

    /// `%c`: the integer as a rune (U+FFFD when out of range).
    pub fn fmt_c(&mut self, c: u64) {
        let r = u32::try_from(c).unwrap_or(RUNE_ERROR);
        let mut out = Vec::with_capacity(4);
        push_rune(&mut out, r);
        self.pad(&out);
    }

    /// `%q` of an integer: a quoted rune literal.
    pub fn fmt_qc(&mut self, c: u64) {
        let r = u32::try_from(c).unwrap_or(RUNE_ERROR);
        let quoted = quote_rune(r, self.f.plus);
        self.pad_str(&quoted);
    }

    /// A float through `strconv.FormatFloat(v, verb, prec, size)`, then
    /// signs, `#` and padding as Go's `fmt` applies them. `prec = None` is
    /// the verb's default of "shortest" unless a precision was given.
    pub fn fmt_float(&mut self, v: f64, size: u32, verb: u8, default_prec: Option<usize>) {
        let prec = if self.f.prec_present {
            Some(self.f.prec)
        } else {
            default_prec
        };
        let fmt = FloatFmt::from_byte(verb).unwrap_or(FloatFmt::General);
        let text = format_float(v, fmt, prec, size);
        // num[0] is the sign, always present.
        let mut num: Vec<u8> = Vec::with_capacity(text.len() + 8);
        if !text.starts_with(['-', '+']) {
            num.push(b'+');
        }
        num.extend_from_slice(text.as_bytes());
        if self.f.space && num[0] == b'+' && !self.f.plus {
            num[0] = b' ';
        }
        if num[1] == b'I' || num[1] == b'N' {
            // Infinities and NaN are never zero padded.
            let zero = self.f.zero;
            self.f.zero = false;
            if num[1] == b'N' && !self.f.space && !self.f.plus {
                num.remove(0);
            }
            self.pad(&num);
            self.f.zero = zero;
            return;
        }
        if self.f.sharp && verb != b'b' {
            num = self.sharp_float(num, verb, prec);
        }
        if self.f.plus || num[0] != b'+' {
            if self.f.zero && !self.f.minus && self.f.wid_present && self.f.wid > num.len() {
                self.buf.push(num[0]);
                self.write_padding(self.f.wid - num.len());
                self.buf.extend_from_slice(&num[1..]);
                return;
            }
            self.pad(&num);
            return;
        }
        self.pad(&num[1..]);
    }

    /// `#` on a float: always a decimal point, and for `%g`/`%x` trailing
    /// zeros kept up to the precision (6 when shortest).
    fn sharp_float(&self, mut num: Vec<u8>, verb: u8, prec: Option<usize>) -> Vec<u8> {
        let mut digits: i64 = match verb {
            b'v' | b'g' | b'G' | b'x' => prec.map_or(6, |p| p as i64),
            _ => 0,
        };
        let mut tail = Vec::new();
        let mut has_point = false;
        let mut saw_nonzero = false;
        let mut i = 1;
        while i < num.len() {
            match num[i] {
                b'.' => has_point = true,
                b'p' | b'P' => {
                    tail = num.split_off(i);
                    break;
                }
                b'e' | b'E' if verb != b'x' && verb != b'X' => {
                    tail = num.split_off(i);
                    break;
                }
                c => {
                    if c != b'0' {
                        saw_nonzero = true;
                    }
                    if saw_nonzero {
                        digits -= 1;
                    }
                }
            }
            i += 1;
        }
        if !has_point {
            if num.len() == 2 && num[1] == b'0' {
                digits -= 1;
            }
            num.push(b'.');
        }
        while digits > 0 {
            num.push(b'0');
            digits -= 1;
        }
        num.extend_from_slice(&tail);
        num
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(flags: Flags, run: impl FnOnce(&mut Formatter)) -> String {
        let mut f = Formatter {
            buf: Vec::new(),
            f: flags,
        };
        run(&mut f);
        String::from_utf8(f.buf).unwrap()
    }

    #[test]
    fn integer_precision_beats_zero_flag() {
        let flags = Flags {
            wid: 6,
            wid_present: true,
            prec: 0,
            prec_present: true,
            zero: true,
            ..Flags::default()
        };
        assert_eq!(
            with(flags, |f| f.fmt_integer(0, 10, true, 'd', LOWER_DIGITS)),
            "      "
        );
        let flags = Flags {
            wid: 20,
            wid_present: true,
            prec: 8,
            prec_present: true,
            zero: true,
            ..Flags::default()
        };
        let minus = (-1234i64) as u64;
        assert_eq!(
            with(flags, |f| f.fmt_integer(minus, 10, true, 'd', LOWER_DIGITS)),
            "           -00001234"
        );
    }

    #[test]
    fn integer_prefixes() {
        let sharp = Flags {
            sharp: true,
            ..Flags::default()
        };
        assert_eq!(
            with(sharp, |f| f.fmt_integer(7, 2, true, 'b', LOWER_DIGITS)),
            "0b111"
        );
        assert_eq!(
            with(sharp, |f| f.fmt_integer(0, 8, true, 'o', LOWER_DIGITS)),
            "0"
        );
        assert_eq!(
            with(sharp, |f| f.fmt_integer(668, 8, true, 'O', LOWER_DIGITS)),
            "0o01234"
        );
        assert_eq!(
            with(sharp, |f| f.fmt_integer(0, 16, true, 'X', UPPER_DIGITS)),
            "0X0"
        );
    }

    #[test]
    fn zero_padding_never_goes_right() {
        let flags = Flags {
            wid: 7,
            wid_present: true,
            prec: 2,
            prec_present: true,
            zero: true,
            minus: true,
            ..Flags::default()
        };
        assert_eq!(
            with(flags, |f| f.fmt_float(-1.0, 64, b'f', Some(6))),
            "-1.00  "
        );
        assert_eq!(with(flags, |f| f.fmt_s(b"abc")), "ab     ");
    }

    #[test]
    fn sharp_float_keeps_point_and_zeros() {
        let sharp = Flags {
            sharp: true,
            ..Flags::default()
        };
        assert_eq!(
            with(sharp, |f| f.fmt_float(123456.0, 64, b'g', None)),
            "123456."
        );
        assert_eq!(
            with(sharp, |f| f.fmt_float(1e6, 64, b'g', None)),
            "1.00000e+06"
        );
        let sharp0 = Flags {
            prec_present: true,
            ..sharp
        };
        assert_eq!(
            with(sharp0, |f| f.fmt_float(1.0, 64, b'x', None)),
            "0x1.p+00"
        );
        assert_eq!(
            with(sharp0, |f| f.fmt_float(123.0, 64, b'e', Some(6))),
            "1.e+02"
        );
    }

    #[test]
    fn unicode_and_runes() {
        let sharp = Flags {
            sharp: true,
            ..Flags::default()
        };
        assert_eq!(with(sharp, |f| f.fmt_unicode(0x263a)), "U+263A '☺'");
        assert_eq!(with(sharp, |f| f.fmt_unicode(0x0a)), "U+000A");
        assert_eq!(
            with(Flags::default(), |f| f.fmt_unicode(u64::MAX)),
            "U+FFFFFFFFFFFFFFFF"
        );
        assert_eq!(
            with(Flags::default(), |f| f.fmt_c(0x1_0000_0000)),
            "\u{fffd}"
        );
        assert_eq!(with(Flags::default(), |f| f.fmt_c(0xdc80)), "\u{fffd}");
    }

    #[test]
    fn hex_dump_with_flags() {
        let flags = Flags {
            sharp: true,
            space: true,
            zero: true,
            wid: 10,
            wid_present: true,
            ..Flags::default()
        };
        assert_eq!(
            with(flags, |f| f.fmt_sbx(&[0xab, 0xcd], LOWER_DIGITS)),
            "00xab 0xcd"
        );
        let empty = Flags {
            wid: 2,
            wid_present: true,
            ..Flags::default()
        };
        assert_eq!(with(empty, |f| f.fmt_sbx(b"", LOWER_DIGITS)), "  ");
    }
}
