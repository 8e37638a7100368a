"""A webhook receiver for endorse's tests: a real HTTP server in its own process.

Every POST is checked with the Standard Webhooks reference implementation (the
`standardwebhooks` package from PyPI) against the secret it was told, and written as one JSON
line to the log file: the path, the three webhook headers, the body, whether the signature
verified (and why not), and the status answered.

    python receiver.py PORT LOG_FILE

`POST /_control` with `{"secret": "whsec_…", "fail_first": N}` sets the secret and makes the
next N deliveries answer 500 (their lines say so); `"hold_ms": M` makes every delivery wait M
milliseconds after its line is written, before it is answered (a slow receiver). The server
runs until it is killed.
"""

import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

STATE = {"secret": None, "fail_first": 0, "hold_ms": 0}
LOCK = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, status, text):
        body = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.path == "/_control":
            with LOCK:
                STATE.update(json.loads(body))
            return self.answer(200, "ok")
        headers = {
            name: self.headers.get(name, "")
            for name in ("webhook-id", "webhook-timestamp", "webhook-signature")
        }
        with LOCK:
            secret = STATE["secret"]
            failing = STATE["fail_first"] > 0
            if failing:
                STATE["fail_first"] -= 1
            hold_ms = STATE["hold_ms"]
        verified, error = False, None
        try:
            if secret is None:
                raise WebhookVerificationError("no secret was set")
            Webhook(secret).verify(body, dict(self.headers.items()))
            verified = True
        except WebhookVerificationError as e:
            error = str(e)
        status = 500 if failing else (204 if verified else 400)
        line = {
            "path": self.path,
            "headers": headers,
            "body": body.decode("utf-8", "replace"),
            "verified": verified,
            "error": error,
            "status": status,
        }
        with LOCK, open(sys.argv[2], "a", encoding="utf-8") as log:
            log.write(json.dumps(line) + "\n")
        if hold_ms:
            time.sleep(hold_ms / 1000)
        if status == 204:
            self.send_response(204)
            self.end_headers()
        else:
            self.answer(status, "failing on purpose" if failing else f"refused: {error}")


if __name__ == "__main__":
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
