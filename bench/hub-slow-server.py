#!/usr/bin/env python3
"""A minimal stdio MCP server whose start-up is slow but cheap: it sleeps (argv[1] seconds, default 1)
before answering, like a server that waits on a network or a database. Used by bench/hub.sh to measure
the hub's parallel start without ten Node processes fighting over two CPU cores."""
import json
import sys
import time

time.sleep(float(sys.argv[1]) if len(sys.argv) > 1 else 1.0)
for line in sys.stdin:
    msg = json.loads(line)
    if "id" not in msg:
        continue
    method = msg.get("method")
    if method == "initialize":
        result = {"protocolVersion": msg["params"]["protocolVersion"], "capabilities": {"tools": {}},
                  "serverInfo": {"name": "slow", "version": "1"}}
    elif method == "tools/list":
        result = {"tools": [{"name": "echo", "inputSchema": {"type": "object"}}]}
    elif method == "tools/call":
        result = {"content": [{"type": "text", "text": "Echo: " + str(msg["params"]["arguments"].get("message"))}]}
    else:
        result = {}
    sys.stdout.write(json.dumps({"jsonrpc": "2.0", "id": msg["id"], "result": result}) + "\n")
    sys.stdout.flush()
