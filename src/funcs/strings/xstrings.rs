//! huandu/xstrings v1.5.0's case conversions: `ToSnakeCase`/`ToKebabCase`
//! (Sprig's `snakecase`, `kebabcase`) and `ToPascalCase` (Sprig's
//! `camelcase`).
//!
//! Snake and kebab case split the text into words (runs of upper-case
//! letters, lower-case letters, digits, punctuation, connectors `-`, `_`
//! and white space) and join them lower-cased with the connector, keeping
//! digits with the word before them unless letters follow ("Bld4Floor" →
//! "bld4_floor", "HTTP2xx" → "http_2xx"). xstrings treats U+FFFD as an
//! undecodable byte and skips over it while classifying, as here.

use super::unicode::{is_letter, is_number, is_punct, is_space, is_upper, to_lower, to_upper};

/// What `utf8.DecodeRuneInString` reports for bad bytes; xstrings cannot
/// tell it from a literal U+FFFD.
const RUNE_ERROR: char = '\u{FFFD}';

fn is_connector(c: char) -> bool {
    c == '-' || c == '_' || is_space(c)
}

/// xstrings' `isAlphabet`: a letter, but not a CJK ideograph.
fn is_alphabet(c: char) -> bool {
    if !is_letter(c) {
        return false;
    }
    !matches!(c, '\u{4E00}'..='\u{9FCC}' | '\u{3400}'..='\u{4D85}' | '\u{20000}'..='\u{2B81D}')
}

/// The first rune of `s` and its length in bytes (`s` is not empty).
fn first_rune(s: &str) -> (char, usize) {
    let c = s.chars().next().unwrap_or(RUNE_ERROR);
    (c, c.len_utf8())
}

/// `nextValidRune`: the first rune that is not U+FFFD and the bytes up to
/// and including it; `prev` with all the bytes if there is none.
fn next_valid_rune(s: &str, prev: char) -> (char, usize) {
    let mut size = 0;
    for c in s.chars() {
        size += c.len_utf8();
        if c != RUNE_ERROR {
            return (c, size);
        }
    }
    (prev, size)
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum WordType {
    Invalid,
    Number,
    UpperCase,
    Alphabet,
    Connector,
    Punct,
    Other,
}

/// Consumes runes from `rest` while `keep` holds; returns how many bytes.
fn take_while(rest: &mut &str, mut r: char, keep: impl Fn(char) -> bool) -> usize {
    let mut taken = 0;
    while !rest.is_empty() {
        let (next, size) = next_valid_rune(rest, r);
        r = next;
        if !keep(r) {
            break;
        }
        taken += size;
        *rest = &rest[size..];
    }
    taken
}

/// `nextWord`: the type of the word at the start of `s`, the word, and the
/// remaining text.
fn next_word(s: &str) -> (WordType, &str, &str) {
    if s.is_empty() {
        return (WordType::Invalid, "", "");
    }
    let (r, size) = next_valid_rune(s, RUNE_ERROR);
    let mut offset = size;
    if r == RUNE_ERROR {
        return (WordType::Invalid, &s[..offset], &s[offset..]);
    }
    let mut rest = &s[size..];
    let wt = if is_connector(r) {
        offset += take_while(&mut rest, r, is_connector);
        WordType::Connector
    } else if is_punct(r) {
        offset += take_while(&mut rest, r, is_punct);
        WordType::Punct
    } else if is_upper(r) {
        if !rest.is_empty() {
            let (r, size) = next_valid_rune(rest, r);
            if is_upper(r) {
                // A run of capitals; if a letter follows, its last capital
                // starts the next word ("HTTPStatus" → "HTTP", "Status").
                let mut prev_size = size;
                let mut last = r;
                offset += size;
                rest = &rest[size..];
                while !rest.is_empty() {
                    let (next, size) = next_valid_rune(rest, last);
                    last = next;
                    if !is_upper(last) {
                        break;
                    }
                    prev_size = size;
                    offset += size;
                    rest = &rest[size..];
                }
                if !rest.is_empty() && is_alphabet(last) {
                    offset -= prev_size;
                    rest = &s[offset..];
                }
            } else if is_alphabet(r) {
                offset += size;
                rest = &rest[size..];
                offset += take_while(&mut rest, r, |c| is_alphabet(c) && !is_upper(c));
            }
        }
        WordType::UpperCase
    } else if is_alphabet(r) {
        offset += take_while(&mut rest, r, |c| is_alphabet(c) && !is_upper(c));
        WordType::Alphabet
    } else if is_number(r) {
        offset += take_while(&mut rest, r, is_number);
        WordType::Number
    } else {
        offset += take_while(&mut rest, r, |c| {
            !(is_connector(c) || is_alphabet(c) || is_number(c) || is_punct(c))
        });
        WordType::Other
    };
    (wt, &s[..offset], rest)
}

/// `toLower`: writes a word, lower-casing capitals and replacing connectors
/// in upper-case and connector words.
fn write_lower(buf: &mut String, wt: WordType, word: &str, connector: char) {
    if wt != WordType::UpperCase && wt != WordType::Connector {
        buf.push_str(word);
        return;
    }
    for c in word.chars() {
        buf.push(if is_connector(c) {
            connector
        } else if is_upper(c) {
            to_lower(c)
        } else {
            c
        });
    }
}

/// `camelCaseToLowerCase`: `ToSnakeCase` with `_`, `ToKebabCase` with `-`.
pub(super) fn to_lower_words(s: &str, connector: char) -> String {
    use WordType::*;
    let mut buf = String::with_capacity(s.len() + s.len() / 4);
    if s.is_empty() {
        return buf;
    }
    let (mut wt, mut word, mut rest) = next_word(s);
    while !rest.is_empty() {
        if wt != Connector {
            write_lower(&mut buf, wt, word, connector);
        }
        let (prev, last) = (wt, word);
        (wt, word, rest) = next_word(rest);
        match prev {
            Number => {
                while wt == Alphabet || wt == Number {
                    write_lower(&mut buf, wt, word, connector);
                    (wt, word, rest) = next_word(rest);
                }
                if wt != Invalid && wt != Punct && wt != Connector {
                    buf.push(connector);
                }
            }
            Connector => write_lower(&mut buf, prev, last, connector),
            Punct => {}
            _ => 'word: {
                if wt != Number {
                    if wt != Connector && wt != Punct {
                        buf.push(connector);
                    }
                    break 'word;
                }
                if rest.is_empty() {
                    break 'word;
                }
                let number = word;
                (wt, word, rest) = next_word(rest);
                // Digits stay with the word before them ("Bld4Floor" →
                // "bld4_floor") unless letters follow ("HTTP2xx" →
                // "http_2xx").
                if wt != Alphabet {
                    write_lower(&mut buf, Number, number, connector);
                    if wt != Connector && wt != Punct {
                        buf.push(connector);
                    }
                    break 'word;
                }
                buf.push(connector);
                write_lower(&mut buf, Number, number, connector);
                while wt == Alphabet || wt == Number {
                    write_lower(&mut buf, wt, word, connector);
                    (wt, word, rest) = next_word(rest);
                }
                if wt != Invalid && wt != Connector && wt != Punct {
                    buf.push(connector);
                }
            }
        }
    }
    write_lower(&mut buf, wt, word, connector);
    buf
}

