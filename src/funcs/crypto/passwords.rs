//! Password functions: `bcrypt` and `htpasswd` (golang.org/x/crypto/bcrypt
//! v0.54 as Helm pins it: version `2a`, cost 10, a 16-byte random salt,
//! passwords over 72 bytes refused) and `derivePassword` (the Master
//! Password algorithm: scrypt N=32768 r=8 p=2 over a seeded salt, then
//! HMAC-SHA256 choosing a template and its characters).
//!
//! Like Sprig, these return their failures as the result string instead of
//! an error.

use blowfish::Blowfish;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::encoding::encode_base64_with;
use crate::template::Host;

const BCRYPT_ALPHABET: &[u8; 64] =
    b"./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const BCRYPT_DEFAULT_COST: u32 = 10;
const BCRYPT_MAGIC: &[u8; 24] = b"OrpheanBeholderScryDoubt";

/// The raw bcrypt hash: 23 of the 24 bytes of "OrpheanBeholderScryDoubt"
/// encrypted 64 times under the expensive key schedule, keyed by the
/// password with its C-style NUL terminator.
pub fn bcrypt_raw(password: &[u8], cost: u32, salt: &[u8; 16]) -> [u8; 23] {
    let mut key = Vec::with_capacity(password.len() + 1);
    key.extend_from_slice(password);
    key.push(0);

    let mut state = Blowfish::bc_init_state();
    state.salted_expand_key(salt, &key);
    for _ in 0..(1u64 << cost) {
        state.bc_expand_key(&key);
        state.bc_expand_key(salt);
    }

    let mut words = [0u32; 6];
    for (w, chunk) in words.iter_mut().zip(BCRYPT_MAGIC.chunks(4)) {
        *w = u32::from_be_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
    }
    for pair in words.chunks_mut(2) {
        let mut lr = [pair[0], pair[1]];
        for _ in 0..64 {
            lr = state.bc_encrypt(lr);
        }
        pair.copy_from_slice(&lr);
    }
    let mut out = [0u8; 23];
    let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_be_bytes()).collect();
    out.copy_from_slice(&bytes[..23]);
    out
}

/// The modular-crypt string `$2a$CC$<salt><hash>`.
pub fn bcrypt_format(cost: u32, salt: &[u8; 16], hash: &[u8; 23]) -> String {
    format!(
        "$2a${cost:02}${}{}",
        encode_base64_with(salt, BCRYPT_ALPHABET, false),
        encode_base64_with(hash, BCRYPT_ALPHABET, false)
    )
}

/// Decodes bcrypt's unpadded base64 (its own alphabet).
fn decode_bcrypt_base64(text: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut bits, mut n) = (0u32, 0);
    for &c in text {
        let v = BCRYPT_ALPHABET.iter().position(|&a| a == c)? as u32;
        bits = (bits << 6) | v;
        n += 6;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
            bits &= (1 << n) - 1;
        }
    }
    Some(out)
}

/// Whether `hash` (`$2a$`, `$2b$` or `$2y$` modular-crypt text) is the
/// bcrypt hash of `password`, as `bcrypt.CompareHashAndPassword` decides.
pub fn bcrypt_verify(hash: &str, password: &str) -> bool {
    let b = hash.as_bytes();
    if b.len() != 60 || !matches!(&b[..4], b"$2a$" | b"$2b$" | b"$2y$") || b[6] != b'$' {
        return false;
    }
    let Ok(cost) = hash[4..6].parse::<u32>() else {
        return false;
    };
    let salt = decode_bcrypt_base64(&b[7..29]).and_then(|s| <[u8; 16]>::try_from(&s[..16]).ok());
    let (Some(salt), true) = (salt, (4..=31).contains(&cost)) else {
        return false;
    };
    if password.len() > 72 {
        return false;
    }
    let raw = bcrypt_raw(password.as_bytes(), cost, &salt);
    encode_base64_with(&raw, BCRYPT_ALPHABET, false).as_bytes() == &b[29..]
}

/// Sprig's `bcrypt`: the hash, or the failure text.
pub fn bcrypt(host: &dyn Host, input: &str) -> String {
    if input.len() > 72 {
        return "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes"
            .to_string();
    }
    let mut salt = [0u8; 16];
    host.random_bytes(&mut salt);
    let hash = bcrypt_raw(input.as_bytes(), BCRYPT_DEFAULT_COST, &salt);
    bcrypt_format(BCRYPT_DEFAULT_COST, &salt, &hash)
}

/// Sprig's `htpasswd`: `user:<bcrypt hash>`.
pub fn htpasswd(host: &dyn Host, username: &str, password: &str) -> String {
    if username.contains(':') {
        return format!("invalid username: {username}");
    }
    format!("{username}:{}", bcrypt(host, password))
}

const MASTER_PASSWORD_SEED: &[u8] = b"com.lyndir.masterpassword";

