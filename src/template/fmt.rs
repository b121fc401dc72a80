//! Go's `fmt.Sprintf`, `fmt.Sprint` and `fmt.Sprintln` over template
//! values, as `text/template`'s `printf`, `print` and `println` builtins
//! (and Sprig functions built on them) call them (Go 1.26 `fmt/print.go`).
//!
//! Every verb Go applies to these types is supported: `%v %+v %#v %T %t %d
//! %b %o %O %x %X %c %q %U %e %E %f %F %g %G %s %p %%`, the flags
//! `+ - # 0 space`, width and precision (also from `*` arguments), explicit
//! argument indexes (`%[2]d`) and Go's in-band error texts (`%!d(string=hi)`,
//! `%!(EXTRA int=1)`, `%!d(MISSING)`, `%!d(BADINDEX)`, `%!(BADWIDTH)`,
//! `%!(BADPREC)`, `%!(NOVERB)`).
//!
//! Host objects ([`Value::Object`]) act as Go `Stringer`s: `%v %s %q %x %X`
//! format [`Object::format`](crate::value::Object::format) as a string, and
//! `%#v` prints it unchanged. Go would print a struct's fields for other
//! verbs; that is not modelled and gives `%!d(type=text)`. `%p` cannot show
//! real addresses, so maps and slices print a fixed stand-in address.
//!
//! Go strings may hold invalid UTF-8 (a `[]byte` printed with `%s`); such
//! bytes come out as U+FFFD in the returned `String`.

mod format;
mod isprint;
mod quote;

pub(crate) use quote::decode_rune;

use crate::value::{Kind, Value};
use format::{Formatter, LOWER_DIGITS, UPPER_DIGITS};

/// The address `%p` prints for maps, slices and pointers. Go prints the real
/// address, which differs between runs; output here must be deterministic.
const STAND_IN_ADDRESS: u64 = 0xc000010000;

/// Go's `fmt.Sprintf(format, args...)`.
pub fn sprintf(format: &str, args: &[Value]) -> String {
    into_text(appendf(format, args))
}

/// Go's `fmt.Sprint(args...)`: operands in `%v`, with a space between two
/// operands when neither is a string.
pub fn sprint(args: &[Value]) -> String {
    into_text(append(args))
}

/// Go's `fmt.Sprintln(args...)`: operands in `%v` separated by spaces, and a
/// newline.
pub fn sprintln(args: &[Value]) -> String {
    into_text(appendln(args))
}

/// [`sprintf`]'s bytes (Go's `fmt.Appendf`): a `%s` of a string that is not
/// UTF-8 prints its bytes.
pub fn appendf(format: &str, args: &[Value]) -> Vec<u8> {
    let mut p = Printer::default();
    p.do_printf(format, args);
    p.out.buf
}

/// [`sprint`]'s bytes (Go's `fmt.Append`).
pub fn append(args: &[Value]) -> Vec<u8> {
    let mut p = Printer::default();
    let mut prev_string = false;
    for (i, arg) in args.iter().enumerate() {
        let is_string = matches!(arg, Value::String(_) | Value::ByteString(_));
        if i > 0 && !is_string && !prev_string {
            p.out.write_byte(b' ');
        }
        p.print_arg(arg, 'v');
        prev_string = is_string;
    }
    p.out.buf
}

/// [`sprintln`]'s bytes (Go's `fmt.Appendln`).
pub fn appendln(args: &[Value]) -> Vec<u8> {
    let mut p = Printer::default();
    for (i, arg) in args.iter().enumerate() {
        if i > 0 {
            p.out.write_byte(b' ');
        }
        p.print_arg(arg, 'v');
    }
    p.out.write_byte(b'\n');
    p.out.buf
}

/// Printed bytes as text: moved when UTF-8, else decoded as Go decodes.
fn into_text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| crate::value::go_text(e.as_bytes()))
}

/// Go's `strconv.Quote` over bytes (invalid UTF-8 escaped as `\\x..`);
/// `ascii_only` is `QuoteToASCII`. Callers use [`super::strconv`].
pub(crate) fn quote_bytes(s: &[u8], ascii_only: bool) -> String {
    quote::quote(s, ascii_only)
}

