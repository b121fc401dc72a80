//! The parts of Go's `crypto/x509` that Sprig's certificate functions use:
//! `CreateCertificate` for the template Sprig builds (`getBaseCertTemplate`)
//! and `ParseCertificate` for the certificates it is given.
//!
//! Creation reproduces Go's encoding field for field: version 3, the given
//! serial, the signature algorithm Go picks for the signing key, the issuer
//! as the parent's raw subject, UTCTime/GeneralizedTime validity, a subject
//! of just the common name, and the extensions in Go's order (key usage,
//! extended key usage, basic constraints, subject key id for CAs — the
//! SHA-256-based method Go 1.25+ uses —, authority key id from the parent,
//! subject alternative names).
//!
//! Parsing follows Go's `parseCertificate` step by step with its error
//! texts, including the checks on each known extension. Simplified: URI
//! names are only checked to be ASCII, and name-constraint domains are not
//! validated beyond that.

use sha2::{Digest, Sha256};

use super::der::{self, Reader};
use super::keys::{oids, parse_ec_public_key, Curve, PrivateKey, PublicKey};
use crate::template::strconv::quote;
use crate::template::Host;
use rsa::BigUint;

/// What Sprig's `getBaseCertTemplate` puts into a certificate (plus the
/// CA switch of `generateCertificateAuthorityWithKeyInternal`).
#[derive(Clone, Debug)]
pub struct CertTemplate {
    /// Serial number magnitude (big-endian).
    pub serial: Vec<u8>,
    pub common_name: String,
    /// IP addresses as Go's `net.ParseIP` returns them (16 bytes).
    pub ip_addresses: Vec<[u8; 16]>,
    pub dns_names: Vec<String>,
    /// Seconds since the epoch (sub-second parts are not encoded).
    pub not_before: i64,
    pub not_after: i64,
    pub is_ca: bool,
}

/// The parts of a parsed certificate a signed certificate needs.
#[derive(Clone, Debug)]
pub struct ParsedCert {
    pub raw_subject: Vec<u8>,
    pub subject_key_id: Vec<u8>,
    pub public_key: Option<PublicKey>,
    /// The subject's common name, as Go's `Subject.CommonName` (the last
    /// CN attribute), empty when there is none.
    pub common_name: String,
    /// The serial number's sign (-1, 0 or 1).
    pub serial_sign: i32,
    /// The basic constraints' CA flag.
    pub is_ca: bool,
    /// Subject alternative names: DNS names and IP addresses (4 or 16
    /// bytes, as encoded).
    pub dns_names: Vec<String>,
    pub ip_addresses: Vec<Vec<u8>>,
}

/// The certificate signing a new one: itself (self-signed) or a parent.
pub enum Issuer<'a> {
    SelfSigned,
    Parent(&'a ParsedCert),
}

const OID_COMMON_NAME: &[u64] = &[2, 5, 4, 3];
const OID_KEY_USAGE: &[u64] = &[2, 5, 29, 15];
const OID_EXT_KEY_USAGE: &[u64] = &[2, 5, 29, 37];
const OID_BASIC_CONSTRAINTS: &[u64] = &[2, 5, 29, 19];
const OID_SUBJECT_KEY_ID: &[u64] = &[2, 5, 29, 14];
const OID_AUTHORITY_KEY_ID: &[u64] = &[2, 5, 29, 35];
const OID_SUBJECT_ALT_NAME: &[u64] = &[2, 5, 29, 17];
const OID_AUTHORITY_INFO_ACCESS: &[u64] = &[1, 3, 6, 1, 5, 5, 7, 1, 1];
const OID_SERVER_AUTH: &[u64] = &[1, 3, 6, 1, 5, 5, 7, 3, 1];
const OID_CLIENT_AUTH: &[u64] = &[1, 3, 6, 1, 5, 5, 7, 3, 2];

/// Key usage bits in Go's numbering.
const KEY_USAGE_DIGITAL_SIGNATURE: u16 = 1;
const KEY_USAGE_KEY_ENCIPHERMENT: u16 = 1 << 2;
const KEY_USAGE_CERT_SIGN: u16 = 1 << 5;

/// `asn1.Marshal` of a string without an explicit type: PrintableString
/// when every character allows it (no `*` or `&`), UTF8String otherwise.
fn directory_string(s: &str) -> Vec<u8> {
    let printable = s
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"'()+,-./:=? ".contains(&b));
    der::tlv(
        if printable {
            der::PRINTABLE_STRING
        } else {
            der::UTF8_STRING
        },
        s.as_bytes(),
    )
}

/// `asn1.Marshal(pkix.Name{CommonName: cn}.ToRDNSequence())`.
pub fn subject_for(common_name: &str) -> Vec<u8> {
    if common_name.is_empty() {
        return der::sequence(&[]);
    }
    let atv = der::sequence(&[&der::oid(OID_COMMON_NAME), &directory_string(common_name)]);
    der::sequence(&[&der::constructed(der::SET, &[&atv])])
}

