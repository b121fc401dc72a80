//! Go's `*regexp.Regexp` API (Go 1.26 `regexp.go`) over Rust's regex
//! engines (`regex-automata`'s meta engine, which the `regex` crate wraps):
//! compilation with Go's syntax and errors ([`super::syntax`]), and the
//! match loops whose edge cases are Go's own — `FindAll`'s handling of
//! empty matches next to a previous match, `ReplaceAll`'s advance rule and
//! `Expand`'s `$1`/`${name}` templates, `Split`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use regex_automata::{meta, util::syntax as re_syntax, Input, MatchKind};

use super::syntax::{self, SyntaxError};
use crate::template::strconv;

/// A compiled Go regular expression.
#[derive(Clone, Debug)]
pub struct GoRegex {
    expr: String,
    matcher: Matcher,
    names: Vec<String>,
}

/// A match's byte span.
pub type Span = (usize, usize);

/// Text a regex searches with its first build before it gets the lazy DFA.
///
/// Building the lazy DFA compiles the pattern a second time, reversed, which
/// is about half of what compiling costs; most regexes in charts look at a
/// version string or a value once. The engines of the first build (bounded
/// backtracker, one-pass DFA, PikeVM) are slower per byte, which matters
/// only for a regex that searches much text: past this much, it gets the
/// lazy DFA too.
const TEXT_BEFORE_LAZY_DFA: usize = 16 << 10;

/// One pattern in two builds of the meta engine, which give the same
/// matches whichever of its engines they use: `first` has every engine but
/// the lazy DFA; `full`, built once `first` has searched
/// [`TEXT_BEFORE_LAZY_DFA`] bytes, has every engine.
#[derive(Debug)]
struct Matcher {
    pattern: String,
    first: meta::Regex,
    full: OnceLock<meta::Regex>,
    searched: AtomicUsize,
}

impl Clone for Matcher {
    fn clone(&self) -> Matcher {
        Matcher {
            pattern: self.pattern.clone(),
            first: self.first.clone(),
            full: self.full.clone(),
            searched: AtomicUsize::new(self.searched.load(Ordering::Relaxed)),
        }
    }
}

impl Matcher {
    /// The configuration of `regex::RegexBuilder` with Go's nesting limit
    /// and a 256 MiB compiled-size limit; `lazy_dfa` says whether the lazy
    /// DFA is built. `None` past the size limit, the only way a pattern Go's
    /// rules accepted can fail here.
    fn build(pattern: &str, lazy_dfa: bool) -> Option<meta::Regex> {
        let config = meta::Config::new()
            .match_kind(MatchKind::LeftmostFirst)
            .utf8_empty(true)
            .nfa_size_limit(Some(256 << 20))
            .hybrid_cache_capacity(2 << 20)
            .hybrid(lazy_dfa);
        meta::Builder::new()
            .configure(config)
            .syntax(re_syntax::Config::new().utf8(true).nest_limit(4096))
            .build(pattern)
            .ok()
    }

    fn new(pattern: String) -> Option<Matcher> {
        let first = Matcher::build(&pattern, false)?;
        Some(Matcher {
            pattern,
            first,
            full: OnceLock::new(),
            searched: AtomicUsize::new(0),
        })
    }

    /// The build to search with next.
    fn regex(&self) -> &meta::Regex {
        if let Some(full) = self.full.get() {
            return full;
        }
        if self.searched.load(Ordering::Relaxed) < TEXT_BEFORE_LAZY_DFA {
            return &self.first;
        }
        // The pattern built once already; should the second build fail
        // anyway, the first goes on.
        match Matcher::build(&self.pattern, true) {
            Some(full) => self.full.get_or_init(|| full),
            None => {
                self.searched.store(0, Ordering::Relaxed);
                &self.first
            }
        }
    }

    /// Counts text searched from `pos` up to a match's end (or the end).
    fn searched_to(&self, pos: usize, end: usize) {
        if self.full.get().is_none() {
            self.searched.fetch_add(end - pos, Ordering::Relaxed);
        }
    }

    fn is_match(&self, s: &str) -> bool {
        let found = self.regex().is_match(s);
        self.searched_to(0, s.len());
        found
    }

    fn find_at(&self, s: &str, pos: usize) -> Option<Span> {
        let found = self.regex().find(Input::new(s).span(pos..s.len()));
        self.searched_to(pos, found.as_ref().map_or(s.len(), |m| m.end()));
        found.map(|m| (m.start(), m.end()))
    }

