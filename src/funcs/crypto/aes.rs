//! `encryptAES` and `decryptAES`, Sprig's scheme: the password copied into
//! a zeroed 32-byte AES-256 key (truncated when longer), PKCS#7 padding,
//! CBC with a random IV, and standard base64 of IV || ciphertext.
//!
//! `decryptAES` does no validation of its own, so malformed input makes Go
//! panic (slice bounds, partial blocks); the template engine reports those
//! panics, and the same texts are returned here as errors.

use aes::cipher::generic_array::GenericArray;
use aes::cipher::{BlockDecrypt, BlockEncrypt, KeyInit};
use aes::Aes256;

use super::encoding::{base64_decode, base64_encode, std_decoded_len};
use crate::template::{FuncError, Host};

const BLOCK: usize = 16;

fn cipher_for(password: &str) -> Aes256 {
    let mut key = [0u8; 32];
    let bytes = password.as_bytes();
    let n = bytes.len().min(32);
    key[..n].copy_from_slice(&bytes[..n]);
    Aes256::new(GenericArray::from_slice(&key))
}

/// Sprig's `encryptAES(password, plaintext string) (string, error)`.
pub fn encrypt_aes(host: &dyn Host, password: &str, plaintext: &str) -> String {
    if plaintext.is_empty() {
        return String::new();
    }
    let cipher = cipher_for(password);
    let mut content = plaintext.as_bytes().to_vec();
    let padding = BLOCK - content.len() % BLOCK;
    content.extend(std::iter::repeat_n(padding as u8, padding));

    let mut out = vec![0u8; BLOCK + content.len()];
    host.random_bytes(&mut out[..BLOCK]);
    let mut prev = [0u8; BLOCK];
    prev.copy_from_slice(&out[..BLOCK]);
    for (i, chunk) in content.chunks(BLOCK).enumerate() {
        let mut block = [0u8; BLOCK];
        for (j, b) in block.iter_mut().enumerate() {
            *b = chunk[j] ^ prev[j];
        }
        let mut ga = GenericArray::from(block);
        cipher.encrypt_block(&mut ga);
        prev.copy_from_slice(&ga);
        out[BLOCK * (i + 1)..BLOCK * (i + 2)].copy_from_slice(&ga);
    }
    base64_encode(&out)
}

/// Sprig's `decryptAES(password, crypt64 string) (string, error)`.
pub fn decrypt_aes(password: &str, crypt64: &str) -> Result<String, FuncError> {
    if crypt64.is_empty() {
        return Ok(String::new());
    }
    let crypt = base64_decode(crypt64.as_bytes()).map_err(|e| FuncError::msg(e.to_string()))?;
    let cipher = cipher_for(password);

    // Go slices crypt[:16] against the buffer's capacity, then crypt[16:]
    // against its length.
    let capacity = std_decoded_len(crypt64.len());
    if capacity < BLOCK {
        return Err(FuncError::msg(format!(
            "runtime error: slice bounds out of range [:{BLOCK}] with capacity {capacity}"
        )));
    }
    if crypt.len() < BLOCK {
        return Err(FuncError::msg(format!(
            "runtime error: slice bounds out of range [{BLOCK}:{}]",
            crypt.len()
        )));
    }
    let (iv, body) = crypt.split_at(BLOCK);
    if body.len() % BLOCK != 0 {
        return Err(FuncError::msg("crypto/cipher: input not full blocks"));
    }
    let mut decrypted = Vec::with_capacity(body.len());
    let mut prev = iv;
    for chunk in body.chunks(BLOCK) {
        let mut ga = GenericArray::clone_from_slice(chunk);
        cipher.decrypt_block(&mut ga);
        decrypted.extend(ga.iter().zip(prev).map(|(a, b)| a ^ b));
        prev = chunk;
    }
    let Some(&last) = decrypted.last() else {
        return Err(FuncError::msg("runtime error: index out of range [-1]"));
    };
    let end = decrypted.len() as i64 - last as i64;
    if end < 0 {
        return Err(FuncError::msg(format!(
            "runtime error: slice bounds out of range [:{end}]"
        )));
    }
    decrypted.truncate(end as usize);
    // Go strings may hold any bytes; this model keeps text, so bytes that
    // are not UTF-8 (a wrong password, typically) become U+FFFD.
    Ok(String::from_utf8_lossy(&decrypted).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::DefaultHost;

    #[test]
    fn round_trip() {
        let host = DefaultHost::default();
        for text in ["plaintext", "exactly sixteen!", "ünïcödé", "x"] {
            let c = encrypt_aes(&host, "secretkey", text);
            assert_eq!(decrypt_aes("secretkey", &c).unwrap(), text);
        }
        assert_eq!(encrypt_aes(&host, "k", ""), "");
        assert_eq!(decrypt_aes("k", "").unwrap(), "");
        // Passwords longer than 32 bytes are truncated to the key size.
        let long = "k".repeat(40);
        let c = encrypt_aes(&host, &long, "text");
        assert_eq!(decrypt_aes(&"k".repeat(32), &c).unwrap(), "text");
    }

    #[test]
    fn decrypts_go_ciphertext() {
        // Go 1.26 running Sprig's encryptAES scheme on "secretkey", "plaintext".
        let go = "wghKpI0Fl85ih8p17aCYDgCcvhd0YAib1Fi9Kkogaco=";
        assert_eq!(decrypt_aes("secretkey", go).unwrap(), "plaintext");
    }

    #[test]
    fn go_panics_become_errors() {
        let err = |s: &str| decrypt_aes("k", s).unwrap_err().text().to_string();
        assert_eq!(
            err("YWJj"),
            "runtime error: slice bounds out of range [:16] with capacity 3"
        );
        assert_eq!(err("a!"), "illegal base64 data at input byte 1");
        let seventeen = base64_encode(&[0u8; 17]);
        assert_eq!(err(&seventeen), "crypto/cipher: input not full blocks");
        let sixteen = base64_encode(&[0u8; 16]);
        assert_eq!(err(&sixteen), "runtime error: index out of range [-1]");
        // Capacity counts newlines, so the second bounds check fires.
        let short = format!("{}{}", base64_encode(&[1, 2, 3]), "\n".repeat(20));
        assert_eq!(
            err(&short),
            "runtime error: slice bounds out of range [16:3]"
        );
    }
}