/// Converts seconds since the epoch to a UTC civil date and time.
fn civil_from_unix(secs: i64) -> (i64, u32, u32, u32, u32, u32) {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400) as u32;
    // Shift the era to start on 0000-03-01 so leap days fall at year end.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day, rem / 3600, rem / 60 % 60, rem % 60)
}

/// `asn1.Marshal` of a UTC `time.Time`.
fn encode_time(secs: i64) -> Result<Vec<u8>, String> {
    let (year, month, day, hour, minute, second) = civil_from_unix(secs);
    let rest = format!("{month:02}{day:02}{hour:02}{minute:02}{second:02}Z");
    if (1950..2050).contains(&year) {
        Ok(der::tlv(
            der::UTC_TIME,
            format!("{:02}{rest}", year % 100).as_bytes(),
        ))
    } else if (0..=9999).contains(&year) {
        Ok(der::tlv(
            der::GENERALIZED_TIME,
            format!("{year:04}{rest}").as_bytes(),
        ))
    } else {
        Err("asn1: structure error: cannot represent time as GeneralizedTime".into())
    }
}

/// Go's `isIA5String` check with its error text.
fn check_ia5(s: &str) -> Result<(), String> {
    if s.is_ascii() {
        Ok(())
    } else {
        Err(format!(
            "x509: {} cannot be encoded as an IA5String",
            quote(s)
        ))
    }
}

fn extension(oid: &[u64], critical: bool, value: &[u8]) -> Vec<u8> {
    let id = der::oid(oid);
    let value = der::octet_string(value);
    if critical {
        der::sequence(&[&id, &der::boolean(true), &value])
    } else {
        der::sequence(&[&id, &value])
    }
}

/// Go's `marshalKeyUsage`: bits reversed into a minimal BIT STRING.
fn key_usage_value(usage: u16) -> Vec<u8> {
    let a = [
        (usage as u8).reverse_bits(),
        ((usage >> 8) as u8).reverse_bits(),
    ];
    let bytes: &[u8] = if a[1] != 0 { &a } else { &a[..1] };
    let last = bytes[bytes.len() - 1];
    let unused = if last == 0 {
        0
    } else {
        last.trailing_zeros() as u8
    };
    let mut content = vec![unused];
    content.extend_from_slice(bytes);
    der::tlv(der::BIT_STRING, &content)
}

/// Go's `x509.CreateCertificate` for Sprig's templates, returning DER.
pub fn create_certificate(
    host: &dyn Host,
    template: &CertTemplate,
    issuer: Issuer<'_>,
    public_key: &PublicKey,
    signer: &PrivateKey,
) -> Result<Vec<u8>, String> {
    let algorithm = signer.signature_algorithm()?;
    let (key_algorithm, key_bytes) = public_key.spki_parts()?;

    let subject = subject_for(&template.common_name);
    let issuer_name = match &issuer {
        Issuer::SelfSigned => subject.clone(),
        Issuer::Parent(parent) => parent.raw_subject.clone(),
    };
    let authority_key_id = match &issuer {
        Issuer::Parent(parent) if issuer_name != subject => parent.subject_key_id.clone(),
        _ => Vec::new(),
    };
    let subject_key_id = if template.is_ca {
        Sha256::digest(&key_bytes)[..20].to_vec()
    } else {
        Vec::new()
    };

    if let Issuer::Parent(parent) = &issuer {
        if let Some(parent_key) = &parent.public_key {
            if signer.public() != *parent_key {
                return Err("x509: provided PrivateKey doesn't match parent's PublicKey".into());
            }
        }
    }

    // Extensions, in Go's order.
    let mut extensions = Vec::new();
    let usage = if template.is_ca {
        KEY_USAGE_KEY_ENCIPHERMENT | KEY_USAGE_DIGITAL_SIGNATURE | KEY_USAGE_CERT_SIGN
    } else {
        KEY_USAGE_KEY_ENCIPHERMENT | KEY_USAGE_DIGITAL_SIGNATURE
    };
    extensions.push(extension(OID_KEY_USAGE, true, &key_usage_value(usage)));
    let ext_usages = der::sequence(&[&der::oid(OID_SERVER_AUTH), &der::oid(OID_CLIENT_AUTH)]);
    extensions.push(extension(OID_EXT_KEY_USAGE, false, &ext_usages));
    let basic = if template.is_ca {
        der::sequence(&[&der::boolean(true)])
    } else {
        der::sequence(&[])
    };
    extensions.push(extension(OID_BASIC_CONSTRAINTS, true, &basic));
    if !subject_key_id.is_empty() {
        extensions.push(extension(
            OID_SUBJECT_KEY_ID,
            false,
            &der::octet_string(&subject_key_id),
        ));
    }
    if !authority_key_id.is_empty() {
        let akid = der::sequence(&[&der::tlv(der::context(0), &authority_key_id)]);
        extensions.push(extension(OID_AUTHORITY_KEY_ID, false, &akid));
    }
    if !template.dns_names.is_empty() || !template.ip_addresses.is_empty() {
        let mut names = Vec::new();
        for name in &template.dns_names {
            check_ia5(name)?;
            names.push(der::tlv(der::context(2), name.as_bytes()));
        }
        for ip in &template.ip_addresses {
            let bytes: &[u8] = match ipv4_of(ip) {
                Some(v4) => v4,
                None => ip,
            };
            names.push(der::tlv(der::context(7), bytes));
        }
        let refs: Vec<&[u8]> = names.iter().map(Vec::as_slice).collect();
        let critical = subject == der::sequence(&[]);
        extensions.push(extension(
            OID_SUBJECT_ALT_NAME,
            critical,
            &der::sequence(&refs),
        ));
    }

    let extension_refs: Vec<&[u8]> = extensions.iter().map(Vec::as_slice).collect();
    let algorithm_id = algorithm.identifier();
    let validity = der::sequence(&[
        &encode_time(template.not_before)?,
        &encode_time(template.not_after)?,
    ]);
    let spki = der::sequence(&[&key_algorithm, &der::bit_string(&key_bytes)]);
    let tbs = der::sequence(&[
        &der::tlv(der::context_constructed(0), &der::small_integer(2)),
        &der::unsigned_integer(&template.serial),
        &algorithm_id,
        &issuer_name,
        &validity,
        &subject,
        &spki,
        &der::tlv(der::context_constructed(3), &der::sequence(&extension_refs)),
    ]);
    let signature = signer.sign(host, &tbs)?;
    Ok(der::sequence(&[
        &tbs,
        &algorithm_id,
        &der::bit_string(&signature),
    ]))
}

