#!/bin/sh
# tools/call throughput of one `toolhost mcp-server --http` (built-in tools, agent tools, and server-everything
# configured as the MCP server "everything") from 16 concurrent clients, modern (2026-07-28, stateless) and
# legacy (sessions) side by side in one run, on a built-in tool (update_plan) and on a proxied one
# (mcp__everything__echo). Two load generators:
#   - TypeScript SDK v2 clients (@modelcontextprotocol/client 2.4.0, it/peers/scripts/mcp-load-v2.mjs):
#     16 Client objects in one Node process, versionNegotiation pinned to 2026-07-28, or legacy;
#   - bench/McpHttpBench.java (16 threads over java.net.http, much cheaper per call than the SDK client):
#     MCP_BENCH_ERA=modern or legacy, the generator of the earlier 4,181 calls/s legacy figure.
# The cases run in ROUNDS interleaved rounds; each line has the load average (1 min) when it started.
# The server runs through ./toolhost (so on the Java the launcher picks; TOOLHOST_JAVA to choose).
# Usage: bench/mcp-http-eras.sh [ROUNDS=3] [CALLS_TS=20000] [CALLS_JAVA=60000]
set -e
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ROUNDS=${1:-3}
CALLS_TS=${2:-20000}
CALLS_JAVA=${3:-60000}
PORT=${PORT:-18766}
URL="http://127.0.0.1:$PORT/mcp"
TOOLHOST_HOME=$(mktemp -d)
export TOOLHOST_HOME
cat >"$TOOLHOST_HOME/config.toml" <<TOML
[mcp_servers.everything]
command = "$ROOT/it/peers/node_modules/.bin/mcp-server-everything"
TOML
"$ROOT/toolhost" mcp-server --http "127.0.0.1:$PORT" --max-concurrent-calls 64 2>"$TOOLHOST_HOME/server.err" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -rf "$TOOLHOST_HOME"' EXIT
for _ in $(seq 200); do grep -q "serving MCP" "$TOOLHOST_HOME/server.err" 2>/dev/null && break; sleep 0.1; done
grep -q "serving MCP" "$TOOLHOST_HOME/server.err" || { cat "$TOOLHOST_HOME/server.err" >&2; exit 1; }
SERVER_JAVA=$(tr '\0' ' ' </proc/$SERVER/cmdline | cut -d' ' -f1)
echo "$(date -u '+%H:%M UTC'), $(nproc) cores, server java: $SERVER_JAVA, node $(node --version)"
load() { cut -d' ' -f1 /proc/loadavg; }
# The server JVM's CPU time so far (user + system, ms), from /proc (clock ticks of 10 ms).
server_cpu() { awk '{print ($14 + $15) * 10}' "/proc/$SERVER/stat"; }
ts() { # ERA TOOL ARGS
  L=$(load); C0=$(server_cpu)
  OUT=$(cd "$ROOT/it/peers" && node scripts/mcp-load-v2.mjs --url "$URL" \
    --negotiation "$1" --clients 16 --calls "$CALLS_TS" --warmup 2000 --tool "$2" --args "$3")
  echo "ts-v2 $1 $2 (load $L, server CPU $(( $(server_cpu) - C0 )) ms incl. warm-up): $OUT"
}
jb() { # ERA TOOL ARGS
  L=$(load); C0=$(server_cpu)
  OUT=$(MCP_BENCH_ERA=$1 java "$ROOT/bench/McpHttpBench.java" "$URL" 16 "$CALLS_JAVA" 200 "$2" "$3")
  echo "java $1 $2 (load $L, server CPU $(( $(server_cpu) - C0 )) ms incl. warm-up): $OUT"
}
PLAN='{"explanation":"bench"}'
ECHO='{"message":"bench"}'
for r in $(seq "$ROUNDS"); do
  echo "round $r"
  ts 2026-07-28 update_plan "$PLAN"
  ts legacy update_plan "$PLAN"
  jb modern update_plan "$PLAN"
  jb legacy update_plan "$PLAN"
  ts 2026-07-28 mcp__everything__echo "$ECHO"
  ts legacy mcp__everything__echo "$ECHO"
  jb modern mcp__everything__echo "$ECHO"
  jb legacy mcp__everything__echo "$ECHO"
done
