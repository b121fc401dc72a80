//! Sprig's `env` and `expandenv` (Go's `os.Getenv` and `os.ExpandEnv`).
//! Helm removes both from its function map; they exist for Sprig's own
//! function set, and read the environment through the host.

use crate::template::{Context, Func, ParamType, Templates};
use crate::value::Value;

pub fn register(set: &mut Templates) {
    set.add_func(
        "env",
        Func::new([ParamType::String], |ctx, args| {
            let name = args[0].as_str().unwrap_or_default();
            Ok(Value::from(ctx.host().env(name).unwrap_or_default()))
        })
        .infallible(),
    );
    set.add_func(
        "expandenv",
        Func::new([ParamType::String], |ctx, args| {
            Ok(Value::from(expand(
                args[0].as_str().unwrap_or_default(),
                ctx,
            )))
        })
        .infallible(),
    );
}

fn is_shell_special(c: u8) -> bool {
    matches!(
        c,
        b'*' | b'#' | b'$' | b'@' | b'!' | b'?' | b'-' | b'0'..=b'9'
    )
}

fn is_name_byte(c: u8) -> bool {
    c == b'_' || c.is_ascii_alphanumeric()
}

/// Go's `getShellName`: the variable name after a `$` and how many bytes it
/// spans (a name of "" with a width means bad syntax to drop).
fn shell_name(s: &[u8]) -> (&[u8], usize) {
    if s[0] == b'{' {
        if s.len() > 2 && is_shell_special(s[1]) && s[2] == b'}' {
            return (&s[1..2], 3);
        }
        for i in 1..s.len() {
            if s[i] == b'}' {
                if i == 1 {
                    return (&[], 2);
                }
                return (&s[1..i], i + 1);
            }
        }
        return (&[], 1);
    }
    if is_shell_special(s[0]) {
        return (&s[0..1], 1);
    }
    let n = s.iter().take_while(|&&c| is_name_byte(c)).count();
    (&s[..n], n)
}

/// Go's `os.Expand` with the host's environment.
fn expand(s: &str, ctx: &Context<'_>) -> String {
    let bytes = s.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(s.len());
    let mut start = 0;
    let mut j = 0;
    while j < bytes.len() {
        if bytes[j] == b'$' && j + 1 < bytes.len() {
            out.extend_from_slice(&bytes[start..j]);
            let (name, width) = shell_name(&bytes[j + 1..]);
            if name.is_empty() && width > 0 {
                // Bad syntax: the characters are dropped.
            } else if name.is_empty() {
                out.push(b'$');
            } else {
                let name = String::from_utf8_lossy(name);
                out.extend_from_slice(ctx.host().env(&name).unwrap_or_default().as_bytes());
            }
            j += width;
            start = j + 1;
        }
        j += 1;
    }
    out.extend_from_slice(&bytes[start.min(bytes.len())..]);
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use crate::template::{DefaultHost, Host, Templates};
    use crate::value::Value;
    use std::rc::Rc;

    struct Env;

    impl Host for Env {
        fn random_bytes(&self, buf: &mut [u8]) {
            DefaultHost::default().random_bytes(buf)
        }
        fn now(&self) -> (i64, u32) {
            (0, 0)
        }
        fn env(&self, name: &str) -> Option<String> {
            (name == "FOO" || name == "1").then(|| "bar".to_string())
        }
    }

    #[test]
    fn expands_like_go() {
        let mut set = Templates::new();
        super::register(&mut set);
        set.set_host(Rc::new(Env));
        let cases = [
            ("Hello $FOO", "Hello bar"),
            ("${FOO}x ${1} $", "barx bar $"),
            ("a${}b ${FOO", "ab FOO"),
            ("$$ $-", " "),
        ];
        for (input, want) in cases {
            set.parse("t", &format!("{{{{expandenv {input:?}}}}}"))
                .unwrap();
            assert_eq!(set.execute("t", &Value::Nil).unwrap(), want, "{input}");
        }
        set.parse("t", "{{env \"FOO\"}}{{env \"NOPE\"}}").unwrap();
        assert_eq!(set.execute("t", &Value::Nil).unwrap(), "bar");
    }
}
