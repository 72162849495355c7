# Baseline for the hub's parallel-start benchmark: ten bare starts of bench/hub-slow-server.py, no hub,
# each timed to its initialize answer. Usage: python3 bench/hub-bare-parallel-start.py
import subprocess, time, json, sys, threading
INIT = json.dumps({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"b","version":"1"}}}) + "\n"
def start():
    p = subprocess.Popen(["python3", __import__("os").path.join(__import__("os").path.dirname(__file__), "hub-slow-server.py")], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    p.stdin.write(INIT); p.stdin.flush(); p.stdout.readline(); p.kill()
for n in (1, 10, 1, 10):
    t = time.time(); ts = [threading.Thread(target=start) for _ in range(n)]
    [x.start() for x in ts]; [x.join() for x in ts]
    print(n, "servers:", round((time.time() - t) * 1000), "ms")
