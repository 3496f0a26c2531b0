#!/usr/bin/env python3
"""A stand-in Conductor server for the network tests: the two token endpoints, on 127.0.0.1 only.

    python3 fake_conductor.py [--key-id ID --key-secret S] [--user-token JWT] [--expired-token JWT]
                              [--ttl SECONDS] [--delay SECONDS] [--status CODE] [--oss] [--name TEXT]

Prints the port it listens on (a free one) as its first line, then serves until its standard input
closes (so it never outlives the test that started it).

  POST /api/token          {"keyId","keySecret"} -> {"token": <unsigned JWT, exp = now + ttl>}
                           wrong key -> 401 {"error":"INVALID_TOKEN","message":...}
  GET  /api/token/userInfo X-Authorization: the user token -> 200 ConductorUser-like object;
                           the expired token -> 401 EXPIRED_TOKEN; anything else -> 401 INVALID_TOKEN
  GET  /_stats             {"token": n, "userInfo": n, "bodies": [...], "headers": [...]} (request counting)

--delay sleeps before answering the API endpoints (a slow server); --status answers every API request
with that status and an HTML body (a broken proxy). --name puts TEXT in the userInfo's "name" and the
minted token's "name" claim (a hostile answer).

--oss is open-source Conductor: no authentication, so both token endpoints answer 404 (as Spring does,
{"status": 404, "error": "Not Found", ...}), and GET /api/metadata/workflow answers 200 [] without a credential.
"""
import argparse
import base64
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def make_jwt(claims):
    header = b64(json.dumps({"alg": "none", "typ": "JWT"}, sort_keys=True).encode())
    payload = b64(json.dumps(claims, sort_keys=True).encode())
    return header + "." + payload + "."


parser = argparse.ArgumentParser()
parser.add_argument("--key-id", default="key-id")
parser.add_argument("--key-secret", default="s3cret")
parser.add_argument("--user-token", default="")
parser.add_argument("--expired-token", default="")
parser.add_argument("--ttl", type=int, default=3600)
parser.add_argument("--delay", type=float, default=0)
parser.add_argument("--status", type=int, default=0)
parser.add_argument("--oss", action="store_true")
parser.add_argument("--name", default=None)
args = parser.parse_args()

lock = threading.Lock()
stats = {"token": 0, "userInfo": 0, "metadata": 0, "bodies": [], "headers": []}
minted = []


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def reply(self, status, obj=None, raw=None, content_type="application/json"):
        body = raw if raw is not None else json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def api_prelude(self, kind):
        with lock:
            stats[kind] += 1
            stats["headers"].append({k: v for k, v in self.headers.items()})
        if args.delay:
            time.sleep(args.delay)
        if args.status:
            self.reply(args.status, raw=b"<html><body>Bad Gateway</body></html>", content_type="text/html")
            return False
        return True

    def not_found_oss(self):
        self.reply(404, {"timestamp": "2026-01-01T00:00:00.000+00:00", "status": 404, "error": "Not Found",
                         "path": self.path})

    def do_GET(self):
        if self.path == "/_stats":
            with lock:
                self.reply(200, stats)
            return
        if self.path == "/api/metadata/workflow":
            if not self.api_prelude("metadata"):
                return
            if args.oss:
                self.reply(200, [])
            else:
                self.reply(401, {"error": "INVALID_TOKEN", "message": "Token is missing"})
            return
        if self.path == "/api/token/userInfo":
            if not self.api_prelude("userInfo"):
                return
            if args.oss:
                self.not_found_oss()
                return
            token = self.headers.get("X-Authorization", "")
            if args.user_token and token == args.user_token:
                self.reply(200, {
                    "id": "jane@example.com", "name": args.name or "Jane Doe", "uuid": "0b1c2d",
                    "roles": [{"name": "USER", "permissions": []}, {"name": "ADMIN", "permissions": []}],
                    "groups": [{"id": "engineering"}], "applicationUser": False,
                })
            elif args.expired_token and token == args.expired_token:
                self.reply(401, {"error": "EXPIRED_TOKEN", "message": "Token has expired"})
            else:
                self.reply(401, {"error": "INVALID_TOKEN", "message": "Token is invalid"})
            return
        self.reply(404, {"status": 404, "message": "not found: " + self.path})

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        if self.path == "/api/token":
            with lock:
                stats["bodies"].append(body.decode("utf-8", "replace"))
            if not self.api_prelude("token"):
                return
            if args.oss:
                self.not_found_oss()
                return
            try:
                request = json.loads(body)
            except ValueError:
                self.reply(400, {"error": "BAD_REQUEST", "message": "body is not JSON"})
                return
            if request.get("keyId") == args.key_id and request.get("keySecret") == args.key_secret:
                now = int(time.time())
                with lock:
                    minted.append(1)
                    serial = len(minted)
                token = make_jwt({"sub": args.key_id, "name": args.name or ("app-" + args.key_id), "iat": now,
                                  "exp": now + args.ttl, "jti": str(serial)})
                self.reply(200, {"token": token})
            else:
                self.reply(401, {"error": "INVALID_TOKEN", "message": "Invalid access key or secret"})
            return
        self.reply(404, {"status": 404, "message": "not found: " + self.path})


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print(server.server_address[1], flush=True)


def watch_stdin():
    # The test holds our standard input open; when it closes (the test ended or died), stop.
    try:
        while sys.stdin.buffer.read(4096):
            pass
    finally:
        os._exit(0)


threading.Thread(target=watch_stdin, daemon=True).start()
server.serve_forever()
