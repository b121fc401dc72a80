//! Compact ECDSA for NIST P-224, P-384 and P-521 (curves `y² = x³ − 3x + b`
//! over a prime field), on the big integers the RSA code already links.
//!
//! Sprig only ever generates P-256 keys (handled by the `p256` crate), but
//! Go's `crypto/x509` also accepts these three curves in keys and CA
//! certificates given to `genCAWithKey`, `genSignedCert` and friends. The
//! dedicated RustCrypto crates would add about 300 KB to the WebAssembly
//! build, so this module does the arithmetic in Jacobian coordinates over
//! `BigUint` instead. It is variable-time: fine for rendering templates
//! locally, not a general-purpose signer.

use rsa::BigUint;

/// The domain parameters of a curve with `a = -3`.
pub struct Params {
    pub p: BigUint,
    pub n: BigUint,
    pub b: BigUint,
    pub gx: BigUint,
    pub gy: BigUint,
    /// Byte length of field elements and scalars.
    pub size: usize,
}

fn hex(s: &str) -> BigUint {
    BigUint::parse_bytes(s.as_bytes(), 16).unwrap_or_default()
}

fn pow2(bits: usize) -> BigUint {
    BigUint::from(1u32) << bits
}

impl Params {
    /// SP 800-186 P-224.
    pub fn p224() -> Params {
        Params {
            p: pow2(224) - pow2(96) + BigUint::from(1u32),
            n: hex("ffffffffffffffffffffffffffff16a2e0b8f03e13dd29455c5c2a3d"),
            b: hex("b4050a850c04b3abf54132565044b0b7d7bfd8ba270b39432355ffb4"),
            gx: hex("b70e0cbd6bb4bf7f321390b94a03c1d356c21122343280d6115c1d21"),
            gy: hex("bd376388b5f723fb4c22dfe6cd4375a05a07476444d5819985007e34"),
            size: 28,
        }
    }

    /// SP 800-186 P-384.
    pub fn p384() -> Params {
        Params {
            p: pow2(384) - pow2(128) - pow2(96) + pow2(32) - BigUint::from(1u32),
            n: hex("ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973"),
            b: hex("b3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aef"),
            gx: hex("aa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7"),
            gy: hex("3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5f"),
            size: 48,
        }
    }

    /// SP 800-186 P-521.
    pub fn p521() -> Params {
        Params {
            p: pow2(521) - BigUint::from(1u32),
            n: hex("1fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409"),
            b: hex("0051953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef109e156193951ec7e937b1652c0bd3bb1bf073573df883d2c34f1ef451fd46b503f00"),
            gx: hex("00c6858e06b70404e9cd9e3ecb662395b4429c648139053fb521f828af606b4d3dbaa14b5e77efe75928fe1dc127a2ffa8de3348b3c1856a429bf97e7e31c2e5bd66"),
            gy: hex("011839296a789a3bc0045c8a5fb42c7d1bd998f54449579b446817afbd17273e662c97ee72995ef42640c550b9013fad0761353c7086a272c24088be94769fd16650"),
            size: 66,
        }
    }
}

/// A point in Jacobian coordinates; `z = 0` is the point at infinity.
#[derive(Clone)]
struct Point {
    x: BigUint,
    y: BigUint,
    z: BigUint,
}

impl Params {
    fn add_mod(&self, a: &BigUint, b: &BigUint) -> BigUint {
        (a + b) % &self.p
    }

    fn sub_mod(&self, a: &BigUint, b: &BigUint) -> BigUint {
        (a + &self.p - b) % &self.p
    }

    fn mul_mod(&self, a: &BigUint, b: &BigUint) -> BigUint {
        (a * b) % &self.p
    }

    fn small(&self, k: u32, a: &BigUint) -> BigUint {
        (a * BigUint::from(k)) % &self.p
    }

    fn infinity() -> Point {
        Point {
            x: BigUint::from(1u32),
            y: BigUint::from(1u32),
            z: BigUint::default(),
        }
    }

    fn is_infinity(p: &Point) -> bool {
        p.z == BigUint::default()
    }

    fn double(&self, pt: &Point) -> Point {
        if Self::is_infinity(pt) || pt.y == BigUint::default() {
            return Self::infinity();
        }
        let delta = self.mul_mod(&pt.z, &pt.z);
        let gamma = self.mul_mod(&pt.y, &pt.y);
        let beta = self.mul_mod(&pt.x, &gamma);
        let alpha = self.small(
            3,
            &self.mul_mod(&self.sub_mod(&pt.x, &delta), &self.add_mod(&pt.x, &delta)),
        );
        let x3 = self.sub_mod(&self.mul_mod(&alpha, &alpha), &self.small(8, &beta));
        let y_plus_z = self.add_mod(&pt.y, &pt.z);
        let z3 = self.sub_mod(
            &self.sub_mod(&self.mul_mod(&y_plus_z, &y_plus_z), &gamma),
            &delta,
        );
        let y3 = self.sub_mod(
            &self.mul_mod(&alpha, &self.sub_mod(&self.small(4, &beta), &x3)),
            &self.small(8, &self.mul_mod(&gamma, &gamma)),
        );
        Point {
            x: x3,
            y: y3,
            z: z3,
        }
    }

