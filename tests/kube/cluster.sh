#!/usr/bin/env bash
# tests/kube/cluster.sh: a throw-away Kubernetes control plane for tests.
#
#   cluster.sh start DIR   start etcd + kube-apiserver on 127.0.0.1 (free
#                          ports), state in DIR, write DIR/kubeconfig and
#                          DIR/env; returns once /readyz answers ok and the
#                          namespaces default and kube-system exist
#   cluster.sh env DIR     print `export ...` lines for the running cluster
#                          (use: eval "$(cluster.sh env DIR)")
#   cluster.sh stop DIR    stop both processes and remove the state in DIR
#
# Only an API server: no kubelet, scheduler or controller-manager. Pods never
# run, Jobs never complete, namespaces never finish terminating and nothing
# is garbage-collected; tests set readiness by patching status subresources.
# The ServiceAccount admission plugin is off (no controller creates the
# "default" ServiceAccount). CRDs do become Established (that controller
# lives in the apiserver).
#
# Binaries come from build-apiserver.sh (cached in $CHARTROOM_CACHE/kube).
# Environment:
#   CHARTROOM_KUBE_AUTHZ    authorization mode: RBAC (default) or AlwaysAllow
#   CHARTROOM_KUBE_TIMEOUT  seconds to wait for readiness (default 120)
#   CHARTROOM_KUBE_APISERVER, CHARTROOM_KUBE_ETCD  other binaries to run
#
# Credentials (static token file): "admin" in system:masters, and "tester",
# an authenticated user with no roles (for RBAC refusals).
set -euo pipefail