/// The templates of each password type.
fn password_templates(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "maximum" => &["anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno"],
        "long" => &[
            "CvcvnoCvcvCvcv",
            "CvcvCvcvnoCvcv",
            "CvcvCvcvCvcvno",
            "CvccnoCvcvCvcv",
            "CvccCvcvnoCvcv",
            "CvccCvcvCvcvno",
            "CvcvnoCvccCvcv",
            "CvcvCvccnoCvcv",
            "CvcvCvccCvcvno",
            "CvcvnoCvcvCvcc",
            "CvcvCvcvnoCvcc",
            "CvcvCvcvCvccno",
            "CvccnoCvccCvcv",
            "CvccCvccnoCvcv",
            "CvccCvccCvcvno",
            "CvcvnoCvccCvcc",
            "CvcvCvccnoCvcc",
            "CvcvCvccCvccno",
            "CvccnoCvcvCvcc",
            "CvccCvcvnoCvcc",
            "CvccCvcvCvccno",
        ],
        "medium" => &["CvcnoCvc", "CvcCvcno"],
        "short" => &["Cvcn"],
        "basic" => &["aaanaaan", "aannaaan", "aaannaaa"],
        "pin" => &["nnnn"],
        _ => return None,
    })
}

/// The characters a template letter stands for.
fn template_characters(class: u8) -> &'static [u8] {
    match class {
        b'V' => b"AEIOU",
        b'C' => b"BCDFGHJKLMNPQRSTVWXYZ",
        b'v' => b"aeiou",
        b'c' => b"bcdfghjklmnpqrstvwxyz",
        b'A' => b"AEIOUBCDFGHJKLMNPQRSTVWXYZ",
        b'a' => b"AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz",
        b'n' => b"0123456789",
        b'o' => b"@&%?,=[]_:-+*$#!'^~;()/.",
        _ => b"AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()",
    }
}

/// Sprig's `derivePassword(counter, passwordType, password, user, site)`.
pub fn derive_password(counter: u32, kind: &str, password: &str, user: &str, site: &str) -> String {
    let Some(templates) = password_templates(kind) else {
        return format!("cannot find password template {kind}");
    };

    let mut salt = MASTER_PASSWORD_SEED.to_vec();
    salt.extend_from_slice(&(user.len() as u32).to_be_bytes());
    salt.extend_from_slice(user.as_bytes());

    let mut key = [0u8; 64];
    // log2(32768) = 15; these parameters are always valid.
    let derived = scrypt::Params::new(15, 8, 2, 64)
        .map_err(|e| e.to_string())
        .and_then(|params| {
            scrypt::scrypt(password.as_bytes(), &salt, &params, &mut key).map_err(|e| e.to_string())
        });
    if let Err(e) = derived {
        return format!("failed to derive password: {e}");
    }

    let mut message = MASTER_PASSWORD_SEED.to_vec();
    message.extend_from_slice(&(site.len() as u32).to_be_bytes());
    message.extend_from_slice(site.as_bytes());
    message.extend_from_slice(&counter.to_be_bytes());

    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&key) else {
        return "failed to derive password: invalid key".to_string();
    };
    mac.update(&message);
    let seed = mac.finalize().into_bytes();

    let template = templates[seed[0] as usize % templates.len()].as_bytes();
    template
        .iter()
        .enumerate()
        .map(|(i, &class)| {
            let chars = template_characters(class);
            chars[seed[i + 1] as usize % chars.len()] as char
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bcrypt_known_answers() {
        // Known answers from the x/crypto and OpenBSD test suites.
        let cases = [
            (
                "allmine",
                "$2a$10$XajjQvNhvvRt5GSeFk1xFeyqRrsxkhBkUiQeg0dt.wU1qD4aFDcga",
            ),
            (
                "passw0rd",
                "$2a$10$LK9XRuhNxHHCvjX3tdkRKei1QiCDUKrJRhZv7WWZPuQGRUM92rOUa",
            ),
            (
                "",
                "$2a$06$DCq7YPn5Rq63x1Lad4cll.TV4S6ytwfsfvkgY8jIucDrjc8deX1s.",
            ),
        ];
        for (password, want) in cases {
            let cost: u32 = want[4..6].parse().unwrap();
            let salt = decode_bcrypt_salt(&want[7..29]);
            let hash = bcrypt_raw(password.as_bytes(), cost, &salt);
            assert_eq!(bcrypt_format(cost, &salt, &hash), want, "{password:?}");
        }
    }

    fn decode_bcrypt_salt(text: &str) -> [u8; 16] {
        decode_bcrypt_base64(text.as_bytes()).unwrap()[..16]
            .try_into()
            .unwrap()
    }

    #[test]
    fn verify_accepts_only_the_password() {
        let hash = "$2a$10$XajjQvNhvvRt5GSeFk1xFeyqRrsxkhBkUiQeg0dt.wU1qD4aFDcga";
        assert!(bcrypt_verify(hash, "allmine"));
        assert!(!bcrypt_verify(hash, "allmine!"));
        assert!(!bcrypt_verify(&hash[..59], "allmine"));
        let host = crate::template::DefaultHost::default();
        assert!(bcrypt_verify(&bcrypt(&host, "pw"), "pw"));
    }

    #[test]
    fn failures_are_results() {
        let host = crate::template::DefaultHost::default();
        assert_eq!(
            bcrypt(&host, &"x".repeat(73)),
            "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes"
        );
        assert_eq!(htpasswd(&host, "a:b", "pw"), "invalid username: a:b");
        assert_eq!(
            derive_password(1, "nope", "p", "u", "s"),
            "cannot find password template nope"
        );
    }
}