/// Go's `strconv.QuoteRune` (`ascii_only`: `QuoteRuneToASCII`).
pub(crate) fn quote_rune(r: u32, ascii_only: bool) -> String {
    quote::quote_rune(r, ascii_only)
}

/// Go's `unicode.IsPrint` / `strconv.IsPrint`.
pub(crate) fn is_print(r: u32) -> bool {
    isprint::is_print(r)
}

/// The state of one `Sprintf`/`Sprint` call (Go's `pp`).
#[derive(Default)]
struct Printer {
    out: Formatter,
    /// The format used an explicit argument index.
    reordered: bool,
    /// The most recent argument index was valid.
    good_arg_num: bool,
    /// Printing the operand of a bad-verb message (methods are not used).
    erroring: bool,
}

/// Go's `tooLarge`: widths and precisions are limited to a million.
fn too_large(x: i64) -> bool {
    !(-1_000_000..=1_000_000).contains(&x)
}

/// Go's `parsenum`: a decimal number at `s[start..end]`; an overflowing
/// number consumes the rest of the format.
fn parse_num(s: &[u8], start: usize, end: usize) -> (usize, bool, usize) {
    if start >= end {
        return (0, false, end);
    }
    let mut num: i64 = 0;
    let mut is_num = false;
    let mut i = start;
    while i < end && s[i].is_ascii_digit() {
        if too_large(num) {
            return (0, false, end);
        }
        num = num * 10 + i64::from(s[i] - b'0');
        is_num = true;
        i += 1;
    }
    (num as usize, is_num, i)
}

/// Go's `parseArgNumber` on text starting with `[`: the zero-based index,
/// the bytes consumed and whether it parsed.
fn parse_arg_number(s: &[u8]) -> (i64, usize, bool) {
    if s.len() < 3 {
        return (0, 1, false);
    }
    for i in 1..s.len() {
        if s[i] == b']' {
            let (width, ok, newi) = parse_num(s, 1, i);
            if !ok || newi != i {
                return (0, i + 1, false);
            }
            return (width as i64 - 1, i + 1, true);
        }
    }
    (0, 1, false)
}

/// Go's `intFromArg`: a `*` width or precision operand, which must be an
/// integer of at most a million in magnitude.
fn int_from_arg(args: &[Value], arg_num: usize) -> (i64, bool, usize) {
    let Some(arg) = args.get(arg_num) else {
        return (0, false, arg_num);
    };
    let (mut num, mut is_int) = match arg {
        Value::Int(i, _) => (*i, true),
        Value::Uint(u, _) => match i64::try_from(*u) {
            Ok(n) => (n, true),
            Err(_) => (0, false),
        },
        _ => (0, false),
    };
    if too_large(num) {
        num = 0;
        is_int = false;
    }
    (num, is_int, arg_num + 1)
}

impl Printer {
    /// Go's `argNumber`: an optional `[n]` at `format[i..]`.
    fn arg_number(
        &mut self,
        arg_num: usize,
        format: &[u8],
        i: usize,
        num_args: usize,
    ) -> (usize, usize, bool) {
        if format.len() <= i || format[i] != b'[' {
            return (arg_num, i, false);
        }
        self.reordered = true;
        let (index, wid, ok) = parse_arg_number(&format[i..]);
        if ok && 0 <= index && (index as usize) < num_args {
            return (index as usize, i + wid, true);
        }
        self.good_arg_num = false;
        (arg_num, i + wid, ok)
    }

