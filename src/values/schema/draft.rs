//! JSON Schema drafts as santhosh-tekuri/jsonschema v6 knows them
//! (`draft.go`): where each draft keeps subschemas, its id keyword, its
//! vocabularies, and the bundled meta-schemas (the documents published at
//! json-schema.org, which v6 embeds so that no network is needed).

use super::json::Json;

/// One draft of the specification.
#[derive(Debug)]
pub(crate) struct Draft {
    pub version: u32,
    /// The meta-schema URL, without fragment.
    pub url: &'static str,
    /// `id` (draft 4) or `$id`.
    pub id: &'static str,
    pub vocab_prefix: &'static str,
    pub all_vocabs: &'static [&'static str],
    pub default_vocabs: &'static [&'static str],
}

/// Where subschemas live (`*` is every property, `[]` every item), each with
/// the first draft that has it.
const SUBSCHEMA_LOCATIONS: &[(&str, u32)] = &[
    ("definitions/*", 4),
    ("not", 4),
    ("allOf/[]", 4),
    ("anyOf/[]", 4),
    ("oneOf/[]", 4),
    ("properties/*", 4),
    ("additionalProperties", 4),
    ("patternProperties/*", 4),
    ("items", 4),
    ("items/[]", 4),
    ("additionalItems", 4),
    ("dependencies/*", 4),
    ("propertyNames", 6),
    ("contains", 6),
    ("if", 7),
    ("then", 7),
    ("else", 7),
    ("$defs/*", 2019),
    ("dependentSchemas/*", 2019),
    ("unevaluatedProperties", 2019),
    ("unevaluatedItems", 2019),
    ("contentSchema", 2019),
    ("prefixItems/[]", 2020),
];

/// Whether the subschema location `path` starts at the keyword `key`
/// (`properties/*` at `properties`): the length is checked before any
/// bytes are compared.
fn starts_at_keyword(path: &str, key: &str) -> bool {
    match path.as_bytes().get(key.len()) {
        None => path == key,
        Some(b'/') => path.as_bytes()[..key.len()] == *key.as_bytes(),
        Some(_) => false,
    }
}

impl Draft {
    /// Where this draft keeps subschemas.
    #[cfg(test)]
    fn subschemas(&self) -> impl Iterator<Item = &'static str> + '_ {
        SUBSCHEMA_LOCATIONS
            .iter()
            .filter(|(_, since)| *since <= self.version)
            .map(|(path, _)| *path)
    }

    /// [`Draft::subschemas`] that start at the keyword `key`. Called for
    /// every member of every schema object, so most locations are ruled out
    /// by one byte ([`starts_at_keyword`]) rather than a byte comparison.
    pub fn subschemas_at<'k>(&self, key: &'k str) -> impl Iterator<Item = &'static str> + 'k {
        let version = self.version;
        SUBSCHEMA_LOCATIONS
            .iter()
            .filter(move |(path, since)| *since <= version && starts_at_keyword(path, key))
            .map(|(path, _)| *path)
    }
}

pub(crate) static DRAFT4: Draft = Draft {
    version: 4,
    url: "http://json-schema.org/draft-04/schema",
    id: "id",
    vocab_prefix: "",
    all_vocabs: &[],
    default_vocabs: &[],
};

pub(crate) static DRAFT6: Draft = Draft {
    version: 6,
    url: "http://json-schema.org/draft-06/schema",
    id: "$id",
    vocab_prefix: "",
    all_vocabs: &[],
    default_vocabs: &[],
};

pub(crate) static DRAFT7: Draft = Draft {
    version: 7,
    url: "http://json-schema.org/draft-07/schema",
    id: "$id",
    vocab_prefix: "",
    all_vocabs: &[],
    default_vocabs: &[],
};

pub(crate) static DRAFT2019: Draft = Draft {
    version: 2019,
    url: "https://json-schema.org/draft/2019-09/schema",
    id: "$id",
    vocab_prefix: "https://json-schema.org/draft/2019-09/vocab/",
    all_vocabs: &[
        "core",
        "applicator",
        "validation",
        "meta-data",
        "format",
        "content",
    ],
    default_vocabs: &["core", "applicator", "validation"],
};

