//! Private keys as Sprig handles them: `genPrivateKey` (RSA 4096, DSA
//! L2048/N256, ECDSA P-256, Ed25519), Sprig's `pemBlockForKey` encodings
//! (`RSA PRIVATE KEY` PKCS#1, `DSA PRIVATE KEY` as Sprig's own
//! `{0, P, Q, G, Y, X}` sequence, `EC PRIVATE KEY` SEC 1, `PRIVATE KEY`
//! PKCS#8 for the rest), and `parsePrivateKeyPEM` with the parsers of Go's
//! `crypto/x509` it relies on (PKCS#1, SEC 1, PKCS#8), including their
//! validation and the error texts Sprig wraps.
//!
//! Error texts of Go's generic `encoding/asn1` decoder are approximated by
//! their prefix (`asn1: syntax error: ...`, `asn1: structure error: ...`).

use rsa::traits::{PrivateKeyParts, PublicKeyParts};
use rsa::{BigUint, RsaPrivateKey};
use sha2::{Digest, Sha256, Sha384, Sha512};

use super::der::{self, Reader};
use super::ec;
use super::encoding::{pem_decode, pem_encode};
use super::random::HostRng;
use crate::template::Host;

/// Object identifiers, as arcs.
pub mod oids {
    pub const RSA: &[u64] = &[1, 2, 840, 113549, 1, 1, 1];
    pub const DSA: &[u64] = &[1, 2, 840, 10040, 4, 1];
    pub const EC_PUBLIC_KEY: &[u64] = &[1, 2, 840, 10045, 2, 1];
    pub const ED25519: &[u64] = &[1, 3, 101, 112];
    pub const X25519: &[u64] = &[1, 3, 101, 110];
    pub const SHA256_WITH_RSA: &[u64] = &[1, 2, 840, 113549, 1, 1, 11];
    pub const ECDSA_WITH_SHA256: &[u64] = &[1, 2, 840, 10045, 4, 3, 2];
    pub const ECDSA_WITH_SHA384: &[u64] = &[1, 2, 840, 10045, 4, 3, 3];
    pub const ECDSA_WITH_SHA512: &[u64] = &[1, 2, 840, 10045, 4, 3, 4];
    pub const P224: &[u64] = &[1, 3, 132, 0, 33];
    pub const P256: &[u64] = &[1, 2, 840, 10045, 3, 1, 7];
    pub const P384: &[u64] = &[1, 3, 132, 0, 34];
    pub const P521: &[u64] = &[1, 3, 132, 0, 35];
}

/// The NIST curves Go's `crypto/x509` supports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Curve {
    P224,
    P256,
    P384,
    P521,
}

impl Curve {
    pub fn oid(self) -> &'static [u64] {
        match self {
            Curve::P224 => oids::P224,
            Curve::P256 => oids::P256,
            Curve::P384 => oids::P384,
            Curve::P521 => oids::P521,
        }
    }

    pub fn from_oid(arcs: &[u64]) -> Option<Curve> {
        [Curve::P224, Curve::P256, Curve::P384, Curve::P521]
            .into_iter()
            .find(|c| c.oid() == arcs)
    }

    /// The byte length of the group order (and of private scalars).
    pub fn scalar_len(self) -> usize {
        match self {
            Curve::P224 => 28,
            Curve::P256 => 32,
            Curve::P384 => 48,
            Curve::P521 => 66,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Curve::P224 => "P224",
            Curve::P256 => "P256",
            Curve::P384 => "P384",
            Curve::P521 => "P521",
        }
    }

    /// The domain parameters of the curves done by [`super::ec`].
    fn params(self) -> Option<ec::Params> {
        match self {
            Curve::P224 => Some(ec::Params::p224()),
            Curve::P256 => None,
            Curve::P384 => Some(ec::Params::p384()),
            Curve::P521 => Some(ec::Params::p521()),
        }
    }

    /// The public point (uncompressed SEC 1) of a private scalar, with Go's
    /// errors for a zero or out-of-range scalar.
    fn public_point(self, d: &[u8]) -> Result<Vec<u8>, String> {
        if d.iter().all(|&b| b == 0) {
            return Err("ecdsa: invalid public key encoding".into());
        }
        let overflow = || "input overflows the modulus".to_string();
        match self.params() {
            Some(params) => params.public_point(d).ok_or_else(overflow),
            None => {
                let sk = p256::ecdsa::SigningKey::from_slice(d).map_err(|_| overflow())?;
                let vk = p256::ecdsa::VerifyingKey::from(&sk);
                Ok(vk.to_encoded_point(false).as_bytes().to_vec())
            }
        }
    }

    /// Checks an uncompressed public point as Go's `ParseUncompressedPublicKey`.
    fn check_point(self, point: &[u8]) -> Result<(), String> {
        if point.first() != Some(&4) {
            return Err("ecdsa: invalid uncompressed public key".into());
        }
        if point.len() != 1 + 2 * self.field_len() {
            return Err(format!("invalid {} point encoding", self.name()));
        }
        let ok = match self.params() {
            Some(params) => params.is_on_curve(point),
            None => p256::ecdsa::VerifyingKey::from_sec1_bytes(point).is_ok(),
        };
        if ok {
            Ok(())
        } else {
            Err(format!("{} point not on curve", self.name()))
        }
    }

    fn field_len(self) -> usize {
        self.scalar_len()
    }

    /// A new P-256 key pair: the scalar and the uncompressed public point.
    fn generate_p256(rng: &mut HostRng<'_>) -> (Vec<u8>, Vec<u8>) {
        let sk = p256::ecdsa::SigningKey::random(rng);
        let q = p256::ecdsa::VerifyingKey::from(&sk).to_encoded_point(false);
        (sk.to_bytes().to_vec(), q.as_bytes().to_vec())
    }

    /// ECDSA over the hash Go pairs with the curve, ASN.1 encoded.
    fn sign(self, d: &[u8], rng: &mut HostRng<'_>, message: &[u8]) -> Result<Vec<u8>, String> {
        use p256::ecdsa::signature::hazmat::RandomizedPrehashSigner;
        let digest: Vec<u8> = match self {
            Curve::P224 | Curve::P256 => Sha256::digest(message).to_vec(),
            Curve::P384 => Sha384::digest(message).to_vec(),
            Curve::P521 => Sha512::digest(message).to_vec(),
        };
        match self.params() {
            Some(params) => Ok(params.sign(d, &digest, &mut |buf| rng.0.random_bytes(buf))),
            None => {
                let sk = p256::ecdsa::SigningKey::from_slice(d).map_err(|e| e.to_string())?;
                let sig: p256::ecdsa::Signature = sk
                    .sign_prehash_with_rng(rng, &digest)
                    .map_err(|e| e.to_string())?;
                Ok(sig.to_der().as_bytes().to_vec())
            }
        }
    }

    /// The signature algorithm Go's `signingParamsForKey` picks.
    fn signature_oid(self) -> &'static [u64] {
        match self {
            Curve::P224 | Curve::P256 => oids::ECDSA_WITH_SHA256,
            Curve::P384 => oids::ECDSA_WITH_SHA384,
            Curve::P521 => oids::ECDSA_WITH_SHA512,
        }
    }
}

