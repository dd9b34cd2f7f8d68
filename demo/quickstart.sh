#!/usr/bin/env bash
# Sluice quickstart: builds Sluice, starts a throwaway MariaDB, captures a small shop database and prints the
# change events while a short workload runs. Everything lives in .demo/ and is removed again on exit.
#
#   demo/quickstart.sh                  events on stdout (the stdout sink)
#   demo/quickstart.sh --sink file      events written to segment files (exactly once), shown as they arrive
#   demo/quickstart.sh --keep-running   keep MariaDB and Sluice up after the workload, until Ctrl-C
#
# Progress goes to stderr, change events to stdout: `demo/quickstart.sh > events.jsonl` keeps just the events.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: demo/quickstart.sh [--sink stdout|file] [--keep-running] [--port N]

  --sink stdout|file   where Sluice writes the events (default stdout)
  --keep-running       after the workload, keep everything running until Ctrl-C
  --port N             TCP port for the demo MariaDB (default: 3317, or the next free one)
EOF
}

sink=stdout
keep_running=false
port=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --sink) sink="${2:-}"; shift 2 || { usage >&2; exit 2; } ;;
    --sink=*) sink="${1#*=}"; shift ;;
    --keep-running) keep_running=true; shift ;;
    --port) port="${2:-}"; shift 2 || { usage >&2; exit 2; } ;;
    --port=*) port="${1#*=}"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "quickstart: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
if [[ "$sink" != stdout && "$sink" != file ]]; then
  echo "quickstart: --sink must be stdout or file, not '$sink'" >&2
  exit 2
fi
if [[ -n "$port" && ! "$port" =~ ^[0-9]+$ ]]; then
  echo "quickstart: --port must be a number, not '$port'" >&2
  exit 2
fi

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"

if [[ -t 2 ]]; then
  bold=$'\e[1m'; dim=$'\e[2m'; red=$'\e[31m'; reset=$'\e[0m'
else
  bold=""; dim=""; red=""; reset=""
fi
say() { printf '%s==> %s%s\n' "$bold" "$*" "$reset" >&2; }
note() { printf '%s    %s%s\n' "$dim" "$*" "$reset" >&2; }
fail() { printf '%squickstart: %s%s\n' "$red" "$*" "$reset" >&2; exit 1; }

# ---------------------------------------------------------------------------------------------- prerequisites

find_tool() { # first executable of the given names on PATH or in the sbin/bin directories MariaDB uses
  local name dir
  for name in "$@"; do
    if command -v "$name" >/dev/null 2>&1; then command -v "$name"; return 0; fi
    for dir in /usr/sbin /usr/bin /usr/local/sbin /usr/local/bin; do
      if [[ -x "$dir/$name" ]]; then echo "$dir/$name"; return 0; fi
    done
  done
  return 1
}

missing=()
command -v java >/dev/null 2>&1 || missing+=("openjdk-17-jdk-headless")
command -v mvn >/dev/null 2>&1 || missing+=("maven")
mariadbd="$(find_tool mariadbd mysqld)" || missing+=("mariadb-server")
install_db="$(find_tool mariadb-install-db mysql_install_db)" || true
client="$(find_tool mariadb mysql)" || true
if [[ -n "${mariadbd:-}" && ( -z "$install_db" || -z "$client" ) ]]; then
  missing+=("mariadb-server" "mariadb-client")
fi
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "quickstart: missing prerequisites. On Debian/Ubuntu install them with:" >&2
  echo "  apt-get update && apt-get install -y ${missing[*]}" >&2
  exit 1
fi
if command -v jq >/dev/null 2>&1; then
  have_jq=true
else
  have_jq=false
fi

# ---------------------------------------------------------------------------------------------- clean-up

demo=""
mariadb_pid=""
sluice_pid=""
viewer_pid=""

stop_pid() { # stop_pid PID SECONDS: SIGTERM, wait up to SECONDS, then SIGKILL
  local pid="$1" secs="$2" i
  [[ -n "$pid" ]] || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < secs * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
}

