//! Template-level tests of the crypto functions: exact outputs, Go's error
//! texts through the executor, and known-answer certificates.
//!
//! The `testdata/*.pem` certificates were produced here with the seeded
//! host below and checked to be byte-identical to what Go 1.26's
//! `x509.CreateCertificate` builds from Sprig's template with the same key,
//! serial and validity (Ed25519 and RSA signatures are deterministic).

use std::cell::Cell;
use std::rc::Rc;

use super::encoding::pem_decode;
use super::x509::parse_certificate;
use crate::template::{DefaultHost, Host, Templates};
use crate::{Map, Value};

/// A reproducible host: a 64-bit LCG for random bytes, a fixed clock.
struct SeededHost {
    state: Cell<u64>,
    now: i64,
}

impl Host for SeededHost {
    fn random_bytes(&self, buf: &mut [u8]) {
        for b in buf {
            let n = self
                .state
                .get()
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            self.state.set(n);
            *b = (n >> 33) as u8;
        }
    }

    fn now(&self) -> (i64, u32) {
        (self.now, 123_456_789)
    }
}

fn templates(host: Rc<dyn Host>) -> Templates {
    let mut set = Templates::new();
    // The whole Sprig map: templates use `list`, `b64enc`, `printf`.
    crate::funcs::register_sprig(&mut set);
    set.set_host(host);
    set
}

fn render_with(set: &mut Templates, text: &str, data: &[(&str, &str)]) -> Result<String, String> {
    let map = Map::new();
    for (k, v) in data {
        map.insert(*k, Value::from(*v));
    }
    set.parse("t", text).map_err(|e| e.to_string())?;
    set.execute("t", &Value::Map(map))
        .map_err(|e| e.to_string())
}

fn render(text: &str) -> Result<String, String> {
    render_with(&mut templates(Rc::new(DefaultHost::default())), text, &[])
}

fn render_seeded(seed: u64, text: &str, data: &[(&str, &str)]) -> Result<String, String> {
    let host = SeededHost {
        state: Cell::new(seed),
        now: 1_700_000_000,
    };
    render_with(&mut templates(Rc::new(host)), text, data)
}

/// The error text after the executor's `error calling NAME: ` prefix.
fn call_error(text: &str) -> String {
    let err = render(text).unwrap_err();
    match err.split_once("error calling ") {
        Some((_, rest)) => rest
            .split_once(": ")
            .map(|(_, m)| m.to_string())
            .unwrap_or(rest.to_string()),
        None => err,
    }
}

/// The `n`th (0-based) PEM block of a text, whole.
fn pem_block(text: &str, n: usize) -> String {
    let begin = text
        .match_indices("-----BEGIN ")
        .nth(n)
        .map(|(i, _)| i)
        .unwrap();
    let rest = &text[begin..];
    let end = rest.find("-----END ").unwrap();
    let close = rest[end..].find('\n').unwrap();
    rest[..end + close + 1].to_string()
}

