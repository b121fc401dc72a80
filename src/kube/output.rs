//! Helm's `-o table|json|yaml` (`pkg/cli/output`) and the JSON shapes its
//! commands write: the whole record for `install`, `upgrade` and `status`
//! (`status` drops the chart), `releaseInfo` rows for `history`,
//! `releaseElement` rows for `list`, the values map for `get values` and
//! `action.Metadata` for `get metadata`.
//!
//! JSON is `json.Encoder.Encode`: `json.Marshal`'s text (struct fields in
//! declaration order, map keys sorted, HTML characters escaped) and a
//! newline. YAML is `sigs.k8s.io/yaml.Marshal`: that JSON turned into YAML
//! ([`crate::yaml::json_to_yaml`]), so numbers, key order and quoting
//! follow the JSON.

use super::print::{in_record_zone, list_updated};
use crate::chart::Metadata;
use crate::funcs::gotime::format::format;
use crate::release::codec;
use crate::release::json::{push_string, push_value, ObjectWriter};
use crate::release::{Release, Timestamp};
use crate::value::{Map, Value};

/// `--output`/`-o`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    #[default]
    Table,
    Json,
    Yaml,
}

impl Format {
    /// cobra's parse of the flag (`table` when absent), with its error text.
    pub fn parse(flag: Option<&str>) -> Result<Format, String> {
        match flag {
            None | Some("table") => Ok(Format::Table),
            Some("json") => Ok(Format::Json),
            Some("yaml") => Ok(Format::Yaml),
            Some(other) => Err(format!(
                "invalid argument {} for \"-o, --output\" flag: invalid format type",
                crate::template::strconv::quote(other)
            )),
        }
    }

    /// What `Format.Write` prints: `table` for the table format, else the
    /// JSON (from `json`) or its YAML form.
    pub fn write(
        self,
        json: impl FnOnce() -> Result<String, String>,
        table: impl FnOnce() -> Result<String, String>,
    ) -> Result<String, String> {
        match self {
            Format::Table => table(),
            Format::Json => Ok(encode_json(&json()?)),
            Format::Yaml => encode_yaml(&json()?),
        }
    }
}

/// `output.EncodeJSON`: the JSON and a newline.
pub fn encode_json(json: &str) -> String {
    format!("{json}\n")
}

/// `output.EncodeYAML` of the value whose `json.Marshal` text is `json`.
pub fn encode_yaml(json: &str) -> Result<String, String> {
    crate::yaml::json_to_yaml(json).map_err(|e| format!("unable to write YAML output: {e}"))
}

/// The record as `status`, `install` and `upgrade` print it; `status`
/// strips the chart first.
pub fn release_json(release: &Release, strip_chart: bool) -> Result<String, String> {
    if strip_chart && release.chart.is_some() {
        let mut stripped = release.clone();
        stripped.chart = None;
        return codec::to_json(&stripped);
    }
    codec::to_json(release)
}

/// `helm history`'s chart column: `MISSING` without a chart.
pub fn chart_column(release: &Release) -> String {
    match &release.chart {
        Some(c) if c.metadata.is_some() => c.name_version(),
        _ => "MISSING".to_string(),
    }
}

/// `helm history`'s app version column: `MISSING` without a chart.
pub fn app_version_column(release: &Release) -> String {
    match release.chart.as_ref().and_then(|c| c.metadata.as_ref()) {
        Some(md) => md.app_version.clone(),
        None => "MISSING".to_string(),
    }
}

fn push_array<T>(
    out: &mut String,
    items: &[T],
    mut each: impl FnMut(&mut String, &T) -> Result<(), String>,
) -> Result<(), String> {
    out.push('[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        each(out, item)?;
    }
    out.push(']');
    Ok(())
}

/// `helm history -o json`: `releaseInfo` rows, oldest first (`updated` is
/// `""` for a zero time, as Helm's time type marshals it).
pub fn history_json(records: &[Release]) -> Result<String, String> {
    let mut out = String::new();
    push_array(&mut out, records, |out, r| {
        let info = r.info.clone().unwrap_or_default();
        let mut o = ObjectWriter::new(out);
        o.key("revision").push_str(&r.version.to_string());
        let updated = if info.last_deployed.is_zero() {
            String::new()
        } else {
            info.last_deployed.rfc3339_nano()?
        };
        o.string("updated", &updated);
        o.string("status", info.status.as_str());
        o.string("chart", &chart_column(r));
        o.string("app_version", &app_version_column(r));
        o.string("description", &info.description);
        o.end();
        Ok(())
    })?;
    Ok(out)
}