    /// The leftmost-first match starting at or after `pos`, with its
    /// groups (`None` for groups that did not participate).
    fn captures_at(&self, s: &str, pos: usize) -> Option<Vec<Option<Span>>> {
        let re = self.regex();
        let mut caps = re.create_captures();
        re.search_captures(&Input::new(s).span(pos..s.len()), &mut caps);
        self.searched_to(pos, caps.get_match().map_or(s.len(), |m| m.end()));
        caps.get_match()?;
        Some(
            (0..caps.group_len())
                .map(|i| caps.get_group(i).map(|g| (g.start, g.end)))
                .collect(),
        )
    }
}

impl GoRegex {
    /// Go's `regexp.Compile`.
    pub fn compile(expr: &str) -> Result<GoRegex, SyntaxError> {
        let translated = syntax::translate(expr)?;
        let matcher = Matcher::new(translated.pattern).ok_or_else(|| SyntaxError {
            code: syntax::ErrorCode::Large,
            expr: expr.to_string(),
        })?;
        Ok(GoRegex {
            expr: expr.to_string(),
            matcher,
            names: translated.names,
        })
    }

    /// The text `regexp.MustCompile` panics with for `expr`.
    pub fn must_compile_message(expr: &str, err: &SyntaxError) -> String {
        format!("regexp: Compile({}): {err}", quote(expr))
    }

    /// The source text (Go's `String`).
    pub fn as_str(&self) -> &str {
        &self.expr
    }

    /// Go's `NumSubexp`.
    pub fn num_subexp(&self) -> usize {
        self.names.len() - 1
    }

    /// Go's `SubexpNames`.
    pub fn subexp_names(&self) -> &[String] {
        &self.names
    }

    /// Go's `MatchString`.
    pub fn is_match(&self, s: &str) -> bool {
        self.matcher.is_match(s)
    }

    /// Go's `FindStringIndex`.
    pub fn find(&self, s: &str) -> Option<Span> {
        self.matcher.find_at(s, 0)
    }

