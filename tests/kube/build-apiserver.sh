#!/usr/bin/env bash
# tests/kube/build-apiserver.sh: provide a real kube-apiserver and etcd for
# the kube integration tests, built only from Debian packages:
#   - kube-apiserver from Debian's `kubernetes` source package (1.20.2, with
#     its vendor tree), compiled with Debian's golang-1.19-go in GOPATH mode,
#     CGO_ENABLED=0;
#   - etcd from Debian's `etcd-server` binary package.
# Results live outside the clone, in ${CHARTROOM_CACHE:-~/.cache/chartroom}/kube/:
#   kube-apiserver   the binary
#   etcd             a symlink to Debian's etcd binary
# When both are there and run, the script does nothing. Cold: 7 min (2
# shared cores, measured). On failure it exits non-zero; its last stderr line,
# `kube-build: REASON`, says why.
set -euo pipefail

CACHE=${CHARTROOM_CACHE:-$HOME/.cache/chartroom}
KUBE_DIR=$CACHE/kube
APISERVER=$KUBE_DIR/kube-apiserver
ETCD_LINK=$KUBE_DIR/etcd
GO_ROOT=/usr/lib/go-1.19
KUBE_VERSION=v1.20.2
SRC_LIST=/etc/apt/sources.list.d/chartroom-deb-src.sources

log() { printf '[kube-build] %s\n' "$*" >&2; }
fail() { printf 'kube-build: %s\n' "$*" >&2; exit 1; }

# Run a command as root: directly when we are root, else through sudo -n.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo -n "$@"
  else
    fail "need root (or password-less sudo) to run: $*"
  fi
}

have_apiserver() {
  [ -x "$APISERVER" ] && "$APISERVER" --version >/dev/null 2>&1
}

have_etcd() {
  [ -x "$ETCD_LINK" ] && "$ETCD_LINK" --version >/dev/null 2>&1
}

apt_install() {
  log "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q --no-install-recommends "$@" >&2 \
    || fail "apt-get install $* failed"
}

# --- etcd -------------------------------------------------------------------

ensure_etcd() {
  if have_etcd; then
    return
  fi
  if ! command -v etcd >/dev/null; then
    apt_install etcd-server
  fi
  local etcd
  etcd=$(command -v etcd) || fail "etcd-server installed but no etcd on PATH"
  mkdir -p "$KUBE_DIR"
  ln -sfn "$etcd" "$ETCD_LINK"
  have_etcd || fail "$etcd --version does not run"
  log "etcd: $("$ETCD_LINK" --version | head -1) ($etcd)"
}

# --- kube-apiserver -----------------------------------------------------------

# Add a deb-src entry mirroring the first `deb` entry of debian.sources, once.
ensure_deb_src() {
  if apt-cache showsrc kubernetes 2>/dev/null | grep -q '^Package: kubernetes'; then
    return
  fi
  if [ ! -f "$SRC_LIST" ]; then
    log "adding deb-src entry $SRC_LIST"
    local tmp
    tmp=$(mktemp)
    cat >"$tmp" <<'SRC'
# Added by chartroom tests/kube/build-apiserver.sh (source of kube-apiserver).
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
    as_root install -m 0644 "$tmp" "$SRC_LIST"
    rm -f "$tmp"
  fi
  log "apt-get update"
  as_root apt-get update -q >&2 || fail "apt-get update failed"
  apt-cache showsrc kubernetes 2>/dev/null | grep -q '^Package: kubernetes' \
    || fail "no 'kubernetes' source package in the configured deb-src suites"
}

# Download and unpack the source package into $work/gopath/src/k8s.io/kubernetes.
unpack_source() {
  local work=$1
  local pkg_dir=$work/pkg tree=$work/gopath/src/k8s.io/kubernetes
  if [ -f "$tree/cmd/kube-apiserver/apiserver.go" ]; then
    log "source already unpacked in $tree"
    return
  fi
  command -v dpkg-source >/dev/null || apt_install dpkg-dev
  mkdir -p "$pkg_dir"
  log "apt-get source --download-only kubernetes"
  (cd "$pkg_dir" && apt-get source -q --download-only kubernetes >&2) \
    || fail "apt-get source --download-only kubernetes failed"
  local dsc
  dsc=$(find "$pkg_dir" -maxdepth 1 -name 'kubernetes_*.dsc' | sort | tail -1)
  [ -n "$dsc" ] || fail "no kubernetes .dsc downloaded"
  log "unpacking $(basename "$dsc")"
  rm -rf "$pkg_dir/src"
  dpkg-source --no-check -x "$dsc" "$pkg_dir/src" >&2 || fail "dpkg-source -x failed"
  [ -d "$pkg_dir/src/vendor" ] || fail "source package has no vendor/ tree"
  mkdir -p "$(dirname "$tree")"
  rm -rf "$tree"
  mv "$pkg_dir/src" "$tree"
}