/// `net.IP.To4` of a 16-byte address: the last four bytes of an
/// IPv4-mapped address.
fn ipv4_of(ip: &[u8; 16]) -> Option<&[u8]> {
    let mapped = ip[..10].iter().all(|&b| b == 0) && ip[10] == 0xff && ip[11] == 0xff;
    mapped.then(|| &ip[12..])
}

// ---------------------------------------------------------------------------
// Parsing.

fn err<T>(msg: &str) -> Result<T, String> {
    Err(msg.to_string())
}

/// Go's `x509.ParseCertificate`, keeping what Sprig needs.
pub fn parse_certificate(data: &[u8]) -> Result<ParsedCert, String> {
    let mut input = Reader::new(data);
    let Some(raw) = input.read_element(der::SEQUENCE) else {
        return err("x509: malformed certificate");
    };
    let mut input = Reader::new(raw);
    let Some(body) = input.read(der::SEQUENCE) else {
        return err("x509: malformed certificate");
    };
    let mut input = Reader::new(body);
    let Some(tbs_raw) = input.read_element(der::SEQUENCE) else {
        return err("x509: malformed tbs certificate");
    };
    let Some(tbs) = Reader::new(tbs_raw).read(der::SEQUENCE) else {
        return err("x509: malformed tbs certificate");
    };
    let mut tbs = Reader::new(tbs);

    let version = match tbs.read_optional(der::context_constructed(0)) {
        None => return err("x509: malformed version"),
        Some(None) => 0,
        Some(Some(inner)) => {
            let mut r = Reader::new(inner);
            match r.read_i64() {
                Some(v) if r.is_empty() => v,
                _ => return err("x509: malformed version"),
            }
        }
    };
    if version < 0 {
        return err("x509: malformed version");
    }
    let version = version + 1;
    if version > 3 {
        return err("x509: invalid version");
    }

    let Some(serial) = tbs.read_big_integer() else {
        return err("x509: malformed serial number");
    };
    if serial.sign() < 0 {
        return err("x509: negative serial number");
    }

    let Some(sig_ai) = tbs.read(der::SEQUENCE) else {
        return err("x509: malformed signature algorithm identifier");
    };
    let Some(outer_ai) = input.read(der::SEQUENCE) else {
        return err("x509: malformed algorithm identifier");
    };
    if outer_ai != sig_ai {
        return err("x509: inner and outer signature algorithm identifiers don't match");
    }
    parse_algorithm_identifier(sig_ai)?;

    let Some(issuer) = tbs.read_element(der::SEQUENCE) else {
        return err("x509: malformed issuer");
    };
    parse_name(issuer)?;

    let Some(validity) = tbs.read(der::SEQUENCE) else {
        return err("x509: malformed validity");
    };
    let mut validity = Reader::new(validity);
    parse_time(&mut validity)?;
    parse_time(&mut validity)?;

    let Some(subject) = tbs.read_element(der::SEQUENCE) else {
        return err("x509: malformed issuer");
    };
    let common_name = parse_name(subject)?;

    let Some(spki) = tbs.read_element(der::SEQUENCE) else {
        return err("x509: malformed spki");
    };
    let Some(spki) = Reader::new(spki).read(der::SEQUENCE) else {
        return err("x509: malformed spki");
    };
    let mut spki = Reader::new(spki);
    let Some(pk_ai) = spki.read(der::SEQUENCE) else {
        return err("x509: malformed public key algorithm identifier");
    };
    let (pk_oid, pk_params) = parse_algorithm_identifier(pk_ai)?;
    let Some((pk_bytes, pk_bits)) = spki.read_bit_string() else {
        return err("x509: malformed subjectPublicKey");
    };
    let public_key = parse_public_key(&pk_oid, pk_params, &right_align(pk_bytes, pk_bits))?;

    let mut extensions = Extensions::default();
    if version > 1 {
        if tbs.read_optional(der::context(1)).is_none() {
            return err("x509: malformed issuerUniqueID");
        }
        if tbs.read_optional(der::context(2)).is_none() {
            return err("x509: malformed subjectUniqueID");
        }
        if version == 3 {
            let Some(raw) = tbs.read_optional(der::context_constructed(3)) else {
                return err("x509: malformed extensions");
            };
            if let Some(raw) = raw {
                extensions = parse_extensions(raw)?;
            }
        }
    }

    if input.read_bit_string().is_none() {
        return err("x509: malformed signature");
    }
    if raw.len() != data.len() {
        return err("x509: trailing data");
    }
    Ok(ParsedCert {
        raw_subject: subject.to_vec(),
        subject_key_id: extensions.subject_key_id,
        public_key,
        common_name,
        serial_sign: serial.sign(),
        is_ca: extensions.is_ca,
        dns_names: extensions.dns_names,
        ip_addresses: extensions.ip_addresses,
    })
}

