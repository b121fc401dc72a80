//! Release labels as Helm v3.21.4 takes them from the command line:
//!
//! - `install --labels` / `upgrade --labels` are pflag `StringToString`
//!   flags (pflag v1.0.10): one `k=v` pair is taken whole (with surrounding
//!   double quotes trimmed); a value with more than one `=` is read as one
//!   record of Go's `encoding/csv`; repeated flags merge. [`parse_labels_flag`].
//! - `upgrade` merges the last revision's labels with the given ones, and a
//!   value of `null` removes the key (`mergeCustomLabels`): [`merge_custom`].
//!
//! The `list -l/--selector` label selector (k8s apimachinery's
//! `labels.Parse`) is in [`super::selector`].

use std::collections::BTreeMap;

/// Labels as a sorted map (Go's `map[string]string`; order never shows).
pub type Labels = BTreeMap<String, String>;

/// The text of pflag's error for a pair without `=`.
fn not_key_value(pair: &str) -> String {
    format!("{pair} must be formatted as key=value")
}

/// One `Set` call of pflag's `StringToString` value: the pairs `val`
/// holds, or the error pflag's `Set` returns (before the flag wrapping).
pub fn parse_string_to_string(val: &str) -> Result<Labels, String> {
    let pairs: Vec<String> = match val.matches('=').count() {
        _ if val.is_empty() => Vec::new(),
        0 => return Err(not_key_value(val)),
        1 => vec![val.trim_matches('"').to_string()],
        _ => csv_record(val)?,
    };
    let mut out = Labels::new();
    for pair in pairs {
        match pair.split_once('=') {
            Some((k, v)) => out.insert(k.to_string(), v.to_string()),
            None => return Err(not_key_value(&pair)),
        };
    }
    Ok(out)
}

/// Every `--labels` value given (in order), merged as pflag merges them,
/// or cobra's error `invalid argument "…" for "-l, --labels" flag: …`.
pub fn parse_labels_flag(values: &[String], flag: &str) -> Result<Labels, String> {
    let mut all = Labels::new();
    for val in values {
        let pairs = parse_string_to_string(val).map_err(|e| {
            format!(
                "invalid argument {} for \"{flag}\" flag: {e}",
                crate::template::strconv::quote(val)
            )
        })?;
        all.extend(pairs);
    }
    Ok(all)
}

/// Go's `csv.ParseError` text for an error on line 1.
fn csv_error(column: usize, what: &str) -> String {
    format!("parse error on line 1, column {column}: {what}")
}

const BARE_QUOTE: &str = "bare \" in non-quoted field";
const EXTRANEOUS_QUOTE: &str = "extraneous or missing \" in quoted-field";

/// The first record of `text` as Go's `csv.Reader.Read` reads it with the
/// default settings (comma `,`, no lazy quotes); a newline outside quotes
/// ends the record. Columns in errors are 1-based byte positions.
fn csv_record(text: &str) -> Result<Vec<String>, String> {
    let bytes = text.as_bytes();
    // Go's reader sees each line ending in `\n`.
    let mut line: Vec<u8> = bytes.to_vec();
    if line.last() != Some(&b'\n') {
        line.push(b'\n');
    }
    let mut fields = Vec::new();
    let mut pos = 0usize;
    loop {
        if line.get(pos) != Some(&b'"') {
            // A plain field: up to the next comma or the end of the line.
            let end = line[pos..]
                .iter()
                .position(|&b| b == b',' || b == b'\n' || b == b'\r')
                .map_or(line.len(), |i| pos + i);
            let field = &line[pos..end];
            if let Some(j) = field.iter().position(|&b| b == b'"') {
                return Err(csv_error(pos + j + 1, BARE_QUOTE));
            }
            fields.push(String::from_utf8_lossy(field).into_owned());
            if line.get(end) == Some(&b',') {
                pos = end + 1;
                continue;
            }
            return Ok(fields);
        }
        // A quoted field: `""` is a quote; the closing quote must be
        // followed by a comma or the end of the line.
        pos += 1;
        let mut field = Vec::new();
        loop {
            match line[pos..].iter().position(|&b| b == b'"') {
                Some(i) => {
                    field.extend_from_slice(&line[pos..pos + i]);
                    pos += i + 1;
                    match line.get(pos) {
                        Some(b'"') => {
                            field.push(b'"');
                            pos += 1;
                        }
                        Some(b',') => {
                            pos += 1;
                            fields.push(String::from_utf8_lossy(&field).into_owned());
                            break;
                        }
                        Some(b'\n') | None => {
                            fields.push(String::from_utf8_lossy(&field).into_owned());
                            return Ok(fields);
                        }
                        Some(b'\r') if line.get(pos + 1) == Some(&b'\n') => {
                            fields.push(String::from_utf8_lossy(&field).into_owned());
                            return Ok(fields);
                        }
                        Some(_) => return Err(csv_error(pos, EXTRANEOUS_QUOTE)),
                    }
                }
                // No closing quote before the end of the input.
                None => return Err(csv_error(line.len() + 1, EXTRANEOUS_QUOTE)),
            }
        }
    }
}

