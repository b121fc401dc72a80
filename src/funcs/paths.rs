//! Sprig v3.3.0's path functions: `base`, `dir`, `clean`, `ext`, `isAbs`
//! (Go's `path` package) and `osBase`, `osClean`, `osDir`, `osExt`,
//! `osIsAbs` (Go's `path/filepath`). Helm renders for Unix-like platforms,
//! where the two packages agree: `/` is the only separator and there are no
//! volume names.

use crate::template::{Func, ParamType, Templates};
use crate::value::Value;

/// Go's `path.Clean`: the shortest equivalent path, by purely lexical
/// processing (`//` → `/`, `.` removed, `x/..` removed, `/..` → `/`).
pub fn clean(path: &str) -> String {
    if path.is_empty() {
        return ".".to_string();
    }
    let bytes = path.as_bytes();
    let rooted = bytes[0] == b'/';
    let n = bytes.len();
    let mut out: Vec<u8> = Vec::with_capacity(n);
    let (mut r, mut dotdot) = (0, 0);
    if rooted {
        out.push(b'/');
        r = 1;
        dotdot = 1;
    }
    while r < n {
        let at_end = |i: usize| i == n || bytes[i] == b'/';
        if bytes[r] == b'/' || bytes[r] == b'.' && at_end(r + 1) {
            // An empty or `.` element.
            r += 1;
        } else if bytes[r] == b'.' && bytes[r + 1] == b'.' && at_end(r + 2) {
            r += 2;
            if out.len() > dotdot {
                // Back up to (and drop) the previous separator.
                let mut w = out.len() - 1;
                while w > dotdot && out[w] != b'/' {
                    w -= 1;
                }
                out.truncate(w);
            } else if !rooted {
                if !out.is_empty() {
                    out.push(b'/');
                }
                out.extend_from_slice(b"..");
                dotdot = out.len();
            }
        } else {
            if rooted && out.len() != 1 || !rooted && !out.is_empty() {
                out.push(b'/');
            }
            while r < n && bytes[r] != b'/' {
                out.push(bytes[r]);
                r += 1;
            }
        }
    }
    if out.is_empty() {
        return ".".to_string();
    }
    // Only whole path elements (split at ASCII '/') were copied.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Go's `path.Base`: the last element, trailing slashes removed.
pub fn base(path: &str) -> String {
    if path.is_empty() {
        return ".".to_string();
    }
    let trimmed = path.trim_end_matches('/');
    let last = match trimmed.rfind('/') {
        Some(i) => &trimmed[i + 1..],
        None => trimmed,
    };
    if last.is_empty() {
        "/".to_string()
    } else {
        last.to_string()
    }
}

/// Go's `path.Dir`: everything but the last element, cleaned.
pub fn dir(path: &str) -> String {
    let end = path.rfind('/').map_or(0, |i| i + 1);
    clean(&path[..end])
}

/// Go's `path.Ext`: the suffix from the final dot of the last element.
pub fn ext(path: &str) -> &str {
    for (i, b) in path.bytes().enumerate().rev() {
        match b {
            b'/' => break,
            b'.' => return &path[i..],
            _ => {}
        }
    }
    ""
}

/// Go's `path.IsAbs`.
pub fn is_abs(path: &str) -> bool {
    path.starts_with('/')
}

/// Registers the path and file path functions.
pub fn register(set: &mut Templates) {
    fn string_fn(f: fn(&str) -> String) -> Func {
        Func::new([ParamType::String], move |_ctx, args| {
            Ok(Value::from(f(args[0].as_str().unwrap_or_default())))
        })
        .infallible()
    }
    fn ext_fn() -> Func {
        string_fn(|p| ext(p).to_string())
    }
    fn is_abs_fn() -> Func {
        Func::new([ParamType::String], |_ctx, args| {
            Ok(Value::Bool(is_abs(args[0].as_str().unwrap_or_default())))
        })
        .infallible()
    }
    for prefix in ["", "os"] {
        let name = |n: &str| {
            if prefix.is_empty() {
                n.to_string()
            } else {
                let mut c = n.chars();
                let first = c.next().map(|f| f.to_ascii_uppercase()).unwrap_or_default();
                format!("{prefix}{first}{}", c.as_str())
            }
        };
        set.add_func(name("base"), string_fn(base));
        set.add_func(name("dir"), string_fn(dir));
        set.add_func(name("clean"), string_fn(clean));
        set.add_func(name("ext"), ext_fn());
        set.add_func(name("isAbs"), is_abs_fn());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_like_go() {
        for (input, want) in [
            ("", "."),
            ("/foo/../foo/../bar", "/bar"),
            ("a//b/./c/", "a/b/c"),
            ("../../a/..", "../.."),
            ("/../a", "/a"),
            ("a/../..", ".."),
            ("./", "."),
            ("/", "/"),
            ("é/./ü/..", "é"),
        ] {
            assert_eq!(clean(input), want, "{input}");
        }
    }

    #[test]
    fn base_dir_ext_like_go() {
        assert_eq!(base("foo/bar"), "bar");
        assert_eq!(base("foo/bar//"), "bar");
        assert_eq!(base("///"), "/");
        assert_eq!(base(""), ".");
        assert_eq!(dir("foo/bar/baz"), "foo/bar");
        assert_eq!(dir("baz"), ".");
        assert_eq!(dir("/baz"), "/");
        assert_eq!(dir(""), ".");
        assert_eq!(ext("/foo/bar/baz.txt"), ".txt");
        assert_eq!(ext("a.b/c"), "");
        assert_eq!(ext("x.tar.gz"), ".gz");
        assert!(is_abs("/foo") && !is_abs("foo"));
    }

    #[test]
    fn registered_names() {
        let mut set = Templates::new();
        register(&mut set);
        set.parse("t", r#"{{ osBase "a/b" }} {{ osDir "a/b" }} {{ osExt "a.x" }} {{ osIsAbs "/a" }} {{ osClean "a/../b" }} {{ isAbs "a" }}"#)
            .unwrap();
        assert_eq!(
            set.execute("t", &Value::Nil).unwrap(),
            "b a .x true b false"
        );
    }
}