/// DSA key material (Sprig can generate and parse it, not sign with it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DsaKey {
    pub p: BigUint,
    pub q: BigUint,
    pub g: BigUint,
    pub y: BigUint,
    pub x: BigUint,
}

/// A private key of any type Sprig's functions handle.
#[derive(Clone, Debug)]
pub enum PrivateKey {
    Rsa(Box<RsaPrivateKey>),
    Ecdsa {
        curve: Curve,
        /// The scalar, fixed length.
        d: Vec<u8>,
        /// The public point, uncompressed.
        public: Vec<u8>,
    },
    Ed25519 {
        seed: [u8; 32],
    },
    Dsa(Box<DsaKey>),
    X25519 {
        private: [u8; 32],
    },
}

/// A public key: the signee key of a certificate, or a parent
/// certificate's key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PublicKey {
    Rsa {
        n: BigUint,
        e: BigUint,
    },
    Ecdsa {
        curve: Curve,
        point: Vec<u8>,
    },
    Ed25519(Vec<u8>),
    Dsa {
        p: BigUint,
        q: BigUint,
        g: BigUint,
        y: BigUint,
    },
    X25519(Vec<u8>),
}

/// Go's signature algorithms as Sprig's certificates use them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignatureAlgorithm {
    Sha256WithRsa,
    Ecdsa(Curve),
    PureEd25519,
}

impl SignatureAlgorithm {
    /// The DER `AlgorithmIdentifier`.
    pub fn identifier(self) -> Vec<u8> {
        match self {
            SignatureAlgorithm::Sha256WithRsa => {
                der::sequence(&[&der::oid(oids::SHA256_WITH_RSA), &der::null()])
            }
            SignatureAlgorithm::Ecdsa(c) => der::sequence(&[&der::oid(c.signature_oid())]),
            SignatureAlgorithm::PureEd25519 => der::sequence(&[&der::oid(oids::ED25519)]),
        }
    }
}

fn ed25519_public(seed: &[u8; 32]) -> [u8; 32] {
    ed25519_dalek::SigningKey::from_bytes(seed)
        .verifying_key()
        .to_bytes()
}

impl PrivateKey {
    /// Go's `Public()` (or the embedded public key for DSA).
    pub fn public(&self) -> PublicKey {
        match self {
            PrivateKey::Rsa(k) => PublicKey::Rsa {
                n: k.n().clone(),
                e: k.e().clone(),
            },
            PrivateKey::Ecdsa { curve, public, .. } => PublicKey::Ecdsa {
                curve: *curve,
                point: public.clone(),
            },
            PrivateKey::Ed25519 { seed } => PublicKey::Ed25519(ed25519_public(seed).to_vec()),
            PrivateKey::Dsa(k) => PublicKey::Dsa {
                p: k.p.clone(),
                q: k.q.clone(),
                g: k.g.clone(),
                y: k.y.clone(),
            },
            // Go can neither sign with an X25519 key nor certify one
            // ("unsupported public key type"), so the point itself is never
            // needed.
            PrivateKey::X25519 { .. } => PublicKey::X25519(Vec::new()),
        }
    }

    /// Go's `signingParamsForKey`, after the `crypto.Signer` check that
    /// `x509.CreateCertificate` makes first.
    pub fn signature_algorithm(&self) -> Result<SignatureAlgorithm, String> {
        match self {
            PrivateKey::Rsa(_) => Ok(SignatureAlgorithm::Sha256WithRsa),
            PrivateKey::Ecdsa { curve, .. } => Ok(SignatureAlgorithm::Ecdsa(*curve)),
            PrivateKey::Ed25519 { .. } => Ok(SignatureAlgorithm::PureEd25519),
            PrivateKey::Dsa(_) | PrivateKey::X25519 { .. } => {
                Err("x509: certificate private key does not implement crypto.Signer".into())
            }
        }
    }