/// `BitString.RightAlign`.
fn right_align(bytes: &[u8], bits: usize) -> Vec<u8> {
    let shift = 8 - bits % 8;
    if shift == 8 || bytes.is_empty() {
        return bytes.to_vec();
    }
    let mut out = vec![0u8; bytes.len()];
    out[0] = bytes[0] >> shift;
    for i in 1..bytes.len() {
        out[i] = bytes[i - 1] << (8 - shift) | bytes[i] >> shift;
    }
    out
}

/// Go's `parseAI`: the algorithm and its raw parameters (if any).
fn parse_algorithm_identifier(data: &[u8]) -> Result<(Vec<u64>, Option<&[u8]>), String> {
    let mut r = Reader::new(data);
    let Some(oid) = r.read_oid() else {
        return err("x509: malformed OID");
    };
    if r.is_empty() {
        return Ok((oid, None));
    }
    match r.read_any() {
        Some((_, full, _)) => Ok((oid, Some(full))),
        None => err("x509: malformed parameters"),
    }
}

/// Go's `parseName` (validating every attribute value's string type);
/// returns the common name as `pkix.Name.FillFromRDNSequence` keeps it.
fn parse_name(data: &[u8]) -> Result<String, String> {
    let Some(seq) = Reader::new(data).read(der::SEQUENCE) else {
        return err("x509: invalid RDNSequence");
    };
    let mut seq = Reader::new(seq);
    let mut common_name = String::new();
    while !seq.is_empty() {
        let Some(set) = seq.read(der::SET) else {
            return err("x509: invalid RDNSequence");
        };
        let mut set = Reader::new(set);
        while !set.is_empty() {
            let Some(atv) = set.read(der::SEQUENCE) else {
                return err("x509: invalid RDNSequence: invalid attribute");
            };
            let mut atv = Reader::new(atv);
            let Some(oid) = atv.read_oid() else {
                return err("x509: invalid RDNSequence: invalid attribute type");
            };
            let Some((tag, _, value)) = atv.read_any() else {
                return err("x509: invalid RDNSequence: invalid attribute value");
            };
            let text = asn1_string(tag, value)
                .map_err(|e| format!("x509: invalid RDNSequence: invalid attribute value: {e}"))?;
            if oid == OID_COMMON_NAME {
                common_name = text;
            }
        }
    }
    Ok(common_name)
}

fn is_printable(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"'()+,-./:=? *&".contains(&b)
}

/// Go's `parseASN1String`: the text of a directory string, validated.
fn asn1_string(tag: u8, value: &[u8]) -> Result<String, String> {
    let text = || String::from_utf8_lossy(value).into_owned();
    match tag {
        // T.61 is read as Latin-1, as Go (and BoringSSL) do.
        der::T61_STRING => Ok(value.iter().map(|&b| b as char).collect()),
        der::PRINTABLE_STRING => {
            if value.iter().all(|&b| is_printable(b)) {
                Ok(text())
            } else {
                err("invalid PrintableString")
            }
        }
        der::UTF8_STRING => match std::str::from_utf8(value) {
            Ok(s) => Ok(s.to_string()),
            Err(_) => err("invalid UTF-8 string"),
        },
        der::BMP_STRING => {
            if value.len() % 2 != 0 {
                return err("invalid BMPString");
            }
            let mut v = value;
            if v.len() >= 2 && v[v.len() - 1] == 0 && v[v.len() - 2] == 0 {
                v = &v[..v.len() - 2];
            }
            let mut units = Vec::with_capacity(v.len() / 2);
            for pair in v.chunks(2) {
                let point = u16::from_be_bytes([pair[0], pair[1]]);
                if point == 0xfffe
                    || point == 0xffff
                    || (0xfdd0..=0xfdef).contains(&point)
                    || (0xd800..=0xdfff).contains(&point)
                {
                    return err("invalid BMPString");
                }
                units.push(point);
            }
            Ok(String::from_utf16_lossy(&units))
        }
        der::IA5_STRING => {
            if value.is_ascii() {
                Ok(text())
            } else {
                err("invalid IA5String")
            }
        }
        der::NUMERIC_STRING => {
            if value.iter().all(|&b| b.is_ascii_digit() || b == b' ') {
                Ok(text())
            } else {
                err("invalid NumericString")
            }
        }
        other => Err(format!("unsupported string type: {other}")),
    }
}

