//! The cluster connection (kube-rs): kubeconfig as Helm's `--kubeconfig`,
//! `KUBECONFIG` and `--kube-context` select it, discovery of each kind's
//! API resource and scope (cached per group/version/kind), server-side
//! apply with field manager `helm` and forced conflicts (as Helm 4
//! applies), gets and deletes. Errors are the API server's messages.

use std::cell::RefCell;
use std::collections::BTreeMap;

use ::kube::api::{Api, DeleteParams, DynamicObject, ListParams, Patch, PatchParams, PostParams};
use ::kube::config::{KubeConfigOptions, Kubeconfig};
use ::kube::core::GroupVersionKind;
use ::kube::discovery::{ApiResource, Scope};
use ::kube::{Client, Config};
use serde_json::Value as Json;

use super::capabilities::{from_discovery, Discovered};
use super::objects::Resource;
use crate::api::capabilities::Capabilities;

/// The field manager of server-side apply (Helm 4's).
pub const FIELD_MANAGER: &str = "helm";

/// How to reach the cluster: Helm's global flags.
#[derive(Clone, Debug, Default)]
pub struct KubeOptions {
    /// `--kubeconfig` (else `KUBECONFIG`, else `~/.kube/config`).
    pub kubeconfig: Option<String>,
    /// `--kube-context` (else the kubeconfig's current context).
    pub context: Option<String>,
    /// `--namespace` (else the context's namespace, else `default`).
    pub namespace: Option<String>,
}

/// Discovery results by (group, version, kind): the resource and whether
/// it is namespaced.
type DiscoveryCache = BTreeMap<(String, String, String), (ApiResource, bool)>;

/// A connected client with its discovery cache.
pub struct Cluster {
    client: Client,
    /// The release namespace.
    pub namespace: String,
    resources: RefCell<DiscoveryCache>,
    /// The server's OpenAPI schema, fetched once per command.
    pub(crate) openapi: RefCell<Option<std::rc::Rc<super::validate::OpenApi>>>,
}

/// Go's text for a file system error (the `syscall.Errno` strings).
fn io_error_text(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// The text of a kube-rs error: the API server's message when it sent one.
pub fn error_text(e: &::kube::Error) -> String {
    match e {
        ::kube::Error::Api(status) => status.message.clone(),
        other => other.to_string(),
    }
}

/// An API call's failure: the HTTP code when the server answered with a
/// status (`None` for transport errors) and the message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    pub code: Option<u16>,
    pub message: String,
}

impl ApiError {
    fn from_kube(e: &::kube::Error) -> ApiError {
        let code = match e {
            ::kube::Error::Api(status) => Some(status.code),
            _ => None,
        };
        ApiError {
            code,
            message: error_text(e),
        }
    }

    /// `apierrors.IsAlreadyExists`.
    pub fn already_exists(&self) -> bool {
        self.code == Some(409) && self.message.contains("already exists")
    }

    /// `apierrors.IsNotFound`.
    pub fn not_found(&self) -> bool {
        self.code == Some(404)
    }
}

fn is_not_found(e: &::kube::Error) -> bool {
    matches!(e, ::kube::Error::Api(status) if status.code == 404)
}