#[test]
fn digests() {
    assert_eq!(
        render(r#"{{"abc" | sha1sum}}"#).unwrap(),
        "a9993e364706816aba3e25717850c26c9cd0d89d"
    );
    assert_eq!(
        render(r#"{{"abc" | sha512sum}}"#).unwrap(),
        "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"
    );
    assert_eq!(render(r#"{{"abc" | adler32sum}}"#).unwrap(), "38600999");
    // Sprig's signatures take strings: an int is a type error.
    let err = render("{{ 3 | sha256sum }}").unwrap_err();
    assert!(
        err.ends_with("wrong type for value; expected string; got int"),
        "{err}"
    );
}

#[test]
fn derive_password_vector() {
    assert_eq!(
        render(r#"{{derivePassword 1 "long" "password" "user" "example.com"}}"#).unwrap(),
        "ZedaFaxcZaso9*"
    );
    assert_eq!(
        render(r#"{{derivePassword 1 "nope" "password" "user" "example.com"}}"#).unwrap(),
        "cannot find password template nope"
    );
    // The counter is a uint32: negative literals are refused.
    assert!(render(r#"{{derivePassword -1 "pin" "p" "u" "s"}}"#).is_err());
}

#[test]
fn aes_round_trip_and_panics() {
    assert_eq!(
        render(r#"{{"plaintext" | encryptAES "secretkey" | decryptAES "secretkey"}}"#).unwrap(),
        "plaintext"
    );
    assert_eq!(
        call_error(r#"{{decryptAES "k" "YWJj"}}"#),
        "runtime error: slice bounds out of range [:16] with capacity 3"
    );
    assert_eq!(
        call_error(r#"{{decryptAES "k" "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}}"#),
        "runtime error: slice bounds out of range [:-19]"
    );
    assert_eq!(
        call_error(r#"{{decryptAES "k" "a!"}}"#),
        "illegal base64 data at input byte 1"
    );
}

#[test]
fn seeded_randomness() {
    let out = render_seeded(1, "{{randBytes 6}} {{uuidv4}}", &[]).unwrap();
    let (b64, uuid) = out.split_once(' ').unwrap();
    assert_eq!(b64.len(), 8);
    assert_eq!(uuid.len(), 36);
    assert_eq!(&uuid[14..15], "4");
    assert!("89ab".contains(&uuid[19..20]));
    assert_eq!(
        render_seeded(1, "{{randBytes 6}} {{uuidv4}}", &[]).unwrap(),
        out
    );
    assert_ne!(
        render_seeded(2, "{{randBytes 6}} {{uuidv4}}", &[]).unwrap(),
        out
    );
    assert_eq!(
        call_error("{{randBytes -1}}"),
        "runtime error: makeslice: len out of range"
    );
}

#[test]
fn bcrypt_and_htpasswd() {
    let out = render_seeded(5, r#"{{htpasswd "user" "pw"}}"#, &[]).unwrap();
    let (user, hash) = out.split_once(':').unwrap();
    assert_eq!(user, "user");
    assert!(hash.starts_with("$2a$10$"), "{hash}");
    assert!(super::passwords::bcrypt_verify(hash, "pw"));
    assert!(!super::passwords::bcrypt_verify(hash, "pw2"));
    assert_eq!(
        render(r#"{{htpasswd "a:b" "pw"}}"#).unwrap(),
        "invalid username: a:b"
    );
}

#[test]
fn private_keys() {
    assert_eq!(
        render(r#"{{genPrivateKey "bad"}}"#).unwrap(),
        "Unknown type bad"
    );
    let ec = render(r#"{{genPrivateKey "ecdsa"}}"#).unwrap();
    assert!(ec.starts_with("-----BEGIN EC PRIVATE KEY-----\n"), "{ec}");
    let ed = render(r#"{{genPrivateKey "ed25519"}}"#).unwrap();
    assert!(ed.starts_with("-----BEGIN PRIVATE KEY-----\n"), "{ed}");
    // PKCS#8 Ed25519: version 0, the Ed25519 OID, a 32-byte seed.
    let der = pem_decode(ed.as_bytes()).unwrap().bytes;
    assert_eq!(der.len(), 48);
    assert_eq!(
        &der[..16],
        &[0x30, 0x2e, 2, 1, 0, 0x30, 5, 6, 3, 0x2b, 0x65, 0x70, 4, 0x22, 4, 0x20]
    );
}

/// `genPrivateKey "rsa"` makes an RSA-4096 key: the one test of that path
/// (seconds with the dependencies optimized, as the dev profile does).
#[test]
fn rsa_private_key() {
    let pem = render(r#"{{genPrivateKey "rsa"}}"#).unwrap();
    assert!(pem.starts_with("-----BEGIN RSA PRIVATE KEY-----\n"));
    let key = super::keys::parse_private_key_pem(&pem).unwrap();
    let super::keys::PublicKey::Rsa { n, e } = key.public() else {
        panic!("not RSA");
    };
    assert_eq!(n.bits(), 4096);
    assert_eq!(e, rsa::BigUint::from(65537u32));
    assert_eq!(key.to_pem(), pem);
}

#[test]
fn known_answer_ed25519_ca() {
    let out = render_seeded(
        1,
        r#"{{ $k := genPrivateKey "ed25519" }}{{ $ca := genCAWithKey "foo-ca" 365 $k }}{{ $ca.Cert }}{{ $ca.Key }}"#,
        &[],
    )
    .unwrap();
    assert_eq!(out, include_str!("testdata/ed25519_ca.pem"));
}

#[test]
fn known_answer_signed_chain() {
    let out = render_seeded(
        3,
        r#"{{ $ca := genPrivateKey "ed25519" | genCAWithKey "foo" 365 }}{{ $c := genPrivateKey "ecdsa" | genSignedCertWithKey "foo.com" (list "10.0.0.1") (list "bar.com") 30 $ca }}{{ $ca.Cert }}{{ $ca.Key }}{{ $c.Cert }}{{ $c.Key }}"#,
        &[],
    )
    .unwrap();
    assert_eq!(out, include_str!("testdata/ed25519_ca_ecdsa_leaf.pem"));
}

#[test]
fn known_answer_rsa_with_given_key() {
    let out = render_seeded(
        9,
        r#"{{ $c := genSelfSignedCertWithKey "rsa.example" (list "192.168.0.1" "fd00::7") (list "rsa.example" "*.rsa.example") 90 .k }}{{ $c.Cert }}{{ $c.Key }}"#,
        &[("k", include_str!("testdata/rsa2048_pkcs8.key"))],
    )
    .unwrap();
    assert_eq!(out, include_str!("testdata/rsa_self_signed.pem"));
}

/// Checks the vectors' x509 properties on a certificate: subject common
/// name, CA flag, a positive serial, IPs and DNS names.
fn assert_cert(pem: &str, cn: &str, is_ca: bool, ips: &[&[u8]], dns: &[&str]) {
    let der = pem_decode(pem.as_bytes()).unwrap().bytes;
    let cert = parse_certificate(&der).unwrap();
    assert_eq!(cert.common_name, cn);
    assert_eq!(cert.is_ca, is_ca);
    assert_eq!(cert.serial_sign, 1);
    assert_eq!(cert.ip_addresses, ips);
    assert_eq!(cert.dns_names, dns);
    assert_eq!(cert.subject_key_id.len(), if is_ca { 20 } else { 0 });
}

#[test]
fn certificate_properties_with_given_keys() {
    let out = render(
        r#"{{- $ca := genPrivateKey "ecdsa" | genCAWithKey "foo" 365 }}
{{- $cert := genPrivateKey "ed25519" | genSignedCertWithKey "foo.com" (list "10.0.0.1" "10.0.0.2") (list "bar.com" "bat.com") 365 $ca }}
{{- $ca.Cert }}{{ $cert.Cert }}{{ printf "%T" $cert }}"#,
    )
    .unwrap();
    assert_cert(&pem_block(&out, 0), "foo", true, &[], &[]);
    assert_cert(
        &pem_block(&out, 1),
        "foo.com",
        false,
        &[&[10, 0, 0, 1], &[10, 0, 0, 2]],
        &["bar.com", "bat.com"],
    );
    assert!(out.ends_with("sprig.certificate"), "{out}");
}

#[test]
fn certificates_from_go() {
    // A CA made by Go (P-384, PKCS#8, name constraints, AIA, CRL points)
    // passed through buildCustomCert and used to sign.
    let data = [
        ("c", include_str!("testdata/go_p384_ca.crt")),
        ("k", include_str!("testdata/go_p384_ca.key")),
    ];
    let out = render_with(
        &mut templates(Rc::new(DefaultHost::default())),
        r#"{{ $ca := buildCustomCert (b64enc .c) (b64enc .k) }}{{ $c := genPrivateKey "ecdsa" | genSignedCertWithKey "leaf" nil (list "a.example.com") 30 $ca }}{{ eq $ca.Cert .c }} {{ $c.Cert }}"#,
        &data,
    )
    .unwrap();
    assert!(out.starts_with("true -----BEGIN CERTIFICATE-----"), "{out}");
    assert_cert(&pem_block(&out, 0), "leaf", false, &[], &["a.example.com"]);
}

#[test]
fn certificate_errors() {
    let ed = r#"genPrivateKey "ed25519""#;
    assert_eq!(
        call_error(r#"{{ genCAWithKey "x" 1 "garbage" }}"#),
        "parsing private key: no PEM data in input"
    );
    let dsa = "-----BEGIN DSA PRIVATE KEY-----\nMBICAQACARcCAQsCAQQCAQgCAQM=\n-----END DSA PRIVATE KEY-----\n";
    assert_eq!(
        render_with(
            &mut templates(Rc::new(DefaultHost::default())),
            r#"{{ genCAWithKey "x" 1 .k }}"#,
            &[("k", dsa)]
        )
        .unwrap_err()
        .rsplit(": error calling genCAWithKey: ")
        .next()
        .unwrap(),
        "error creating certificate: x509: certificate private key does not implement crypto.Signer"
    );
    let err = render_with(
        &mut templates(Rc::new(DefaultHost::default())),
        &format!(r#"{{{{ $ca := {ed} | genCAWithKey "ca" 1 }}}}{{{{ genSignedCertWithKey "x" nil nil 1 $ca .k }}}}"#),
        &[("k", dsa)],
    )
    .unwrap_err();
    assert!(
        err.ends_with(
            "error creating certificate: x509: unsupported public key type: *dsa.PublicKey"
        ),
        "{err}"
    );
    assert_eq!(
        call_error(&format!(
            r#"{{{{ $k := {ed} }}}}{{{{ genSelfSignedCertWithKey "x" nil (list "bücher.de") 1 $k }}}}"#
        )),
        r#"error creating certificate: x509: "bücher.de" cannot be encoded as an IA5String"#
    );
    assert_eq!(
        call_error(&format!(
            r#"{{{{ genSelfSignedCertWithKey "x" (list "1.2.3.4.5") nil 1 ({ed}) }}}}"#
        )),
        "error parsing ip: 1.2.3.4.5"
    );
    let wrong = render_with(
        &mut templates(Rc::new(DefaultHost::default())),
        r#"{{ genSignedCert "x" nil nil 1 . }}"#,
        &[],
    )
    .unwrap_err();
    assert!(
        wrong.ends_with(
            "wrong type for value; expected sprig.certificate; got map[string]interface {}"
        ),
        "{wrong}"
    );
}

#[test]
fn mismatched_ca_key_is_refused() {
    let mut set = templates(Rc::new(DefaultHost::default()));
    let err = render_with(
        &mut set,
        r#"{{ $a := genPrivateKey "ed25519" | genCAWithKey "a" 1 }}{{ $b := genPrivateKey "ed25519" | genCAWithKey "b" 1 }}{{ $c := buildCustomCert (b64enc $a.Cert) (b64enc $b.Key) }}{{ genPrivateKey "ecdsa" | genSignedCertWithKey "x" nil nil 1 $c }}"#,
        &[],
    )
    .unwrap_err();
    assert!(
        err.ends_with("error creating certificate: x509: provided PrivateKey doesn't match parent's PublicKey"),
        "{err}"
    );
}

#[test]
fn certificate_values_print_like_go_structs() {
    let out = render_seeded(
        1,
        r#"{{ $ca := genPrivateKey "ed25519" | genCAWithKey "foo-ca" 365 }}{{ $ca }}"#,
        &[],
    )
    .unwrap();
    let want = include_str!("testdata/ed25519_ca.pem");
    let cert_end = want.find("-----BEGIN PRIVATE KEY").unwrap();
    assert_eq!(
        out,
        format!("{{{} {}}}", &want[..cert_end], &want[cert_end..])
    );
}
