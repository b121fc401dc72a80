//! A release record as bytes, exactly as Helm v3.21.4 writes and reads it
//! (`pkg/storage/driver/util.go`: `encodeRelease`, `decodeRelease`).
//!
//! Writing: `json.Marshal` of the record, gzip at `gzip.BestCompression`,
//! then standard base64 with padding. The JSON is Go's: struct members in
//! declaration order with Helm's tags (`first_deployed`, `last_run`,
//! `import-values`, …), `omitempty` where Helm's tags say so (never for a
//! struct: `info.deleted` and a hook's `last_run` are always written),
//! Helm's zero times as `""`, `[]byte` as base64, maps with sorted keys, and
//! `<`, `>`, `&` escaped as `\u003c`, `\u003e`, `\u0026`. The gzip stream is
//! flate2's, not byte-identical to Go's writer; Helm only has to read it.
//!
//! Reading: base64 (Go's decoder skips `\r` and `\n`), then gunzip only when
//! the bytes start with the gzip magic `1f 8b 08` (records from before Helm
//! compressed them are plain JSON), then `json.Unmarshal` into the record
//! structs (see [`super::json`] for Go's matching and error rules).

use std::io::{Read, Write};

use flate2::read::MultiGzDecoder;
use flate2::write::GzEncoder;
use flate2::Compression;

pub use super::base64::{base64_decode, base64_encode};
use super::chart::{ReleaseChart, ReleaseLock};
use super::json::{push_string, push_value, Decoder, ObjectWriter};
use super::time::Timestamp;
use super::{Hook, HookExecution, HookPhase, Info, RecordedEvent, Release, Status};
use crate::chart::{Dependency, File, Maintainer, Metadata};
use crate::value::{Map, Value};

/// The gzip magic `decodeRelease` looks for.
const GZIP_MAGIC: [u8; 3] = [0x1f, 0x8b, 0x08];

/// Helm's `encodeRelease`: `base64(gzip(json))`. `Err` is Go's
/// `json.Marshal` error text (a NaN in the values, a year past 9999).
pub fn encode(release: &Release) -> Result<String, String> {
    let json = to_json(release)?;
    Ok(base64_encode(&gzip(json.as_bytes())))
}

/// Helm's `decodeRelease`: base64, gunzip when compressed, JSON. Errors
/// carry Go's texts for base64 and JSON failures.
pub fn decode(data: &str) -> Result<Release, String> {
    let bytes = base64_decode(data)?;
    let json = if bytes.len() > 3 && bytes[..3] == GZIP_MAGIC {
        gunzip(&bytes)?
    } else {
        bytes
    };
    from_json(&json)
}

/// gzip at the best compression level, as Helm's writer is configured.
pub fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::best());
    // Writing to a Vec cannot fail.
    let _ = enc.write_all(data);
    enc.finish().unwrap_or_default()
}

/// Go's `gzip.Reader` read to the end: every concatenated member.
pub fn gunzip(data: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    MultiGzDecoder::new(data)
        .read_to_end(&mut out)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::UnexpectedEof => "unexpected EOF".to_string(),
            _ => format!("gzip: {e}"),
        })?;
    Ok(out)
}

/// `json.Marshal` of the record.
pub fn to_json(release: &Release) -> Result<String, String> {
    let mut out = String::new();
    write_release(&mut out, release)?;
    Ok(out)
}

/// `json.Unmarshal` into a record. A value of the wrong type fails the
/// whole decode (Helm returns the error), with Go's message.
pub fn from_json(bytes: &[u8]) -> Result<Release, String> {
    let text = String::from_utf8_lossy(bytes);
    let value = crate::yaml::from_json(&text).map_err(|e| e.to_string())?;
    let mut d = Decoder::new();
    let release = read_release(&mut d, &value);
    match d.into_error() {
        Some(e) => Err(e),
        None => Ok(release),
    }
}

// ---------------------------------------------------------------- writing