    /// Signs `message` (hashing it as the algorithm requires).
    pub fn sign(&self, host: &dyn Host, message: &[u8]) -> Result<Vec<u8>, String> {
        let mut rng = HostRng(host);
        match self {
            PrivateKey::Rsa(k) => {
                let bits = k.n().bits();
                if bits < 1024 {
                    return Err(format!(
                        "crypto/rsa: {bits}-bit keys are insecure (see https://go.dev/pkg/crypto/rsa#hdr-Minimum_key_size)"
                    ));
                }
                let digest = Sha256::digest(message);
                k.sign_with_rng(&mut rng, rsa::Pkcs1v15Sign::new::<Sha256>(), &digest)
                    .map_err(|e| format!("crypto/rsa: {e}"))
            }
            PrivateKey::Ecdsa { curve, d, .. } => curve.sign(d, &mut rng, message),
            PrivateKey::Ed25519 { seed } => {
                use ed25519_dalek::Signer;
                let key = ed25519_dalek::SigningKey::from_bytes(seed);
                Ok(key.sign(message).to_bytes().to_vec())
            }
            PrivateKey::Dsa(_) | PrivateKey::X25519 { .. } => {
                Err("x509: certificate private key does not implement crypto.Signer".into())
            }
        }
    }

    /// Sprig's `pemBlockForKey` followed by `pem.Encode`.
    pub fn to_pem(&self) -> String {
        match self {
            PrivateKey::Rsa(k) => pem_encode("RSA PRIVATE KEY", &pkcs1_der(k)),
            PrivateKey::Dsa(k) => {
                let der = der::sequence(&[
                    &der::small_integer(0),
                    &big_int(&k.p),
                    &big_int(&k.q),
                    &big_int(&k.g),
                    &big_int(&k.y),
                    &big_int(&k.x),
                ]);
                pem_encode("DSA PRIVATE KEY", &der)
            }
            PrivateKey::Ecdsa { curve, d, public } => {
                pem_encode("EC PRIVATE KEY", &sec1_der(d, Some(curve.oid()), public))
            }
            PrivateKey::Ed25519 { seed } => {
                let der = pkcs8_der(
                    &der::sequence(&[&der::oid(oids::ED25519)]),
                    &der::octet_string(seed),
                );
                pem_encode("PRIVATE KEY", &der)
            }
            PrivateKey::X25519 { private } => {
                let der = pkcs8_der(
                    &der::sequence(&[&der::oid(oids::X25519)]),
                    &der::octet_string(private),
                );
                pem_encode("PRIVATE KEY", &der)
            }
        }
    }
}

impl PublicKey {
    /// Go's `marshalPublicKey`: the SubjectPublicKeyInfo algorithm
    /// identifier and the key bits.
    pub fn spki_parts(&self) -> Result<(Vec<u8>, Vec<u8>), String> {
        match self {
            PublicKey::Rsa { n, e } => Ok((
                der::sequence(&[&der::oid(oids::RSA), &der::null()]),
                der::sequence(&[&big_int(n), &big_int(e)]),
            )),
            PublicKey::Ecdsa { curve, point } => Ok((
                der::sequence(&[&der::oid(oids::EC_PUBLIC_KEY), &der::oid(curve.oid())]),
                point.clone(),
            )),
            PublicKey::Ed25519(bytes) => {
                Ok((der::sequence(&[&der::oid(oids::ED25519)]), bytes.clone()))
            }
            PublicKey::X25519(_) => {
                Err("x509: unsupported public key type: *ecdh.PublicKey".into())
            }
            PublicKey::Dsa { .. } => {
                Err("x509: unsupported public key type: *dsa.PublicKey".into())
            }
        }
    }
}

fn big_int(v: &BigUint) -> Vec<u8> {
    der::unsigned_integer(&v.to_bytes_be())
}

fn pkcs1_der(k: &RsaPrivateKey) -> Vec<u8> {
    let primes = k.primes();
    let (p, q) = (&primes[0], &primes[1]);
    let one = BigUint::from(1u32);
    let dp = k.d() % (p - &one);
    let dq = k.d() % (q - &one);
    let qinv = k
        .crt_coefficient()
        .unwrap_or_else(|| q.modpow(&(p - &one - &one), p));
    der::sequence(&[
        &der::small_integer(0),
        &big_int(k.n()),
        &big_int(k.e()),
        &big_int(k.d()),
        &big_int(p),
        &big_int(q),
        &big_int(&dp),
        &big_int(&dq),
        &big_int(&qinv),
    ])
}

/// SEC 1 `ECPrivateKey` as Go's `marshalECPrivateKeyWithOID` writes it.
fn sec1_der(d: &[u8], curve_oid: Option<&[u64]>, public: &[u8]) -> Vec<u8> {
    let mut parts = vec![der::small_integer(1), der::octet_string(d)];
    if let Some(oid) = curve_oid {
        parts.push(der::tlv(der::context_constructed(0), &der::oid(oid)));
    }
    parts.push(der::tlv(
        der::context_constructed(1),
        &der::bit_string(public),
    ));
    der::constructed(
        der::SEQUENCE,
        &parts.iter().map(Vec::as_slice).collect::<Vec<_>>(),
    )
}