/// Go's `parseTime`: UTCTime (with the minute-precision fallback) or
/// GeneralizedTime, in canonical form only.
fn parse_time(r: &mut Reader<'_>) -> Result<(), String> {
    if r.peek_tag(der::UTC_TIME) {
        let ok = r
            .read(der::UTC_TIME)
            .is_some_and(|t| valid_time(t, 2, true) || valid_time(t, 2, false));
        if ok {
            Ok(())
        } else {
            err("x509: malformed UTCTime")
        }
    } else if r.peek_tag(der::GENERALIZED_TIME) {
        if r.read(der::GENERALIZED_TIME)
            .is_some_and(|t| valid_time(t, 4, true))
        {
            Ok(())
        } else {
            err("x509: malformed GeneralizedTime")
        }
    } else {
        err("x509: unsupported time format")
    }
}

/// Whether `t` is a time Go parses and prints back identically: year
/// digits, MMDDhhmm[ss], then `Z` or a non-zero `±hhmm`.
fn valid_time(t: &[u8], year_digits: usize, seconds: bool) -> bool {
    let fields = year_digits + if seconds { 10 } else { 8 };
    if t.len() < fields + 1 || !t[..fields].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let num = |i: usize| (t[i] - b'0') as u32 * 10 + (t[i + 1] - b'0') as u32;
    let year = if year_digits == 4 {
        num(0) * 100 + num(2)
    } else {
        let y = num(0);
        if y >= 50 {
            1900 + y
        } else {
            2000 + y
        }
    } as i64;
    let (month, day, hour, minute) = (
        num(year_digits),
        num(year_digits + 2),
        num(year_digits + 4),
        num(year_digits + 6),
    );
    let second = if seconds { num(year_digits + 8) } else { 0 };
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return false;
    }
    if hour > 23 || minute > 59 || second > 59 {
        return false;
    }
    match &t[fields..] {
        b"Z" => true,
        [sign, rest @ ..] if (*sign == b'+' || *sign == b'-') && rest.len() == 4 => {
            if !rest.iter().all(u8::is_ascii_digit) {
                return false;
            }
            let (h, m) = (num(fields + 1), num(fields + 3));
            h <= 23 && m <= 59 && (h, m) != (0, 0)
        }
        _ => false,
    }
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Go's `parsePublicKey`, for the algorithms Go knows (others: no key).
fn parse_public_key(
    oid: &[u64],
    params: Option<&[u8]>,
    data: &[u8],
) -> Result<Option<PublicKey>, String> {
    match oid {
        oids::RSA => {
            if params != Some(&[der::NULL, 0][..]) {
                return err("x509: RSA key missing NULL parameters");
            }
            let Some(seq) = Reader::new(data).read(der::SEQUENCE) else {
                return err("x509: invalid RSA public key");
            };
            let mut seq = Reader::new(seq);
            let Some(n) = seq.read_big_integer() else {
                return err("x509: invalid RSA modulus");
            };
            let Some(e) = seq.read_i64() else {
                return err("x509: invalid RSA public exponent");
            };
            if n.sign() <= 0 {
                return err("x509: RSA modulus is not a positive number");
            }
            if e <= 0 {
                return err("x509: RSA public exponent is not a positive number");
            }
            Ok(Some(PublicKey::Rsa {
                n: BigUint::from_bytes_be(&n.magnitude),
                e: BigUint::from(e as u64),
            }))
        }
        oids::EC_PUBLIC_KEY => {
            let Some(curve_oid) = params.and_then(|p| Reader::new(p).read_oid()) else {
                return err("x509: invalid ECDSA parameters");
            };
            let Some(curve) = Curve::from_oid(&curve_oid) else {
                return err("x509: unsupported elliptic curve");
            };
            parse_ec_public_key(curve, data).map(Some)
        }
        oids::ED25519 => {
            if params.is_some() {
                return err("x509: Ed25519 key encoded with illegal parameters");
            }
            if data.len() != 32 {
                return err("x509: wrong Ed25519 public key size");
            }
            Ok(Some(PublicKey::Ed25519(data.to_vec())))
        }
        oids::X25519 => {
            if params.is_some() {
                return err("x509: X25519 key encoded with illegal parameters");
            }
            if data.len() != 32 {
                return err("crypto/ecdh: invalid public key");
            }
            Ok(Some(PublicKey::X25519(data.to_vec())))
        }
        oids::DSA => {
            let mut r = Reader::new(data);
            let Some(y) = r.read_big_integer() else {
                return err("x509: invalid DSA public key");
            };
            let mut p = params
                .and_then(|p| Reader::new(p).read(der::SEQUENCE))
                .map(Reader::new);
            let values = p.as_mut().and_then(|r| {
                Some([
                    r.read_big_integer()?,
                    r.read_big_integer()?,
                    r.read_big_integer()?,
                ])
            });
            let Some([p, q, g]) = values else {
                return err("x509: invalid DSA parameters");
            };
            if [&y, &p, &q, &g].iter().any(|v| v.sign() <= 0) {
                return err("x509: zero or negative DSA parameter");
            }
            let big = |v: &der::BigInt| BigUint::from_bytes_be(&v.magnitude);
            Ok(Some(PublicKey::Dsa {
                p: big(&p),
                q: big(&q),
                g: big(&g),
                y: big(&y),
            }))
        }
        _ => Ok(None),
    }
}

