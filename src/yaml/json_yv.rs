//! A shortcut for the second half of `sigs.k8s.io/yaml.Marshal` (Helm's
//! `toYaml`): the compact JSON text `json.Marshal` wrote (our
//! [`super::json_encode`] output) read straight into the values go-yaml v2
//! decodes from it, without the YAML scanner, parser and node tree.
//!
//! go-yaml reads such text as flow collections of double-quoted strings and
//! plain scalars: strings come out as written (escapes decoded), the other
//! scalars are resolved as plain YAML scalars (`1e+06` is a float, `true` a
//! bool). The reader declines (`None`, so the caller parses the text as
//! YAML) whatever go-yaml might read differently or reject: anything but
//! that compact form, raw characters the YAML reader refuses (`json.Marshal`
//! leaves DEL and C1 controls unescaped), escapes it does not write, long
//! keys (go-yaml stops treating a flow key as a simple key after 1024
//! characters) and deep nesting.

use super::resolve::{resolve, Scalar};
use super::typed::{YMap, Yv};

/// Keys longer than this (in bytes of JSON text) are left to go-yaml.
const MAX_KEY_BYTES: usize = 512;
/// Nesting deeper than this is left to go-yaml.
const MAX_DEPTH: usize = 1000;

/// The value go-yaml decodes from `json`, or `None` when not sure.
pub(crate) fn read(json: &str) -> Option<Yv> {
    let mut r = Reader {
        s: json.as_bytes(),
        pos: 0,
    };
    let v = r.value(0)?;
    (r.pos == r.s.len()).then_some(v)
}

struct Reader<'a> {
    s: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn eat(&mut self, b: u8) -> Option<()> {
        (self.peek()? == b).then(|| self.pos += 1)
    }

    fn value(&mut self, depth: usize) -> Option<Yv> {
        if depth > MAX_DEPTH {
            return None;
        }
        match self.peek()? {
            b'{' => {
                self.pos += 1;
                let mut map = YMap::default();
                if self.eat(b'}').is_some() {
                    return Some(Yv::Map(map));
                }
                loop {
                    let start = self.pos;
                    let key = self.string()?;
                    if self.pos - start > MAX_KEY_BYTES {
                        return None;
                    }
                    self.eat(b':')?;
                    let value = self.value(depth + 1)?;
                    map.set(Yv::Str(key), value);
                    match self.peek()? {
                        b',' => self.pos += 1,
                        b'}' => {
                            self.pos += 1;
                            return Some(Yv::Map(map));
                        }
                        _ => return None,
                    }
                }
            }
            b'[' => {
                self.pos += 1;
                let mut items = Vec::new();
                if self.eat(b']').is_some() {
                    return Some(Yv::Seq(items));
                }
                loop {
                    items.push(self.value(depth + 1)?);
                    match self.peek()? {
                        b',' => self.pos += 1,
                        b']' => {
                            self.pos += 1;
                            return Some(Yv::Seq(items));
                        }
                        _ => return None,
                    }
                }
            }
            b'"' => self.string().map(Yv::Str),
            b'-' | b'0'..=b'9' | b't' | b'f' | b'n' => self.plain(),
            _ => None,
        }
    }

    /// A number, `true`, `false` or `null`, resolved as go-yaml resolves a
    /// plain scalar.
    fn plain(&mut self) -> Option<Yv> {
        let start = self.pos;
        while let Some(b) = self.peek() {
            match b {
                b'0'..=b'9' | b'a'..=b'z' | b'+' | b'-' | b'.' | b'E' => self.pos += 1,
                _ => break,
            }
        }
        let text = std::str::from_utf8(&self.s[start..self.pos]).ok()?;
        Some(match resolve("", text).ok()?.1 {
            Scalar::Null => Yv::Null,
            Scalar::Bool(b) => Yv::Bool(b),
            Scalar::Int(i) => Yv::Int(i),
            Scalar::Uint(u) => Yv::Uint(u),
            Scalar::Float(f) => Yv::Float(f),
            Scalar::Str | Scalar::Timestamp | Scalar::Merge => Yv::Str(text.to_string()),
        })
    }

    /// A double-quoted string with the escapes `json.Marshal` writes.
    fn string(&mut self) -> Option<String> {
        self.eat(b'"')?;
        let mut out = String::new();
        loop {
            let rest = &self.s[self.pos..];
            let run = rest
                .iter()
                .position(|&b| b == b'"' || b == b'\\' || !(0x20..0x7f).contains(&b))
                .unwrap_or(rest.len());
            // Printable ASCII is copied as is.
            out.push_str(std::str::from_utf8(&rest[..run]).ok()?);
            self.pos += run;
            match self.peek()? {
                b'"' => {
                    self.pos += 1;
                    return Some(out);
                }
                b'\\' => {
                    let c = match self.s.get(self.pos + 1)? {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'u' => {
                            let hex = std::str::from_utf8(self.s.get(self.pos + 2..self.pos + 6)?);
                            let code = u32::from_str_radix(hex.ok()?, 16).ok()?;
                            self.pos += 4;
                            // Surrogates are errors for go-yaml.
                            char::from_u32(code)?
                        }
                        _ => return None,
                    };
                    self.pos += 2;
                    out.push(c);
                }
                _ => {
                    // A raw non-ASCII character (or a control byte).
                    let text = std::str::from_utf8(&self.s[self.pos..]).ok()?;
                    let c = text.chars().next()?;
                    if !yaml_allows_raw(c) {
                        return None;
                    }
                    out.push(c);
                    self.pos += c.len_utf8();
                }
            }
        }
    }
}