fn pkcs8_der(algorithm: &[u8], private_key: &[u8]) -> Vec<u8> {
    der::sequence(&[
        &der::small_integer(0),
        algorithm,
        &der::octet_string(private_key),
    ])
}

/// Sprig's `generatePrivateKey`: the PEM text, or the failure text.
pub fn generate_private_key(host: &dyn Host, kind: &str) -> String {
    let key = match kind {
        "" | "rsa" => generate_rsa(host, 4096),
        "dsa" => Ok(generate_dsa(host)),
        "ecdsa" => Ok(generate_ecdsa(host)),
        "ed25519" => Ok(generate_ed25519(host)),
        _ => return format!("Unknown type {kind}"),
    };
    match key {
        Ok(k) => k.to_pem(),
        Err(e) => format!("failed to generate private key: {e}"),
    }
}

/// An RSA key with public exponent 65537.
pub fn generate_rsa(host: &dyn Host, bits: usize) -> Result<PrivateKey, String> {
    let mut rng = HostRng(host);
    let mut key = RsaPrivateKey::new(&mut rng, bits).map_err(|e| format!("rsa: {e}"))?;
    let _ = key.precompute();
    Ok(PrivateKey::Rsa(Box::new(key)))
}

/// An ECDSA P-256 key (the only curve Sprig generates).
pub fn generate_ecdsa(host: &dyn Host) -> PrivateKey {
    let (d, public) = Curve::generate_p256(&mut HostRng(host));
    PrivateKey::Ecdsa {
        curve: Curve::P256,
        d,
        public,
    }
}

pub fn generate_ed25519(host: &dyn Host) -> PrivateKey {
    let mut seed = [0u8; 32];
    host.random_bytes(&mut seed);
    PrivateKey::Ed25519 { seed }
}

/// DSA with L = 2048, N = 256 parameters (Go's `dsa.L2048N256`).
pub fn generate_dsa(host: &dyn Host) -> PrivateKey {
    let mut rng = HostRng(host);
    let components = dsa::Components::generate(&mut rng, dsa::KeySize::DSA_2048_256);
    let key = dsa::SigningKey::generate(&mut rng, components);
    let public = key.verifying_key();
    let c = public.components();
    PrivateKey::Dsa(Box::new(DsaKey {
        p: c.p().clone(),
        q: c.q().clone(),
        g: c.g().clone(),
        y: public.y().clone(),
        x: key.x().clone(),
    }))
}

// ---------------------------------------------------------------------------
// Parsing.

const TRUNCATED: &str = "asn1: syntax error: data truncated";
const TAGS_DONT_MATCH: &str = "asn1: structure error: tags don't match";

/// Sprig's `parsePrivateKeyPEM`.
pub fn parse_private_key_pem(text: &str) -> Result<PrivateKey, String> {
    let block = pem_decode(text.as_bytes()).ok_or("no PEM data in input")?;
    if block.kind == "PRIVATE KEY" {
        return parse_pkcs8(&block.bytes).map_err(|e| format!("decoding PEM as PKCS#8: {e}"));
    }
    let Some(prefix) = block.kind.strip_suffix(" PRIVATE KEY") else {
        return Err(format!(
            "no private key data in PEM block of type {}",
            block.kind
        ));
    };
    match prefix {
        "RSA" => {
            parse_pkcs1(&block.bytes).map_err(|e| format!("parsing RSA private key from PEM: {e}"))
        }
        "EC" => parse_ec_private_key(None, &block.bytes)
            .map_err(|e| format!("parsing EC private key from PEM: {e}")),
        "DSA" => {
            parse_dsa(&block.bytes).map_err(|e| format!("parsing DSA private key from PEM: {e}"))
        }
        _ => Err(format!("invalid private key type {}", block.kind)),
    }
}

/// Reads the outer SEQUENCE of an `asn1.Unmarshal` target, returning its
/// content and what follows it.
fn outer_sequence(data: &[u8]) -> Result<(Reader<'_>, &[u8]), String> {
    let mut r = Reader::new(data);
    match r.read_any() {
        None => Err(TRUNCATED.into()),
        Some((der::SEQUENCE, _, content)) => Ok((Reader::new(content), r.rest())),
        Some(_) => Err(TAGS_DONT_MATCH.into()),
    }
}

fn read_int_field(r: &mut Reader<'_>) -> Result<der::BigInt, String> {
    if r.is_empty() {
        return Err("asn1: syntax error: sequence truncated".into());
    }
    if !r.peek_tag(der::INTEGER) {
        return Err(TAGS_DONT_MATCH.into());
    }
    r.read_big_integer()
        .ok_or_else(|| "asn1: structure error: integer not minimally-encoded".to_string())
}

fn read_small_int_field(r: &mut Reader<'_>) -> Result<i64, String> {
    let v = read_int_field(r)?;
    if v.magnitude.len() > 8 || (v.magnitude.len() == 8 && v.magnitude[0] & 0x80 != 0) {
        let exact_min = v.negative && v.magnitude == [0x80, 0, 0, 0, 0, 0, 0, 0];
        if !exact_min {
            return Err("asn1: structure error: integer too large".into());
        }
    }
    let mut x: i64 = 0;
    for &b in &v.magnitude {
        x = x.wrapping_shl(8) | b as i64;
    }
    Ok(if v.negative { x.wrapping_neg() } else { x })
}

fn to_biguint(v: &der::BigInt) -> BigUint {
    BigUint::from_bytes_be(&v.magnitude)
}

