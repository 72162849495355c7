#!/bin/sh
# Sustained tools/call throughput of `toolhost mcp-server --http` with 16 concurrent MCP sessions
# calling update_plan (a cheap built-in tool): bench/McpHttpBench.java as the load generator.
# The server runs with the launcher's JVM flags plus $TOOLHOST_JAVA_OPTS (appended, as ./toolhost does),
# e.g. TOOLHOST_JAVA_OPTS="-XX:TieredStopAtLevel=4" for the full JIT on a long-running server.
# Usage: bench/mcp-http.sh [CLIENTS=16] [CALLS=60000] [WARMUP_PER_CLIENT=1000]
set -e
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CLIENTS=${1:-16}
CALLS=${2:-60000}
WARMUP=${3:-1000}
PORT=${PORT:-18765}
TOOLHOST_HOME=$(mktemp -d)
export TOOLHOST_HOME
JAR="$TOOLHOST_HOME/toolhost-all.jar"   # a copy: a rebuild during the run would replace the original
cp "$ROOT/host/target/toolhost-all.jar" "$JAR"
# shellcheck disable=SC2086
java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData $TOOLHOST_JAVA_OPTS -jar "$JAR" \
  mcp-server --only builtin --http "127.0.0.1:$PORT" --max-concurrent-calls 64 2>"$TOOLHOST_HOME/server.err" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -rf "$TOOLHOST_HOME"' EXIT
for _ in $(seq 100); do grep -q "serving MCP" "$TOOLHOST_HOME/server.err" 2>/dev/null && break; sleep 0.1; done
java "$ROOT/bench/McpHttpBench.java" "http://127.0.0.1:$PORT/mcp" "$CLIENTS" "$CALLS" "$WARMUP"
