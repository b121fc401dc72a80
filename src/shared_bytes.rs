//! [`SharedBytes`]: a chart file's contents, held once and shared by the
//! chart, the template parse, the schema compile and the `.Files` values of
//! a render.
//!
//! The contents are either bytes in memory (every chart given as files,
//! read from an archive, or read from a directory by the library) or, in
//! the `chartroom` command, a read-only mapping of the file
//! ([`SharedBytes::map_file`]). A chart directory's large files are mapped
//! there rather than read: a file no template asks for (a changelog, a
//! values reference: traefik's chart carries 700 KB of them) is never
//! touched, and the others come straight from the page cache instead of
//! being copied into freshly zeroed heap pages.

use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

/// A file's bytes, cheap to clone (see the module docs).
#[derive(Clone)]
pub struct SharedBytes(Arc<Storage>);

enum Storage {
    Owned(Vec<u8>),
    #[cfg(all(feature = "cli", not(target_arch = "wasm32")))]
    Mapped(memmap2::Mmap),
}

impl SharedBytes {
    /// Maps the first `len` bytes of `file` read-only, or `None` where the
    /// system refuses (the caller reads the file instead).
    ///
    /// # Safety
    /// The mapping shows the file as it is on disk for as long as it
    /// lives: the file must not be changed or truncated meanwhile, as the
    /// bytes would change under their readers (and reading past a new end
    /// raises `SIGBUS`). Only for a process that reads a chart once and
    /// exits, as `helm template` itself reads files it assumes stay put.
    #[cfg(all(feature = "cli", not(target_arch = "wasm32")))]
    pub unsafe fn map_file(file: &std::fs::File, len: usize) -> Option<SharedBytes> {
        let map = memmap2::MmapOptions::new().len(len).map(file).ok()?;
        Some(SharedBytes(Arc::new(Storage::Mapped(map))))
    }

    /// Whether the contents are a mapping of a file.
    #[cfg(all(test, feature = "cli", not(target_arch = "wasm32")))]
    pub(crate) fn is_mapped(&self) -> bool {
        matches!(*self.0, Storage::Mapped(_))
    }

    /// How many holders share these contents.
    #[cfg(test)]
    pub(crate) fn holders(&self) -> usize {
        Arc::strong_count(&self.0)
    }
}

impl From<Vec<u8>> for SharedBytes {
    fn from(bytes: Vec<u8>) -> SharedBytes {
        SharedBytes(Arc::new(Storage::Owned(bytes)))
    }
}

impl From<&[u8]> for SharedBytes {
    fn from(bytes: &[u8]) -> SharedBytes {
        SharedBytes::from(bytes.to_vec())
    }
}

impl Deref for SharedBytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match &*self.0 {
            Storage::Owned(bytes) => bytes,
            #[cfg(all(feature = "cli", not(target_arch = "wasm32")))]
            Storage::Mapped(map) => map,
        }
    }
}

impl PartialEq for SharedBytes {
    fn eq(&self, other: &SharedBytes) -> bool {
        **self == **other
    }
}

impl Eq for SharedBytes {}

impl fmt::Debug for SharedBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

/// Shared bytes that are UTF-8 text: a chart file printed as it is (a
/// CRD) without a copy of its own.
#[derive(Clone, PartialEq, Eq)]
pub struct SharedText(SharedBytes);

impl SharedText {
    /// The text of `bytes`, sharing them, or `None` where they are not
    /// UTF-8.
    pub fn of(bytes: &SharedBytes) -> Option<SharedText> {
        std::str::from_utf8(bytes).ok()?;
        Some(SharedText(bytes.clone()))
    }
}

impl From<String> for SharedText {
    fn from(text: String) -> SharedText {
        SharedText(SharedBytes::from(text.into_bytes()))
    }
}

impl Deref for SharedText {
    type Target = str;

    fn deref(&self) -> &str {
        // SAFETY: every SharedText is made from a `String` or from bytes
        // checked to be UTF-8 (`SharedText::of`), and shared bytes never
        // change.
        unsafe { std::str::from_utf8_unchecked(&self.0) }
    }
}

impl fmt::Debug for SharedText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clones_share_the_bytes_and_compare_by_content() {
        let a = SharedBytes::from(b"kind: ConfigMap\n".to_vec());
        let b = a.clone();
        assert_eq!((a.holders(), b.holders()), (2, 2));
        let c = SharedBytes::from(&b"kind: ConfigMap\n"[..]);
        assert_eq!(c.holders(), 1);
        assert_eq!(a, c);
        assert_eq!(&*a, b"kind: ConfigMap\n");
        assert_eq!(
            format!("{a:?}"),
            format!("{:?}", b"kind: ConfigMap\n".as_slice())
        );
    }

    #[test]
    fn text_shares_utf8_bytes_only() {
        let bytes = SharedBytes::from("kind: CRD # é\n".as_bytes());
        let text = SharedText::of(&bytes).unwrap();
        assert_eq!(&*text, "kind: CRD # é\n");
        assert_eq!(bytes.holders(), 2, "shared, not copied");
        assert!(SharedText::of(&SharedBytes::from(&b"a\xffb"[..])).is_none());
        let text = |s: &str| SharedText::from(s.to_string());
        assert_eq!(
            text("x"),
            SharedText::of(&SharedBytes::from(&b"x"[..])).unwrap()
        );
        assert_eq!(format!("{:?}", text("a\"b")), r#""a\"b""#);
    }

    #[cfg(all(feature = "cli", not(target_arch = "wasm32")))]
    #[test]
    fn a_mapped_file_reads_as_its_contents() {
        let path =
            std::env::temp_dir().join(format!("chartroom-shared-bytes-{}", std::process::id()));
        let data: Vec<u8> = (0..100_000u32).map(|i| (i % 253) as u8).collect();
        std::fs::write(&path, &data).unwrap();
        let file = std::fs::File::open(&path).unwrap();
        // SAFETY: the test's own file, unchanged while mapped.
        let mapped = unsafe { SharedBytes::map_file(&file, data.len()) }.unwrap();
        let first = unsafe { SharedBytes::map_file(&file, 10) }.unwrap();
        drop(file);
        assert!(mapped.is_mapped() && first.is_mapped());
        assert!(!SharedBytes::from(&data[..10]).is_mapped());
        assert_eq!(&*mapped, data.as_slice());
        assert_eq!(&*first, &data[..10]);
        assert_eq!(mapped, SharedBytes::from(data));
        std::fs::remove_file(&path).unwrap();
    }
}
