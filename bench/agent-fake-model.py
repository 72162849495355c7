#!/usr/bin/env python3
"""A Responses API model for bench/agent-exec.sh: calls exec_command {"cmd": "true", "login": false} until the
conversation holds CALLS tool results, then answers "done". Usage: agent-fake-model.py PORT CALLS"""
import http.server, json, sys

PORT, CALLS = int(sys.argv[1]), int(sys.argv[2])

class Model(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # else headers and body wait on delayed ACKs (40 ms per request)

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        done = sum(1 for i in body["input"] if i.get("type") == "function_call_output")
        if done < CALLS:
            item = {"type": "function_call", "call_id": "c%d" % done, "name": "exec_command",
                    "arguments": json.dumps({"cmd": "true", "login": False})}
        else:
            item = {"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": "done"}]}
        events = [{"type": "response.output_item.done", "item": item},
                  {"type": "response.completed", "response": {"usage": {"input_tokens": 1, "output_tokens": 1}}}]
        payload = "".join("event: %s\ndata: %s\n\n" % (e["type"], json.dumps(e)) for e in events).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass

http.server.ThreadingHTTPServer(("127.0.0.1", PORT), Model).serve_forever()