    fn do_printf(&mut self, format_str: &str, args: &[Value]) {
        let format = format_str.as_bytes();
        let end = format.len();
        let mut arg_num = 0usize;
        let mut after_index;
        self.reordered = false;
        let mut i = 0;
        while i < end {
            self.good_arg_num = true;
            let last = i;
            while i < end && format[i] != b'%' {
                i += 1;
            }
            if i > last {
                self.out.buf.extend_from_slice(&format[last..i]);
            }
            if i >= end {
                break;
            }
            i += 1; // the '%'

            self.out.f = format::Flags::default();
            while i < end {
                match format[i] {
                    b'#' => self.out.f.sharp = true,
                    b'0' => self.out.f.zero = true,
                    b'+' => self.out.f.plus = true,
                    b'-' => self.out.f.minus = true,
                    b' ' => self.out.f.space = true,
                    _ => break,
                }
                i += 1;
            }

            // Argument index, then width.
            (arg_num, i, after_index) = self.arg_number(arg_num, format, i, args.len());
            if i < end && format[i] == b'*' {
                i += 1;
                let (wid, ok, next) = int_from_arg(args, arg_num);
                arg_num = next;
                self.out.f.wid_present = ok;
                if !ok {
                    self.out.write_str("%!(BADWIDTH)");
                }
                if wid < 0 {
                    self.out.f.minus = true;
                    self.out.f.zero = false;
                }
                self.out.f.wid = wid.unsigned_abs() as usize;
                after_index = false;
            } else {
                let (wid, ok, next) = parse_num(format, i, end);
                self.out.f.wid = wid;
                self.out.f.wid_present = ok;
                i = next;
                if after_index && ok {
                    self.good_arg_num = false; // "%[3]2d"
                }
            }

            // Precision.
            if i + 1 < end && format[i] == b'.' {
                i += 1;
                if after_index {
                    self.good_arg_num = false; // "%[3].2d"
                }
                (arg_num, i, after_index) = self.arg_number(arg_num, format, i, args.len());
                if i < end && format[i] == b'*' {
                    i += 1;
                    let (prec, ok, next) = int_from_arg(args, arg_num);
                    arg_num = next;
                    // A negative precision makes no sense.
                    let ok = ok && prec >= 0;
                    self.out.f.prec = if ok { prec as usize } else { 0 };
                    self.out.f.prec_present = ok;
                    if !ok {
                        self.out.write_str("%!(BADPREC)");
                    }
                    after_index = false;
                } else {
                    let (prec, ok, next) = parse_num(format, i, end);
                    self.out.f.prec = if ok { prec } else { 0 };
                    self.out.f.prec_present = true;
                    i = next;
                }
            }

            if !after_index {
                (arg_num, i, _) = self.arg_number(arg_num, format, i, args.len());
            }

            if i >= end {
                self.out.write_str("%!(NOVERB)");
                break;
            }

            let verb = format_str[i..].chars().next().unwrap_or('\u{fffd}');
            i += verb.len_utf8();

            if verb == '%' {
                // A literal percent takes no operand and ignores flags.
                self.out.write_byte(b'%');
            } else if !self.good_arg_num {
                self.bad_arg_num(verb);
            } else if arg_num >= args.len() {
                self.missing_arg(verb);
            } else {
                if verb == 'v' {
                    self.out.f.sharp_v = self.out.f.sharp;
                    self.out.f.sharp = false;
                    self.out.f.plus_v = self.out.f.plus;
                    self.out.f.plus = false;
                }
                self.print_arg(&args[arg_num], verb);
                arg_num += 1;
            }
        }

        // Unused operands are reported unless the format reordered them.
        if !self.reordered && arg_num < args.len() {
            self.out.f = format::Flags::default();
            self.out.write_str("%!(EXTRA ");
            for (k, arg) in args[arg_num..].iter().enumerate() {
                if k > 0 {
                    self.out.write_str(", ");
                }
                if arg.is_nil() {
                    self.out.write_str("<nil>");
                } else {
                    self.out.write_str(&arg.type_name());
                    self.out.write_byte(b'=');
                    self.print_arg(arg, 'v');
                }
            }
            self.out.write_byte(b')');
        }
    }

    fn bad_arg_num(&mut self, verb: char) {
        self.out.write_str("%!");
        self.out.write_char(verb);
        self.out.write_str("(BADINDEX)");
    }

    fn missing_arg(&mut self, verb: char) {
        self.out.write_str("%!");
        self.out.write_char(verb);
        self.out.write_str("(MISSING)");
    }

    /// `%!verb(type=value)`, or `%!verb(<nil>)`.
    fn bad_verb(&mut self, value: &Value, verb: char) {
        self.erroring = true;
        self.out.write_str("%!");
        self.out.write_char(verb);
        self.out.write_byte(b'(');
        if value.is_nil() {
            self.out.write_str("<nil>");
        } else {
            self.out.write_str(&value.type_name());
            self.out.write_byte(b'=');
            self.print_arg(value, 'v');
        }
        self.out.write_byte(b')');
        self.erroring = false;
    }

