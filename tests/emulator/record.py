#!/usr/bin/env python3
"""Records the HTTP exchanges of a live `palisade collect` against the seeded emulator, as the fixtures of
the collectors' unit tests (scanner/collect/src/replay.rs replays them; no emulator at test time).

Re-record every fixture (from the repository root; needs a built `target/debug/palisade`, i.e.
`cargo build -p palisade`, and the emulator venv, installed on first use by tests/emulator/start.sh):

    python3 tests/emulator/record.py [--only rds,ec2]

It starts the emulator (start.sh), seeds the reference architecture (seed.py), puts a recording proxy on a
free loopback port between palisade and the emulator, runs
`palisade collect --endpoint-url http://127.0.0.1:<proxy> --region us-east-1` through it, then subscribes the
account to Shield Advanced and runs `palisade collect --service shield` again (the seeded account is
unsubscribed on purpose), stops the emulator and writes tests/fixtures/recorded/<collector>.json (and
shield-subscribed.json). Each exchange keeps only: method, path+query, x-amz-target, request body,
response status, content type, x-amzn-errortype and response body -- never a header with credentials.
Bodies are JSON values when they are JSON, else text (a list of lines when multi-line). Exchanges are sorted,
so a re-recording diffs cleanly. PATCHES below fixes, in flight, the few answers in which the emulator
omits a field or departs from AWS's format (see tests/fixtures/recorded/README.md); each patched exchange
says so in its "patched" member.

The proxy alone (forward to URL, append exchanges to FILE as JSON lines):

    python3 tests/emulator/record.py --proxy-only --upstream http://127.0.0.1:PORT --raw FILE [--port N]

Standard library only. Loopback only: the proxy listens on 127.0.0.1 and forwards to a 127.0.0.1 upstream.
"""
import argparse
import datetime
import http.client
import http.server
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import urllib.parse
import urllib.request
from xml.dom import minidom

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
OUT_DIR = os.path.join(REPO, "tests", "fixtures", "recorded")

# SigV4 signing name -> fixture file (the collector module under scanner/collect/src/services/).
FILES = {
    "ec2": "ec2",
    "elasticloadbalancing": "elbv2",
    "rds": "rds",
    "secretsmanager": "secretsmanager",
    "cognito-idp": "cognito",
    "wafv2": "wafv2",
    "cloudfront": "cloudfront",
    "route53": "route53",
    "shield": "shield",
    "s3": "s3",  # S3 and S3 Control (account public access block) sign as s3
    "iam": "iam",
    "sts": None,  # GetCallerIdentity: the CLI's, not a collector's
}

HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailers",
              "transfer-encoding", "upgrade", "content-length"}


def signing_service(auth):
    m = re.search(r"Credential=[^/]+/[^/]+/[^/]+/([^/]+)/aws4_request", auth or "")
    return m.group(1) if m else None


def pretty_xml(text):
    """XML indented one element per line. Only whitespace between elements changes (the SDK's parser skips
    it); the text of leaf elements is kept as it is."""
    try:
        doc = minidom.parseString(text.encode("utf-8"))
    except Exception:  # not XML after all
        return None

    def strip(node):
        for child in list(node.childNodes):
            if child.nodeType == child.TEXT_NODE and not child.data.strip() and len(node.childNodes) > 1:
                node.removeChild(child)
            else:
                strip(child)

    strip(doc)
    return doc.toprettyxml(indent=" ").rstrip("\n")


def body_value(raw, content_type):
    """JSON bodies as JSON values, XML pretty-printed, other text verbatim; text with several lines as a
    list of lines."""
    if not raw:
        return {"text": ""}
    text = raw.decode("utf-8", errors="replace")
    ct = content_type or ""
    if "xml" not in ct and ("json" in ct or text.lstrip().startswith(("{", "["))):
        try:
            return {"json": json.loads(text)}
        except ValueError:
            pass
    if text.lstrip().startswith("<"):
        text = pretty_xml(text) or text
    lines = text.split("\n")
    return {"text": lines if len(lines) > 1 else text}