/// What the extensions say, as far as Sprig's callers need it.
#[derive(Default)]
struct Extensions {
    subject_key_id: Vec<u8>,
    is_ca: bool,
    dns_names: Vec<String>,
    ip_addresses: Vec<Vec<u8>>,
}

/// Reads the extensions and runs Go's `processExtensions` checks.
fn parse_extensions(data: &[u8]) -> Result<Extensions, String> {
    let Some(seq) = Reader::new(data).read(der::SEQUENCE) else {
        return err("x509: malformed extensions");
    };
    let mut seq = Reader::new(seq);
    let mut seen: Vec<Vec<u64>> = Vec::new();
    let mut parsed = Vec::new();
    while !seq.is_empty() {
        let Some(ext) = seq.read(der::SEQUENCE) else {
            return err("x509: malformed extension");
        };
        let mut ext = Reader::new(ext);
        let Some(oid) = ext.read_oid() else {
            return err("x509: malformed extension OID field");
        };
        let mut critical = false;
        if ext.peek_tag(der::BOOLEAN) {
            match ext.read_bool() {
                Some(b) => critical = b,
                None => return err("x509: malformed extension critical field"),
            }
        }
        let Some(value) = ext.read(der::OCTET_STRING) else {
            return err("x509: malformed extension value field");
        };
        if seen.contains(&oid) {
            return Err(format!(
                "x509: certificate contains duplicate extension with OID {}",
                quote(&der::oid_string(&oid))
            ));
        }
        seen.push(oid.clone());
        parsed.push((oid, critical, value));
    }

    let mut out = Extensions::default();
    for (oid, critical, value) in parsed {
        if oid.len() == 4 && oid[..3] == [2, 5, 29] {
            match oid[3] {
                15 if Reader::new(value).read_bit_string().is_none() => {
                    return err("x509: invalid key usage");
                }
                19 => out.is_ca = check_basic_constraints(value)?,
                17 => check_san(value, &mut out)?,
                30 => check_name_constraints(value)?,
                31 => check_crl_distribution_points(value)?,
                35 => {
                    if critical {
                        return err("x509: authority key identifier incorrectly marked critical");
                    }
                    let Some(akid) = Reader::new(value).read(der::SEQUENCE) else {
                        return err("x509: invalid authority key identifier");
                    };
                    let mut akid = Reader::new(akid);
                    if akid.peek_tag(der::context(0)) && akid.read(der::context(0)).is_none() {
                        return err("x509: invalid authority key identifier");
                    }
                }
                36 => check_policy_constraints(value)?,
                37 => {
                    let Some(seq) = Reader::new(value).read(der::SEQUENCE) else {
                        return err("x509: invalid extended key usages");
                    };
                    let mut seq = Reader::new(seq);
                    while !seq.is_empty() {
                        if seq.read_oid().is_none() {
                            return err("x509: invalid extended key usages");
                        }
                    }
                }
                14 => {
                    if critical {
                        return err("x509: subject key identifier incorrectly marked critical");
                    }
                    let Some(skid) = Reader::new(value).read(der::OCTET_STRING) else {
                        return err("x509: invalid subject key identifier");
                    };
                    out.subject_key_id = skid.to_vec();
                }
                32 => check_policies(value)?,
                33 => check_policy_mappings(value)?,
                54 if Reader::new(value).read_big_integer().is_none() => {
                    return err("x509: invalid inhibit any policy extension");
                }
                _ => {}
            }
        } else if oid == OID_AUTHORITY_INFO_ACCESS {
            check_authority_info_access(critical, value)?;
        }
    }
    Ok(out)
}

/// Go's `parseBasicConstraintsExtension`; returns the CA flag.
fn check_basic_constraints(value: &[u8]) -> Result<bool, String> {
    let invalid = || err("x509: invalid basic constraints");
    let Some(seq) = Reader::new(value).read(der::SEQUENCE) else {
        return invalid();
    };
    let mut seq = Reader::new(seq);
    let mut is_ca = false;
    if seq.peek_tag(der::BOOLEAN) {
        match seq.read_bool() {
            Some(b) => is_ca = b,
            None => return invalid(),
        }
    }
    if seq.peek_tag(der::INTEGER) {
        match seq.read_big_integer() {
            Some(v)
                if v.sign() >= 0
                    && v.magnitude.len() <= 8
                    && v.magnitude.first().is_none_or(|b| b & 0x80 == 0) => {}
            _ => return invalid(),
        }
    }
    Ok(is_ca)
}

