#!/usr/bin/env bash
# Exec output throughput: runs `toolhost exec-server` (the shaded jar, as its own JVM) on loopback,
# streams `head -c BYTES /dev/zero` to a WebSocket client, and prints MB/s received plus the server's
# peak RSS (VmHWM from /proc/PID/status).
# Usage: bench/exec-throughput.sh [BYTES ...]   (default: 100000000 1000000000)
# SERVER_JAVA_OPTS overrides the server JVM flags (default: the launcher's -XX:+UseSerialGC).
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=host/target/toolhost-all.jar
if [ ! -f "$JAR" ] || [ ! -f exec/target/test-classes/dev/toolhost/exec/server/ExecThroughputBench.class ]; then
  echo "bench: building (mvn -pl host -am install, exec test-compile)" >&2
  mvn -B -q -o -pl host -am install -Dmaven.test.skip=true >&2
  mvn -B -q -o -pl exec test-compile >&2
fi
# A private copy: others may rebuild the shared jar while the benchmark runs.
COPY=$(mktemp --suffix=.jar)
cp "$JAR" "$COPY"
unzip -tq "$COPY" >/dev/null || { echo "bench: $JAR is being rebuilt; retry" >&2; exit 1; }
JAR=$COPY
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(100000000 1000000000)
for bytes in "${sizes[@]}"; do
  out=$(mktemp)
  # shellcheck disable=SC2086
  java ${SERVER_JAVA_OPTS:--XX:+UseSerialGC} -jar "$JAR" exec-server --listen ws://127.0.0.1:0 >"$out" &
  server=$!
  trap 'kill $server 2>/dev/null || true' EXIT
  for _ in $(seq 600); do grep -q "^ws://" "$out" && break; sleep 0.1; done
  java -XX:+UseSerialGC -cp "$JAR:exec/target/test-classes" dev.toolhost.exec.server.ExecThroughputBench \
    "$(grep -m1 "^ws://" "$out")" "$server" "$bytes"
  kill "$server"; wait "$server" 2>/dev/null || true
  trap - EXIT
  rm -f "$out"
done
rm -f "$COPY"