def read_body(rfile, headers):
    n = headers.get("Content-Length")
    if n is not None:
        return rfile.read(int(n))
    if "chunked" in (headers.get("Transfer-Encoding") or ""):
        out = b""
        while True:
            size = int(rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass
                return out
            out += rfile.read(size)
            rfile.readline()
    return b""


def make_handler(upstream, sink, lock):
    up = urllib.parse.urlsplit(upstream)
    if up.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit(f"record.py: upstream must be on loopback, not {up.hostname}")

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *_):
            pass

        def handle_any(self):
            body = read_body(self.rfile, self.headers)
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
            conn = http.client.HTTPConnection(up.hostname, up.port, timeout=120)
            try:
                conn.request(self.command, self.path, body=body or None, headers=headers)
                resp = conn.getresponse()
                rbody = resp.read()
                rheaders = resp.getheaders()
                status = resp.status
            finally:
                conn.close()
            target = self.headers.get("X-Amz-Target")
            patched = apply_patches(operation(target, body), rbody) if status == 200 else None
            if patched:
                rbody, why = patched
            self.send_response(status)
            for k, v in rheaders:
                if k.lower() not in HOP_BY_HOP:
                    self.send_header(k, v)
            self.send_header("Content-Length", str(len(rbody)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(rbody)
            rh = {k.lower(): v for k, v in rheaders}
            ex = {
                "service": signing_service(self.headers.get("Authorization")),
                **({"patched": why} if patched else {}),
                "request": {
                    "method": self.command,
                    "path": self.path,
                    "target": target,
                    "body": body_value(body, self.headers.get("Content-Type")),
                },
                "response": {
                    "status": status,
                    "content_type": rh.get("content-type"),
                    "error_type": rh.get("x-amzn-errortype"),
                    "body": body_value(rbody, rh.get("content-type")),
                },
            }
            with lock:
                sink(ex)

        do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = handle_any

    return Handler


def start_proxy(upstream, sink, port=0):
    lock = threading.Lock()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), make_handler(upstream, sink, lock))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def palisade_binary():
    if os.environ.get("PALISADE_BIN"):
        return os.environ["PALISADE_BIN"]
    target = os.environ.get("CARGO_TARGET_DIR") or os.path.join(REPO, "target")
    path = os.path.join(target, "debug", "palisade")
    if not os.path.exists(path):
        raise SystemExit(f"record.py: {path} not found: run `cargo build -p palisade` first")
    return path


def fake_env():
    env = dict(os.environ)
    for k in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL", "AWS_SESSION_TOKEN"):
        env.pop(k, None)
    env.update({
        "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_REGION": "us-east-1",
        "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_EC2_METADATA_DISABLED": "true",
        "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost",
    })
    return env


def collect(proxy_port, services=()):
    out = tempfile.NamedTemporaryFile(prefix="palisade-record-", suffix=".json", delete=False).name
    cmd = [palisade_binary(), "collect", "--endpoint-url", f"http://127.0.0.1:{proxy_port}",
           "--region", "us-east-1", "--max-attempts", "1", "--output", out, "--quiet"]
    for s in services:
        cmd += ["--service", s]
    r = subprocess.run(cmd, env=fake_env(), capture_output=True, text=True)
    if r.returncode not in (0, 3):
        raise SystemExit(f"record.py: palisade collect failed ({r.returncode}): {r.stderr}")
    with open(out) as f:
        inv = json.load(f)
    os.unlink(out)
    for e in inv.get("collection_errors", []):
        print(f"record.py: note: collection error {e['operation']}: {e['error_code']}", file=sys.stderr)


def shield_subscribe(moto_url):
    """CreateSubscription on the emulator (moto checks that a request is signed, never the signature)."""
    req = urllib.request.Request(moto_url + "/", method="POST", data=b"{}", headers={
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": "AWSShield_20160616.CreateSubscription",
        "Authorization": "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/shield/aws4_request, "
                         "SignedHeaders=host, Signature=0",
    })
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(req, timeout=30) as r:
        r.read()


# ---- What the emulator gets wrong or never reports, fixed in flight (see README.md) -----------------------
# Applied by the proxy to the response palisade receives, so the recording is what palisade saw; each
# patched exchange says why in its "patched" member. A patch takes the response text and returns
# (new text, why), or None when it does not apply.

def _secret_last_accessed(text):
    """moto never reports LastAccessedDate: give the app API key one, so its mapping is tested."""
    body = json.loads(text)
    for s in body.get("SecretList", []):
        if s.get("Name") == "app/api-key" and s.get("LastAccessedDate") is None:
            s["LastAccessedDate"] = 1764201600  # 2025-11-27T00:00:00Z
            return json.dumps(body), "LastAccessedDate added to app/api-key (moto never reports it)"
    return None


def _shield_epoch_dates(text):
    """moto answers StartTime/EndTime as "27/11/2026, 22:15:31"; AWS (and the SDK) use epoch seconds."""
    body = json.loads(text)
    sub = body.get("Subscription") or {}
    changed = False
    for k in ("StartTime", "EndTime"):
        v = sub.get(k)
        if isinstance(v, str):
            t = datetime.datetime.strptime(v, "%d/%m/%Y, %H:%M:%S").replace(tzinfo=datetime.timezone.utc)
            sub[k] = int(t.timestamp())
            changed = True
    if not changed:
        return None
    return json.dumps(body), "StartTime/EndTime as epoch seconds (moto sends a formatted date)"


