//! Sprig's certificate functions: `genCA`, `genCAWithKey`,
//! `genSelfSignedCert`, `genSelfSignedCertWithKey`, `genSignedCert`,
//! `genSignedCertWithKey` and `buildCustomCert`, returning Sprig's
//! `certificate` struct (type `sprig.certificate`, fields `Cert` and `Key`
//! holding PEM text).
//!
//! Each builds Sprig's base template (a random 128-bit serial, the common
//! name as the whole subject, validity from now for `daysValid` days,
//! key encipherment and digital signature usages, server and client auth,
//! the given IPs and DNS names), generates an RSA-2048 key unless one is
//! given, and signs with Go's `CreateCertificate` rules (see [`super::x509`]).

use std::any::Any;

use super::encoding::{base64_decode, pem_decode, pem_encode};
use super::keys::{generate_rsa, parse_private_key_pem, PrivateKey};
use super::x509::{create_certificate, parse_certificate, CertTemplate, Issuer};
use crate::template::{FuncError, Host};
use crate::value::{Object, Value};

/// Sprig's `certificate` struct.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Certificate {
    pub cert: String,
    pub key: String,
}

/// The Go type name templates see (`typeOf`, argument errors).
pub const CERTIFICATE_TYPE: &str = "sprig.certificate";

impl Object for Certificate {
    fn type_name(&self) -> String {
        CERTIFICATE_TYPE.to_string()
    }

    fn field(&self, name: &str) -> Option<Value> {
        match name {
            "Cert" => Some(Value::from(self.cert.as_str())),
            "Key" => Some(Value::from(self.key.as_str())),
            _ => None,
        }
    }

