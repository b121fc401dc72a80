//! Helm's Secret storage driver on a live cluster
//! (`pkg/storage/driver/secrets.go`): records are Secrets of the release
//! namespace, encoded and labelled by [`crate::release::storage`]; this
//! module only moves them to and from the API server.

use ::kube::api::{DynamicObject, ListParams, PostParams};
use serde_json::Value as Json;

use super::client::{error_text, Cluster};
use crate::release::storage::{
    from_secret, history_selector, secret_name, to_secret, Stamp, OWNER_SELECTOR,
};
use crate::release::Release;
use crate::value::Value;

/// The records of one namespace (or of all, for `list -A`).
pub struct Secrets<'a> {
    cluster: &'a Cluster,
    namespace: Option<String>,
}

fn to_value(json: &Json) -> Result<Value, String> {
    let text = serde_json::to_string(json).map_err(|e| e.to_string())?;
    crate::yaml::from_json(&text).map_err(|e| e.to_string())
}

fn to_object(value: &Value, namespace: &str) -> Result<DynamicObject, String> {
    let text = crate::yaml::to_json(value).map_err(|e| e.to_string())?;
    let mut object: DynamicObject = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    object.metadata.namespace = Some(namespace.to_string());
    Ok(object)
}

/// Unix seconds now (Helm's `createdAt`/`modifiedAt`).
pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

impl<'a> Secrets<'a> {
    /// The driver of `namespace`; `None` reads every namespace.
    pub fn new(cluster: &'a Cluster, namespace: Option<&str>) -> Secrets<'a> {
        Secrets {
            cluster,
            namespace: namespace.map(str::to_string),
        }
    }

    fn namespace(&self) -> Result<&str, String> {
        self.namespace
            .as_deref()
            .ok_or_else(|| "no namespace to store the release in".to_string())
    }

    /// Every record matching `selector`, in the API server's list order.
    /// A Secret that does not decode is skipped, as Helm's `List` does.
    async fn query(&self, selector: &str) -> Result<Vec<Release>, String> {
        let list = self
            .cluster
            .secrets(self.namespace.as_deref())
            .list(&ListParams::default().labels(selector))
            .await
            .map_err(|e| format!("query: failed to query with labels: {}", error_text(&e)))?;
        let mut out = Vec::new();
        for item in list.items {
            let json = serde_json::to_value(&item).map_err(|e| e.to_string())?;
            if let Ok(release) = to_value(&json).and_then(|v| from_secret(&v)) {
                out.push(release);
            }
        }
        Ok(out)
    }

    /// One release's records (Helm's `History`), in list order.
    pub async fn history(&self, name: &str) -> Result<Vec<Release>, String> {
        self.query(&history_selector(name)).await
    }

    /// Every record (Helm's `List`, whose failure reads `list: failed to
    /// list: …`).
    pub async fn all(&self) -> Result<Vec<Release>, String> {
        const QUERY_FAILED: &str = "query: failed to query with labels: ";
        self.query(OWNER_SELECTOR)
            .await
            .map_err(|e| match e.strip_prefix(QUERY_FAILED) {
                Some(cause) => format!("list: failed to list: {cause}"),
                None => e,
            })
    }

    /// Stores a new revision (`Create`); `release: already exists` if the
    /// Secret is there.
    pub async fn create(&self, release: &Release) -> Result<(), String> {
        let ns = self.namespace()?;
        let secret = to_secret(release, Stamp::Create(unix_now()))?;
        let object = to_object(&secret, ns)?;
        match self
            .cluster
            .secrets(Some(ns))
            .create(&PostParams::default(), &object)
            .await
        {
            Ok(_) => Ok(()),
            Err(::kube::Error::Api(s)) if s.code == 409 => {
                Err(crate::release::storage::ERR_RELEASE_EXISTS.to_string())
            }
            Err(e) => Err(format!("create: failed to create: {}", error_text(&e))),
        }
    }

    /// Rewrites a stored revision (`Update`).
    pub async fn update(&self, release: &Release) -> Result<(), String> {
        let ns = self.namespace()?;
        let secret = to_secret(release, Stamp::Update(unix_now()))?;
        let object = to_object(&secret, ns)?;
        let name = secret_name(&release.name, release.version);
        self.cluster
            .secrets(Some(ns))
            .replace(&name, &PostParams::default(), &object)
            .await
            .map_err(|e| format!("update: failed to update: {}", error_text(&e)))?;
        Ok(())
    }

    /// Deletes a stored revision (`Delete`).
    pub async fn delete(&self, name: &str, version: i64) -> Result<(), String> {
        let ns = self.namespace()?;
        self.cluster
            .secrets(Some(ns))
            .delete(&secret_name(name, version), &Default::default())
            .await
            .map_err(|e| format!("delete: failed to delete release: {}", error_text(&e)))?;
        Ok(())
    }
}