/// `helm list -o json`: `releaseElement` rows (the revision is a string,
/// `updated` is Go's `Time.String` or `-`).
pub fn list_json(releases: &[Release], time_format: Option<&str>) -> Result<String, String> {
    let mut out = String::new();
    push_array(&mut out, releases, |out, r| {
        let info = r.info.clone().unwrap_or_default();
        let mut o = ObjectWriter::new(out);
        o.string("name", &r.name);
        o.string("namespace", &r.namespace);
        o.string("revision", &r.version.to_string());
        o.string("updated", &list_updated(&info.last_deployed, time_format));
        o.string("status", info.status.as_str());
        o.string("chart", &chart_column(r));
        o.string("app_version", &app_version_column(r));
        o.end();
        Ok(())
    })?;
    Ok(out)
}

/// `json.Marshal` of a values map; `None` is Go's nil map (`null`).
pub fn values_json(values: Option<&Map>) -> Result<String, String> {
    match values {
        None => Ok("null".to_string()),
        Some(m) => crate::yaml::to_json(&Value::Map(m.clone())).map_err(|e| e.to_string()),
    }
}

/// `t.Format(time.RFC3339)` in the zone the record holds.
pub fn rfc3339(t: &Timestamp) -> String {
    format(&in_record_zone(t), "2006-01-02T15:04:05Z07:00")
}

fn chart_metadata(release: &Release) -> Metadata {
    release
        .chart
        .as_ref()
        .and_then(|c| c.metadata.clone())
        .unwrap_or_default()
}

/// `helm get metadata -o json`: `action.Metadata`.
pub fn metadata_json(release: &Release) -> Result<String, String> {
    let md = chart_metadata(release);
    let info = release.info.clone().unwrap_or_default();
    let mut out = String::new();
    let mut o = ObjectWriter::new(&mut out);
    o.string("name", &release.name);
    o.string("chart", &md.name);
    o.string("version", &md.version);
    o.string("appVersion", &md.app_version);
    if !md.annotations.is_empty() {
        push_value(o.key("annotations"), &Value::Map(md.annotations_map()))?;
    }
    if !md.dependencies.is_empty() {
        o.key("dependencies")
            .push_str(&codec::dependencies_json(&md.dependencies)?);
    }
    o.string("namespace", &release.namespace);
    o.key("revision").push_str(&release.version.to_string());
    o.string("status", info.status.as_str());
    o.string("deployedAt", &rfc3339(&info.last_deployed));
    o.end();
    Ok(out)
}

/// `helm get metadata`'s table.
pub fn metadata_table(release: &Release) -> String {
    let md = chart_metadata(release);
    let info = release.info.clone().unwrap_or_default();
    // k8s `labels.Set.String()`: sorted `key=value` pairs joined by commas.
    let annotations: Vec<String> = md
        .annotations
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    let mut deps: Vec<&str> = md.dependencies.iter().map(|d| d.name.as_str()).collect();
    deps.sort_unstable();
    format!(
        "NAME: {}\nCHART: {}\nVERSION: {}\nAPP_VERSION: {}\nANNOTATIONS: {}\nDEPENDENCIES: {}\nNAMESPACE: {}\nREVISION: {}\nSTATUS: {}\nDEPLOYED_AT: {}\n",
        release.name,
        md.name,
        md.version,
        md.app_version,
        annotations.join(","),
        deps.join(","),
        release.namespace,
        release.version,
        info.status,
        rfc3339(&info.last_deployed)
    )
}