/// The shape checks `asn1.Unmarshal` would make for the three key formats,
/// used for Go's "use ParseXXX instead" hints.
fn looks_like_pkcs1(data: &[u8]) -> bool {
    outer_sequence(data).is_ok_and(|(mut r, _)| {
        (0..6).all(|i| {
            if i == 2 {
                read_small_int_field(&mut r).is_ok()
            } else {
                read_int_field(&mut r).is_ok()
            }
        })
    })
}

fn looks_like_sec1(data: &[u8]) -> bool {
    outer_sequence(data).is_ok_and(|(mut r, _)| {
        read_small_int_field(&mut r).is_ok() && r.read(der::OCTET_STRING).is_some()
    })
}

fn looks_like_pkcs8(data: &[u8]) -> bool {
    outer_sequence(data).is_ok_and(|(mut r, _)| {
        read_small_int_field(&mut r).is_ok()
            && r.read(der::SEQUENCE)
                .is_some_and(|ai| Reader::new(ai).read_oid().is_some())
            && r.read(der::OCTET_STRING).is_some()
    })
}

/// `x509.ParsePKCS1PrivateKey`.
pub fn parse_pkcs1(data: &[u8]) -> Result<PrivateKey, String> {
    let parsed = (|| {
        let (mut r, rest) = outer_sequence(data)?;
        let version = read_small_int_field(&mut r)?;
        let n = read_int_field(&mut r)?;
        let e = read_small_int_field(&mut r)?;
        let d = read_int_field(&mut r)?;
        let p = read_int_field(&mut r)?;
        let q = read_int_field(&mut r)?;
        let mut optional = Vec::new();
        for _ in 0..3 {
            if r.peek_tag(der::INTEGER) {
                optional.push(Some(read_int_field(&mut r)?));
            } else {
                optional.push(None);
            }
        }
        let multi_prime = r.peek_tag(der::SEQUENCE);
        Ok::<_, String>((rest.len(), version, n, e, d, p, q, optional, multi_prime))
    })();
    let (rest_len, version, n, e, d, p, q, optional, multi_prime) = match parsed {
        Ok(v) => v,
        Err(err) => {
            if looks_like_sec1(data) {
                return Err("x509: failed to parse private key (use ParseECPrivateKey instead for this key format)".into());
            }
            if looks_like_pkcs8(data) {
                return Err("x509: failed to parse private key (use ParsePKCS8PrivateKey instead for this key format)".into());
            }
            return Err(err);
        }
    };
    if rest_len > 0 {
        return Err("asn1: syntax error: trailing data".into());
    }
    if version > 1 {
        return Err("x509: unsupported private key version".into());
    }
    let positive = |v: &Option<der::BigInt>| v.as_ref().is_none_or(|v| v.sign() > 0);
    if n.sign() <= 0
        || d.sign() <= 0
        || p.sign() <= 0
        || q.sign() <= 0
        || !optional.iter().all(positive)
    {
        return Err("x509: private key contains zero or negative value".into());
    }
    if multi_prime {
        return Err("crypto/rsa: multi-prime RSA keys are not supported".into());
    }
    let precomputed = match (&optional[0], &optional[1], &optional[2]) {
        (Some(dp), Some(dq), Some(qinv)) => {
            Some([to_biguint(dp), to_biguint(dq), to_biguint(qinv)])
        }
        _ => None,
    };
    let (n, d, p, q) = (
        to_biguint(&n),
        to_biguint(&d),
        to_biguint(&p),
        to_biguint(&q),
    );
    check_rsa_key(&n, e, &d, &p, &q, precomputed.as_ref())?;
    let key = RsaPrivateKey::from_components(n, BigUint::from(e as u64), d, vec![p, q])
        .map_err(|e| format!("crypto/rsa: {e}"))?;
    Ok(PrivateKey::Rsa(Box::new(key)))
}

/// The consistency checks of Go's FIPS RSA key constructor, in its order.
fn check_rsa_key(
    n: &BigUint,
    e: i64,
    d: &BigUint,
    p: &BigUint,
    q: &BigUint,
    precomputed: Option<&[BigUint; 3]>,
) -> Result<(), String> {
    let zero = BigUint::default();
    let one = BigUint::from(1u32);
    let two = BigUint::from(2u32);
    if p <= &one || q <= &one {
        return Err("modulus must be > 1".into());
    }
    if n % &two == zero {
        return Err("crypto/rsa: public modulus is even".into());
    }
    if e < 2 {
        return Err("crypto/rsa: public exponent too small or negative".into());
    }
    if e & 1 == 0 {
        return Err("crypto/rsa: public exponent is even".into());
    }
    if e > (1 << 31) - 1 {
        return Err("crypto/rsa: public exponent too large".into());
    }
    if d >= n {
        return Err("input overflows the modulus".into());
    }
    let (dp, dq, qinv) = match precomputed {
        Some([dp, dq, qinv]) => (dp.clone(), dq.clone(), qinv.clone()),
        None => {
            if p % &two == zero {
                return Err("crypto/rsa: p is even".into());
            }
            (d % (p - &one), d % (q - &one), q.modpow(&(p - &two), p))
        }
    };
    if p >= n || q >= n {
        return Err("crypto/rsa: invalid prime".into());
    }
    if (p * q) % n != zero {
        return Err("crypto/rsa: p * q != n".into());
    }
    let e_big = BigUint::from(e as u64);
    let (pm1, qm1) = (p - &one, q - &one);
    if dp >= pm1 || (&e_big * &dp) % &pm1 != one {
        return Err("crypto/rsa: invalid CRT exponent".into());
    }
    if dq >= qm1 || (&e_big * &dq) % &qm1 != one {
        return Err("crypto/rsa: invalid CRT exponent".into());
    }
    if (q % p * &qinv) % p != one {
        return Err("crypto/rsa: invalid CRT coefficient".into());
    }
    if d % &pm1 != dp {
        return Err("crypto/rsa: d does not match dP".into());
    }
    if d % &qm1 != dq {
        return Err("crypto/rsa: d does not match dQ".into());
    }
    if p == q {
        return Err("crypto/rsa: p == q".into());
    }
    let diff = if p > q { p - q } else { q - p };
    let half = n.bits() / 2;
    if diff.bits() + 100 <= half {
        return Err("crypto/rsa: |p - q| too small".into());
    }
    if d.bits() <= half {
        return Err("crypto/rsa: d too small".into());
    }
    Ok(())
}

