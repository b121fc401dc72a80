//! Sprig v3.3.0's crypto and randomness functions (`crypto.go`): digests,
//! bcrypt/htpasswd, Master Password `derivePassword`, private keys and
//! X.509 certificates, AES encryption, random bytes and UUIDs.
//!
//! Every random byte comes from the template host ([`Host::random_bytes`]),
//! directly or through [`random::HostRng`] for key generation and signing,
//! and the clock from [`Host::now`]; nothing here reads the OS.
//!
//! Submodules: [`hashes`], [`passwords`], [`aes`], [`random`], [`keys`],
//! [`certs`], and the supporting [`der`], [`encoding`], [`ec`] and [`x509`].
//!
//! [`Host::random_bytes`]: crate::template::Host::random_bytes
//! [`Host::now`]: crate::template::Host::now

pub mod aes;
pub mod certs;
pub mod der;
pub mod ec;
pub mod encoding;
pub mod hashes;
pub mod keys;
pub mod passwords;
pub mod random;
pub mod x509;

use crate::template::{Func, FuncError, ParamType, Templates};
use crate::value::{UintType, Value};

use certs::{Certificate, CERTIFICATE_TYPE};

fn str_arg(args: &[Value], i: usize) -> &str {
    args.get(i).and_then(Value::as_str).unwrap_or_default()
}

fn int_arg(args: &[Value], i: usize) -> i64 {
    match args.get(i) {
        Some(Value::Int(n, _)) => *n,
        _ => 0,
    }
}

/// A hash of a string's bytes (those of a string that is not UTF-8 too).
fn hash_fn(f: fn(&[u8]) -> String) -> Func {
    Func::new([ParamType::String], move |_ctx, args| {
        Ok(Value::from(f(args[0].as_go_bytes().unwrap_or_default())))
    })
    .infallible()
}

fn certificate_arg(args: &[Value], i: usize) -> Result<&Certificate, FuncError> {
    args.get(i)
        .and_then(Certificate::from_value)
        .ok_or_else(|| FuncError::msg("invalid value; expected sprig.certificate"))
}

/// Registers the crypto functions.
pub fn register(set: &mut Templates) {
    use ParamType as P;
    let cert_type = P::Object(CERTIFICATE_TYPE);

    set.add_func("sha1sum", hash_fn(hashes::sha1sum));
    set.add_func("sha256sum", hash_fn(hashes::sha256sum));
    set.add_func("sha512sum", hash_fn(hashes::sha512sum));
    set.add_func("adler32sum", hash_fn(hashes::adler32sum));

    set.add_func(
        "bcrypt",
        Func::new([P::String], |ctx, args| {
            Ok(Value::from(passwords::bcrypt(
                ctx.host(),
                str_arg(&args, 0),
            )))
        })
        .infallible(),
    );
    set.add_func(
        "htpasswd",
        Func::new([P::String, P::String], |ctx, args| {
            let (user, password) = (str_arg(&args, 0), str_arg(&args, 1));
            Ok(Value::from(passwords::htpasswd(ctx.host(), user, password)))
        })
        .infallible(),
    );
    set.add_func(
        "derivePassword",
        Func::new(
            [
                P::Uint(UintType::Uint32),
                P::String,
                P::String,
                P::String,
                P::String,
            ],
            |_ctx, args| {
                let counter = match args.first() {
                    Some(Value::Uint(n, _)) => *n as u32,
                    _ => 0,
                };
                Ok(Value::from(passwords::derive_password(
                    counter,
                    str_arg(&args, 1),
                    str_arg(&args, 2),
                    str_arg(&args, 3),
                    str_arg(&args, 4),
                )))
            },
        )
        .infallible(),
    );
    set.add_func(
        "genPrivateKey",
        Func::new([P::String], |ctx, args| {
            Ok(Value::from(keys::generate_private_key(
                ctx.host(),
                str_arg(&args, 0),
            )))
        })
        .infallible(),
    );

    set.add_func(
        "buildCustomCert",
        Func::new([P::String, P::String], |_ctx, args| {
            certs::to_value(certs::build_custom_cert(
                str_arg(&args, 0),
                str_arg(&args, 1),
            ))
        }),
    );
    set.add_func(
        "genCA",
        Func::new([P::String, P::INT], |ctx, args| {
            let (cn, days) = (str_arg(&args, 0), int_arg(&args, 1));
            certs::to_value(certs::generate_ca(ctx.host(), cn, days, None))
        }),
    );
    set.add_func(
        "genCAWithKey",
        Func::new([P::String, P::INT, P::String], |ctx, args| {
            let (cn, days, key) = (str_arg(&args, 0), int_arg(&args, 1), str_arg(&args, 2));
            certs::to_value(certs::generate_ca(ctx.host(), cn, days, Some(key)))
        }),
    );
    set.add_func(
        "genSelfSignedCert",
        Func::new([P::String, P::List, P::List, P::INT], |ctx, args| {
            let (cn, days) = (str_arg(&args, 0), int_arg(&args, 3));
            let r = certs::generate_self_signed(ctx.host(), cn, &args[1], &args[2], days, None);
            certs::to_value(r)
        }),
    );
    set.add_func(
        "genSelfSignedCertWithKey",
        Func::new(
            [P::String, P::List, P::List, P::INT, P::String],
            |ctx, args| {
                let (cn, days, key) = (str_arg(&args, 0), int_arg(&args, 3), str_arg(&args, 4));
                let r = certs::generate_self_signed(
                    ctx.host(),
                    cn,
                    &args[1],
                    &args[2],
                    days,
                    Some(key),
                );
                certs::to_value(r)
            },
        ),
    );
    set.add_func(
        "genSignedCert",
        Func::new(
            [P::String, P::List, P::List, P::INT, cert_type.clone()],
            |ctx, args| {
                let (cn, days) = (str_arg(&args, 0), int_arg(&args, 3));
                let ca = certificate_arg(&args, 4)?;
                let r = certs::generate_signed(ctx.host(), cn, &args[1], &args[2], days, ca, None);
                certs::to_value(r)
            },
        ),
    );
    set.add_func(
        "genSignedCertWithKey",
        Func::new(
            [P::String, P::List, P::List, P::INT, cert_type, P::String],
            |ctx, args| {
                let (cn, days, key) = (str_arg(&args, 0), int_arg(&args, 3), str_arg(&args, 5));
                let ca = certificate_arg(&args, 4)?;
                let r =
                    certs::generate_signed(ctx.host(), cn, &args[1], &args[2], days, ca, Some(key));
                certs::to_value(r)
            },
        ),
    );

    set.add_func(
        "encryptAES",
        Func::new([P::String, P::String], |ctx, args| {
            let (password, text) = (str_arg(&args, 0), str_arg(&args, 1));
            Ok(Value::from(aes::encrypt_aes(ctx.host(), password, text)))
        }),
    );
    set.add_func(
        "decryptAES",
        Func::new([P::String, P::String], |_ctx, args| {
            aes::decrypt_aes(str_arg(&args, 0), str_arg(&args, 1)).map(Value::from)
        }),
    );
    set.add_func(
        "randBytes",
        Func::new([P::INT], |ctx, args| {
            random::rand_bytes(ctx.host(), int_arg(&args, 0)).map(Value::from)
        }),
    );
    set.add_func(
        "uuidv4",
        Func::new([], |ctx, _args| Ok(Value::from(random::uuidv4(ctx.host())))).infallible(),
    );
}

#[cfg(test)]
mod tests;