def _iam_policy_names(text):
    """moto leaves PolicyName out of GetAccountAuthorizationDetails' managed policies; AWS sends it (the
    last part of the ARN)."""
    def add(m):
        member = m.group(0)
        if "<PolicyName>" in member:
            return member
        arn = re.search(r"<Arn>arn:aws:iam::\d+:policy/(?:[^<]*/)?([^</]+)</Arn>", member)
        return member.replace("<Arn>", f"<PolicyName>{arn.group(1)}</PolicyName><Arn>", 1) if arn else member

    m = re.search(r"<Policies>.*</Policies>", text, re.S)
    if not m:
        return None
    policies = re.sub(r"<member>.*?</PolicyVersionList>", add, m.group(0), flags=re.S)
    if policies == m.group(0):
        return None
    return (text[:m.start()] + policies + text[m.end():],
            "PolicyName added to each managed policy (moto leaves it out)")


PATCHES = {
    "ListSecrets": _secret_last_accessed,
    "DescribeSubscription": _shield_epoch_dates,
    "GetAccountAuthorizationDetails": _iam_policy_names,
}


def operation(target, body):
    """The operation of a JSON-protocol (x-amz-target) or query-protocol (Action=) request."""
    if target:
        return target.rsplit(".", 1)[-1]
    m = re.match(rb"Action=([A-Za-z]+)", body or b"")
    return m.group(1).decode() if m else ""


def apply_patches(op, raw):
    """(patched body, why) if a patch applies to this response."""
    patch = PATCHES.get(op)
    if not patch or not raw:
        return None
    try:
        out = patch(raw.decode("utf-8"))
    except (ValueError, AttributeError):
        return None
    return (out[0].encode(), out[1]) if out else None


def sort_key(ex):
    r = ex["request"]
    return (r["method"], r["path"], r["target"] or "", json.dumps(r["body"], sort_keys=True))


def write(name, exchanges):
    os.makedirs(OUT_DIR, exist_ok=True)
    out = []
    seen = set()
    for ex in sorted(exchanges, key=sort_key):
        key = json.dumps(ex["request"], sort_keys=True)
        if key in seen:  # the same call twice (e.g. a paginator's repeated page): one is enough
            continue
        seen.add(key)
        out.append({k: ex[k] for k in ("patched", "request", "response") if k in ex})
    path = os.path.join(OUT_DIR, f"{name}.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1, sort_keys=False)
        f.write("\n")
    print(f"record.py: {path}: {len(out)} exchanges", file=sys.stderr)


def record_all(only=None):
    started = subprocess.run(["bash", os.path.join(HERE, "start.sh")], capture_output=True, text=True)
    if started.returncode != 0:
        raise SystemExit(f"record.py: start.sh failed: {started.stderr}")
    port, pid = started.stdout.split()
    moto = f"http://127.0.0.1:{port}"
    try:
        venv = os.environ.get("PALISADE_VENV") or os.path.join(REPO, ".venv")
        seed = subprocess.run([os.path.join(venv, "bin", "python"), os.path.join(HERE, "seed.py"),
                               "--endpoint", moto], capture_output=True, text=True)
        if seed.returncode != 0:
            raise SystemExit(f"record.py: seed.py failed: {seed.stderr}")
        by_file = {}
        unexpected = []

        def sink_into(suffix=""):
            def sink(ex):
                svc = ex.pop("service")
                if only is not None:
                    if FILES.get(svc) in only:
                        by_file.setdefault(FILES[svc] + suffix, []).append(ex)
                elif svc not in FILES:
                    unexpected.append(f"{svc}: {ex['request']['method']} {ex['request']['path']}")
                elif FILES[svc]:
                    by_file.setdefault(FILES[svc] + suffix, []).append(ex)
            return sink

        proxy = start_proxy(moto, sink_into())
        collect(proxy.server_address[1])
        proxy.shutdown()
        proxy.server_close()
        # Second scenario: a subscribed account (Shield's subscription, DRT and contacts).
        shield_subscribe(moto)
        proxy = start_proxy(moto, sink_into("-subscribed"))
        collect(proxy.server_address[1], services=["shield"])
        proxy.shutdown()
        proxy.server_close()
    finally:
        subprocess.run(["kill", pid])
    if unexpected:  # a new service: add it to FILES (and to the README's table)
        raise SystemExit("record.py: requests of unknown signing services:\n" + "\n".join(unexpected))
    for name, exchanges in sorted(by_file.items()):
        if only is None or name in only:
            write(name, exchanges)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--proxy-only", action="store_true", help="only run the recording proxy")
    ap.add_argument("--upstream", help="emulator URL (loopback) for --proxy-only")
    ap.add_argument("--raw", help="JSON-lines file the proxy appends exchanges to (--proxy-only)")
    ap.add_argument("--port", type=int, default=0, help="proxy port (--proxy-only; default: free port)")
    ap.add_argument("--only", help="re-record only these fixture files (comma-separated names, e.g. rds)")
    a = ap.parse_args()
    if not a.proxy_only:
        record_all(set(a.only.split(",")) if a.only else None)
        return
    if not (a.upstream and a.raw):
        ap.error("--proxy-only needs --upstream and --raw")
    raw = open(a.raw, "a")

    def sink(ex):
        raw.write(json.dumps(ex) + "\n")
        raw.flush()

    server = start_proxy(a.upstream, sink, a.port)
    print(server.server_address[1], flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