CACHE=${CHARTROOM_CACHE:-$HOME/.cache/chartroom}
KUBE_DIR=$CACHE/kube
APISERVER=${CHARTROOM_KUBE_APISERVER:-$KUBE_DIR/kube-apiserver}
ETCD=${CHARTROOM_KUBE_ETCD:-$KUBE_DIR/etcd}
APISERVER_NAME=${APISERVER##*/}
ETCD_NAME=${ETCD##*/}
AUTHZ=${CHARTROOM_KUBE_AUTHZ:-RBAC}
TIMEOUT=${CHARTROOM_KUBE_TIMEOUT:-120}
SERVICE_CIDR=10.0.0.0/24
# Everything `start` creates inside DIR; `stop` removes exactly these.
STATE_ENTRIES=(pki etcd-data logs run kubeconfig env)

log() { printf '[kube-cluster] %s\n' "$*" >&2; }
fail() { printf 'kube-cluster: %s\n' "$*" >&2; exit 1; }

usage() {
  sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0" >&2
  exit 2
}

# --- helpers ------------------------------------------------------------------

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Print N distinct ports nobody listens on (random in 20000..59999).
free_ports() {
  local want=$1 picked=() port tries=0
  while [ "${#picked[@]}" -lt "$want" ]; do
    tries=$((tries + 1))
    [ "$tries" -le 200 ] || fail "no free TCP port found on 127.0.0.1"
    port=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
    case " ${picked[*]-} " in *" $port "*) continue ;; esac
    port_in_use "$port" && continue
    picked+=("$port")
  done
  echo "${picked[@]}"
}

# True when the pid in FILE is alive and its argv[0] is a file named NAME
# (guards against a recycled pid).
pid_alive() {
  local file=$1 name=$2 pid argv0
  [ -f "$file" ] || return 1
  pid=$(cat "$file")
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 1
  argv0=$(tr '\0' '\n' <"/proc/$pid/cmdline" | head -n 1)
  [ "${argv0##*/}" = "$name" ]
}

# Stop the process recorded in FILE (TERM, then KILL after 10 s).
stop_pid() {
  local file=$1 name=$2 pid tries=0
  pid_alive "$file" "$name" || { rm -f "$file"; return 0; }
  pid=$(cat "$file")
  kill -TERM "$pid" 2>/dev/null || true
  while pid_alive "$file" "$name" && [ "$tries" -lt 100 ]; do
    tries=$((tries + 1))
    sleep 0.1
  done
  if pid_alive "$file" "$name"; then
    log "$name (pid $pid) ignored TERM; sending KILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
}

# curl against the API server as admin: api_get PATH
api_get() {
  local dir=$1 path=$2
  curl -sS --max-time 5 --cacert "$dir/pki/ca.crt" \
    -H "Authorization: Bearer $(cat "$dir/run/admin-token")" \
    "$(cat "$dir/run/server")$path"
}

# --- certificates -------------------------------------------------------------

make_pki() {
  local pki=$1
  mkdir -p "$pki"
  (
    cd "$pki"
    openssl ecparam -name prime256v1 -genkey -noout -out ca.key 2>/dev/null
    openssl req -x509 -new -key ca.key -sha256 -days 3650 -subj "/CN=chartroom-test-ca" \
      -addext "basicConstraints=critical,CA:TRUE" \
      -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" \
      -out ca.crt 2>/dev/null
    openssl ecparam -name prime256v1 -genkey -noout -out apiserver.key 2>/dev/null
    openssl req -new -key apiserver.key -subj "/CN=kube-apiserver" -out apiserver.csr 2>/dev/null
    cat >apiserver.ext <<'EXT'
basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,IP:10.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local
EXT
    openssl x509 -req -in apiserver.csr -CA ca.crt -CAkey ca.key -CAcreateserial \
      -sha256 -days 3650 -extfile apiserver.ext -out apiserver.crt 2>/dev/null
    # Service-account token signing key pair.
    openssl genrsa -out sa.key 2048 2>/dev/null
    openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
    chmod 600 ./*.key
  ) || fail "openssl failed to generate the test PKI"
}

write_kubeconfig() {
  local dir=$1 server=$2 token=$3 ca_data
  ca_data=$(base64 -w0 <"$dir/pki/ca.crt")
  cat >"$dir/kubeconfig" <<KC
apiVersion: v1
kind: Config
clusters:
- name: chartroom-test
  cluster:
    server: $server
    certificate-authority-data: $ca_data
users:
- name: admin
  user:
    token: $token
- name: tester
  user:
    token: $(cat "$dir/run/tester-token")
contexts:
- name: chartroom-test
  context:
    cluster: chartroom-test
    user: admin
    namespace: default
- name: chartroom-test-tester
  context:
    cluster: chartroom-test
    user: tester
    namespace: default
current-context: chartroom-test
KC
  chmod 600 "$dir/kubeconfig"
}

write_env() {
  local dir=$1
  cat >"$dir/env" <<ENV
export KUBECONFIG='$dir/kubeconfig'
export CHARTROOM_KUBECONFIG='$dir/kubeconfig'
export CHARTROOM_KUBE_SERVER='$(cat "$dir/run/server")'
export CHARTROOM_KUBE_CA='$dir/pki/ca.crt'
export CHARTROOM_KUBE_TOKEN='$(cat "$dir/run/admin-token")'
export CHARTROOM_KUBE_TESTER_TOKEN='$(cat "$dir/run/tester-token")'
export CHARTROOM_KUBE_AUTHZ='$AUTHZ'
ENV
}

# --- commands -----------------------------------------------------------------

wait_ready() {
  local dir=$1 deadline=$((SECONDS + TIMEOUT)) out=""
  while [ "$SECONDS" -lt "$deadline" ]; do
    pid_alive "$dir/run/etcd.pid" "$ETCD_NAME" || return 1
    pid_alive "$dir/run/apiserver.pid" "$APISERVER_NAME" || return 1
    out=$(api_get "$dir" /readyz 2>/dev/null || true)
    if [ "$out" = ok ]; then
      return 0
    fi
    sleep 0.3
  done
  log "last /readyz answer: ${out:-<none>}"
  return 1
}

wait_namespaces() {
  local dir=$1 ns deadline=$((SECONDS + 30)) code
  for ns in default kube-system; do
    while :; do
      code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 --cacert "$dir/pki/ca.crt" \
        -H "Authorization: Bearer $(cat "$dir/run/admin-token")" \
        "$(cat "$dir/run/server")/api/v1/namespaces/$ns" || true)
      [ "$code" = 200 ] && break
      [ "$SECONDS" -lt "$deadline" ] || { log "namespace $ns: HTTP $code"; return 1; }
      sleep 0.3
    done
  done
}

start_failed() {
  local dir=$1 what=$2 f
  for f in etcd apiserver; do
    if [ -s "$dir/logs/$f.log" ]; then
      printf -- '--- last lines of %s ---\n' "$dir/logs/$f.log" >&2
      tail -n 15 "$dir/logs/$f.log" >&2
    fi
  done
  cmd_stop "$dir" >/dev/null 2>&1 || true
  fail "$what"
}

cmd_start() {
  local dir=$1
  local tool
  for tool in openssl curl base64; do
    command -v "$tool" >/dev/null || fail "$tool is needed"
  done
  [ -x "$APISERVER" ] || fail "no kube-apiserver at $APISERVER (run tests/kube/build-apiserver.sh)"
  [ -x "$ETCD" ] || fail "no etcd at $ETCD (run tests/kube/build-apiserver.sh)"
  case $AUTHZ in RBAC | AlwaysAllow) ;; *) fail "CHARTROOM_KUBE_AUTHZ must be RBAC or AlwaysAllow" ;; esac
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  if pid_alive "$dir/run/apiserver.pid" "$APISERVER_NAME" || pid_alive "$dir/run/etcd.pid" "$ETCD_NAME"; then
    fail "a cluster is already running in $dir (cluster.sh stop $dir)"
  fi
  local entry
  for entry in "${STATE_ENTRIES[@]}"; do rm -rf "${dir:?}/$entry"; done
  mkdir -p "$dir/run" "$dir/logs" "$dir/etcd-data"
  chmod 700 "$dir/etcd-data"

  local started=$SECONDS etcd_port peer_port api_port
  read -r etcd_port peer_port api_port <<<"$(free_ports 3)"
  make_pki "$dir/pki"
  local admin_token tester_token
  admin_token=$(openssl rand -hex 24)
  tester_token=$(openssl rand -hex 24)
  printf '%s' "$admin_token" >"$dir/run/admin-token"
  printf '%s' "$tester_token" >"$dir/run/tester-token"
  {
    printf '%s,admin,admin-uid,"system:masters"\n' "$admin_token"
    printf '%s,tester,tester-uid\n' "$tester_token"
  } >"$dir/pki/tokens.csv"
  chmod 600 "$dir/pki/tokens.csv" "$dir/run/"*-token
  local server=https://127.0.0.1:$api_port
  printf '%s' "$server" >"$dir/run/server"

  log "etcd on 127.0.0.1:$etcd_port"
  "$ETCD" \
    --name chartroom-test \
    --data-dir "$dir/etcd-data" \
    --listen-client-urls "http://127.0.0.1:$etcd_port" \
    --advertise-client-urls "http://127.0.0.1:$etcd_port" \
    --listen-peer-urls "http://127.0.0.1:$peer_port" \
    --initial-advertise-peer-urls "http://127.0.0.1:$peer_port" \
    --initial-cluster "chartroom-test=http://127.0.0.1:$peer_port" \
    --logger zap \
    --log-level warn \
    >"$dir/logs/etcd.log" 2>&1 </dev/null &
  echo $! >"$dir/run/etcd.pid"

  log "kube-apiserver on $server (authorization $AUTHZ)"
  "$APISERVER" \
    --etcd-servers "http://127.0.0.1:$etcd_port" \
    --bind-address 127.0.0.1 \
    --advertise-address 127.0.0.1 \
    --secure-port "$api_port" \
    --insecure-port 0 \
    --cert-dir "$dir/pki" \
    --tls-cert-file "$dir/pki/apiserver.crt" \
    --tls-private-key-file "$dir/pki/apiserver.key" \
    --client-ca-file "$dir/pki/ca.crt" \
    --token-auth-file "$dir/pki/tokens.csv" \
    --authorization-mode "$AUTHZ" \
    --service-account-key-file "$dir/pki/sa.pub" \
    --service-account-signing-key-file "$dir/pki/sa.key" \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --api-audiences https://kubernetes.default.svc.cluster.local \
    --service-cluster-ip-range "$SERVICE_CIDR" \
    --endpoint-reconciler-type none \
    --disable-admission-plugins ServiceAccount \
    --allow-privileged=true \
    --profiling=false \
    --v 1 \
    >"$dir/logs/apiserver.log" 2>&1 </dev/null &
  echo $! >"$dir/run/apiserver.pid"

  wait_ready "$dir" || start_failed "$dir" "kube-apiserver did not become ready (logs in $dir/logs)"
  wait_namespaces "$dir" || start_failed "$dir" "namespaces default/kube-system missing"
  write_kubeconfig "$dir" "$server" "$admin_token"
  write_env "$dir"
  log "ready in $((SECONDS - started))s: $server, kubeconfig $dir/kubeconfig"
}

cmd_env() {
  local dir=$1
  [ -f "$dir/env" ] || fail "no cluster state in $dir (cluster.sh start $dir)"
  pid_alive "$dir/run/apiserver.pid" "$APISERVER_NAME" || fail "the kube-apiserver of $dir is not running"
  cat "$dir/env"
}

cmd_stop() {
  local dir=$1 entry
  [ -d "$dir" ] || { log "nothing to stop in $dir"; return 0; }
  stop_pid "$dir/run/apiserver.pid" "$APISERVER_NAME"
  stop_pid "$dir/run/etcd.pid" "$ETCD_NAME"
  for entry in "${STATE_ENTRIES[@]}"; do rm -rf "${dir:?}/$entry"; done
  rmdir "$dir" 2>/dev/null || true
  log "stopped; state removed from $dir"
}

main() {
  [ $# -eq 2 ] || usage
  case $1 in
    start) cmd_start "$2" ;;
    env) cmd_env "$2" ;;
    stop) cmd_stop "$2" ;;
    *) usage ;;
  esac
}

main "$@"