pub(crate) static DRAFT2020: Draft = Draft {
    version: 2020,
    url: "https://json-schema.org/draft/2020-12/schema",
    id: "$id",
    vocab_prefix: "https://json-schema.org/draft/2020-12/vocab/",
    all_vocabs: &[
        "core",
        "applicator",
        "unevaluated",
        "validation",
        "meta-data",
        "format-annotation",
        "format-assertion",
        "content",
    ],
    default_vocabs: &["core", "applicator", "unevaluated", "validation"],
};

/// The draft a schema without `$schema` follows.
pub(crate) static LATEST: &Draft = &DRAFT2020;

/// The draft a `$schema` URL names (`http` or `https`, no fragment other
/// than an empty one).
pub(crate) fn from_url(url: &str) -> Option<&'static Draft> {
    let (u, frag) = super::gourl::split(url);
    if !frag.is_empty() {
        return None;
    }
    let u = u
        .strip_prefix("http://")
        .or_else(|| u.strip_prefix("https://"))
        .unwrap_or(u);
    match u {
        "json-schema.org/schema" => Some(LATEST),
        "json-schema.org/draft/2020-12/schema" => Some(&DRAFT2020),
        "json-schema.org/draft/2019-09/schema" => Some(&DRAFT2019),
        "json-schema.org/draft-07/schema" => Some(&DRAFT7),
        "json-schema.org/draft-06/schema" => Some(&DRAFT6),
        "json-schema.org/draft-04/schema" => Some(&DRAFT4),
        _ => None,
    }
}

impl Draft {
    /// The id a schema object declares (fragment dropped); drafts before
    /// 2019-09 ignore everything beside `$ref`.
    pub(crate) fn get_id(&self, obj: &super::json_object::JsonObject) -> Option<String> {
        if self.version < 2019 && obj.contains_key("$ref") {
            return None;
        }
        let id = obj.get(self.id)?.as_str()?;
        let (id, _) = super::gourl::split(id);
        (!id.is_empty()).then(|| id.to_string())
    }

    /// The URL of one of this draft's vocabulary meta-schemas.
    pub(crate) fn vocab_url(&self, name: &str) -> String {
        format!("{}meta/{name}", self.url.trim_end_matches("schema"))
    }
}

/// The bundled meta-schema document at `url` (without fragment), if any.
pub(crate) fn meta_document(url: &str) -> Option<&'static str> {
    let path = url
        .strip_prefix("http://json-schema.org/")
        .or_else(|| url.strip_prefix("https://json-schema.org/"))?;
    let path = if path == "schema" {
        LATEST.url.strip_prefix("https://json-schema.org/")?
    } else {
        path
    };
    Some(match path {
        "draft-04/schema" => include_str!("metaschemas/draft-04.json"),
        "draft-06/schema" => include_str!("metaschemas/draft-06.json"),
        "draft-07/schema" => include_str!("metaschemas/draft-07.json"),
        "draft/2019-09/schema" => include_str!("metaschemas/2019-09.json"),
        "draft/2019-09/meta/core" => include_str!("metaschemas/2019-09-core.json"),
        "draft/2019-09/meta/applicator" => include_str!("metaschemas/2019-09-applicator.json"),
        "draft/2019-09/meta/validation" => include_str!("metaschemas/2019-09-validation.json"),
        "draft/2019-09/meta/meta-data" => include_str!("metaschemas/2019-09-meta-data.json"),
        "draft/2019-09/meta/format" => include_str!("metaschemas/2019-09-format.json"),
        "draft/2019-09/meta/content" => include_str!("metaschemas/2019-09-content.json"),
        "draft/2020-12/schema" => include_str!("metaschemas/2020-12.json"),
        "draft/2020-12/meta/core" => include_str!("metaschemas/2020-12-core.json"),
        "draft/2020-12/meta/applicator" => include_str!("metaschemas/2020-12-applicator.json"),
        "draft/2020-12/meta/unevaluated" => include_str!("metaschemas/2020-12-unevaluated.json"),
        "draft/2020-12/meta/validation" => include_str!("metaschemas/2020-12-validation.json"),
        "draft/2020-12/meta/meta-data" => include_str!("metaschemas/2020-12-meta-data.json"),
        "draft/2020-12/meta/format-annotation" => {
            include_str!("metaschemas/2020-12-format-annotation.json")
        }
        "draft/2020-12/meta/format-assertion" => {
            include_str!("metaschemas/2020-12-format-assertion.json")
        }
        "draft/2020-12/meta/content" => include_str!("metaschemas/2020-12-content.json"),
        _ => return None,
    })
}