/// Go's `parseSANExtension`, collecting DNS names and IP addresses.
fn check_san(value: &[u8], out: &mut Extensions) -> Result<(), String> {
    let Some(seq) = Reader::new(value).read(der::SEQUENCE) else {
        return err("x509: invalid subject alternative names");
    };
    let mut seq = Reader::new(seq);
    while !seq.is_empty() {
        let Some((tag, _, data)) = seq.read_any() else {
            return err("x509: invalid subject alternative name");
        };
        let ascii = || std::str::from_utf8(data).is_ok_and(str::is_ascii);
        match tag ^ 0x80 {
            1 if !ascii() => return err("x509: SAN rfc822Name is malformed"),
            2 if !ascii() => return err("x509: SAN dNSName is malformed"),
            2 => out
                .dns_names
                .push(String::from_utf8_lossy(data).into_owned()),
            6 if !ascii() => return err("x509: SAN uniformResourceIdentifier is malformed"),
            7 if data.len() != 4 && data.len() != 16 => {
                return Err(format!(
                    "x509: cannot parse IP address of length {}",
                    data.len()
                ));
            }
            7 => out.ip_addresses.push(data.to_vec()),
            _ => {}
        }
    }
    Ok(())
}

fn check_name_constraints(value: &[u8]) -> Result<(), String> {
    let invalid = || err("x509: invalid NameConstraints extension");
    let mut outer = Reader::new(value);
    let Some(top) = outer.read(der::SEQUENCE) else {
        return invalid();
    };
    if !outer.is_empty() {
        return invalid();
    }
    let mut top = Reader::new(top);
    let (Some(permitted), Some(excluded)) = (
        top.read_optional(der::context_constructed(0)),
        top.read_optional(der::context_constructed(1)),
    ) else {
        return invalid();
    };
    if !top.is_empty() {
        return invalid();
    }
    if permitted.is_none_or(<[u8]>::is_empty) && excluded.is_none_or(<[u8]>::is_empty) {
        return err("x509: empty name constraints extension");
    }
    for subtrees in [permitted, excluded].into_iter().flatten() {
        let mut subtrees = Reader::new(subtrees);
        while !subtrees.is_empty() {
            let Some(seq) = subtrees.read(der::SEQUENCE) else {
                return invalid();
            };
            let Some((tag, _, value)) = Reader::new(seq).read_any() else {
                return invalid();
            };
            match tag {
                0x82 | 0x81 | 0x86 => {
                    if let Err(e) = check_ia5(&String::from_utf8_lossy(value)) {
                        return Err(format!("x509: invalid constraint value: {e}"));
                    }
                }
                0x87 => {
                    let mask = match value.len() {
                        8 => &value[4..],
                        32 => &value[16..],
                        l => {
                            return Err(format!(
                                "x509: IP constraint contained value of length {l}"
                            ))
                        }
                    };
                    if !valid_ip_mask(mask) {
                        return Err(format!(
                            "x509: IP constraint contained invalid mask {}",
                            super::encoding::hex_encode(mask)
                        ));
                    }
                }
                _ => {}
            }
        }
    }
    Ok(())
}

fn valid_ip_mask(mask: &[u8]) -> bool {
    let mut seen_zero = false;
    for &b in mask {
        if seen_zero {
            if b != 0 {
                return false;
            }
            continue;
        }
        match b {
            0x00 | 0x80 | 0xc0 | 0xe0 | 0xf0 | 0xf8 | 0xfc | 0xfe => seen_zero = true,
            0xff => {}
            _ => return false,
        }
    }
    true
}

fn check_crl_distribution_points(value: &[u8]) -> Result<(), String> {
    let Some(seq) = Reader::new(value).read(der::SEQUENCE) else {
        return err("x509: invalid CRL distribution points");
    };
    let invalid = || err("x509: invalid CRL distribution point");
    let mut seq = Reader::new(seq);
    while !seq.is_empty() {
        let Some(dp) = seq.read(der::SEQUENCE) else {
            return invalid();
        };
        let Some(name) = Reader::new(dp).read_optional(der::context_constructed(0)) else {
            return invalid();
        };
        let Some(name) = name else { continue };
        let Some(full) = Reader::new(name).read(der::context_constructed(0)) else {
            return invalid();
        };
        let mut full = Reader::new(full);
        while !full.is_empty() {
            if !full.peek_tag(der::context(6)) {
                break;
            }
            if full.read(der::context(6)).is_none() {
                return invalid();
            }
        }
    }
    Ok(())
}

fn check_policy_constraints(value: &[u8]) -> Result<(), String> {
    let invalid = || err("x509: invalid policy constraints extension");
    let Some(seq) = Reader::new(value).read(der::SEQUENCE) else {
        return invalid();
    };
    let mut seq = Reader::new(seq);
    for tag in [der::context(0), der::context(1)] {
        if seq.peek_tag(tag) {
            match seq.read(tag).map(der::integer_i64) {
                Some(Some(_)) => {}
                _ => return invalid(),
            }
        }
    }
    Ok(())
}