# The one generated file kube-apiserver needs that the source package lacks:
# pkg/generated/openapi/zz_generated.openapi.go. Reproduces the upstream
# Makefile rule (build/root/Makefile.generated_files, gen_openapi for KUBE):
# every Go package of the tree (staging named as vendor/) with a
# `+k8s:openapi-gen=` tag, minus code-generator and sample-apiserver, fed to
# the vendored openapi-gen; its API-rule report must equal the checked-in list.
generate_openapi() {
  local work=$1
  local tree=$work/gopath/src/k8s.io/kubernetes
  local out=$tree/pkg/generated/openapi/zz_generated.openapi.go
  [ -f "$out" ] && return
  log "generating pkg/generated/openapi (openapi-gen from vendor/)"
  (
    cd "$tree"
    go build -o "$work/bin/openapi-gen" ./vendor/k8s.io/kube-openapi/cmd/openapi-gen
    local dirs
    dirs=$(find -H . \( -path './_*' -o -path './.*' -o -path ./vendor \) -prune -o -type f -name '*.go' \
      -print0 \
      | xargs -0 grep -lZ '^// *+k8s:' | xargs -0 grep -l '+k8s:openapi-gen=' \
      | sed 's|^\./staging/src|vendor|; s|^\./||; s|/[^/]*$||' \
      | grep -v -e '^vendor/k8s.io/code-generator/' -e '^vendor/k8s.io/sample-apiserver/' \
      | LC_ALL=C sort -u | sed 's|^|k8s.io/kubernetes/|' | paste -sd, -)
    [ -n "$dirs" ] || { echo "no +k8s:openapi-gen packages found" >&2; exit 1; }
    "$work/bin/openapi-gen" --logtostderr -i "$dirs" \
      -p k8s.io/kubernetes/pkg/generated/openapi -O zz_generated.openapi \
      -h vendor/k8s.io/code-generator/hack/boilerplate.go.txt \
      -r "$work/openapi-violations.report"
    diff "$work/openapi-violations.report" api/api-rules/violation_exceptions.list
  ) >&2 || { rm -f "$out"; fail "openapi-gen failed (see output above)"; }
}

# Kubernetes 1.20 vendors github.com/modern-go/reflect2 v1.0.1, which links
# to the runtime's map iterator with its pre-Go-1.18 signature: built with Go
# 1.19 the apiserver corrupts memory and panics when it encodes maps (every
# list request). v1.0.2 fixes that; Debian ships it as
# golang-github-modern-go-reflect2-dev, whose sources replace the vendored ones.
REFLECT2_DEB=golang-github-modern-go-reflect2-dev
REFLECT2_SRC=/usr/share/gocode/src/github.com/modern-go/reflect2
patch_reflect2() {
  local work=$1
  local vendored=$work/gopath/src/k8s.io/kubernetes/vendor/github.com/modern-go/reflect2
  [ -f "$vendored/go_above_118.go" ] && return
  [ -f "$REFLECT2_SRC/go_above_118.go" ] || apt_install "$REFLECT2_DEB"
  [ -f "$REFLECT2_SRC/go_above_118.go" ] || fail "$REFLECT2_DEB has no $REFLECT2_SRC/go_above_118.go"
  log "replacing vendored reflect2 v1.0.1 with Debian's $REFLECT2_DEB (Go 1.18+ map iteration)"
  rm -f "$vendored"/*.go "$vendored"/*.s
  find "$REFLECT2_SRC" -maxdepth 1 -type f \( -name '*.go' -o -name '*.s' \) ! -name '*_test.go' \
    -exec cp {} "$vendored/" \;
}

build_apiserver() {
  local work=$KUBE_DIR/build
  [ -x "$GO_ROOT/bin/go" ] || apt_install golang-1.19-go
  ensure_deb_src
  unpack_source "$work"
  export PATH=$GO_ROOT/bin:$PATH GOROOT=$GO_ROOT GOPATH=$work/gopath
  export GO111MODULE=off CGO_ENABLED=0 GOFLAGS='' GOCACHE=$work/go-cache
  patch_reflect2 "$work"
  generate_openapi "$work"
  # Version stamps, as hack/lib/version.sh sets them (both packages).
  local ldflags="-s -w" version_pkg
  for version_pkg in client-go/pkg/version component-base/version; do
    version_pkg=k8s.io/kubernetes/vendor/k8s.io/$version_pkg
    ldflags+=" -X $version_pkg.gitVersion=$KUBE_VERSION"
    ldflags+=" -X $version_pkg.gitMajor=1 -X $version_pkg.gitMinor=20"
    ldflags+=" -X $version_pkg.gitTreeState=archive"
  done
  log "go build k8s.io/kubernetes/cmd/kube-apiserver (Go $("$GO_ROOT/bin/go" env GOVERSION); 5 to 15 min on 2 cores)"
  local start=$SECONDS
  (
    cd "$work/gopath/src/k8s.io/kubernetes"
    go build -trimpath -ldflags "$ldflags" -o "$APISERVER.tmp" ./cmd/kube-apiserver
  ) >&2 || fail "go build of kube-apiserver failed (see output above)"
  mv "$APISERVER.tmp" "$APISERVER"
  have_apiserver || fail "built kube-apiserver does not run"
  log "kube-apiserver built in $((SECONDS - start))s: $("$APISERVER" --version)"
}

main() {
  mkdir -p "$KUBE_DIR" 2>/dev/null || fail "cannot create $KUBE_DIR"
  if have_apiserver && have_etcd; then
    log "cached: $APISERVER ($("$APISERVER" --version)), $ETCD_LINK -> $(readlink "$ETCD_LINK")"
    return
  fi
  ensure_etcd
  if ! have_apiserver; then
    build_apiserver
    if [ "${CHARTROOM_KUBE_KEEP_BUILD:-0}" != 1 ]; then
      log "removing build tree $KUBE_DIR/build (CHARTROOM_KUBE_KEEP_BUILD=1 keeps it)"
      rm -rf "$KUBE_DIR/build"
    fi
  fi
  log "ready: $APISERVER, $ETCD_LINK"
}

main "$@"