/// A draft with the vocabularies a meta-schema turned on (`None`: the
/// draft's defaults).
#[derive(Clone, Debug)]
pub(crate) struct Dialect {
    pub draft: &'static Draft,
    pub vocabs: Option<Vec<String>>,
}

impl Dialect {
    pub(crate) fn has_vocab(&self, name: &str) -> bool {
        if name == "core" || self.draft.version < 2019 {
            return true;
        }
        match &self.vocabs {
            Some(v) => v.iter().any(|x| x == name),
            None => self.draft.default_vocabs.contains(&name),
        }
    }
}

/// The vocabularies a custom meta-schema document requires
/// (`$vocabulary` entries set to true), as v6's `getVocabs` reads them.
pub(crate) fn vocabs_of(
    draft: &Draft,
    url: &str,
    doc: &Json,
) -> Result<Option<Vec<String>>, String> {
    if draft.version < 2019 {
        return Ok(None);
    }
    let Some(obj) = doc.as_object() else {
        return Ok(None);
    };
    let Some(v) = obj.get("$vocabulary").and_then(Json::as_object) else {
        return Ok(None);
    };
    let mut vocabs: Vec<String> = Vec::new();
    for (vocab, reqd) in v.iter() {
        if reqd.as_bool() != Some(true) {
            continue;
        }
        if let Some(name) = vocab.strip_prefix(draft.vocab_prefix) {
            if draft.all_vocabs.contains(&name) {
                if !vocabs.iter().any(|x| x == name) {
                    vocabs.push(name.to_string());
                }
                continue;
            }
        }
        return Err(format!(
            "unsupported vocabulary {} in {}",
            crate::template::strconv::quote(vocab),
            crate::template::strconv::quote(url)
        ));
    }
    if !vocabs.iter().any(|x| x == "core") {
        vocabs.push("core".to_string());
    }
    Ok(Some(vocabs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_draft_adds_subschema_locations() {
        let count = |d: &Draft| d.subschemas().count();
        assert_eq!(
            [&DRAFT4, &DRAFT6, &DRAFT7, &DRAFT2019, &DRAFT2020].map(count),
            [12, 14, 17, 22, 23]
        );
        assert!(!DRAFT4.subschemas().any(|p| p == "contains"));
        assert!(DRAFT6.subschemas().any(|p| p == "contains"));
        assert!(!DRAFT2019.subschemas().any(|p| p == "prefixItems/[]"));
        assert!(DRAFT2020.subschemas().any(|p| p == "prefixItems/[]"));
    }

    #[test]
    fn subschemas_at_a_keyword_are_those_under_it() {
        for d in [&DRAFT4, &DRAFT6, &DRAFT7, &DRAFT2019, &DRAFT2020] {
            let mut by_keyword: Vec<&str> = Vec::new();
            for path in d.subschemas() {
                let head = path.split('/').next().unwrap_or(path);
                if !by_keyword.contains(&head) {
                    by_keyword.push(head);
                }
            }
            let regathered: Vec<&str> =
                by_keyword.iter().flat_map(|k| d.subschemas_at(k)).collect();
            assert_eq!(regathered, d.subschemas().collect::<Vec<_>>());
        }
        assert_eq!(
            DRAFT2020.subschemas_at("items").collect::<Vec<_>>(),
            ["items", "items/[]"]
        );
        assert_eq!(DRAFT4.subschemas_at("contains").count(), 0);
        assert_eq!(DRAFT2020.subschemas_at("item").count(), 0);
        assert_eq!(DRAFT2020.subschemas_at("type").count(), 0);
    }
}