/// A JSON string, as `json.Marshal` writes it (for names in `list -q`).
pub fn strings_json(items: &[String]) -> String {
    let mut out = String::new();
    let _ = push_array(&mut out, items, |out, s| {
        push_string(out, s);
        Ok(())
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::release::{Info, ReleaseChart, Status};

    fn rel() -> Release {
        let t = Timestamp::from_unix(1_700_000_000, 5, 3600);
        let mut md = Metadata {
            name: "web".into(),
            version: "0.1.0".into(),
            app_version: "1.16.0".into(),
            ..Default::default()
        };
        md.annotations.insert("b".into(), "2".into());
        md.annotations.insert("a".into(), "<1>".into());
        Release {
            name: "web".into(),
            namespace: "apps".into(),
            version: 3,
            info: Some(Info {
                first_deployed: t,
                last_deployed: t,
                status: Status::Deployed,
                description: "Upgrade complete".into(),
                ..Info::default()
            }),
            chart: Some(ReleaseChart {
                metadata: Some(md),
                ..ReleaseChart::default()
            }),
            ..Release::default()
        }
    }

    #[test]
    fn formats_parse_like_cobra() {
        assert_eq!(Format::parse(None), Ok(Format::Table));
        assert_eq!(Format::parse(Some("yaml")), Ok(Format::Yaml));
        assert_eq!(
            Format::parse(Some("xml")),
            Err("invalid argument \"xml\" for \"-o, --output\" flag: invalid format type".into())
        );
    }

    #[test]
    fn history_rows_in_helms_field_order() {
        let json = history_json(&[rel()]).unwrap();
        assert_eq!(
            json,
            r#"[{"revision":3,"updated":"2023-11-14T23:13:20.000000005+01:00","status":"deployed","chart":"web-0.1.0","app_version":"1.16.0","description":"Upgrade complete"}]"#
        );
        let mut bare = rel();
        bare.chart = None;
        bare.info.as_mut().unwrap().last_deployed = Timestamp::ZERO;
        let json = history_json(&[bare]).unwrap();
        assert!(
            json.contains(
                r#""updated":"","status":"deployed","chart":"MISSING","app_version":"MISSING""#
            ),
            "{json}"
        );
        assert_eq!(history_json(&[]).unwrap(), "[]");
    }

    #[test]
    fn list_rows_have_string_revisions() {
        let json = list_json(&[rel()], None).unwrap();
        assert!(
            json.starts_with(
                r#"[{"name":"web","namespace":"apps","revision":"3","updated":"2023-11-14 "#
            ),
            "{json}"
        );
        assert_eq!(list_json(&[], None).unwrap(), "[]");
    }

    #[test]
    fn yaml_is_the_json_as_yaml() {
        let yaml = Format::Yaml
            .write(|| history_json(&[rel()]), || Ok(String::new()))
            .unwrap();
        assert_eq!(
            yaml,
            "- app_version: 1.16.0\n  chart: web-0.1.0\n  description: Upgrade complete\n  revision: 3\n  status: deployed\n  updated: \"2023-11-14T23:13:20.000000005+01:00\"\n"
        );
    }

    #[test]
    fn status_json_can_drop_the_chart() {
        let with = release_json(&rel(), false).unwrap();
        let without = release_json(&rel(), true).unwrap();
        assert!(with.contains(r#""chart":{"metadata""#), "{with}");
        assert!(!without.contains(r#""chart""#), "{without}");
    }

    #[test]
    fn values_nil_is_null() {
        assert_eq!(values_json(None).unwrap(), "null");
        let m = crate::yaml::from_yaml_map("b: 1\na: x\n").unwrap();
        assert_eq!(values_json(Some(&m)).unwrap(), r#"{"a":"x","b":1}"#);
    }

    #[test]
    fn metadata_shapes() {
        let json = metadata_json(&rel()).unwrap();
        assert_eq!(
            json,
            r#"{"name":"web","chart":"web","version":"0.1.0","appVersion":"1.16.0","annotations":{"a":"\u003c1\u003e","b":"2"},"namespace":"apps","revision":3,"status":"deployed","deployedAt":"2023-11-14T23:13:20+01:00"}"#
        );
        let table = metadata_table(&rel());
        assert!(
            table.contains("ANNOTATIONS: a=<1>,b=2\nDEPENDENCIES: \nNAMESPACE: apps\nREVISION: 3\nSTATUS: deployed\nDEPLOYED_AT: 2023-11-14T23:13:20+01:00\n"),
            "{table}"
        );
    }

    #[test]
    fn names_as_json() {
        assert_eq!(
            strings_json(&["a".into(), "<b>".into()]),
            r#"["a","\u003cb\u003e"]"#
        );
    }
}