    /// One operand (Go's `printArg`).
    fn print_arg(&mut self, arg: &Value, verb: char) {
        if arg.is_nil() {
            match verb {
                'T' | 'v' => self.out.pad_str("<nil>"),
                _ => self.bad_verb(arg, verb),
            }
            return;
        }
        match verb {
            'T' => {
                let name = arg.type_name();
                self.out.fmt_s(name.as_bytes());
                return;
            }
            'p' => {
                self.fmt_pointer(arg, verb);
                return;
            }
            _ => {}
        }
        match arg {
            Value::Bytes(b) => self.fmt_bytes(b, verb, "[]byte"),
            _ => self.print_value(arg, verb, 0),
        }
    }

    /// A value at any depth (Go's `printValue`); `depth > 0` inside lists
    /// and maps, where a nil element prints `<nil>` whatever the verb.
    fn print_value(&mut self, value: &Value, verb: char, depth: usize) {
        match value {
            Value::Nil => {
                if depth == 0 {
                    self.print_arg(value, verb);
                } else if self.out.f.sharp_v {
                    self.out.write_str("interface {}(nil)");
                } else {
                    self.out.write_str("<nil>");
                }
            }
            Value::Bool(b) => match verb {
                't' | 'v' => self.out.fmt_boolean(*b),
                _ => self.bad_verb(value, verb),
            },
            Value::Int(i, _) => self.fmt_integer(value, *i as u64, true, verb),
            Value::Uint(u, _) => self.fmt_integer(value, *u, false, verb),
            Value::Float(f) => self.fmt_float(value, *f, 64, verb),
            Value::Float32(f) => self.fmt_float(value, f64::from(*f), 32, verb),
            Value::String(s) => self.fmt_string(value, s.as_bytes(), verb),
            Value::ByteString(b) => self.fmt_string(value, b.bytes(), verb),
            Value::Bytes(b) => self.fmt_bytes(b, verb, "[]uint8"),
            Value::List(items) => {
                if self.out.f.sharp_v {
                    self.out.write_str(&value.type_name());
                    self.out.write_byte(b'{');
                    for (k, item) in items.iter().enumerate() {
                        if k > 0 {
                            self.out.write_str(", ");
                        }
                        self.print_value(item, verb, depth + 1);
                    }
                    self.out.write_byte(b'}');
                } else {
                    self.out.write_byte(b'[');
                    for (k, item) in items.iter().enumerate() {
                        if k > 0 {
                            self.out.write_byte(b' ');
                        }
                        self.print_value(item, verb, depth + 1);
                    }
                    self.out.write_byte(b']');
                }
            }
            Value::Map(map) => {
                let sharp_v = self.out.f.sharp_v;
                if sharp_v {
                    self.out.write_str(&value.type_name());
                    self.out.write_byte(b'{');
                } else {
                    self.out.write_str("map[");
                }
                for (k, (key, item)) in map.entries().iter().enumerate() {
                    if k > 0 {
                        if sharp_v {
                            self.out.write_str(", ");
                        } else {
                            self.out.write_byte(b' ');
                        }
                    }
                    self.fmt_string(&Value::string(key.as_str()), key.as_bytes(), verb);
                    self.out.write_byte(b':');
                    self.print_value(item, verb, depth + 1);
                }
                self.out.write_byte(if sharp_v { b'}' } else { b']' });
            }
            Value::Object(_) if super::complex::Complex::from_value(value).is_some() => {
                if let Some(c) = super::complex::Complex::from_value(value) {
                    self.fmt_complex(value, c, verb);
                }
            }
            Value::Object(obj) => {
                // Go's `handleMethods`: a `String()` method serves the string
                // verbs, except under `%#v` and while reporting a bad verb;
                // otherwise a named integer prints as the integer it is.
                let stringer = !self.erroring
                    && !self.out.f.sharp_v
                    && matches!(verb, 'v' | 's' | 'x' | 'X' | 'q');
                if let (Some((i, _)), false) = (obj.int_value(), stringer) {
                    self.fmt_integer(value, i as u64, true, verb);
                } else if self.erroring || self.out.f.sharp_v {
                    // No field-by-field struct printing: the text as is.
                    self.out.fmt_s(obj.format_in_interface().as_bytes());
                } else if stringer {
                    let text = obj.format_in_interface();
                    self.fmt_string(value, text.as_bytes(), verb);
                } else {
                    self.bad_verb(value, verb);
                }
            }
        }
    }

