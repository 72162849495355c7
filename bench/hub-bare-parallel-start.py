# Baseline for the hub's parallel-start benchmark: bare starts of one stdio MCP server, no hub, each timed
# to its initialize answer: one at a time, then ten at once (twice).
# Usage: /usr/bin/python3 bench/hub-bare-parallel-start.py [COMMAND ARGS...]
# Default command: bench/hub-slow-server.py on this interpreter (as bench/hub.sh runs it).
import json, os, subprocess, sys, threading, time
INIT = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-06-18",
        "capabilities": {}, "clientInfo": {"name": "b", "version": "1"}}}) + "\n"
COMMAND = sys.argv[1:] or [sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)), "hub-slow-server.py")]
def start():
    p = subprocess.Popen(COMMAND, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    p.stdin.write(INIT); p.stdin.flush(); p.stdout.readline(); p.kill(); p.wait()
for n in (1, 10, 1, 10):
    t = time.time(); ts = [threading.Thread(target=start) for _ in range(n)]
    [x.start() for x in ts]; [x.join() for x in ts]
    print(n, "servers:", round((time.time() - t) * 1000), "ms")