/// `x509.ParseECPrivateKey` (with the curve from PKCS#8 when given).
pub fn parse_ec_private_key(curve_oid: Option<&[u64]>, data: &[u8]) -> Result<PrivateKey, String> {
    let parsed = (|| {
        let (mut r, _) = outer_sequence(data)?;
        let version = read_small_int_field(&mut r)?;
        if r.is_empty() {
            return Err("asn1: syntax error: sequence truncated".to_string());
        }
        let d = r.read(der::OCTET_STRING).ok_or(TAGS_DONT_MATCH)?;
        let mut oid = None;
        if r.peek_tag(der::context_constructed(0)) {
            let inner = r.read(der::context_constructed(0)).ok_or(TRUNCATED)?;
            oid = Some(Reader::new(inner).read_oid().ok_or(TAGS_DONT_MATCH)?);
        }
        Ok((version, d.to_vec(), oid))
    })();
    let (version, mut d, embedded_oid) = match parsed {
        Ok(v) => v,
        Err(err) => {
            if looks_like_pkcs8(data) {
                return Err("x509: failed to parse private key (use ParsePKCS8PrivateKey instead for this key format)".into());
            }
            if looks_like_pkcs1(data) {
                return Err("x509: failed to parse private key (use ParsePKCS1PrivateKey instead for this key format)".into());
            }
            return Err(format!("x509: failed to parse EC private key: {err}"));
        }
    };
    if version != 1 {
        return Err(format!("x509: unknown EC private key version {version}"));
    }
    let curve = match curve_oid {
        Some(oid) => Curve::from_oid(oid),
        None => embedded_oid.as_deref().and_then(Curve::from_oid),
    }
    .ok_or("x509: unknown elliptic curve")?;

    let size = curve.scalar_len();
    while d.len() > size {
        if d[0] != 0 {
            return Err("x509: invalid private key length".into());
        }
        d.remove(0);
    }
    let mut scalar = vec![0u8; size - d.len()];
    scalar.extend_from_slice(&d);
    let public = curve.public_point(&scalar)?;
    Ok(PrivateKey::Ecdsa {
        curve,
        d: scalar,
        public,
    })
}

/// `x509.ParsePKCS8PrivateKey`.
pub fn parse_pkcs8(data: &[u8]) -> Result<PrivateKey, String> {
    let parsed = (|| {
        let (mut r, _) = outer_sequence(data)?;
        read_small_int_field(&mut r)?;
        if r.is_empty() {
            return Err("asn1: syntax error: sequence truncated".to_string());
        }
        let ai = r.read(der::SEQUENCE).ok_or(TAGS_DONT_MATCH)?;
        let mut ai = Reader::new(ai);
        let algorithm = ai.read_oid().ok_or(TAGS_DONT_MATCH)?;
        let params = if ai.is_empty() {
            None
        } else {
            Some(ai.read_any().ok_or(TRUNCATED)?.1.to_vec())
        };
        if r.is_empty() {
            return Err("asn1: syntax error: sequence truncated".to_string());
        }
        let key = r.read(der::OCTET_STRING).ok_or(TAGS_DONT_MATCH)?;
        Ok((algorithm, params, key.to_vec()))
    })();
    let (algorithm, params, key) = match parsed {
        Ok(v) => v,
        Err(err) => {
            if looks_like_sec1(data) {
                return Err("x509: failed to parse private key (use ParseECPrivateKey instead for this key format)".into());
            }
            if looks_like_pkcs1(data) {
                return Err("x509: failed to parse private key (use ParsePKCS1PrivateKey instead for this key format)".into());
            }
            return Err(err);
        }
    };
    match algorithm.as_slice() {
        oids::RSA => parse_pkcs1(&key)
            .map_err(|e| format!("x509: failed to parse RSA private key embedded in PKCS#8: {e}")),
        oids::EC_PUBLIC_KEY => {
            let curve_oid = params.as_deref().and_then(|p| Reader::new(p).read_oid());
            let curve_oid = curve_oid.unwrap_or_default();
            parse_ec_private_key(Some(&curve_oid), &key).map_err(|e| {
                format!("x509: failed to parse EC private key embedded in PKCS#8: {e}")
            })
        }
        oids::ED25519 => {
            if params.is_some() {
                return Err("x509: invalid Ed25519 private key parameters".into());
            }
            let seed = inner_octets(&key)
                .map_err(|e| format!("x509: invalid Ed25519 private key: {e}"))?;
            let seed: [u8; 32] = seed
                .as_slice()
                .try_into()
                .map_err(|_| format!("x509: invalid Ed25519 private key length: {}", seed.len()))?;
            Ok(PrivateKey::Ed25519 { seed })
        }
        oids::X25519 => {
            if params.is_some() {
                return Err("x509: invalid X25519 private key parameters".into());
            }
            let bytes =
                inner_octets(&key).map_err(|e| format!("x509: invalid X25519 private key: {e}"))?;
            let private: [u8; 32] = bytes
                .as_slice()
                .try_into()
                .map_err(|_| "crypto/ecdh: invalid private key size".to_string())?;
            Ok(PrivateKey::X25519 { private })
        }
        other => Err(format!(
            "x509: PKCS#8 wrapping contained private key with unknown algorithm: {}",
            der::oid_string(other)
        )),
    }
}