cleanup() {
  local code=$?
  trap - EXIT INT TERM
  set +e
  if [[ -n "$sluice_pid" ]]; then
    say "stopping Sluice"
    stop_pid "$sluice_pid" 30
    wait "$sluice_pid" 2>/dev/null
    sleep 0.3 # let the viewer print the last lines
  fi
  if [[ -n "$viewer_pid" ]]; then
    stop_pid "$viewer_pid" 2
    wait "$viewer_pid" 2>/dev/null
  fi
  if [[ -n "$mariadb_pid" ]]; then
    say "stopping MariaDB"
    stop_pid "$mariadb_pid" 60
    wait "$mariadb_pid" 2>/dev/null
  fi
  if [[ -n "$demo" && -d "$demo" ]]; then
    if [[ $code -ne 0 && $code -ne 130 && -z "${QUICKSTART_CLEAN_ON_FAILURE:-}" ]]; then
      note "keeping $demo for inspection (logs: mariadb.err, sluice.log); delete it when done"
    else
      rm -rf "$demo"
      rmdir "$root/.demo" 2>/dev/null
      say "removed ${demo#"$root"/}"
    fi
  fi
  exit "$code"
}
trap cleanup EXIT
trap 'echo >&2; exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------------------------------------- build

say "building Sluice (the first build downloads dependencies and takes a few minutes)"
version="$("$root/sluice" version)" || fail "the build failed; run 'mvn -B -DskipTests package -pl sluice-app -am' to see why"
note "$version"

# ---------------------------------------------------------------------------------------------- MariaDB

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if [[ -z "$port" ]]; then
  port=3317
  while port_in_use "$port"; do
    port=$((port + 1))
    [[ $port -lt 3417 ]] || fail "no free port between 3317 and 3416; pass --port"
  done
elif port_in_use "$port"; then
  fail "port $port is already in use; pick another with --port"
fi

mkdir -p "$root/.demo"
demo="$(mktemp -d "$root/.demo/run.XXXXXX")"
as_root=()
[[ "$(id -u)" -eq 0 ]] && as_root=(--user=root)

say "starting a throwaway MariaDB on 127.0.0.1:$port (files in ${demo#"$root"/})"
small_innodb=(--innodb-buffer-pool-size=16M --innodb-log-file-size=8M --innodb-log-buffer-size=1M)
"$install_db" --no-defaults "${as_root[@]}" --datadir="$demo/data" --auth-root-authentication-method=normal \
  --skip-test-db --skip-name-resolve "${small_innodb[@]}" >"$demo/install.log" 2>&1 \
  || { tail -n 20 "$demo/install.log" >&2; fail "mariadb-install-db failed (log above)"; }

"$mariadbd" --no-defaults "${as_root[@]}" \
  --datadir="$demo/data" --tmpdir="$demo" \
  --port="$port" --bind-address=127.0.0.1 \
  --socket="$demo/mariadb.sock" --pid-file="$demo/mariadb.pid" --log-error="$demo/mariadb.err" \
  --log-bin=mysql-bin --binlog-format=ROW --binlog-row-image=FULL --binlog-row-metadata=FULL \
  --server-id=1 --skip-name-resolve \
  --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci \
  "${small_innodb[@]}" --innodb-flush-log-at-trx-commit=2 \
  >"$demo/mariadbd.out" 2>&1 &
mariadb_pid=$!

sql() { "$client" --no-defaults -uroot --socket="$demo/mariadb.sock" "$@"; }
for ((i = 0; ; i++)); do
  if ! kill -0 "$mariadb_pid" 2>/dev/null; then
    mariadb_pid=""
    cat "$demo/mariadbd.out" >&2
    tail -n 20 "$demo/mariadb.err" >&2 2>/dev/null
    fail "MariaDB exited while starting (output above)"
  fi
  sql -e 'SELECT 1' >/dev/null 2>&1 && break
  [[ $i -lt 600 ]] || { tail -n 20 "$demo/mariadb.err" >&2; fail "MariaDB did not start within 60 s"; }
  sleep 0.1
done
note "$(sql -N -e 'SELECT VERSION()') is up (pid $mariadb_pid)"

say "creating database shop, table shop.orders and the user cdc"
cdc_password="cdc-demo-$RANDOM$RANDOM"
sql <<SQL
CREATE DATABASE shop;
CREATE TABLE shop.orders (
  id INT PRIMARY KEY,
  status VARCHAR(16),
  total DECIMAL(10,2),
  updated_at DATETIME(3)
);
CREATE USER 'cdc'@'%' IDENTIFIED BY '$cdc_password';
GRANT REPLICATION SLAVE, BINLOG MONITOR ON *.* TO 'cdc'@'%';
GRANT SELECT ON shop.* TO 'cdc'@'%';
SQL

# ---------------------------------------------------------------------------------------------- Sluice

