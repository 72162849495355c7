#!/bin/sh
# Exec latency benchmark (docs/benchmarks.md, "## Exec latency"): one-shot /usr/bin/true through the
# exec client against a real `toolhost exec-server` process, over stdio, over loopback WebSocket, and
# through a TCP proxy adding DELAY_MS (default 20) each way: pushed events vs a forced final process/read.
# Usage: bench/exec-latency.sh [DELAY_MS]
set -e
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
mvn -B -q -o -pl host -am install -DskipTests >&2
mvn -B -q -o -pl exec test-compile >&2
exec java -cp "host/target/toolhost-all.jar:exec/target/test-classes" \
  dev.toolhost.exec.client.ExecLatencyBench host/target/toolhost-all.jar "${1:-20}"