/// The content of the `OCTET STRING` PKCS#8 wraps curve keys in.
fn inner_octets(data: &[u8]) -> Result<Vec<u8>, String> {
    let mut r = Reader::new(data);
    match r.read_any() {
        None => Err(TRUNCATED.into()),
        Some((der::OCTET_STRING, _, content)) => Ok(content.to_vec()),
        Some(_) => Err(TAGS_DONT_MATCH.into()),
    }
}

/// Sprig's `DSAKeyFormat` decoding (no validation, as in Sprig).
fn parse_dsa(data: &[u8]) -> Result<PrivateKey, String> {
    let (mut r, _) = outer_sequence(data)?;
    read_small_int_field(&mut r)?;
    let mut values = Vec::with_capacity(5);
    for _ in 0..5 {
        values.push(to_biguint(&read_int_field(&mut r)?));
    }
    let [p, q, g, y, x]: [BigUint; 5] = values.try_into().map_err(|_| TRUNCATED.to_string())?;
    Ok(PrivateKey::Dsa(Box::new(DsaKey { p, q, g, y, x })))
}

/// Go's `ParseUncompressedPublicKey` for a certificate's EC key.
pub fn parse_ec_public_key(curve: Curve, point: &[u8]) -> Result<PublicKey, String> {
    curve.check_point(point)?;
    Ok(PublicKey::Ecdsa {
        curve,
        point: point.to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::DefaultHost;

    #[test]
    fn ecdsa_and_ed25519_round_trip_through_pem() {
        let host = DefaultHost::default();
        for kind in ["ecdsa", "ed25519"] {
            let pem = generate_private_key(&host, kind);
            let key = parse_private_key_pem(&pem).unwrap();
            assert_eq!(key.to_pem(), pem, "{kind}");
        }
        let pem = generate_private_key(&host, "ecdsa");
        assert!(pem.starts_with("-----BEGIN EC PRIVATE KEY-----\n"));
        let pem = generate_private_key(&host, "ed25519");
        assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----\n"));
        assert_eq!(generate_private_key(&host, "bad"), "Unknown type bad");
    }

    #[test]
    fn rsa_round_trip_through_pkcs1() {
        let host = DefaultHost::default();
        let key = generate_rsa(&host, 1024).unwrap();
        let pem = key.to_pem();
        assert!(pem.starts_with("-----BEGIN RSA PRIVATE KEY-----\n"));
        let back = parse_private_key_pem(&pem).unwrap();
        assert_eq!(back.public(), key.public());
        assert_eq!(back.to_pem(), pem);
        let PublicKey::Rsa { n, .. } = key.public() else {
            panic!("not RSA");
        };
        assert_eq!(n.bits(), 1024);
        assert_eq!(back.sign(&host, b"tbs").unwrap().len(), 128);
    }

    #[test]
    fn other_curves_parse_and_sign() {
        let host = DefaultHost::default();
        for curve in [Curve::P224, Curve::P384, Curve::P521] {
            let mut d = vec![0x11; curve.scalar_len()];
            d[0] = 1;
            let public = curve.public_point(&d).unwrap();
            let key = PrivateKey::Ecdsa { curve, d, public };
            let pem = key.to_pem();
            let parsed = parse_private_key_pem(&pem).unwrap();
            assert_eq!(parsed.public(), key.public());
            let sig = parsed.sign(&host, b"message").unwrap();
            assert_eq!(sig[0], der::SEQUENCE);
        }
    }

    #[test]
    fn go_generated_curve_keys() {
        // Go 1.26 ecdsa.GenerateKey + x509.MarshalECPrivateKey: the public
        // point Go stored must be the one computed here.
        for pem in [GO_P224, GO_P384, GO_P521] {
            let block = pem_decode(pem.as_bytes()).unwrap();
            let key = parse_private_key_pem(pem).unwrap();
            let PrivateKey::Ecdsa { public, .. } = &key else {
                panic!("not EC");
            };
            let stored = &block.bytes[block.bytes.len() - public.len()..];
            assert_eq!(stored, public.as_slice());
            assert_eq!(key.to_pem(), pem);
        }
    }

    const GO_P224: &str = "-----BEGIN EC PRIVATE KEY-----
MGgCAQEEHFZ5IUmNj7kvFyPj9W5Vupfn70Rdz+BT1apK/QGgBwYFK4EEACGhPAM6
AAQS8hpqPdSCDp20DGMoPxQ+3EnCXAg3la0LS3XDz55wTmrz9l6rdnMzD/PcvNb3
vVVqGCYsEXjvuQ==
-----END EC PRIVATE KEY-----
";
    const GO_P384: &str = "-----BEGIN EC PRIVATE KEY-----
MIGkAgEBBDCw2ey9HhQ/y/ja/axHlewZN4Tq3HayDugShPs5j/ttUrKc2oxB3bFT
kCGTtreMEBGgBwYFK4EEACKhZANiAARHq7jcxi5+P1O5odxrnf/DqVOwbfe46CpY
XqaYk7rK3S+IQQIoH1NGK1uMAtVYSpb+ZYw8Am0gUz0phSS0PkprrOeKjcFLYnGn
gt5JvEnAFtGMjnOrLRPoJGXNjU5xNtI=
-----END EC PRIVATE KEY-----
";
    const GO_P521: &str = "-----BEGIN EC PRIVATE KEY-----
MIHcAgEBBEIBjap17MqRrHh0BXBaGlijtOX1UJp07G2jOvD77xJPDAWP2atILeYb
iCg6zpQ+i+y2YvwkOxAmR0OQ7J0JXDAZWD2gBwYFK4EEACOhgYkDgYYABABEAeiA
XoujXVYHhcw+6evNrVrKKtBDPaExhuqURMd9bRKputUnGe5eTxIQ6WUaDKGa40yD
yXg/3jD7gQvIjFGRwwEhMV+sxfHBxZAYjDjSzSNbDJJ9ajUMK58VeycvsS2fsEvG
lbXE/YonQGTclhqBf6F9lSVLCGEoPrvVuZzfmzxj8g==
-----END EC PRIVATE KEY-----
";

    #[test]
    fn pem_errors_match_sprig() {
        let err = |s: &str| parse_private_key_pem(s).unwrap_err();
        assert_eq!(err("nothing"), "no PEM data in input");
        assert_eq!(
            err("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"),
            "no private key data in PEM block of type CERTIFICATE"
        );
        assert_eq!(
            err("-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n"),
            "invalid private key type OPENSSH PRIVATE KEY"
        );
        // An EC key labelled as RSA gets Go's hint.
        let host = DefaultHost::default();
        let ec = generate_private_key(&host, "ecdsa").replace("EC PRIVATE", "RSA PRIVATE");
        assert_eq!(
            err(&ec),
            "parsing RSA private key from PEM: x509: failed to parse private key (use ParseECPrivateKey instead for this key format)"
        );
        let ed = generate_private_key(&host, "ed25519").replace("PRIVATE KEY", "EC PRIVATE KEY");
        assert_eq!(
            err(&ed),
            "parsing EC private key from PEM: x509: failed to parse private key (use ParsePKCS8PrivateKey instead for this key format)"
        );
    }

    #[test]
    fn dsa_and_x25519_cannot_sign() {
        let dsa = PrivateKey::Dsa(Box::new(DsaKey {
            p: BigUint::from(23u32),
            q: BigUint::from(11u32),
            g: BigUint::from(4u32),
            y: BigUint::from(8u32),
            x: BigUint::from(3u32),
        }));
        let pem = dsa.to_pem();
        assert!(pem.starts_with("-----BEGIN DSA PRIVATE KEY-----\n"));
        let back = parse_private_key_pem(&pem).unwrap();
        assert_eq!(back.public(), dsa.public());
        assert_eq!(
            back.signature_algorithm().unwrap_err(),
            "x509: certificate private key does not implement crypto.Signer"
        );
        assert_eq!(
            back.public().spki_parts().unwrap_err(),
            "x509: unsupported public key type: *dsa.PublicKey"
        );
        let x = PrivateKey::X25519 { private: [9; 32] };
        let back = parse_private_key_pem(&x.to_pem()).unwrap();
        assert!(back.signature_algorithm().is_err());
        assert_eq!(
            back.public().spki_parts().unwrap_err(),
            "x509: unsupported public key type: *ecdh.PublicKey"
        );
    }

    #[test]
    fn rsa_checks_reject_inconsistent_keys() {
        let n = BigUint::from(3233u32); // 61 * 53
        let ok = check_rsa_key(
            &n,
            17,
            &BigUint::from(413u32),
            &BigUint::from(61u32),
            &BigUint::from(53u32),
            None,
        );
        assert_eq!(ok, Ok(()));
        let big_d = check_rsa_key(
            &n,
            17,
            &BigUint::from(4000u32),
            &BigUint::from(61u32),
            &BigUint::from(53u32),
            None,
        );
        assert_eq!(big_d.unwrap_err(), "input overflows the modulus");
        let crt = [7u32, 413 % 52, 38].map(BigUint::from);
        let bad_crt = check_rsa_key(
            &n,
            17,
            &BigUint::from(413u32),
            &BigUint::from(61u32),
            &BigUint::from(53u32),
            Some(&crt),
        );
        assert_eq!(bad_crt.unwrap_err(), "crypto/rsa: invalid CRT exponent");
        let bad = check_rsa_key(
            &n,
            17,
            &BigUint::from(413u32),
            &BigUint::from(59u32),
            &BigUint::from(53u32),
            None,
        );
        assert_eq!(bad.unwrap_err(), "crypto/rsa: p * q != n");
        let even = check_rsa_key(
            &n,
            16,
            &BigUint::from(413u32),
            &BigUint::from(61u32),
            &BigUint::from(53u32),
            None,
        );
        assert_eq!(even.unwrap_err(), "crypto/rsa: public exponent is even");
    }
}