    /// Go's `FindString`: "" when there is no match.
    pub fn find_string<'s>(&self, s: &'s str) -> &'s str {
        self.find(s).map_or("", |(a, b)| &s[a..b])
    }

    /// Go's `allMatches`: up to `n` matches (all when `n < 0`), each with
    /// its groups; an empty match right after a previous match is skipped.
    fn all_matches(&self, s: &str, n: i64, groups: bool) -> Vec<Vec<Option<Span>>> {
        let limit = if n < 0 { s.len() as i64 + 1 } else { n };
        let mut out = Vec::new();
        let mut pos = 0usize;
        let mut prev_end: Option<usize> = None;
        while (out.len() as i64) < limit && pos <= s.len() {
            let found = if groups {
                self.matcher.captures_at(s, pos)
            } else {
                self.matcher.find_at(s, pos).map(|m| vec![Some(m)])
            };
            let Some(m) = found else { break };
            let Some((start, end)) = m[0] else { break };
            let mut accept = true;
            if end == pos {
                // An empty match: never right after the previous match.
                if Some(start) == prev_end {
                    accept = false;
                }
                pos += s[pos..]
                    .chars()
                    .next()
                    .map_or(s.len() + 1 - pos, char::len_utf8);
            } else {
                pos = end;
            }
            prev_end = Some(end);
            if accept {
                out.push(m);
            }
        }
        out
    }

    /// Go's `FindAllStringIndex`.
    pub fn find_all(&self, s: &str, n: i64) -> Vec<Span> {
        self.all_matches(s, n, false)
            .into_iter()
            .filter_map(|m| m[0])
            .collect()
    }

    /// Go's `FindAllString` (`None` is Go's nil result).
    pub fn find_all_string<'s>(&self, s: &'s str, n: i64) -> Vec<&'s str> {
        self.find_all(s, n)
            .into_iter()
            .map(|(a, b)| &s[a..b])
            .collect()
    }

    /// Go's `FindStringSubmatch`: the match and its groups, "" for groups
    /// that did not participate; `None` when there is no match.
    pub fn find_string_submatch<'s>(&self, s: &'s str) -> Option<Vec<&'s str>> {
        let m = self.matcher.captures_at(s, 0)?;
        Some(
            m.into_iter()
                .map(|g| g.map_or("", |(a, b)| &s[a..b]))
                .collect(),
        )
    }

    /// Go's `FindAllStringSubmatch`.
    pub fn find_all_string_submatch<'s>(&self, s: &'s str, n: i64) -> Vec<Vec<&'s str>> {
        self.all_matches(s, n, true)
            .into_iter()
            .map(|m| {
                m.into_iter()
                    .map(|g| g.map_or("", |(a, b)| &s[a..b]))
                    .collect()
            })
            .collect()
    }

    /// Go's `replaceAll` loop; `repl` appends the replacement for a match.
    fn replace_with(
        &self,
        src: &str,
        groups: bool,
        mut repl: impl FnMut(&mut String, &[Option<Span>]),
    ) -> String {
        let mut out = String::with_capacity(src.len());
        let mut last_end = 0usize;
        let mut search = 0usize;
        while search <= src.len() {
            let found = if groups {
                self.matcher.captures_at(src, search)
            } else {
                self.matcher.find_at(src, search).map(|m| vec![Some(m)])
            };
            let Some(m) = found else { break };
            let Some((start, end)) = m[0] else { break };
            out.push_str(&src[last_end..start]);
            // No replacement for an empty match right after a match.
            if end > last_end || start == 0 {
                repl(&mut out, &m);
            }
            last_end = end;
            let width = src[search..].chars().next().map_or(0, char::len_utf8);
            if search + width > end {
                search += width;
            } else if search + 1 > end {
                search += 1;
            } else {
                search = end;
            }
        }
        out.push_str(&src[last_end..]);
        out
    }

    /// Go's `ReplaceAllString`: `$1`, `${1}`, `$name`, `${name}` and `$$`
    /// in `repl` are expanded.
    pub fn replace_all(&self, src: &str, repl: &str) -> String {
        let groups = repl.contains('$');
        self.replace_with(src, groups, |out, m| {
            if groups {
                self.expand(out, repl, src, m);
            } else {
                out.push_str(repl);
            }
        })
    }

    /// Go's `ReplaceAllLiteralString`.
    pub fn replace_all_literal(&self, src: &str, repl: &str) -> String {
        self.replace_with(src, false, |out, _| out.push_str(repl))
    }

    /// Go's `Expand` for one match.
    fn expand(&self, out: &mut String, mut template: &str, src: &str, m: &[Option<Span>]) {
        while let Some(i) = template.find('$') {
            out.push_str(&template[..i]);
            template = &template[i + 1..];
            if let Some(rest) = template.strip_prefix('$') {
                out.push('$');
                template = rest;
                continue;
            }
            let Some((name, num, rest)) = extract(template) else {
                // Malformed: the `$` is kept as text.
                out.push('$');
                continue;
            };
            template = rest;
            let group = match num {
                Some(n) => m.get(n).copied().flatten(),
                None => self
                    .names
                    .iter()
                    .enumerate()
                    .filter(|(_, n)| n.as_str() == name)
                    .find_map(|(i, _)| m.get(i).copied().flatten()),
            };
            if let Some((a, b)) = group {
                out.push_str(&src[a..b]);
            }
        }
        out.push_str(template);
    }

    /// Go's `Split`.
    pub fn split<'s>(&self, s: &'s str, n: i64) -> Vec<&'s str> {
        if n == 0 {
            return Vec::new();
        }
        if !self.expr.is_empty() && s.is_empty() {
            return vec![""];
        }
        let mut out = Vec::new();
        let (mut beg, mut end) = (0usize, 0usize);
        for (start, stop) in self.find_all(s, n) {
            if n > 0 && out.len() as i64 >= n - 1 {
                break;
            }
            end = start;
            if stop != 0 {
                out.push(&s[beg..end]);
            }
            beg = stop;
        }
        if end != s.len() {
            out.push(&s[beg..]);
        }
        out
    }
}

/// Go's `extract`: the name after a `$` (braced or not), its group number
/// when it is a decimal number without leading zeros, and the rest.
fn extract(s: &str) -> Option<(&str, Option<usize>, &str)> {
    let (braced, body) = match s.strip_prefix('{') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let len: usize = body
        .chars()
        .take_while(|&c| c == '_' || is_letter_or_digit(c))
        .map(char::len_utf8)
        .sum();
    if len == 0 {
        return None;
    }
    let name = &body[..len];
    let rest = if braced {
        body[len..].strip_prefix('}')?
    } else {
        &body[len..]
    };
    let mut num: Option<usize> = Some(0);
    for b in name.bytes() {
        num = match num {
            Some(n) if b.is_ascii_digit() && n < 100_000_000 => {
                Some(n * 10 + usize::from(b - b'0'))
            }
            _ => None,
        };
    }
    if name.len() > 1 && name.starts_with('0') {
        num = None;
    }
    Some((name, num, rest))
}

/// Go's `unicode.IsLetter(c) || unicode.IsDigit(c)` (general categories L
/// and Nd).
fn is_letter_or_digit(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    thread_local! {
        static LETTER_OR_DIGIT: ::regex::Regex =
            ::regex::Regex::new(r"\A[\p{gc=L}\p{gc=Nd}]\z").expect("valid class");
    }
    let mut buf = [0u8; 4];
    let s: &str = c.encode_utf8(&mut buf);
    LETTER_OR_DIGIT.with(|re| re.is_match(s))
}