    /// Go's `fmtComplex`: `(re±imi)`, the imaginary part always signed.
    fn fmt_complex(&mut self, value: &Value, c: super::complex::Complex, verb: char) {
        match verb {
            'v' | 'b' | 'g' | 'G' | 'x' | 'X' | 'f' | 'F' | 'e' | 'E' => {
                let old_plus = self.out.f.plus;
                self.out.write_byte(b'(');
                self.fmt_float(value, c.re, 64, verb);
                self.out.f.plus = true;
                self.fmt_float(value, c.im, 64, verb);
                self.out.write_str("i)");
                self.out.f.plus = old_plus;
            }
            _ => self.bad_verb(value, verb),
        }
    }

    fn fmt_integer(&mut self, value: &Value, u: u64, signed: bool, verb: char) {
        match verb {
            'v' if self.out.f.sharp_v && !signed => self.fmt_0x64(u, true),
            'v' | 'd' => self.out.fmt_integer(u, 10, signed, verb, LOWER_DIGITS),
            'b' => self.out.fmt_integer(u, 2, signed, verb, LOWER_DIGITS),
            'o' | 'O' => self.out.fmt_integer(u, 8, signed, verb, LOWER_DIGITS),
            'x' => self.out.fmt_integer(u, 16, signed, verb, LOWER_DIGITS),
            'X' => self.out.fmt_integer(u, 16, signed, verb, UPPER_DIGITS),
            'c' => self.out.fmt_c(u),
            'q' => self.out.fmt_qc(u),
            'U' => self.out.fmt_unicode(u),
            _ => self.bad_verb(value, verb),
        }
    }

    /// Hex with or without `0x`, whatever the `#` flag says.
    fn fmt_0x64(&mut self, u: u64, leading_0x: bool) {
        let sharp = self.out.f.sharp;
        self.out.f.sharp = leading_0x;
        self.out.fmt_integer(u, 16, false, 'v', LOWER_DIGITS);
        self.out.f.sharp = sharp;
    }

    fn fmt_float(&mut self, value: &Value, f: f64, size: u32, verb: char) {
        match verb {
            'v' => self.out.fmt_float(f, size, b'g', None),
            'b' | 'g' | 'G' | 'x' | 'X' => self.out.fmt_float(f, size, verb as u8, None),
            'f' | 'e' | 'E' => self.out.fmt_float(f, size, verb as u8, Some(6)),
            'F' => self.out.fmt_float(f, size, b'f', Some(6)),
            _ => self.bad_verb(value, verb),
        }
    }

    fn fmt_string(&mut self, value: &Value, s: &[u8], verb: char) {
        match verb {
            'v' if self.out.f.sharp_v => self.out.fmt_q(s),
            'v' | 's' => self.out.fmt_s(s),
            'x' => self.out.fmt_sbx(s, LOWER_DIGITS),
            'X' => self.out.fmt_sbx(s, UPPER_DIGITS),
            'q' => self.out.fmt_q(s),
            _ => self.bad_verb(value, verb),
        }
    }

    /// A `[]byte`: a string for `%s %q %x %X`, otherwise a list of numbers.
    fn fmt_bytes(&mut self, b: &[u8], verb: char, type_name: &str) {
        match verb {
            'v' | 'd' => {
                if self.out.f.sharp_v {
                    self.out.write_str(type_name);
                    self.out.write_byte(b'{');
                    for (k, &c) in b.iter().enumerate() {
                        if k > 0 {
                            self.out.write_str(", ");
                        }
                        self.fmt_0x64(u64::from(c), true);
                    }
                    self.out.write_byte(b'}');
                } else {
                    self.out.write_byte(b'[');
                    for (k, &c) in b.iter().enumerate() {
                        if k > 0 {
                            self.out.write_byte(b' ');
                        }
                        self.out
                            .fmt_integer(u64::from(c), 10, false, verb, LOWER_DIGITS);
                    }
                    self.out.write_byte(b']');
                }
            }
            's' => self.out.fmt_s(b),
            'x' => self.out.fmt_sbx(b, LOWER_DIGITS),
            'X' => self.out.fmt_sbx(b, UPPER_DIGITS),
            'q' => self.out.fmt_q(b),
            _ => {
                // Any other verb applies to each byte as a uint8.
                self.out.write_byte(b'[');
                for (k, &c) in b.iter().enumerate() {
                    if k > 0 {
                        self.out.write_byte(b' ');
                    }
                    let byte = Value::Uint(u64::from(c), crate::value::UintType::Uint8);
                    self.fmt_integer(&byte, u64::from(c), false, verb);
                }
                self.out.write_byte(b']');
            }
        }
    }