    fn format(&self) -> String {
        format!("{{{} {}}}", self.cert, self.key)
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl Certificate {
    /// The certificate a template passed in (checked by the executor to be
    /// a `sprig.certificate`).
    pub fn from_value(v: &Value) -> Option<&Certificate> {
        match v {
            Value::Object(o) => o.as_any().downcast_ref::<Certificate>(),
            _ => None,
        }
    }
}

/// Sprig's `getNetIPs`: strings parsed by Go's `net.ParseIP`.
fn net_ips(ips: &[Value]) -> Result<Vec<[u8; 16]>, String> {
    ips.iter()
        .map(|ip| {
            let Some(s) = ip.as_str() else {
                return Err(format!("error parsing ip: {ip} is not a string"));
            };
            parse_ip(s).ok_or_else(|| format!("error parsing ip: {s}"))
        })
        .collect()
}

/// Go's `net.ParseIP` (no zones), as a 16-byte address.
pub fn parse_ip(s: &str) -> Option<[u8; 16]> {
    if s.contains('.') && !s.contains(':') {
        let v4 = parse_ipv4(s)?;
        let mut out = [0u8; 16];
        out[10] = 0xff;
        out[11] = 0xff;
        out[12..].copy_from_slice(&v4);
        return Some(out);
    }
    if s.contains('%') {
        return None;
    }
    s.parse::<std::net::Ipv6Addr>()
        .ok()
        .map(|a| a.octets())
        .filter(|_| valid_ipv6_text(s))
}

/// Go's IPv4 rules: four decimal fields, each at most 255, no leading zeros.
fn parse_ipv4(s: &str) -> Option<[u8; 4]> {
    let mut out = [0u8; 4];
    let mut fields = s.split('.');
    for slot in out.iter_mut() {
        let f = fields.next()?;
        if f.is_empty() || f.len() > 3 || !f.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        if f.len() > 1 && f.starts_with('0') {
            return None;
        }
        *slot = f.parse::<u16>().ok().filter(|v| *v <= 255)? as u8;
    }
    fields.next().is_none().then_some(out)
}

/// Extra checks Go makes on IPv6 text that Rust's parser does not: an
/// embedded IPv4 tail must itself be a valid Go IPv4 address.
fn valid_ipv6_text(s: &str) -> bool {
    match s.rsplit_once(':') {
        Some((_, tail)) if tail.contains('.') => parse_ipv4(tail).is_some(),
        _ => true,
    }
}

/// Sprig's `getAlternateDNSStrs`.
fn dns_names(names: &[Value]) -> Result<Vec<String>, String> {
    names
        .iter()
        .map(|n| match n.as_str() {
            Some(s) => Ok(s.to_string()),
            None => Err(format!(
                "error processing alternate dns name: {n} is not a string"
            )),
        })
        .collect()
}

fn list_items(v: &Value) -> &[Value] {
    v.as_list().unwrap_or_default()
}

/// Sprig's `getBaseCertTemplate`.
fn base_template(
    host: &dyn Host,
    cn: &str,
    ips: &Value,
    alternate_dns: &Value,
    days_valid: i64,
) -> Result<CertTemplate, String> {
    let ip_addresses = net_ips(list_items(ips))?;
    let dns_names = dns_names(list_items(alternate_dns))?;
    let mut serial = vec![0u8; 16];
    host.random_bytes(&mut serial);
    let (now, nanos) = host.now();
    // time.Now().Add(time.Hour * 24 * time.Duration(daysValid)), with Go's
    // wrapping int64 nanosecond arithmetic.
    let duration = 86_400_000_000_000i64.wrapping_mul(days_valid);
    let mut after = now.wrapping_add(duration / 1_000_000_000);
    let after_nanos = nanos as i64 + duration % 1_000_000_000;
    if after_nanos >= 1_000_000_000 {
        after = after.wrapping_add(1);
    } else if after_nanos < 0 {
        after = after.wrapping_sub(1);
    }
    Ok(CertTemplate {
        serial,
        common_name: cn.to_string(),
        ip_addresses,
        dns_names,
        not_before: now,
        not_after: after,
        is_ca: false,
    })
}

/// Sprig's `getCertAndKey`.
fn cert_and_key(
    host: &dyn Host,
    template: &CertTemplate,
    signee: &PrivateKey,
    issuer: Issuer<'_>,
    signer: &PrivateKey,
) -> Result<Certificate, String> {
    let der = create_certificate(host, template, issuer, &signee.public(), signer)
        .map_err(|e| format!("error creating certificate: {e}"))?;
    Ok(Certificate {
        cert: pem_encode("CERTIFICATE", &der),
        key: signee.to_pem(),
    })
}

fn rsa_2048(host: &dyn Host) -> Result<PrivateKey, String> {
    generate_rsa(host, 2048).map_err(|e| format!("error generating rsa key: {e}"))
}

fn pem_key(text: &str) -> Result<PrivateKey, String> {
    parse_private_key_pem(text).map_err(|e| format!("parsing private key: {e}"))
}

/// `genCA` / `genCAWithKey`.
pub fn generate_ca(
    host: &dyn Host,
    cn: &str,
    days_valid: i64,
    key: Option<&str>,
) -> Result<Certificate, String> {
    let key = match key {
        Some(pem) => pem_key(pem)?,
        None => rsa_2048(host)?,
    };
    let mut template = base_template(host, cn, &Value::Nil, &Value::Nil, days_valid)?;
    template.is_ca = true;
    cert_and_key(host, &template, &key, Issuer::SelfSigned, &key)
}

/// `genSelfSignedCert` / `genSelfSignedCertWithKey`.
pub fn generate_self_signed(
    host: &dyn Host,
    cn: &str,
    ips: &Value,
    alternate_dns: &Value,
    days_valid: i64,
    key: Option<&str>,
) -> Result<Certificate, String> {
    // Without a key, Sprig generates one first; that cannot fail, so
    // checking the names first gives the same results without the wait.
    let (template, key) = match key {
        Some(pem) => {
            let key = pem_key(pem)?;
            (
                base_template(host, cn, ips, alternate_dns, days_valid)?,
                key,
            )
        }
        None => (
            base_template(host, cn, ips, alternate_dns, days_valid)?,
            rsa_2048(host)?,
        ),
    };
    cert_and_key(host, &template, &key, Issuer::SelfSigned, &key)
}

/// `genSignedCert` / `genSignedCertWithKey`.
pub fn generate_signed(
    host: &dyn Host,
    cn: &str,
    ips: &Value,
    alternate_dns: &Value,
    days_valid: i64,
    ca: &Certificate,
    key: Option<&str>,
) -> Result<Certificate, String> {
    let given = key.map(pem_key).transpose()?;
    let (parent, signer) = check_signer(ca)?;
    let template = base_template(host, cn, ips, alternate_dns, days_valid)?;
    let key = match given {
        Some(key) => key,
        None => rsa_2048(host)?,
    };
    cert_and_key(host, &template, &key, Issuer::Parent(&parent), &signer)
}

/// The signer's certificate and key, with Sprig's errors.
fn check_signer(ca: &Certificate) -> Result<(super::x509::ParsedCert, PrivateKey), String> {
    let block = pem_decode(ca.cert.as_bytes()).ok_or("unable to decode certificate")?;
    let parent = parse_certificate(&block.bytes)
        .map_err(|e| format!("error parsing certificate: decodedSignerCert.Bytes: {e}"))?;
    let signer =
        parse_private_key_pem(&ca.key).map_err(|e| format!("error parsing private key: {e}"))?;
    Ok((parent, signer))
}

/// Sprig's `buildCustomCertificate(b64cert, b64key)`.
pub fn build_custom_cert(b64cert: &str, b64key: &str) -> Result<Certificate, String> {
    let cert = base64_decode(b64cert.as_bytes())
        .map_err(|_| "unable to decode base64 certificate".to_string())?;
    let key = base64_decode(b64key.as_bytes())
        .map_err(|_| "unable to decode base64 private key".to_string())?;
    let block = pem_decode(&cert).ok_or("unable to decode certificate")?;
    parse_certificate(&block.bytes)
        .map_err(|e| format!("error parsing certificate: decodedCert.Bytes: {e}"))?;
    // Go strings hold raw bytes; text that is not UTF-8 is kept lossily.
    let key_text = String::from_utf8_lossy(&key).into_owned();
    parse_private_key_pem(&key_text).map_err(|e| format!("error parsing private key: {e}"))?;
    Ok(Certificate {
        cert: String::from_utf8_lossy(&cert).into_owned(),
        key: key_text,
    })
}

/// Wraps a certificate result as a template value.
pub fn to_value(result: Result<Certificate, String>) -> Result<Value, FuncError> {
    result.map(Value::object).map_err(FuncError::msg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_ip_parsing() {
        let v4 = parse_ip("10.0.0.1").unwrap();
        assert_eq!(&v4[10..], &[0xff, 0xff, 10, 0, 0, 1]);
        assert!(parse_ip("010.0.0.1").is_none());
        assert!(parse_ip("256.0.0.1").is_none());
        assert!(parse_ip("1.2.3").is_none());
        assert!(parse_ip("::1").is_some());
        assert!(parse_ip("::ffff:1.2.3.4").is_some());
        assert!(parse_ip("::ffff:1.2.3.04").is_none());
        assert!(parse_ip("fe80::1%eth0").is_none());
        assert!(parse_ip("example.com").is_none());
    }

    #[test]
    fn name_errors() {
        let host = crate::template::DefaultHost::default();
        let bad_ip = Value::list(vec![Value::int(3)]);
        let err = base_template(&host, "x", &bad_ip, &Value::Nil, 1).unwrap_err();
        assert_eq!(err, "error parsing ip: 3 is not a string");
        let bad_ip = Value::list(vec![Value::from("nope")]);
        let err = base_template(&host, "x", &bad_ip, &Value::Nil, 1).unwrap_err();
        assert_eq!(err, "error parsing ip: nope");
        let bad_dns = Value::list(vec![Value::Nil]);
        let err = base_template(&host, "x", &Value::Nil, &bad_dns, 1).unwrap_err();
        assert_eq!(
            err,
            "error processing alternate dns name: <nil> is not a string"
        );
    }

    #[test]
    fn custom_cert_errors() {
        assert_eq!(
            build_custom_cert("!", "").unwrap_err(),
            "unable to decode base64 certificate"
        );
        assert_eq!(
            build_custom_cert("", "!").unwrap_err(),
            "unable to decode base64 private key"
        );
        assert_eq!(
            build_custom_cert("", "").unwrap_err(),
            "unable to decode certificate"
        );
    }
}