/// Helm's `mergeCustomLabels`: the last revision's labels overridden by
/// the given ones, then every key whose value is `null` removed.
pub fn merge_custom(current: &Labels, desired: &Labels) -> Labels {
    let mut merged = current.clone();
    merged.extend(desired.iter().map(|(k, v)| (k.clone(), v.clone())));
    merged.retain(|_, v| v != "null");
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> Labels {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn one_pair_is_taken_whole() {
        assert_eq!(
            parse_string_to_string("team=a,b").unwrap(),
            labels(&[("team", "a,b")])
        );
        assert_eq!(
            parse_string_to_string("\"team=a\"").unwrap(),
            labels(&[("team", "a")])
        );
        assert_eq!(parse_string_to_string("").unwrap(), Labels::new());
    }

    #[test]
    fn several_pairs_are_a_csv_record() {
        assert_eq!(
            parse_string_to_string("team=a,tier=web").unwrap(),
            labels(&[("team", "a"), ("tier", "web")])
        );
        assert_eq!(
            parse_string_to_string("\"a=1,2\",b=3").unwrap(),
            labels(&[("a", "1,2"), ("b", "3")])
        );
        assert_eq!(
            parse_string_to_string("a=1,b=\"x\"\"y\"").unwrap_err(),
            "parse error on line 1, column 7: bare \" in non-quoted field"
        );
        assert_eq!(
            parse_string_to_string("\"a=1\"x,b=2").unwrap_err(),
            "parse error on line 1, column 5: extraneous or missing \" in quoted-field"
        );
    }

    #[test]
    fn pairs_need_an_equals_sign() {
        assert_eq!(
            parse_string_to_string("team").unwrap_err(),
            "team must be formatted as key=value"
        );
        assert_eq!(
            parse_string_to_string("a=1,,b=2").unwrap_err(),
            " must be formatted as key=value"
        );
        assert_eq!(
            parse_labels_flag(&["x=1".into(), "oops".into()], "-l, --labels").unwrap_err(),
            "invalid argument \"oops\" for \"-l, --labels\" flag: oops must be formatted as key=value"
        );
    }

    #[test]
    fn repeated_flags_merge() {
        let got = parse_labels_flag(&["a=1,b=2".into(), "b=3".into()], "--labels").unwrap();
        assert_eq!(got, labels(&[("a", "1"), ("b", "3")]));
    }

    #[test]
    fn upgrade_merges_and_null_removes() {
        let current = labels(&[("team", "a"), ("tier", "web")]);
        let desired = labels(&[("team", "b"), ("tier", "null"), ("new", "null")]);
        assert_eq!(merge_custom(&current, &desired), labels(&[("team", "b")]));
    }
}
