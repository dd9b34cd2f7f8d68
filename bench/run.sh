#!/usr/bin/env bash
# Builds Sluice and the benchmark, then runs io.sluice.bench.BinlogBench (see BENCHMARKS.md).
# Arguments go to BinlogBench, e.g.  bench/run.sh --rows 1000000 --parts abcd --profile
# --peers (first argument): also build bench/peers (Maxwell, Debezium embedded: their own Maven project, outside the
# product's build and CI) and run parts x and z, e.g.  bench/run.sh --peers --rounds 3 --parts abxz
# BENCH_JAVA_OPTS: JVM options of the benchmark driver itself (not of the measured JVMs).
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$root"
echo "building…" >&2
mvn -q -B -DskipTests package -pl bench -am >&2
peers=()
if [[ "${1:-}" == "--peers" ]]; then
  shift
  mvn -q -B -DskipTests -f bench/peers/pom.xml clean package >&2
  peers=(--peers "$root/bench/peers")
fi

# Sluice runs as ./sluice runs it: with the jvm.options and the class data sharing archive the launcher makes for
# them (it removes one it failed to make again, so one that is there after it ran is current).
opts="$(cat "$root/jvm.options")"
jsa="${SLUICE_CDS_ARCHIVE:-$root/sluice-app/target/sluice.jsa}"
cds=()
if SLUICE_JAVA_OPTS="$opts" "$root/sluice" version >/dev/null && [[ -f "$jsa" ]]; then
  cds=(--sluice-cds "$jsa")
fi

# shellcheck disable=SC2086 # BENCH_JAVA_OPTS is deliberately word-split
exec java ${BENCH_JAVA_OPTS:-} -cp "bench/target/classes:bench/target/lib/*" io.sluice.bench.BinlogBench \
  --sluice-cp "$root/sluice-app/target/sluice-app.jar:$root/sluice-app/target/lib/*" \
  --work "$root/bench/target/bench-run" --connect-plugins "$root/sluice-connect/target/plugin" --sluice-opts "$opts" "${cds[@]}" "${peers[@]}" "$@"