fn check_policies(value: &[u8]) -> Result<(), String> {
    let invalid = || err("x509: invalid certificate policies");
    let Some(seq) = Reader::new(value).read(der::SEQUENCE) else {
        return invalid();
    };
    let mut seq = Reader::new(seq);
    let mut seen: Vec<&[u8]> = Vec::new();
    while !seq.is_empty() {
        let Some(policy) = seq.read(der::SEQUENCE) else {
            return invalid();
        };
        let Some(oid) = Reader::new(policy).read(der::OBJECT_IDENTIFIER) else {
            return invalid();
        };
        if seen.contains(&oid) || !valid_oid_der(oid) {
            return invalid();
        }
        seen.push(oid);
    }
    Ok(())
}

/// Go's `newOIDFromDER` check: base-128 groups, minimal, complete.
fn valid_oid_der(der: &[u8]) -> bool {
    if der.is_empty() || der[der.len() - 1] & 0x80 != 0 {
        return false;
    }
    let mut start = true;
    for &b in der {
        if start && b == 0x80 {
            return false;
        }
        start = b & 0x80 == 0;
    }
    true
}

fn check_policy_mappings(value: &[u8]) -> Result<(), String> {
    let invalid = || err("x509: invalid policy mappings extension");
    let Some(seq) = Reader::new(value).read(der::SEQUENCE) else {
        return invalid();
    };
    let mut seq = Reader::new(seq);
    while !seq.is_empty() {
        let Some(mapping) = seq.read(der::SEQUENCE) else {
            return invalid();
        };
        let mut m = Reader::new(mapping);
        if m.read(der::OBJECT_IDENTIFIER).is_none() || m.read(der::OBJECT_IDENTIFIER).is_none() {
            return invalid();
        }
    }
    Ok(())
}

fn check_authority_info_access(critical: bool, value: &[u8]) -> Result<(), String> {
    if critical {
        return err("x509: authority info access incorrectly marked critical");
    }
    let invalid = || err("x509: invalid authority info access");
    let Some(seq) = Reader::new(value).read(der::SEQUENCE) else {
        return invalid();
    };
    let mut seq = Reader::new(seq);
    while !seq.is_empty() {
        let Some(aia) = seq.read(der::SEQUENCE) else {
            return invalid();
        };
        let mut aia = Reader::new(aia);
        if aia.read_oid().is_none() {
            return invalid();
        }
        if aia.peek_tag(der::context(6)) && aia.read(der::context(6)).is_none() {
            return invalid();
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_unix(0), (1970, 1, 1, 0, 0, 0));
        assert_eq!(civil_from_unix(951_782_400), (2000, 2, 29, 0, 0, 0));
        assert_eq!(civil_from_unix(-1), (1969, 12, 31, 23, 59, 59));
        assert_eq!(civil_from_unix(2_524_608_000), (2050, 1, 1, 0, 0, 0));
        assert_eq!(
            encode_time(0).unwrap(),
            der::tlv(der::UTC_TIME, b"700101000000Z")
        );
        assert_eq!(
            encode_time(2_524_608_000).unwrap(),
            der::tlv(der::GENERALIZED_TIME, b"20500101000000Z")
        );
    }

    #[test]
    fn subjects_and_key_usage_match_go() {
        assert_eq!(
            subject_for("foo-ca"),
            [
                0x30, 0x11, 0x31, 0x0f, 0x30, 0x0d, 6, 3, 0x55, 4, 3, 0x13, 6, b'f', b'o', b'o',
                b'-', b'c', b'a'
            ]
        );
        assert_eq!(subject_for("*.x")[11], der::UTF8_STRING);
        assert_eq!(subject_for(""), [0x30, 0]);
        assert_eq!(key_usage_value(5), [3, 2, 5, 0xa0]);
        assert_eq!(key_usage_value(0x25), [3, 2, 2, 0xa4]);
    }

    #[test]
    fn times_must_be_canonical() {
        assert!(valid_time(b"250101120000Z", 2, true));
        assert!(valid_time(b"2501011200Z", 2, false));
        assert!(valid_time(b"250101120000+0130", 2, true));
        assert!(!valid_time(b"250101120000+0000", 2, true));
        assert!(!valid_time(b"250230120000Z", 2, true));
        assert!(valid_time(b"20240229120000Z", 4, true));
        assert!(!valid_time(b"20230229120000Z", 4, true));
        assert!(!valid_time(b"20240229120000.5Z", 4, true));
    }

    #[test]
    fn parse_errors_follow_go_order() {
        assert_eq!(
            parse_certificate(b"").unwrap_err(),
            "x509: malformed certificate"
        );
        assert_eq!(
            parse_certificate(&der::sequence(&[&der::small_integer(1)])).unwrap_err(),
            "x509: malformed tbs certificate"
        );
        assert_eq!(
            parse_certificate(&der::sequence(&[&der::sequence(&[])])).unwrap_err(),
            "x509: malformed serial number"
        );
        let tbs = der::sequence(&[&der::small_integer(-5)]);
        let cert = der::sequence(&[&tbs]);
        assert_eq!(
            parse_certificate(&cert).unwrap_err(),
            "x509: negative serial number"
        );
    }
}
