#!/bin/sh
# Cold start of `toolhost mcp-server` through the launcher, on Java 25+ (AOT cache) and on Java 17 (AppCDS),
# with and without the start-up cache, against mcp-server-everything in the same run: wall time from spawning
# the process to the tools/list response (bench/mcp-coldstart.py; cases interleaved, first one the reference).
# The launcher never builds when started by another program, so this measures exactly what an MCP client gets.
# Trains the cache for both Javas first (`toolhost startup-cache`; the build trains only the launcher's own).
# Usage: bench/mcp-coldstart.sh [RUNS=20]
#   JAVA25 / JAVA17: the two JDK homes (default: /usr/lib/jvm/temurin-25-jdk-amd64, java-17-openjdk-amd64)
set -e
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${1:-20}
JAVA25=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA17=${JAVA17:-/usr/lib/jvm/java-17-openjdk-amd64}
[ -f "$ROOT/host/target/toolhost-all.jar" ] || { echo "build first: ./toolhost build" >&2; exit 1; }
TOOLHOST_HOME=$(mktemp -d)
export TOOLHOST_HOME
trap 'rm -rf "$TOOLHOST_HOME"' EXIT
unset TOOLHOST_JAVA_OPTS TOOLHOST_CDS JAVA_HOME
TOOLHOST_JAVA=$JAVA25 "$ROOT/toolhost" startup-cache
TOOLHOST_JAVA=$JAVA17 "$ROOT/toolhost" startup-cache
T="$ROOT/toolhost"
V25=$("$JAVA25/bin/java" -version 2>&1 | head -1)
V17=$("$JAVA17/bin/java" -version 2>&1 | head -1)
echo "$(date -u '+%H:%M UTC'), $(nproc) cores, $V25 / $V17, node $(node --version)"
python3 "$ROOT/bench/mcp-coldstart.py" "$RUNS" \
  "server-everything (reference)::$ROOT/it/peers/node_modules/.bin/mcp-server-everything" \
  "\`toolhost mcp-server\`, Java 25, AOT cache::TOOLHOST_JAVA=$JAVA25 $T mcp-server" \
  "\`toolhost mcp-server\`, Java 17, AppCDS::TOOLHOST_JAVA=$JAVA17 $T mcp-server" \
  "\`toolhost mcp-server --only builtin\`, Java 25, AOT cache::TOOLHOST_JAVA=$JAVA25 $T mcp-server --only builtin" \
  "\`toolhost mcp-server\`, Java 25, no cache::TOOLHOST_JAVA=$JAVA25 TOOLHOST_CDS=off $T mcp-server" \
  "\`toolhost mcp-server\`, Java 17, no cache::TOOLHOST_JAVA=$JAVA17 TOOLHOST_CDS=off $T mcp-server"
