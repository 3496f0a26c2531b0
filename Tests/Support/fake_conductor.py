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

The Orkes application API (docs/keys.md), with state kept in memory. Every call needs X-Authorization:
the user token (a user with --user-roles, default USER,ADMIN) or a token minted here (that application's
roles; it may manage its own application's keys only, and with --no-self-manage not even those: 403). The key of --key-id/--key-secret belongs to a
seeded application "app-1" (roles --app-roles, default WORKER), made --key-age-days ago.

  GET    /api/token/userInfo                           a user, or {"applicationUser": true, ...} for a minted token
  POST   /api/applications            {"name"}        -> {"id", "name", ...}                (userInfo)
  POST   /api/applications/{id}/roles/{role}           200; 403 when a non-admin grants ADMIN or *_MANAGER
  POST   /api/applications/{id}/accessKeys             -> {"id", "secret"}: the only time the secret is shown
  GET    /api/applications/{id}/accessKeys             -> [{"id", "createdAt" (ms), "status"}]
  POST   /api/applications/{id}/accessKeys/{k}/status  toggles ACTIVE <-> INACTIVE -> {"id", "createdAt", "status"}
  DELETE /api/applications/{id}/accessKeys/{k}         200
  GET    /api/applications/key/{k}                     -> the application
  POST   /api/token                                    any ACTIVE key of any application; INACTIVE -> 401

Faults, by call name (userInfo, token, createApp, addRole, createKey, listKeys, toggleKey, deleteKey,
keyApp), optionally the Nth call only (createKey#2): --fail NAME[#N]=STATUS answers that status;
--stall NAME[#N] holds the request before doing anything, --stall-after NAME[#N] does it and then holds
the answer (the client never hears). POST /_faults {"fail": {...}, "stall": [...], "stallAfter": [...]}
replaces them at run time (and releases held requests); GET /_state shows the applications (secrets
left out) and "stalled" in /_stats names the held call.

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
parser.add_argument("--user-roles", default="USER,ADMIN")
parser.add_argument("--app-roles", default="WORKER")
parser.add_argument("--key-age-days", type=int, default=10)
parser.add_argument("--no-self-manage", action="store_true")
parser.add_argument("--fail", action="append", default=[])
parser.add_argument("--stall", action="append", default=[])
parser.add_argument("--stall-after", action="append", default=[])
args = parser.parse_args()

lock = threading.Lock()
stats = {"token": 0, "userInfo": 0, "metadata": 0, "bodies": [], "headers": [], "calls": [], "stalled": None}
minted = []
CALLS = ["userInfo", "token", "createApp", "addRole", "createKey", "listKeys", "toggleKey", "deleteKey", "keyApp"]
counts = {}
release = threading.Event()


def parse_faults(fail, stall, stall_after):
    return {"fail": dict(fail), "stall": set(stall), "stallAfter": set(stall_after)}


faults = parse_faults([f.split("=", 1) for f in args.fail], args.stall, args.stall_after)
for f in faults["fail"]:
    faults["fail"][f] = int(faults["fail"][f])


def now_ms():
    return int(time.time() * 1000)


apps = {"app-1": {"id": "app-1", "name": "seeded", "roles": [r for r in args.app_roles.split(",") if r],
                  "keys": {args.key_id: {"id": args.key_id, "secret": args.key_secret, "status": "ACTIVE",
                                         "createdAt": now_ms() - args.key_age_days * 86400000}}}}
serial = [1]
principals = {}  # minted token -> application id


def is_admin_role(role):
    return role == "ADMIN" or role.endswith("_MANAGER")


def find_key(key_id):
    for app in apps.values():
        if key_id in app["keys"]:
            return app, app["keys"][key_id]
    return None, None


def key_view(key):
    return {"id": key["id"], "createdAt": key["createdAt"], "status": key["status"]}


def app_view(app):
    return {"id": app["id"], "name": app["name"], "createdBy": "jane@example.com",
            "roles": [{"name": r} for r in app["roles"]]}


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
        self.stall_after = False
        with lock:
            stats[kind] = stats.get(kind, 0) + 1
            stats["headers"].append({k: v for k, v in self.headers.items()})
        if args.delay:
            time.sleep(args.delay)
        if args.status:
            self.reply(args.status, raw=b"<html><body>Bad Gateway</body></html>", content_type="text/html")
            return False
        if kind in CALLS:
            self.stall_after = self.fault(kind)
            if self.stall_after is None:
                return False
        return True

    def fault(self, name):
        """Counts the call; answers an injected failure (None: answered) or holds it. True: hold after."""
        with lock:
            counts[name] = counts.get(name, 0) + 1
            nth = name + "#" + str(counts[name])
            stats["calls"].append(name)
            fail = faults["fail"].get(nth, faults["fail"].get(name))
            stall = nth in faults["stall"] or name in faults["stall"]
            after = nth in faults["stallAfter"] or name in faults["stallAfter"]
        if fail:
            self.reply(fail, {"error": "INJECTED", "message": "injected failure of " + nth})
            return None
        if stall:
            self.hold(nth)
            return None
        return after

    def hold(self, what):
        with lock:
            stats["stalled"] = what
        release.wait()
        self.close_connection = True

    def finish_call(self, status, obj):
        if getattr(self, "stall_after", False):
            self.hold("after " + stats["calls"][-1])
            return
        self.reply(status, obj)

    def caller(self):
        """("user", roles) or ("app", application id) for the X-Authorization token, else None."""
        token = self.headers.get("X-Authorization", "")
        if args.user_token and token == args.user_token:
            return ("user", [r for r in args.user_roles.split(",") if r])
        with lock:
            if token in principals and principals[token] in apps:
                return ("app", principals[token])
        return None

    def applications(self, method, path, body):
        parts = path.split("/")[3:]  # after /api/applications
        call = None
        if method == "POST" and parts == []:
            call = "createApp"
        elif method == "POST" and len(parts) == 3 and parts[1] == "roles":
            call = "addRole"
        elif len(parts) == 2 and parts[1] == "accessKeys":
            call = "createKey" if method == "POST" else "listKeys"
        elif method == "POST" and len(parts) == 4 and parts[1] == "accessKeys" and parts[3] == "status":
            call = "toggleKey"
        elif method == "DELETE" and len(parts) == 3 and parts[1] == "accessKeys":
            call = "deleteKey"
        elif method == "GET" and len(parts) == 2 and parts[0] == "key":
            call = "keyApp"
        if call is None:
            self.reply(404, {"status": 404, "message": "not found: " + path})
            return
        if not self.api_prelude(call):
            return
        who = self.caller()
        if who is None:
            self.reply(401, {"error": "INVALID_TOKEN", "message": "Token is invalid"})
            return
        kind, detail = who
        if kind == "app" and args.no_self_manage:
            self.reply(403, {"error": "FORBIDDEN", "message": "applications may not manage applications"})
            return
        with lock:
            if call == "createApp":
                if kind != "user":
                    result = (403, {"error": "FORBIDDEN", "message": "applications cannot create applications"})
                else:
                    name = json.loads(body or b"{}").get("name", "")
                    serial[0] += 1
                    app = {"id": "app-%d" % serial[0], "name": name, "roles": [], "keys": {}}
                    apps[app["id"]] = app
                    result = (200, app_view(app))
            elif call == "keyApp":
                app, key = find_key(parts[1])
                result = (200, app_view(app)) if app else (404, {"status": 404, "message": "no such key"})
            else:
                app = apps.get(parts[0])
                if app is None:
                    result = (404, {"status": 404, "message": "no such application " + parts[0]})
                elif kind == "app" and detail != app["id"]:
                    result = (403, {"error": "FORBIDDEN", "message": "not your application"})
                elif call == "addRole":
                    role = parts[2]
                    if kind != "user" or (is_admin_role(role) and "ADMIN" not in detail):
                        result = (403, {"error": "FORBIDDEN", "message": "only an admin may grant " + role})
                    else:
                        if role not in app["roles"]:
                            app["roles"].append(role)
                        result = (200, app_view(app))
                elif call == "createKey":
                    serial[0] += 1
                    key_id = "key-%d" % serial[0]
                    secret = "secret-%d-%s" % (serial[0], base64.b32encode(os.urandom(10)).decode().lower())
                    app["keys"][key_id] = {"id": key_id, "secret": secret, "status": "ACTIVE", "createdAt": now_ms()}
                    result = (200, {"id": key_id, "secret": secret})
                elif call == "listKeys":
                    result = (200, [key_view(k) for k in app["keys"].values()])
                else:
                    key = app["keys"].get(parts[2])
                    if key is None:
                        result = (404, {"status": 404, "message": "no such key " + parts[2]})
                    elif call == "toggleKey":
                        key["status"] = "INACTIVE" if key["status"] == "ACTIVE" else "ACTIVE"
                        result = (200, key_view(key))
                    else:
                        del app["keys"][parts[2]]
                        result = (200, {})
        self.finish_call(*result)

    def not_found_oss(self):
        self.reply(404, {"timestamp": "2026-01-01T00:00:00.000+00:00", "status": 404, "error": "Not Found",
                         "path": self.path})

    def do_GET(self):
        if self.path == "/_stats":
            with lock:
                self.reply(200, stats)
            return
        if self.path == "/_state":
            with lock:
                self.reply(200, {a["id"]: {"name": a["name"], "roles": a["roles"],
                                           "keys": {k: key_view(v) for k, v in a["keys"].items()}}
                                 for a in apps.values()})
            return
        if self.path.startswith("/api/applications/"):
            self.applications("GET", self.path, b"")
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
            who = self.caller()
            if who and who[0] == "user":
                self.finish_call(200, {
                    "id": "jane@example.com", "name": args.name or "Jane Doe", "uuid": "0b1c2d",
                    "roles": [{"name": r, "permissions": []} for r in who[1]],
                    "groups": [{"id": "engineering"}], "applicationUser": False,
                })
            elif who:
                with lock:
                    app = apps[who[1]]
                    info = {"id": "app:" + app["id"], "name": app["name"], "uuid": app["id"],
                            "roles": [{"name": r, "permissions": []} for r in app["roles"]], "groups": [],
                            "applicationUser": True}
                self.finish_call(200, info)
            elif args.expired_token and token == args.expired_token:
                self.reply(401, {"error": "EXPIRED_TOKEN", "message": "Token has expired"})
            else:
                self.reply(401, {"error": "INVALID_TOKEN", "message": "Token is invalid"})
            return
        self.reply(404, {"status": 404, "message": "not found: " + self.path})

    def do_DELETE(self):
        if self.path.startswith("/api/applications/"):
            self.applications("DELETE", self.path, b"")
            return
        self.reply(404, {"status": 404, "message": "not found: " + self.path})

    def do_POST(self):
        global release
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        if self.path == "/_faults":
            spec = json.loads(body or b"{}")
            with lock:
                faults["fail"] = {k: int(v) for k, v in spec.get("fail", {}).items()}
                faults["stall"] = set(spec.get("stall", []))
                faults["stallAfter"] = set(spec.get("stallAfter", []))
                stats["stalled"] = None
                old, release = release, threading.Event()
            old.set()
            self.reply(200, {})
            return
        if self.path == "/api/applications" or self.path.startswith("/api/applications/"):
            self.applications("POST", self.path, body)
            return
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
            with lock:
                app, key = find_key(request.get("keyId"))
            if key and key["secret"] == request.get("keySecret") and key["status"] == "ACTIVE":
                now = int(time.time())
                with lock:
                    minted.append(1)
                    number = len(minted)
                key_id = request.get("keyId")
                token = make_jwt({"sub": key_id, "name": args.name or ("app-" + key_id), "iat": now,
                                  "exp": now + args.ttl, "jti": str(number)})
                with lock:
                    principals[token] = app["id"]
                self.finish_call(200, {"token": token})
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
