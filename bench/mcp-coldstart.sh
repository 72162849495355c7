#!/bin/sh
# Cold start of `toolhost mcp-server --only builtin`: wall time from spawning the process to the
# tools/list response (bench/mcp-coldstart.py), with and without the AppCDS archive, and
# mcp-server-everything for reference. Runs the launcher's JVM command directly (./toolhost would
# rebuild first whenever a source is newer than the jar).
# The archive used is host/target/toolhost.jsa when the JVM can map it from here; otherwise one is
# trained here the same way with the jar's absolute path (a dynamic archive records the class path
# as given at dump time, and a relative one only maps from the directory it was dumped in).
# Usage: bench/mcp-coldstart.sh [RUNS=20]
set -e
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${1:-20}
JAR="$ROOT/host/target/toolhost-all.jar"
CDS="$ROOT/host/target/toolhost.jsa"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export TOOLHOST_HOME="$TMP/home"
mkdir -p "$TOOLHOST_HOME"
BASE="-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData"
if ! java $BASE -Xshare:on -XX:SharedArchiveFile="$CDS" -Xlog:disable -jar "$JAR" --version >/dev/null 2>&1; then
  echo "note: $CDS does not map from here; training an archive with the absolute jar path"
  CDS="$TMP/toolhost.jsa"
  java -XX:ArchiveClassesAtExit="$CDS" $BASE -Xlog:cds=off -Xlog:cds+dynamic=off -cp "$JAR" \
    dev.toolhost.host.CdsTraining --mcp-server < "$ROOT/host/src/cds/mcp-handshake.jsonl" >/dev/null 2>&1
fi
CDS_OPTS="-Xshare:auto -XX:SharedArchiveFile=$CDS -Xlog:cds=off -Xlog:cds+dynamic=off"
echo "toolhost mcp-server --only builtin, with AppCDS:    $(python3 "$ROOT/bench/mcp-coldstart.py" "$RUNS" java $BASE $CDS_OPTS -jar "$JAR" mcp-server --only builtin)"
echo "toolhost mcp-server --only builtin, without AppCDS: $(python3 "$ROOT/bench/mcp-coldstart.py" "$RUNS" java $BASE -Xshare:auto -jar "$JAR" mcp-server --only builtin)"
echo "toolhost mcp-server (no config: built-ins + agent), with AppCDS: $(python3 "$ROOT/bench/mcp-coldstart.py" "$RUNS" java $BASE $CDS_OPTS -jar "$JAR" mcp-server)"
echo "mcp-server-everything (reference):                  $(python3 "$ROOT/bench/mcp-coldstart.py" "$RUNS" "$ROOT/it/peers/node_modules/.bin/mcp-server-everything")"