/// Go's `regexp.QuoteMeta`.
pub fn quote_meta(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 2);
    for c in s.chars() {
        if r"\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The quoting `regexp` uses in messages: backquoted when possible.
fn quote(s: &str) -> String {
    if strconv::can_backquote(s) {
        format!("`{s}`")
    } else {
        strconv::quote(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn re(expr: &str) -> GoRegex {
        GoRegex::compile(expr).unwrap()
    }

    #[test]
    fn the_lazy_dfa_is_built_once_enough_text_was_searched_and_matches_agree() {
        let r = re(r"(\w+)=(\d*)");
        let text = "key=12 other= ünï=3 ".repeat(64);
        let before = r.find_all_string_submatch(&text, -1);
        let replaced_before = r.replace_all(&text, "${2}:$1");
        assert!(r.matcher.full.get().is_none(), "one pass over short text");
        for _ in 0..TEXT_BEFORE_LAZY_DFA / text.len() + 1 {
            assert!(r.is_match(&text));
        }
        assert!(r.matcher.full.get().is_some());
        assert_eq!(r.find_all_string_submatch(&text, -1), before);
        assert_eq!(r.replace_all(&text, "${2}:$1"), replaced_before);
        // Go's `\w` is ASCII: `ünï=3` has no match.
        assert_eq!(before.len(), 2 * 64);
        assert_eq!(before[1], ["other=", "other", ""]);
    }

    #[test]
    fn searches_from_a_position_see_the_text_before_it() {
        let r = re(r"\bb|^a");
        assert_eq!(r.matcher.find_at("ab b", 1), Some((3, 4)));
        assert_eq!(r.matcher.find_at("a", 0), Some((0, 1)));
        assert_eq!(r.matcher.captures_at("xa", 1), None);
    }

    #[test]
    fn find_all_skips_empty_match_after_match() {
        let r = re("a*");
        assert_eq!(r.find_all("baaab", -1), vec![(0, 0), (1, 4), (5, 5)]);
        assert_eq!(r.find_all_string("baaab", 2), vec!["", "aaa"]);
        assert!(r.find_all("x", 0).is_empty());
        assert_eq!(re("").find_all("é", -1), vec![(0, 0), (2, 2)]);
    }

    #[test]
    fn replace_all_like_go() {
        let r = re("a(x*)b");
        assert_eq!(r.replace_all("-ab-axxb-", "T"), "-T-T-");
        assert_eq!(r.replace_all("-ab-axxb-", "$1"), "--xx-");
        assert_eq!(r.replace_all("-ab-axxb-", "$1W"), "---");
        assert_eq!(r.replace_all("-ab-axxb-", "${1}W"), "-W-xxW-");
        assert_eq!(r.replace_all("-ab-axxb-", "$$1 $"), "-$1 $-$1 $-");
        assert_eq!(r.replace_all_literal("-ab-axxb-", "${1}"), "-${1}-${1}-");
        assert_eq!(re("a*").replace_all("baaac", "X"), "XbXcX");
        let named = re("(?P<k>\\w+)=(?P<v>\\w+)");
        assert_eq!(named.replace_all("a=b c=d", "$v=$k ${k}x"), "b=a ax d=c cx");
        assert_eq!(re("x*").replace_all("", "-"), "-");
    }

    #[test]
    fn split_like_go() {
        let a = re("a");
        assert_eq!(a.split("banana", -1), vec!["b", "n", "n", ""]);
        assert_eq!(a.split("banana", 2), vec!["b", "nana"]);
        assert!(a.split("banana", 0).is_empty());
        assert_eq!(a.split("", -1), vec![""]);
        assert_eq!(re("").split("abc", -1), vec!["a", "b", "c"]);
        assert_eq!(re("z+").split("pizza", -1), vec!["pi", "a"]);
    }

    #[test]
    fn ascii_perl_classes() {
        assert!(!re(r"\d").is_match("٣"));
        assert!(!re(r"\s").is_match("\u{0B}"));
        assert!(!re(r"\bé").is_match("é"));
        assert!(re(r"(?i)\w").is_match("\u{212A}"));
        assert!(!re(r"(?i)\W").is_match("\u{212A}"));
    }

    #[test]
    fn must_compile_message() {
        let err = GoRegex::compile("a(").unwrap_err();
        assert_eq!(
            GoRegex::must_compile_message("a(", &err),
            "regexp: Compile(`a(`): error parsing regexp: missing closing ): `a(`"
        );
    }

    #[test]
    fn quote_meta_escapes_go_specials() {
        assert_eq!(quote_meta("1.2.3"), r"1\.2\.3");
        assert_eq!(quote_meta("a-b#c"), "a-b#c");
        assert_eq!(quote_meta(r"[x]{1}\"), r"\[x\]\{1\}\\");
    }
}