fn write_release(out: &mut String, r: &Release) -> Result<(), String> {
    let mut o = ObjectWriter::new(out);
    o.string_omitempty("name", &r.name);
    if let Some(info) = &r.info {
        write_info(o.key("info"), info)?;
    }
    if let Some(chart) = &r.chart {
        write_chart(o.key("chart"), chart)?;
    }
    if !r.config.is_empty() {
        push_value(o.key("config"), &Value::Map(r.config.clone()))?;
    }
    o.string_omitempty("manifest", &r.manifest);
    if !r.hooks.is_empty() {
        let out = o.key("hooks");
        out.push('[');
        for (i, hook) in r.hooks.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            write_hook(out, hook)?;
        }
        out.push(']');
    }
    if r.version != 0 {
        o.key("version").push_str(&r.version.to_string());
    }
    o.string_omitempty("namespace", &r.namespace);
    o.end();
    Ok(())
}

/// A time: Helm's wrapper (`helm_zero`) writes the zero time as `""`.
fn write_time(out: &mut String, t: &Timestamp, helm_zero: bool) -> Result<(), String> {
    if helm_zero && t.is_zero() {
        out.push_str("\"\"");
    } else {
        out.push('"');
        out.push_str(&t.rfc3339_nano()?);
        out.push('"');
    }
    Ok(())
}

fn write_info(out: &mut String, info: &Info) -> Result<(), String> {
    let mut o = ObjectWriter::new(out);
    write_time(o.key("first_deployed"), &info.first_deployed, true)?;
    write_time(o.key("last_deployed"), &info.last_deployed, true)?;
    write_time(o.key("deleted"), &info.deleted, true)?;
    o.string_omitempty("description", &info.description);
    o.string_omitempty("status", info.status.as_str());
    o.string_omitempty("notes", &info.notes);
    o.end();
    Ok(())
}

fn write_hook(out: &mut String, h: &Hook) -> Result<(), String> {
    let mut o = ObjectWriter::new(out);
    o.string_omitempty("name", &h.name);
    o.string_omitempty("kind", &h.kind);
    o.string_omitempty("path", &h.path);
    o.string_omitempty("manifest", &h.manifest);
    let events: Vec<&str> = h.events.iter().map(RecordedEvent::as_str).collect();
    o.strings_omitempty("events", &events);
    write_execution(o.key("last_run"), &h.last_run)?;
    if h.weight != 0 {
        o.key("weight").push_str(&h.weight.to_string());
    }
    o.strings_omitempty("delete_policies", &h.delete_policies);
    o.strings_omitempty("output_log_policies", &h.output_log_policies);
    o.end();
    Ok(())
}

fn write_execution(out: &mut String, e: &HookExecution) -> Result<(), String> {
    let mut o = ObjectWriter::new(out);
    write_time(o.key("started_at"), &e.started_at, true)?;
    write_time(o.key("completed_at"), &e.completed_at, true)?;
    o.string("phase", e.phase.as_str());
    o.end();
    Ok(())
}

fn write_chart(out: &mut String, c: &ReleaseChart) -> Result<(), String> {
    let mut o = ObjectWriter::new(out);
    match &c.metadata {
        Some(md) => write_metadata(o.key("metadata"), md)?,
        None => o.key("metadata").push_str("null"),
    }
    match &c.lock {
        Some(lock) => write_lock(o.key("lock"), lock)?,
        None => o.key("lock").push_str("null"),
    }
    write_files(o.key("templates"), c.templates.as_deref());
    match &c.values {
        Some(values) => push_value(o.key("values"), &Value::Map(values.clone()))?,
        None => o.key("values").push_str("null"),
    }
    match &c.schema {
        Some(schema) => push_string(o.key("schema"), &base64_encode(schema)),
        None => o.key("schema").push_str("null"),
    }
    write_files(o.key("files"), c.files.as_deref());
    o.end();
    Ok(())
}

fn write_files(out: &mut String, files: Option<&[File]>) {
    let Some(files) = files else {
        out.push_str("null");
        return;
    };
    out.push('[');
    for (i, f) in files.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let mut o = ObjectWriter::new(out);
        o.string("name", &f.name);
        o.string("data", &base64_encode(&f.data));
        o.end();
    }
    out.push(']');
}

fn write_lock(out: &mut String, lock: &ReleaseLock) -> Result<(), String> {
    let mut o = ObjectWriter::new(out);
    write_time(o.key("generated"), &lock.generated, false)?;
    o.string("digest", &lock.digest);
    match &lock.dependencies {
        Some(deps) => write_dependencies(o.key("dependencies"), deps)?,
        None => o.key("dependencies").push_str("null"),
    }
    o.end();
    Ok(())
}

