#!/usr/bin/env bash
# tests/release/capture-helm-records.sh: record Secrets written by the real
# helm, as fixtures for the release codec's unit tests
# (src/release/tests.rs, `stored_secrets_round_trip_exactly`).
#
#   capture-helm-records.sh OUT_DIR
#
# Needs a running test API server (tests/kube/cluster.sh start DIR, then
# eval "$(tests/kube/cluster.sh env DIR)") and a helm binary ($HELM, else
# `helm` on PATH). Installs a small generated chart as release `rec` in a
# fresh namespace, upgrades it once (so revision 1 is superseded and 2
# deployed), saves both Secrets as the API server returns them to
#
# Runs install (v1), upgrade (v2), a failing upgrade (v3, failed), rollback
# to 1 (v4) and uninstall --keep-history (v4 uninstalled) on release `rec`
# in a fresh namespace, saves the four Secrets as the API server returns
# them to OUT_DIR/helm-<version>-rec.v<N>.secret.json, then purges it. The
# chart's sources go to OUT_DIR/rec-chart (the unit tests check that
# chartroom converts it to the chart helm recorded).
# The chart exercises what the record format has to carry: values and
# config with nested maps and floats, characters JSON escapes, a hook,
# notes, a schema, a non-template file, a subchart dependency with a
# condition and import-values, and a Chart.lock.
set -euo pipefail

out=${1:?usage: capture-helm-records.sh OUT_DIR}
helm=${HELM:-helm}
: "${KUBECONFIG:?run: eval \"\$(tests/kube/cluster.sh env DIR)\"}"
: "${CHARTROOM_KUBE_SERVER:?} ${CHARTROOM_KUBE_TOKEN:?} ${CHARTROOM_KUBE_CA:?}"

version=$("$helm" version --template '{{.Version}}')
ns=release-fixtures-$$
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

chart=$work/rec
mkdir -p "$chart/templates"
cat >"$chart/Chart.yaml" <<'YAML'
apiVersion: v2
name: rec
version: 0.1.0
appVersion: "1.0"
description: Release record fixture <&>
annotations:
  b: "2"
  a: "1"
dependencies:
  - name: sub
    version: 0.1.0
    repository: file://charts/sub
    condition: sub.enabled
    import-values:
      - shared
YAML
cat >"$chart/Chart.lock" <<'YAML'
dependencies:
- name: sub
  repository: file://charts/sub
  version: 0.1.0
digest: sha256:0000000000000000000000000000000000000000000000000000000000000000
generated: "2024-03-04T05:06:07.1-02:00"
YAML
mkdir -p "$chart/charts/sub/templates"
cat >"$chart/charts/sub/Chart.yaml" <<'YAML'
apiVersion: v2
name: sub
version: 0.1.0
YAML
cat >"$chart/charts/sub/values.yaml" <<'YAML'
enabled: true
exports:
  shared:
    fromSub: 7
YAML
cat >"$chart/charts/sub/templates/cm.yaml" <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-sub
YAML
cat >"$chart/values.yaml" <<'YAML'
replicas: 1
image:
  tag: "1.2"
ratio: 0.5
YAML
cat >"$chart/values.schema.json" <<'JSON'
{"type": "object"}
JSON
printf 'a file that is not a template\n' >"$chart/README.md"
cat >"$chart/templates/cm.yaml" <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-cm
data:
  replicas: {{ .Values.replicas | quote }}
  note: {{ .Values.note | default "<none> & more" | quote }}
YAML
cat >"$chart/templates/hook.yaml" <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-hook
  annotations:
    helm.sh/hook: pre-install,pre-upgrade
    helm.sh/hook-weight: "-5"
    helm.sh/hook-delete-policy: before-hook-creation
data:
  revision: {{ .Release.Revision | quote }}
YAML
cat >"$chart/templates/bad.yaml" <<'YAML'
{{- if .Values.bad }}
apiVersion: v1
kind: ConfigMap
metadata:
  name: Not_A_Valid_Name
{{- end }}
YAML
printf 'Installed {{ .Release.Name }} <revision {{ .Release.Revision }}>\n' \
  >"$chart/templates/NOTES.txt"

api() {
  local path=$1
  shift
  curl -sS --fail --cacert "$CHARTROOM_KUBE_CA" \
    -H "Authorization: Bearer $CHARTROOM_KUBE_TOKEN" "$@" "$CHARTROOM_KUBE_SERVER$path"
}

h() { "$helm" "$@" -n "$ns" >/dev/null; }
h install rec "$chart" --create-namespace --set replicas=3
h upgrade rec "$chart" --set 'note=x<y>&z' --set-json 'extra={"n":1e21}'
if h upgrade rec "$chart" --set bad=true 2>/dev/null; then
  echo "capture-helm-records: the failing upgrade succeeded" >&2
  exit 1
fi
h rollback rec 1
h uninstall rec --keep-history
mkdir -p "$out"
rm -rf "$out/rec-chart"
cp -R "$chart" "$out/rec-chart"
for rev in 1 2 3 4; do
  api "/api/v1/namespaces/$ns/secrets/sh.helm.release.v1.rec.v$rev" \
    >"$out/helm-$version-rec.v$rev.secret.json"
done
h uninstall rec
api "/api/v1/namespaces/$ns" -X DELETE >/dev/null || true
echo "wrote $out/helm-$version-rec.v{1,2,3,4}.secret.json"