/// Whether go-yaml takes `c` as it is inside a quoted scalar: a character
/// its reader accepts that is no line break (NEL, U+2028 and U+2029 fold
/// like newlines); the byte order mark is left to go-yaml too.
fn yaml_allows_raw(c: char) -> bool {
    matches!(c as u32, 0xa0..=0x2027 | 0x202a..=0xd7ff | 0xe000..=0xfefe | 0xff00..=0xfffd | 0x10000..=0x10ffff)
}

#[cfg(test)]
mod tests {
    use super::super::json_encode::{encode, JsonStyle};
    use super::*;
    use crate::value::{Map, Value};

    /// What go-yaml decodes from the text, through the YAML parser.
    fn slow(json: &str) -> Option<Yv> {
        super::super::go_yaml_unmarshal(json, "").ok()
    }

    fn same(json: &str) {
        let fast = read(json).unwrap_or_else(|| panic!("declined {json}"));
        assert_eq!(
            format!("{fast:?}"),
            format!("{:?}", slow(json).unwrap()),
            "{json}"
        );
    }

    #[test]
    fn reads_what_go_yaml_reads() {
        for json in [
            r#"{}"#,
            r#"[]"#,
            r#"{"a":1,"b":[true,false,null],"c":{"d":"e"}}"#,
            r#"[0,-1,1.5,1e+21,-0,18446744073709551615,9223372036854775808,1e-07]"#,
            r#"{"<<":{"x":1},"y":"<<"}"#,
            r#"["\u003chtml\u003e \u0026","a\"b\\c","\n\r\t\b\f","\u0000\u001f","\u2028\u2029"]"#,
            r#"["é日本🎉","yes","no","on","0x10","010","1_000",".5","~",""]"#,
            r##"{"key with spaces":"value: with colon","#k":"- dash"}"##,
        ] {
            same(json);
        }
    }

    #[test]
    fn encoded_values_read_the_same() {
        let m = Map::new();
        m.insert("n", Value::Float(0.1));
        m.insert("i", Value::int(-3));
        m.insert("s", Value::from("multi\nline: text # not a comment"));
        m.insert("l", Value::list(vec![Value::Nil, Value::Bool(true)]));
        m.insert("k".repeat(300), Value::from("x"));
        let json = encode(&Value::Map(m), JsonStyle::MARSHAL).unwrap();
        same(&json);
    }

    #[test]
    fn declines_what_go_yaml_may_read_differently() {
        let long_key = format!(r#"{{"{}":1}}"#, "k".repeat(MAX_KEY_BYTES));
        for json in [
            "{ }",
            r#"{"a": 1}"#,
            "\"\u{7f}\"",
            "\"\u{9f}\"",
            "\"\u{85}\"",
            "\"\u{2028}\"",
            "\"\u{feff}\"",
            "\"\u{fffe}\"",
            r#""\/""#,
            r#""\ud800""#,
            r#"{"a":1}x"#,
            &long_key,
        ] {
            assert!(read(json).is_none(), "{json}");
        }
        let deep = "[".repeat(MAX_DEPTH + 2) + &"]".repeat(MAX_DEPTH + 2);
        assert!(read(&deep).is_none());
    }
}