fn write_metadata(out: &mut String, md: &Metadata) -> Result<(), String> {
    let mut o = ObjectWriter::new(out);
    o.string_omitempty("name", &md.name);
    o.string_omitempty("home", &md.home);
    o.strings_omitempty("sources", &md.sources);
    o.string_omitempty("version", &md.version);
    o.string_omitempty("description", &md.description);
    o.strings_omitempty("keywords", &md.keywords);
    if !md.maintainers.is_empty() {
        let out = o.key("maintainers");
        out.push('[');
        for (i, m) in md.maintainers.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let mut mo = ObjectWriter::new(out);
            mo.string_omitempty("name", &m.name);
            mo.string_omitempty("email", &m.email);
            mo.string_omitempty("url", &m.url);
            mo.end();
        }
        out.push(']');
    }
    o.string_omitempty("icon", &md.icon);
    o.string_omitempty("apiVersion", &md.api_version);
    o.string_omitempty("condition", &md.condition);
    o.string_omitempty("tags", &md.tags);
    o.string_omitempty("appVersion", &md.app_version);
    if md.deprecated {
        o.key("deprecated").push_str("true");
    }
    if !md.annotations.is_empty() {
        push_value(o.key("annotations"), &Value::Map(md.annotations_map()))?;
    }
    o.string_omitempty("kubeVersion", &md.kube_version);
    if !md.dependencies.is_empty() {
        write_dependencies(o.key("dependencies"), &md.dependencies)?;
    }
    o.string_omitempty("type", &md.chart_type);
    o.end();
    Ok(())
}

/// `json.Marshal` of a chart's dependency list (`helm get metadata`).
pub fn dependencies_json(deps: &[Dependency]) -> Result<String, String> {
    let mut out = String::new();
    write_dependencies(&mut out, deps)?;
    Ok(out)
}

fn write_dependencies(out: &mut String, deps: &[Dependency]) -> Result<(), String> {
    out.push('[');
    for (i, d) in deps.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let mut o = ObjectWriter::new(out);
        o.string("name", &d.name);
        o.string_omitempty("version", &d.version);
        o.string("repository", &d.repository);
        o.string_omitempty("condition", &d.condition);
        o.strings_omitempty("tags", &d.tags);
        if d.enabled {
            o.key("enabled").push_str("true");
        }
        if !d.import_values.is_empty() {
            push_value(
                o.key("import-values"),
                &Value::list(d.import_values.clone()),
            )?;
        }
        o.string_omitempty("alias", &d.alias);
        o.end();
    }
    out.push(']');
    Ok(())
}

// ---------------------------------------------------------------- reading

fn string_field(d: &mut Decoder, m: &Map, strukt: &'static str, name: &'static str) -> String {
    d.field(m, strukt, name, |d, v| d.string(v, "string"))
        .unwrap_or_default()
}

fn strings_field(
    d: &mut Decoder,
    m: &Map,
    strukt: &'static str,
    name: &'static str,
    elem: &'static str,
) -> Option<Vec<String>> {
    d.field(m, strukt, name, |d, v| {
        d.slice(
            v,
            &format!("[]{elem}"),
            |d, x| d.string(x, elem),
            String::new,
        )
    })
}

/// A time field; `helm_zero` is Helm's wrapper, which also takes `""`.
/// Parse failures abort decoding, as an `UnmarshalJSON` error does in Go.
fn time_field(
    d: &mut Decoder,
    m: &Map,
    strukt: &'static str,
    name: &'static str,
    helm_zero: bool,
) -> Timestamp {
    d.field(m, strukt, name, |d, v| match v {
        Value::Nil => None,
        Value::String(s) if helm_zero && s.is_empty() => Some(Timestamp::ZERO),
        Value::String(s) => match Timestamp::parse_rfc3339(s) {
            Ok(t) => Some(t),
            Err(e) => {
                d.fail(e);
                None
            }
        },
        _ => {
            d.fail("Time.UnmarshalJSON: input is not a JSON string".to_string());
            None
        }
    })
    .unwrap_or_default()
}