    fn add(&self, a: &Point, b: &Point) -> Point {
        if Self::is_infinity(a) {
            return b.clone();
        }
        if Self::is_infinity(b) {
            return a.clone();
        }
        let z1z1 = self.mul_mod(&a.z, &a.z);
        let z2z2 = self.mul_mod(&b.z, &b.z);
        let u1 = self.mul_mod(&a.x, &z2z2);
        let u2 = self.mul_mod(&b.x, &z1z1);
        let s1 = self.mul_mod(&self.mul_mod(&a.y, &b.z), &z2z2);
        let s2 = self.mul_mod(&self.mul_mod(&b.y, &a.z), &z1z1);
        if u1 == u2 {
            return if s1 == s2 {
                self.double(a)
            } else {
                Self::infinity()
            };
        }
        let h = self.sub_mod(&u2, &u1);
        let two_h = self.small(2, &h);
        let i = self.mul_mod(&two_h, &two_h);
        let j = self.mul_mod(&h, &i);
        let r = self.small(2, &self.sub_mod(&s2, &s1));
        let v = self.mul_mod(&u1, &i);
        let x3 = self.sub_mod(&self.sub_mod(&self.mul_mod(&r, &r), &j), &self.small(2, &v));
        let y3 = self.sub_mod(
            &self.mul_mod(&r, &self.sub_mod(&v, &x3)),
            &self.small(2, &self.mul_mod(&s1, &j)),
        );
        let z_sum = self.add_mod(&a.z, &b.z);
        let z3 = self.mul_mod(
            &self.sub_mod(&self.sub_mod(&self.mul_mod(&z_sum, &z_sum), &z1z1), &z2z2),
            &h,
        );
        Point {
            x: x3,
            y: y3,
            z: z3,
        }
    }

    /// `k·G`, as affine coordinates (`None` for the point at infinity).
    fn mul_base(&self, k: &BigUint) -> Option<(BigUint, BigUint)> {
        let g = Point {
            x: self.gx.clone(),
            y: self.gy.clone(),
            z: BigUint::from(1u32),
        };
        let mut acc = Self::infinity();
        for i in (0..k.bits()).rev() {
            acc = self.double(&acc);
            if (k >> i) & BigUint::from(1u32) == BigUint::from(1u32) {
                acc = self.add(&acc, &g);
            }
        }
        if Self::is_infinity(&acc) {
            return None;
        }
        let z_inv = acc.z.modpow(&(&self.p - BigUint::from(2u32)), &self.p);
        let z_inv2 = self.mul_mod(&z_inv, &z_inv);
        let x = self.mul_mod(&acc.x, &z_inv2);
        let y = self.mul_mod(&acc.y, &self.mul_mod(&z_inv2, &z_inv));
        Some((x, y))
    }

    fn fixed_bytes(&self, v: &BigUint) -> Vec<u8> {
        let bytes = v.to_bytes_be();
        let mut out = vec![0u8; self.size.saturating_sub(bytes.len())];
        out.extend_from_slice(&bytes);
        out
    }

    /// The uncompressed public point of scalar `d` (`1 ≤ d < n`).
    pub fn public_point(&self, d: &[u8]) -> Option<Vec<u8>> {
        let d = BigUint::from_bytes_be(d);
        if d == BigUint::default() || d >= self.n {
            return None;
        }
        let (x, y) = self.mul_base(&d)?;
        let mut out = vec![4u8];
        out.extend(self.fixed_bytes(&x));
        out.extend(self.fixed_bytes(&y));
        Some(out)
    }

    /// Whether `point` is an uncompressed point on the curve.
    pub fn is_on_curve(&self, point: &[u8]) -> bool {
        if point.len() != 1 + 2 * self.size || point[0] != 4 {
            return false;
        }
        let x = BigUint::from_bytes_be(&point[1..=self.size]);
        let y = BigUint::from_bytes_be(&point[1 + self.size..]);
        if x >= self.p || y >= self.p {
            return false;
        }
        let x3 = self.mul_mod(&self.mul_mod(&x, &x), &x);
        let rhs = self.add_mod(&self.sub_mod(&x3, &self.small(3, &x)), &self.b);
        self.mul_mod(&y, &y) == rhs
    }

    /// The hash as an integer below `n`'s bit length (SEC 1 truncation).
    fn hash_to_int(&self, hash: &[u8]) -> BigUint {
        let n_bits = self.n.bits();
        let mut e = BigUint::from_bytes_be(&hash[..hash.len().min(n_bits.div_ceil(8))]);
        let have = hash.len().min(n_bits.div_ceil(8)) * 8;
        if have > n_bits {
            e >>= have - n_bits;
        }
        e
    }