impl Cluster {
    /// Reads the kubeconfig and connects (no request is made yet).
    pub async fn connect(options: &KubeOptions) -> Result<Cluster, String> {
        let kube_options = KubeConfigOptions {
            context: options.context.clone(),
            ..KubeConfigOptions::default()
        };
        let unreachable = |e: String| format!("Kubernetes cluster unreachable: {e}");
        let file = match &options.kubeconfig {
            Some(path) => {
                if let Err(e) = std::fs::metadata(path) {
                    return Err(unreachable(format!("stat {path}: {}", io_error_text(&e))));
                }
                Kubeconfig::read_from(path).map_err(|e| unreachable(e.to_string()))?
            }
            None => Kubeconfig::read().map_err(|e| unreachable(e.to_string()))?,
        };
        if let Some(context) = &options.context {
            if !file.contexts.iter().any(|c| &c.name == context) {
                return Err(unreachable(format!(
                    "context {} does not exist",
                    crate::template::strconv::quote(context)
                )));
            }
        }
        let config = Config::from_custom_kubeconfig(file, &kube_options)
            .await
            .map_err(|e| unreachable(e.to_string()))?;
        let namespace = options
            .namespace
            .clone()
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| config.default_namespace.clone());
        let client =
            Client::try_from(config).map_err(|e| format!("Kubernetes cluster unreachable: {e}"))?;
        Ok(Cluster {
            client,
            namespace,
            resources: RefCell::new(BTreeMap::new()),
            openapi: RefCell::new(None),
        })
    }

    /// The server's version (`v1.20.2`), for `.Capabilities.KubeVersion`.
    pub async fn server_version(&self) -> Result<String, String> {
        let info = self
            .client
            .apiserver_version()
            .await
            .map_err(|e| format!("Kubernetes cluster unreachable: {}", error_text(&e)))?;
        Ok(info.git_version)
    }

    /// A GET of a non-resource path (`/openapi` + `/v2`) as JSON.
    pub async fn get_json(&self, path: &str, name: &str) -> Result<Json, String> {
        let request = ::kube::core::Request::new(path)
            .get(name, &Default::default())
            .map_err(|e| e.to_string())?;
        self.client
            .request::<Json>(request)
            .await
            .map_err(|e| error_text(&e))
    }

    /// `.Capabilities` as Helm takes them from the cluster: `/version`, then
    /// discovery of every group version (a group version whose resources
    /// cannot be listed is skipped, as Helm ignores partial discovery
    /// failures).
    pub async fn capabilities(&self) -> Result<Capabilities, String> {
        let info = self.client.apiserver_version().await.map_err(|e| {
            format!(
                "could not get server version from Kubernetes: {}",
                error_text(&e)
            )
        })?;
        let unreachable = |e: ::kube::Error| {
            format!(
                "could not get apiVersions from Kubernetes: {}",
                error_text(&e)
            )
        };
        let mut group_versions: Vec<String> = self
            .client
            .list_core_api_versions()
            .await
            .map_err(unreachable)?
            .versions;
        let groups = self.client.list_api_groups().await.map_err(unreachable)?;
        for g in &groups.groups {
            group_versions.extend(g.versions.iter().map(|v| v.group_version.clone()));
        }
        let mut resources = Vec::new();
        for gv in &group_versions {
            let list = if gv.contains('/') {
                self.client.list_api_group_resources(gv).await
            } else {
                self.client.list_core_api_resources(gv).await
            };
            if let Ok(list) = list {
                resources.push(Discovered {
                    group_version: gv.clone(),
                    kinds: list.resources.into_iter().map(|r| r.kind).collect(),
                });
            }
        }
        Ok(from_discovery(
            &info.git_version,
            &info.major,
            &info.minor,
            &group_versions,
            &resources,
        ))
    }

    /// The API resource of `kind` in `api_version` and whether it is
    /// namespaced, from discovery.
    pub async fn resolve(
        &self,
        api_version: &str,
        kind: &str,
    ) -> Result<(ApiResource, bool), String> {
        let (group, version) = super::objects::group_version(api_version);
        let key = (group.to_string(), version.to_string(), kind.to_string());
        if let Some(hit) = self.resources.borrow().get(&key) {
            return Ok(hit.clone());
        }
        let gvk = GroupVersionKind::gvk(group, version, kind);
        let (resource, caps) = ::kube::discovery::pinned_kind(&self.client, &gvk)
            .await
            .map_err(|_| {
                format!(
                    "resource mapping not found for kind {} in version {}: ensure CRDs are installed first",
                    crate::template::strconv::quote(kind),
                    crate::template::strconv::quote(api_version)
                )
            })?;
        let hit = (resource, caps.scope == Scope::Namespaced);
        self.resources.borrow_mut().insert(key, hit.clone());
        Ok(hit)
    }

    /// Resolves `resource`'s API and puts it in its namespace.
    pub async fn prepare(&self, resource: &mut Resource) -> Result<ApiResource, String> {
        let (api, namespaced) = self.resolve(&resource.api_version, &resource.kind).await?;
        resource.set_scope(namespaced, &self.namespace);
        Ok(api)
    }

    fn api(&self, resource: &ApiResource, namespace: Option<&str>) -> Api<DynamicObject> {
        match namespace {
            Some(ns) => Api::namespaced_with(self.client.clone(), ns, resource),
            None => Api::all_with(self.client.clone(), resource),
        }
    }

    /// The object as the server has it, if it exists.
    pub async fn get(
        &self,
        api: &ApiResource,
        resource: &Resource,
    ) -> Result<Option<Json>, String> {
        let found = self
            .api(api, resource.namespace.as_deref())
            .get_opt(&resource.name)
            .await
            .map_err(|e| {
                format!(
                    "could not get information about the resource {}: {}",
                    resource.describe(),
                    error_text(&e)
                )
            })?;
        Ok(found.and_then(|o| serde_json::to_value(o).ok()))
    }

    /// Server-side apply of the object (field manager `helm`, forced).
    pub async fn apply(&self, api: &ApiResource, resource: &Resource) -> Result<(), String> {
        let params = PatchParams::apply(FIELD_MANAGER).force();
        self.api(api, resource.namespace.as_deref())
            .patch(&resource.name, &params, &Patch::Apply(&resource.body))
            .await
            .map_err(|e| {
                format!(
                    "failed to apply {}: {}",
                    resource.describe(),
                    error_text(&e)
                )
            })?;
        Ok(())
    }

    /// Deletes the object (background propagation, as Helm); `false` when
    /// it was already gone.
    pub async fn delete(&self, api: &ApiResource, resource: &Resource) -> Result<bool, String> {
        self.delete_with(api, resource, "Background").await
    }

    /// Deletes the object with propagation policy `policy` (`Background`,
    /// `Foreground` or `Orphan`); `false` when it was already gone.
    pub async fn delete_with(
        &self,
        api: &ApiResource,
        resource: &Resource,
        policy: &str,
    ) -> Result<bool, String> {
        let params = match policy {
            "Foreground" => DeleteParams::foreground(),
            "Orphan" => DeleteParams::orphan(),
            _ => DeleteParams::background(),
        };
        match self
            .api(api, resource.namespace.as_deref())
            .delete(&resource.name, &params)
            .await
        {
            Ok(_) => Ok(true),
            Err(e) if is_not_found(&e) => Ok(false),
            Err(e) => Err(error_text(&e)),
        }
    }

    /// Creates namespace `name` unless it exists (`--create-namespace`).
    pub async fn ensure_namespace(&self, name: &str) -> Result<(), String> {
        let api: Api<DynamicObject> = Api::all_with(
            self.client.clone(),
            &ApiResource::erase::<k8s_openapi::api::core::v1::Namespace>(&()),
        );
        if api
            .get_opt(name)
            .await
            .map_err(|e| error_text(&e))?
            .is_some()
        {
            return Ok(());
        }
        let body = serde_json::json!({
            "apiVersion": "v1",
            "kind": "Namespace",
            "metadata": { "name": name },
        });
        let object: DynamicObject = serde_json::from_value(body).map_err(|e| e.to_string())?;
        match api.create(&PostParams::default(), &object).await {
            Ok(_) => Ok(()),
            Err(::kube::Error::Api(s)) if s.code == 409 => Ok(()),
            Err(e) => Err(error_text(&e)),
        }
    }

    /// The Secrets API of `namespace` (all namespaces for `None`).
    pub fn secrets(&self, namespace: Option<&str>) -> Api<DynamicObject> {
        let resource = ApiResource::erase::<k8s_openapi::api::core::v1::Secret>(&());
        self.api(&resource, namespace)
    }

    /// Creates the object (Helm's `Create`; hooks and CRDs are created,
    /// never applied).
    pub async fn create(&self, api: &ApiResource, resource: &Resource) -> Result<(), ApiError> {
        let object: DynamicObject =
            serde_json::from_value(resource.body.clone()).map_err(|e| ApiError {
                code: None,
                message: e.to_string(),
            })?;
        self.api(api, resource.namespace.as_deref())
            .create(&PostParams::default(), &object)
            .await
            .map_err(|e| ApiError::from_kube(&e))?;
        Ok(())
    }

    /// The object `name` as the server has it (`None` when not found).
    pub async fn fetch(
        &self,
        api: &ApiResource,
        namespace: Option<&str>,
        name: &str,
    ) -> Result<Option<Json>, ApiError> {
        match self.api(api, namespace).get(name).await {
            Ok(o) => serde_json::to_value(o).map(Some).map_err(|e| ApiError {
                code: None,
                message: e.to_string(),
            }),
            Err(e) if is_not_found(&e) => Ok(None),
            Err(e) => Err(ApiError::from_kube(&e)),
        }
    }

    /// The objects of `api` in `namespace` matching a label selector.
    pub async fn list(
        &self,
        api: &ApiResource,
        namespace: Option<&str>,
        selector: &str,
    ) -> Result<Vec<Json>, ApiError> {
        let list = self
            .api(api, namespace)
            .list(&ListParams::default().labels(selector))
            .await
            .map_err(|e| ApiError::from_kube(&e))?;
        list.items
            .into_iter()
            .map(|o| {
                serde_json::to_value(o).map_err(|e| ApiError {
                    code: None,
                    message: e.to_string(),
                })
            })
            .collect()
    }
}
