//! Glob patterns as `.Files.Glob` matches them: gobwas/glob compiled with
//! `/` as the separator. `*` matches within one path segment, `**` across
//! segments, `?` one character of a segment, `[abc]`, `[!a-z]` classes,
//! `{a,b}` alternatives and `\` escapes.

/// A compiled pattern.
#[derive(Clone, Debug, PartialEq)]
pub struct Glob {
    tokens: Vec<Token>,
}

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Literal(char),
    /// `?`
    Any,
    /// `*`
    Star,
    /// `**`
    SuperStar,
    Class {
        negated: bool,
        items: Vec<(char, char)>,
    },
    Alternatives(Vec<Glob>),
}

const SEPARATOR: char = '/';

impl Glob {
    /// Compiles a pattern; malformed patterns (an unclosed `[` or `{`) are errors.
    pub fn new(pattern: &str) -> Result<Glob, String> {
        let chars: Vec<char> = pattern.chars().collect();
        let mut pos = 0;
        let glob = parse_seq(&chars, &mut pos, false)?;
        if pos != chars.len() {
            return Err(format!("unexpected {:?} in glob", chars[pos]));
        }
        Ok(glob)
    }

    /// Whether `name` matches the whole pattern.
    pub fn matches(&self, name: &str) -> bool {
        let chars: Vec<char> = name.chars().collect();
        match_tokens(&self.tokens, &chars)
    }
}

fn parse_seq(chars: &[char], pos: &mut usize, in_alternative: bool) -> Result<Glob, String> {
    let mut tokens = Vec::new();
    while *pos < chars.len() {
        let c = chars[*pos];
        match c {
            ',' | '}' if in_alternative => break,
            '\\' => {
                *pos += 1;
                let escaped = *chars
                    .get(*pos)
                    .ok_or("unexpected end of glob after escape")?;
                tokens.push(Token::Literal(escaped));
                *pos += 1;
            }
            '?' => {
                tokens.push(Token::Any);
                *pos += 1;
            }
            '*' => {
                if chars.get(*pos + 1) == Some(&'*') {
                    tokens.push(Token::SuperStar);
                    *pos += 2;
                } else {
                    tokens.push(Token::Star);
                    *pos += 1;
                }
            }
            '[' => {
                *pos += 1;
                let negated = chars.get(*pos) == Some(&'!');
                if negated {
                    *pos += 1;
                }
                let mut items = Vec::new();
                loop {
                    let c = *chars.get(*pos).ok_or("unclosed [ in glob")?;
                    *pos += 1;
                    if c == ']' {
                        break;
                    }
                    let c = if c == '\\' {
                        let e = *chars.get(*pos).ok_or("unclosed [ in glob")?;
                        *pos += 1;
                        e
                    } else {
                        c
                    };
                    if chars.get(*pos) == Some(&'-')
                        && chars.get(*pos + 1).is_some_and(|&n| n != ']')
                    {
                        let hi = chars[*pos + 1];
                        *pos += 2;
                        items.push((c, hi));
                    } else {
                        items.push((c, c));
                    }
                }
                tokens.push(Token::Class { negated, items });
            }
            '{' => {
                *pos += 1;
                let mut alternatives = Vec::new();
                loop {
                    alternatives.push(parse_seq(chars, pos, true)?);
                    match chars.get(*pos) {
                        Some(',') => *pos += 1,
                        Some('}') => {
                            *pos += 1;
                            break;
                        }
                        _ => return Err("unclosed { in glob".into()),
                    }
                }
                tokens.push(Token::Alternatives(alternatives));
            }
            c => {
                tokens.push(Token::Literal(c));
                *pos += 1;
            }
        }
    }
    Ok(Glob { tokens })
}

fn match_tokens(tokens: &[Token], name: &[char]) -> bool {
    let Some((first, rest)) = tokens.split_first() else {
        return name.is_empty();
    };
    match first {
        Token::Literal(c) => name.first() == Some(c) && match_tokens(rest, &name[1..]),
        Token::Any => {
            name.first().is_some_and(|&c| c != SEPARATOR) && match_tokens(rest, &name[1..])
        }
        Token::Star => {
            for i in 0..=name.len() {
                if match_tokens(rest, &name[i..]) {
                    return true;
                }
                if i < name.len() && name[i] == SEPARATOR {
                    return false;
                }
            }
            false
        }
        Token::SuperStar => (0..=name.len()).any(|i| match_tokens(rest, &name[i..])),
        Token::Class { negated, items } => match name.first() {
            Some(&c) => {
                let inside = items.iter().any(|&(lo, hi)| lo <= c && c <= hi);
                inside != *negated && match_tokens(rest, &name[1..])
            }
            None => false,
        },
        Token::Alternatives(alternatives) => alternatives.iter().any(|alt| {
            let mut combined = alt.tokens.clone();
            combined.extend_from_slice(rest);
            match_tokens(&combined, name)
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(pattern: &str, name: &str) -> bool {
        Glob::new(pattern).unwrap().matches(name)
    }

    #[test]
    fn stars_respect_separators() {
        assert!(m("files/*.conf", "files/a.conf"));
        assert!(!m("files/*.conf", "files/sub/a.conf"));
        assert!(m("files/**.conf", "files/sub/a.conf"));
        assert!(m("**", "a/b/c"));
        assert!(m("files/?.txt", "files/a.txt"));
        assert!(!m("files/?.txt", "files//.txt"));
    }

    #[test]
    fn classes_and_alternatives() {
        assert!(m("f/[a-c].txt", "f/b.txt"));
        assert!(!m("f/[!a-c].txt", "f/b.txt"));
        assert!(m("f/*.{yaml,json}", "f/x.json"));
        assert!(!m("f/*.{yaml,json}", "f/x.toml"));
        assert!(Glob::new("f/[a").is_err());
    }
}