/// `ToPascalCase` (xstrings' `toCamelCase` with `isBig`): drops single
/// connectors and upper-cases the rune after them and the first rune;
/// leading and repeated connectors stay; the rest of an all-capitals word
/// is lower-cased.
pub(super) fn to_pascal_case(s: &str) -> String {
    let mut buf = String::with_capacity(s.len());
    let mut rest = s;
    let mut first_upper = false;
    let mut r0 = RUNE_ERROR;
    let mut size = 0;
    while !rest.is_empty() {
        (r0, size) = first_rune(rest);
        rest = &rest[size..];
        if !is_connector(r0) {
            first_upper = is_upper(r0);
            r0 = to_upper(r0);
            break;
        }
        buf.push(r0);
    }
    if rest.is_empty() {
        // The string ended within the first word (or had only connectors,
        // the last of which is written twice, as in xstrings).
        if size != 0 {
            buf.push(r0);
        }
        return buf;
    }
    while !rest.is_empty() {
        let r1 = r0;
        (r0, size) = first_rune(rest);
        rest = &rest[size..];
        if is_connector(r0) && is_connector(r1) {
            buf.push(r1);
            continue;
        }
        if is_connector(r1) {
            first_upper = is_upper(r0);
            r0 = to_upper(r0);
        } else {
            if first_upper {
                if is_upper(r0) {
                    r0 = to_lower(r0);
                } else {
                    first_upper = false;
                }
            }
            buf.push(r1);
        }
    }
    buf.push(r0);
    buf
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_and_kebab_case() {
        for (input, snake) in [
            ("FirstName", "first_name"),
            ("HTTPServer", "http_server"),
            ("NoHTTPS", "no_https"),
            ("GO_PATH", "go_path"),
            ("GO PATH", "go_path"),
            ("GO-PATH", "go_path"),
            ("http2xx", "http_2xx"),
            ("HTTP20xOK", "http_20x_ok"),
            ("Duration2m3s", "duration_2m3s"),
            ("Bld4Floor3rd", "bld4_floor_3rd"),
            ("", ""),
        ] {
            assert_eq!(to_lower_words(input, '_'), snake, "{input}");
        }
        assert_eq!(to_lower_words("HTTPServer", '-'), "http-server");
    }

    #[test]
    fn pascal_case() {
        for (input, pascal) in [
            ("http_server", "HttpServer"),
            ("_camel_case", "_CamelCase"),
            ("no_https", "NoHttps"),
            ("_complex__case_", "_Complex_Case_"),
            ("all", "All"),
            ("GOLANG_IS_GREAT", "GolangIsGreat"),
            ("some words", "SomeWords"),
            ("a", "A"),
        ] {
            assert_eq!(to_pascal_case(input), pascal, "{input}");
        }
    }
}