fn read_release(d: &mut Decoder, v: &Value) -> Release {
    let mut r = Release::default();
    let Some(m) = d.object(v, "release.Release") else {
        return r;
    };
    const S: &str = "Release";
    r.name = string_field(d, &m, S, "name");
    r.info = d.field(&m, S, "info", read_info);
    r.chart = d.field(&m, S, "chart", read_chart);
    r.config = d
        .field(&m, S, "config", |d, v| d.any_map(v))
        .unwrap_or_default();
    r.manifest = string_field(d, &m, S, "manifest");
    r.hooks = d
        .field(&m, S, "hooks", |d, v| {
            d.slice(v, "[]*release.Hook", read_hook, Hook::default)
        })
        .unwrap_or_default();
    r.version = d.field(&m, S, "version", |d, v| d.int(v)).unwrap_or(0);
    r.namespace = string_field(d, &m, S, "namespace");
    r
}

fn read_info(d: &mut Decoder, v: &Value) -> Option<Info> {
    let m = d.object(v, "release.Info")?;
    const S: &str = "Info";
    Some(Info {
        first_deployed: time_field(d, &m, S, "first_deployed", true),
        last_deployed: time_field(d, &m, S, "last_deployed", true),
        deleted: time_field(d, &m, S, "deleted", true),
        description: string_field(d, &m, S, "description"),
        status: d
            .field(&m, S, "status", |d, v| d.string(v, "release.Status"))
            .map_or(Status::Other(String::new()), |s| Status::parse(&s)),
        notes: string_field(d, &m, S, "notes"),
    })
}

fn read_hook(d: &mut Decoder, v: &Value) -> Option<Hook> {
    let m = d.object(v, "release.Hook")?;
    const S: &str = "Hook";
    Some(Hook {
        name: string_field(d, &m, S, "name"),
        kind: string_field(d, &m, S, "kind"),
        path: string_field(d, &m, S, "path"),
        manifest: string_field(d, &m, S, "manifest"),
        events: strings_field(d, &m, S, "events", "release.HookEvent")
            .unwrap_or_default()
            .iter()
            .map(|e| RecordedEvent::parse(e))
            .collect(),
        last_run: d
            .field(&m, S, "last_run", read_execution)
            .unwrap_or_default(),
        weight: d.field(&m, S, "weight", |d, v| d.int(v)).unwrap_or(0),
        delete_policies: strings_field(d, &m, S, "delete_policies", "release.HookDeletePolicy")
            .unwrap_or_default(),
        output_log_policies: strings_field(
            d,
            &m,
            S,
            "output_log_policies",
            "release.HookOutputLogPolicy",
        )
        .unwrap_or_default(),
    })
}

fn read_execution(d: &mut Decoder, v: &Value) -> Option<HookExecution> {
    let m = d.object(v, "release.HookExecution")?;
    const S: &str = "HookExecution";
    Some(HookExecution {
        started_at: time_field(d, &m, S, "started_at", true),
        completed_at: time_field(d, &m, S, "completed_at", true),
        phase: d
            .field(&m, S, "phase", |d, v| d.string(v, "release.HookPhase"))
            .map_or(HookPhase::NotRun, |s| HookPhase::parse(&s)),
    })
}

fn read_chart(d: &mut Decoder, v: &Value) -> Option<ReleaseChart> {
    let m = d.object(v, "chart.Chart")?;
    const S: &str = "Chart";
    let files = |d: &mut Decoder, name: &'static str| {
        d.field(&m, S, name, |d, v| {
            d.slice(v, "[]*chart.File", read_file, || File {
                name: String::new(),
                data: Vec::new().into(),
            })
        })
    };
    let metadata = d.field(&m, S, "metadata", read_metadata);
    let lock = d.field(&m, S, "lock", read_lock);
    let templates = files(d, "templates");
    let values = d.field(&m, S, "values", |d, v| d.any_map(v));
    let schema = d.field(&m, S, "schema", |d, v| d.bytes(v)).map(Into::into);
    let files = files(d, "files");
    Some(ReleaseChart {
        metadata,
        lock,
        templates,
        values,
        schema,
        files,
    })
}

fn read_file(d: &mut Decoder, v: &Value) -> Option<File> {
    let m = d.object(v, "chart.File")?;
    Some(File {
        name: string_field(d, &m, "File", "name"),
        data: d
            .field(&m, "File", "data", |d, v| d.bytes(v))
            .unwrap_or_default()
            .into(),
    })
}

