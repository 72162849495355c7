#!/usr/bin/env bash
# Hub benchmarks: per-call overhead of the hub vs a direct SDK client, and parallel start of ten
# stdio servers. Needs the shaded jar (mvn -B -q -o -pl host -am install -DskipTests) and the npm
# peers in it/peers. Results go in docs/benchmarks.md, section "## Hub".
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=host/target/toolhost-all.jar
EVERYTHING=$PWD/it/peers/node_modules/.bin/mcp-server-everything
exec java -Dorg.slf4j.simpleLogger.defaultLogLevel=error -cp "$JAR" bench/HubBench.java "$EVERYTHING" "$PWD/bench/hub-slow-server.py"