    /// ECDSA over a precomputed hash with a fresh random nonce; the
    /// signature is DER `SEQUENCE { r, s }`.
    pub fn sign(&self, d: &[u8], hash: &[u8], random: &mut dyn FnMut(&mut [u8])) -> Vec<u8> {
        let d = BigUint::from_bytes_be(d);
        let e = self.hash_to_int(hash) % &self.n;
        let n_bits = self.n.bits();
        let top_mask = if n_bits % 8 == 0 {
            0xff
        } else {
            (1u8 << (n_bits % 8)) - 1
        };
        loop {
            let mut buf = vec![0u8; n_bits.div_ceil(8)];
            random(&mut buf);
            buf[0] &= top_mask;
            let k = BigUint::from_bytes_be(&buf);
            if k == BigUint::default() || k >= self.n {
                continue;
            }
            let Some((x, _)) = self.mul_base(&k) else {
                continue;
            };
            let r = x % &self.n;
            if r == BigUint::default() {
                continue;
            }
            let k_inv = k.modpow(&(&self.n - BigUint::from(2u32)), &self.n);
            let s = (k_inv * ((&e + &r * &d) % &self.n)) % &self.n;
            if s == BigUint::default() {
                continue;
            }
            return super::der::sequence(&[
                &super::der::unsigned_integer(&r.to_bytes_be()),
                &super::der::unsigned_integer(&s.to_bytes_be()),
            ]);
        }
    }

    /// ECDSA verification (used by the tests to check [`Params::sign`]).
    #[cfg(test)]
    pub fn verify(&self, point: &[u8], hash: &[u8], r: &BigUint, s: &BigUint) -> bool {
        let zero = BigUint::default();
        if *r == zero || *s == zero || r >= &self.n || s >= &self.n {
            return false;
        }
        let e = self.hash_to_int(hash) % &self.n;
        let w = s.modpow(&(&self.n - BigUint::from(2u32)), &self.n);
        let u1 = (&e * &w) % &self.n;
        let u2 = (r * &w) % &self.n;
        let q = Point {
            x: BigUint::from_bytes_be(&point[1..=self.size]),
            y: BigUint::from_bytes_be(&point[1 + self.size..]),
            z: BigUint::from(1u32),
        };
        let g = Point {
            x: self.gx.clone(),
            y: self.gy.clone(),
            z: BigUint::from(1u32),
        };
        let mul = |k: &BigUint, p: &Point| {
            let mut acc = Self::infinity();
            for i in (0..k.bits()).rev() {
                acc = self.double(&acc);
                if (k >> i) & BigUint::from(1u32) == BigUint::from(1u32) {
                    acc = self.add(&acc, p);
                }
            }
            acc
        };
        let sum = self.add(&mul(&u1, &g), &mul(&u2, &q));
        if Self::is_infinity(&sum) {
            return false;
        }
        let z_inv = sum.z.modpow(&(&self.p - BigUint::from(2u32)), &self.p);
        let x = self.mul_mod(&sum.x, &self.mul_mod(&z_inv, &z_inv));
        x % &self.n == *r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generators_are_on_their_curves() {
        for params in [Params::p224(), Params::p384(), Params::p521()] {
            let mut g = vec![4u8];
            g.extend(params.fixed_bytes(&params.gx));
            g.extend(params.fixed_bytes(&params.gy));
            assert!(params.is_on_curve(&g));
            // 1·G = G, and n·G is the point at infinity.
            assert_eq!(params.public_point(&[1]).unwrap(), g);
            assert!(params.mul_base(&params.n).is_none());
            g[5] ^= 1;
            assert!(!params.is_on_curve(&g));
        }
    }

    #[test]
    fn signatures_verify() {
        let mut counter = 7u8;
        let mut random = |buf: &mut [u8]| {
            for b in buf {
                counter = counter.wrapping_mul(31).wrapping_add(17);
                *b = counter;
            }
        };
        for params in [Params::p224(), Params::p384(), Params::p521()] {
            let d = vec![0x42u8; params.size - 1];
            let q = params.public_point(&d).unwrap();
            assert!(params.is_on_curve(&q));
            let hash = [0xa5u8; 64];
            let sig = params.sign(&d, &hash, &mut random);
            let mut r = super::super::der::Reader::new(&sig);
            let mut seq = super::super::der::Reader::new(r.read(0x30).unwrap());
            let rr = BigUint::from_bytes_be(&seq.read_big_integer().unwrap().magnitude);
            let ss = BigUint::from_bytes_be(&seq.read_big_integer().unwrap().magnitude);
            assert!(params.verify(&q, &hash, &rr, &ss));
            assert!(!params.verify(&q, &[0x5a; 64], &rr, &ss));
        }
    }
}