fn read_lock(d: &mut Decoder, v: &Value) -> Option<ReleaseLock> {
    let m = d.object(v, "chart.Lock")?;
    const S: &str = "Lock";
    Some(ReleaseLock {
        generated: time_field(d, &m, S, "generated", false),
        digest: string_field(d, &m, S, "digest"),
        dependencies: d.field(&m, S, "dependencies", read_dependencies),
    })
}

fn read_dependencies(d: &mut Decoder, v: &Value) -> Option<Vec<Dependency>> {
    d.slice(
        v,
        "[]*chart.Dependency",
        read_dependency,
        Dependency::default,
    )
}

fn read_dependency(d: &mut Decoder, v: &Value) -> Option<Dependency> {
    let m = d.object(v, "chart.Dependency")?;
    const S: &str = "Dependency";
    Some(Dependency {
        name: string_field(d, &m, S, "name"),
        version: string_field(d, &m, S, "version"),
        repository: string_field(d, &m, S, "repository"),
        condition: string_field(d, &m, S, "condition"),
        tags: strings_field(d, &m, S, "tags", "string").unwrap_or_default(),
        enabled: d.field(&m, S, "enabled", |d, v| d.bool(v)).unwrap_or(false),
        import_values: d
            .field(&m, S, "import-values", |d, v| {
                d.slice(v, "[]interface {}", |_, x| Some(x.clone()), || Value::Nil)
            })
            .unwrap_or_default(),
        alias: string_field(d, &m, S, "alias"),
    })
}

fn read_metadata(d: &mut Decoder, v: &Value) -> Option<Metadata> {
    let m = d.object(v, "chart.Metadata")?;
    const S: &str = "Metadata";
    let dependencies = d.field(&m, S, "dependencies", read_dependencies);
    Some(Metadata {
        name: string_field(d, &m, S, "name"),
        home: string_field(d, &m, S, "home"),
        sources: strings_field(d, &m, S, "sources", "string").unwrap_or_default(),
        version: string_field(d, &m, S, "version"),
        description: string_field(d, &m, S, "description"),
        keywords: strings_field(d, &m, S, "keywords", "string").unwrap_or_default(),
        maintainers: d
            .field(&m, S, "maintainers", |d, v| {
                d.slice(
                    v,
                    "[]*chart.Maintainer",
                    read_maintainer,
                    Maintainer::default,
                )
            })
            .unwrap_or_default(),
        icon: string_field(d, &m, S, "icon"),
        api_version: string_field(d, &m, S, "apiVersion"),
        condition: string_field(d, &m, S, "condition"),
        tags: string_field(d, &m, S, "tags"),
        app_version: string_field(d, &m, S, "appVersion"),
        deprecated: d
            .field(&m, S, "deprecated", |d, v| d.bool(v))
            .unwrap_or(false),
        annotations: d
            .field(&m, S, "annotations", |d, v| d.string_map(v))
            .unwrap_or_default(),
        kube_version: string_field(d, &m, S, "kubeVersion"),
        dependencies_declared: dependencies.is_some(),
        dependencies: dependencies.unwrap_or_default(),
        chart_type: string_field(d, &m, S, "type"),
    })
}

fn read_maintainer(d: &mut Decoder, v: &Value) -> Option<Maintainer> {
    let m = d.object(v, "chart.Maintainer")?;
    const S: &str = "Maintainer";
    Some(Maintainer {
        name: string_field(d, &m, S, "name"),
        email: string_field(d, &m, S, "email"),
        url: string_field(d, &m, S, "url"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gzip_round_trips_and_reads_concatenated_members() {
        let data = b"{\"name\":\"x\"}".repeat(50);
        let z = gzip(&data);
        assert_eq!(z[..3], GZIP_MAGIC);
        assert_eq!(gunzip(&z).unwrap(), data);
        let mut two = gzip(b"ab");
        two.extend(gzip(b"cd"));
        assert_eq!(gunzip(&two).unwrap(), b"abcd");
        assert_eq!(gunzip(&z[..z.len() - 4]).unwrap_err(), "unexpected EOF");
    }
}