config="$demo/shop.yaml"
{
  cat <<YAML
# Written by demo/quickstart.sh
name: shop
source:
  host: 127.0.0.1
  port: $port
  user: cdc
  password: \${SLUICE_DEMO_PASSWORD}
  server-id: 5401
  include: ["shop.*"]
  start: earliest
YAML
  if [[ "$sink" == file ]]; then
    printf 'sink:\n  type: file\n  path: out/\n'
  else
    printf 'sink:\n  type: stdout\n'
  fi
  printf 'state: state/\n'
} >"$config"
export SLUICE_DEMO_PASSWORD="$cdc_password"
note "pipeline configuration:"
sed 's/^/      /' "$config" >&2

say "sluice check --config ${config#"$root"/}"
"$root/sluice" check --config "$config" >&2 || fail "the server check found problems (above)"

# One JSON event per line; with jq, compact and (on a terminal) coloured.
viewer() {
  if $have_jq; then
    if [[ -t 1 ]]; then jq --unbuffered -C -c .; else jq --unbuffered -c .; fi
  else
    cat
  fi
}

http_port="${QUICKSTART_HTTP_PORT:-7878}"
say "sluice run --config ${config#"$root"/}  (Sluice's log: ${demo#"$root"/}/sluice.log)"
if [[ "$sink" == stdout ]]; then
  "$root/sluice" run --config "$config" --http-port "$http_port" 2>"$demo/sluice.log" > >(viewer) &
  sluice_pid=$!
else
  "$root/sluice" run --config "$config" --http-port "$http_port" >"$demo/sluice.log" 2>&1 &
  sluice_pid=$!
  mkdir -p "$demo/out"
  # segments are 128 MiB by default: the demo stays within the first one
  tail -s 0.2 -n +1 -F "$demo/out/events-000000000001.jsonl" 2>/dev/null > >(viewer) &
  viewer_pid=$!
fi

for ((i = 0; ; i++)); do
  if ! kill -0 "$sluice_pid" 2>/dev/null; then
    wait "$sluice_pid" || true
    sluice_pid=""
    cat "$demo/sluice.log" >&2
    fail "Sluice exited while starting (log above)"
  fi
  grep -q "connecting to" "$demo/sluice.log" 2>/dev/null && break
  [[ $i -lt 600 ]] || { cat "$demo/sluice.log" >&2; fail "Sluice did not start within 60 s"; }
  sleep 0.1
done
sleep 1
say "web console: http://127.0.0.1:$http_port/  (open it in a browser to watch lag and throughput; with --keep-running it stays up)"

# ---------------------------------------------------------------------------------------------- workload

step() { # step "description" SQL...
  local what="$1"
  shift
  say "$what"
  local s
  for s in "$@"; do note "$s"; done
  printf '%s\n' "$@" | sql shop
  sleep "${QUICKSTART_PAUSE:-2}"
}

step "insert two orders (one transaction each: two 'c' events)" \
  "INSERT INTO orders VALUES (1, 'new', 19.90, NOW(3));" \
  "INSERT INTO orders VALUES (2, 'new', 5.00, NOW(3));"
step "pay order 1 (a 'u' event with before and after)" \
  "UPDATE orders SET status = 'paid', updated_at = NOW(3) WHERE id = 1;"
step "one transaction over three rows (ids share the GTID, row counts 0, 1, 2)" \
  "BEGIN;" \
  "INSERT INTO orders VALUES (3, 'new', 42.00, NOW(3));" \
  "UPDATE orders SET status = 'shipped', updated_at = NOW(3) WHERE id = 1;" \
  "UPDATE orders SET total = 4.50, updated_at = NOW(3) WHERE id = 2;" \
  "COMMIT;"
step "change a primary key (a 'd' for id 3, then a 'c' for id 30)" \
  "UPDATE orders SET id = 30 WHERE id = 3;"
step "delete order 2 (a 'd' event: before only)" \
  "DELETE FROM orders WHERE id = 2;"

if $keep_running; then
  say "Sluice keeps running; make more changes in another terminal, for example:"
  note "$client --no-defaults -uroot --socket=$demo/mariadb.sock shop -e \"INSERT INTO orders VALUES (4, 'new', 1.00, NOW(3))\""
  say "press Ctrl-C to stop Sluice and MariaDB and remove ${demo#"$root"/}"
  wait "$sluice_pid" || true
  sluice_pid=""
  tail -n 20 "$demo/sluice.log" >&2
  fail "Sluice stopped on its own (log above)"
fi

say "workload done"