    /// `%p` (and `%v` of pointers): only maps, slices, pointers and funcs
    /// have addresses.
    fn fmt_pointer(&mut self, value: &Value, verb: char) {
        match value.kind() {
            Kind::Map | Kind::Slice | Kind::Ptr | Kind::Func => {}
            _ => {
                self.bad_verb(value, verb);
                return;
            }
        }
        let sharp = self.out.f.sharp;
        self.fmt_0x64(STAND_IN_ADDRESS, !sharp);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::{IntType, Map, Object, UintType};
    use std::any::Any;

    fn s(text: &str) -> Value {
        Value::string(text)
    }

    fn i(n: i64) -> Value {
        Value::int(n)
    }

    #[test]
    fn sprint_spaces_only_between_non_strings() {
        let args = [s("<"), i(1), s(">:"), i(1), i(2), i(3), s("!")];
        assert_eq!(sprint(&args), "<1>:1 2 3!");
        assert_eq!(sprintln(&args), "< 1 >: 1 2 3 !\n");
        assert_eq!(sprint(&[s("a"), s("b")]), "ab");
        assert_eq!(sprint(&[Value::Nil, Value::Nil]), "<nil> <nil>");
        assert_eq!(sprint(&[]), "");
        assert_eq!(sprintln(&[]), "\n");
    }

    #[test]
    fn argument_errors() {
        assert_eq!(sprintf("%d", &[s("hi")]), "%!d(string=hi)");
        assert_eq!(sprintf("%d", &[]), "%!d(MISSING)");
        assert_eq!(sprintf("x", &[s("y"), i(1)]), "x%!(EXTRA string=y, int=1)");
        assert_eq!(sprintf("%[3]d", &[i(1)]), "%!d(BADINDEX)");
        assert_eq!(sprintf("%*d", &[s("w"), i(1)]), "%!(BADWIDTH)1");
        assert_eq!(sprintf("%.*d", &[i(-1), i(1)]), "%!(BADPREC)1");
        assert_eq!(sprintf("%", &[]), "%!(NOVERB)");
        assert_eq!(sprintf("%!", &[i(1)]), "%!!(int=1)");
        assert_eq!(sprintf("%z", &[Value::Nil]), "%!z(<nil>)");
        // Reordered formats do not report unused operands.
        assert_eq!(sprintf("%[2]d", &[i(1), i(2)]), "2");
    }

    #[test]
    fn width_and_precision_from_operands() {
        assert_eq!(
            sprintf("%*d|%-*d", &[i(4), i(42), i(4), i(42)]),
            "  42|42  "
        );
        assert_eq!(sprintf("%*d", &[i(-4), i(42)]), "42  ");
        assert_eq!(
            sprintf(
                "%.*f",
                &[Value::Uint(2, UintType::Uint8), Value::Float(3.25159)]
            ),
            "3.25"
        );
        assert_eq!(sprintf("%[2]*[1]d", &[i(2), i(5)]), "    2");
    }

    #[test]
    fn go_syntax_of_containers() {
        let m = Map::new();
        m.insert("a", i(1));
        m.insert("b", Value::list(vec![i(1), s("a"), Value::Nil]));
        let v = Value::Map(m);
        assert_eq!(
            sprintf("%#v", std::slice::from_ref(&v)),
            r#"map[string]interface {}{"a":1, "b":[]interface {}{1, "a", interface {}(nil)}}"#
        );
        assert_eq!(
            sprintf("%v", std::slice::from_ref(&v)),
            "map[a:1 b:[1 a <nil>]]"
        );
        assert_eq!(
            sprintf("%d", &[v]),
            "map[%!d(string=a):1 %!d(string=b):[1 %!d(string=a) <nil>]]"
        );
        let bytes = Value::bytes(vec![1u8, 2]);
        assert_eq!(
            sprintf("%#v", std::slice::from_ref(&bytes)),
            "[]byte{0x1, 0x2}"
        );
        assert_eq!(
            sprintf("%#v", &[Value::list(vec![bytes.clone()])]),
            "[]interface {}{[]uint8{0x1, 0x2}}"
        );
        assert_eq!(
            sprintf("%v %s", &[bytes.clone(), Value::bytes(b"hi".to_vec())]),
            "[1 2] hi"
        );
        assert_eq!(sprintf("%#v", &[Value::Float(1e6)]), "1e+06");
        assert_eq!(sprintf("%#v", &[Value::Uint(255, UintType::Uint8)]), "0xff");
        assert_eq!(sprintf("%#v", &[Value::Int(-3, IntType::Int32)]), "-3");
    }

    #[test]
    fn types_and_pointers() {
        assert_eq!(sprintf("%T", &[Value::bytes(vec![])]), "[]uint8");
        assert_eq!(sprintf("%T", &[Value::list(vec![])]), "[]interface {}");
        assert_eq!(
            sprintf("%T", &[Value::Map(Map::new())]),
            "map[string]interface {}"
        );
        assert_eq!(sprintf("%p", &[i(1)]), "%!p(int=1)");
        assert_eq!(sprintf("%p", &[Value::list(vec![])]), "0xc000010000");
        assert_eq!(sprintf("%#p", &[Value::list(vec![])]), "c000010000");
    }

    #[test]
    fn strings_pad_by_runes() {
        assert_eq!(
            sprintf("%5s|%-5s|%.2s", &[s("日本"), s("ab"), s("日本語")]),
            "   日本|ab   |日本"
        );
        assert_eq!(
            sprintf("%x % X %#x.", &[s("hi"), s("hi"), s("")]),
            "6869 68 69 ."
        );
        assert_eq!(
            sprintf("%q %+q %#q", &[s("é"), s("é"), s("a`b")]),
            r#""é" "\u00e9" "a`b""#
        );
        assert_eq!(
            sprintf("%c%c %U", &[i(0x65e5), i(-1), i(0x41)]),
            "日\u{fffd} U+0041"
        );
    }

    #[test]
    fn invalid_utf8_bytes() {
        let b = Value::bytes(vec![b'a', 0xff]);
        assert_eq!(sprintf("%q", std::slice::from_ref(&b)), r#""a\xff""#);
        assert_eq!(sprintf("%s", std::slice::from_ref(&b)), "a\u{fffd}");
        assert_eq!(sprintf("%3.1s|", &[b]), "  a|");
    }

    #[derive(Debug)]
    struct Release;

    impl Object for Release {
        fn type_name(&self) -> String {
            "chart.Release".into()
        }
        fn field(&self, _name: &str) -> Option<Value> {
            None
        }
        fn format(&self) -> String {
            "{rel}".into()
        }
        fn as_any(&self) -> &dyn Any {
            self
        }
    }

    #[test]
    fn objects_print_their_text() {
        let o = Value::object(Release);
        assert_eq!(
            sprintf(
                "%v|%s|%q|%8v",
                &[o.clone(), o.clone(), o.clone(), o.clone()]
            ),
            r#"{rel}|{rel}|"{rel}"|   {rel}"#
        );
        assert_eq!(
            sprintf("%d", std::slice::from_ref(&o)),
            "%!d(chart.Release={rel})"
        );
        assert_eq!(sprintf("%T", std::slice::from_ref(&o)), "chart.Release");
        assert_eq!(sprint(&[Value::list(vec![o])]), "[{rel}]");
    }

    #[test]
    fn sprint_matches_display() {
        let m = Map::new();
        m.insert(
            "k",
            Value::list(vec![Value::Float32(0.1), Value::bytes(vec![7u8])]),
        );
        let v = Value::list(vec![
            Value::Map(m),
            Value::Nil,
            Value::Float(-0.0),
            Value::Bool(true),
        ]);
        assert_eq!(sprint(std::slice::from_ref(&v)), v.to_string());
    }
}
