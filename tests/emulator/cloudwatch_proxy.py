#!/usr/bin/env python3
"""CloudWatch translating proxy in front of the local AWS emulator (moto server). For tests only.

It makes two translations, and passes everything else through unchanged.

1. Protocol: CloudWatch RPC-v2 CBOR. The current Rust `aws-sdk-cloudwatch` speaks Smithy RPC-v2 CBOR (POST
/service/GraniteServiceVersion20100801/operation/<Operation>, Content-Type application/cbor, header
`smithy-protocol: rpc-v2-cbor`), which moto 5.2.5 does not serve (it answers 404). This proxy listens on
loopback, in front of the whole emulator, and

- translates CBOR `DescribeAlarms` requests into moto's JSON protocol for CloudWatch (awsJson1_0: POST / with
  `X-Amz-Target: GraniteServiceVersion20100801.DescribeAlarms`, which is also what boto3 speaks to moto: typed
  values, no XML to guess types from), forwarding the original Authorization and X-Amz-* headers (moto takes the
  region, account and service from the SigV4 credential scope and never checks the signature), and converts the
  answer back into the RPC-v2 CBOR response the SDK decodes: MetricAlarms (AlarmName, AlarmArn, Namespace,
  MetricName, Dimensions [{Name, Value}], Statistic / ExtendedStatistic, Period, EvaluationPeriods, Threshold,
  ComparisonOperator, TreatMissingData, ActionsEnabled, AlarmActions, OKActions, InsufficientDataActions, Metrics
  (metric math), StateValue, ...), CompositeAlarms when AlarmTypes asks for them, and NextToken; timestamps as
  CBOR tag 1 (epoch seconds); errors as a CBOR map {"__type", "message"} with the upstream status and the
  `smithy-protocol: rpc-v2-cbor` header;
- pages DescribeAlarms itself, since moto ignores MaxRecords and NextToken: MaxRecords 1..100 (50 when absent),
  a NextToken naming a snapshot of the alarm list taken by the first page (kept 10 minutes).
  Other CloudWatch CBOR operations are passed through and still get moto's 404.

2. Where moto departs from AWS's wire format: CloudWatch Synthetics timestamps. Synthetics is REST-JSON, and
AWS sends its timestamps as epoch-seconds JSON numbers, the only form `aws-sdk-synthetics` accepts
(`Format::EpochSeconds`); moto 5.2.5 writes a canary's `Timeline` dates as ISO 8601 strings
("2024-05-01T12:00:00.000Z"), so the SDK rejects the whole answer. For the answers to DescribeCanaries
(POST /canaries) and GetCanary (GET /canary/<name>), recognised by the service `synthetics` in the SigV4
credential scope of the Authorization header, the proxy rewrites, in each Canary, the members that the AWS model
(aws-sdk-synthetics protocol_serde) types as timestamps - Timeline.Created, Timeline.LastModified,
Timeline.LastStarted, Timeline.LastStopped and MultiLocationConfig.Replicas[].LastModified - from ISO 8601
strings (date, time, optional fraction, optional Z or +hh:mm offset; no offset means UTC, as moto writes UTC)
into JSON numbers (float seconds since the epoch). Nothing else changes: other members, nulls, numbers and
strings that are not ISO timestamps keep their values, an answer with nothing to rewrite (an error, a non-JSON or
non-200 answer, an already numeric date) is passed on byte for byte, and Content-Length follows the new body.

Every other request is passed through unchanged (method, path, headers, body; status, headers, body back), so
that the proxy can be the single endpoint of a scan.

Run it (stdlib plus cbor2, which tests/emulator/install.sh installs into the emulator's virtualenv; started with
another python, the script re-runs itself with ${PALISADE_VENV:-<repo>/.venv}/bin/python):

    python3 tests/emulator/cloudwatch_proxy.py --upstream http://127.0.0.1:PORT [--port N] [--verbose]

It binds 127.0.0.1 (port 0 or absent: a free port), prints the port it listens on as one line on stdout once it
accepts connections, and serves until it is killed (SIGTERM/SIGINT). Loopback only, both ways.
"""
import argparse
import http.client
import json
import os
import re
import signal
import sys
import threading
import time
import urllib.parse
import uuid
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

try:
    import cbor2
except ImportError:  # started with another python: use the emulator's virtualenv (install.sh puts cbor2 there)
    _here = os.path.dirname(os.path.abspath(__file__))
    _venv = os.environ.get("PALISADE_VENV") or os.path.join(_here, "..", "..", ".venv")
    _python = os.path.join(_venv, "bin", "python")
    if __name__ == "__main__" and os.path.exists(_python) and os.path.realpath(sys.prefix) != os.path.realpath(_venv):
        os.execv(_python, [_python, os.path.abspath(__file__), *sys.argv[1:]])
    sys.exit("cloudwatch_proxy.py: needs cbor2: run tests/emulator/install.sh and use its virtualenv's python")

CBOR_PATH_MARK = "/service/GraniteServiceVersion20100801/operation/"
JSON_TARGET = "GraniteServiceVersion20100801."
HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer", "trailers",
              "transfer-encoding", "upgrade", "proxy-connection"}
# Request members that select alarms (forwarded to moto). MaxRecords, NextToken and AlarmTypes are handled here.
FILTERS = ("AlarmNames", "AlarmNamePrefix", "ChildrenOfAlarmName", "ParentsOfAlarmName", "StateValue", "ActionPrefix")
DEFAULT_MAX_RECORDS, MAX_RECORDS = 50, 100
SNAPSHOT_TTL_S, MAX_SNAPSHOTS = 600, 256

# Output shapes (aws-sdk-cloudwatch protocol_serde/shape_metric_alarm.rs, shape_composite_alarm.rs): member -> kind.
METRIC_ALARM = {
    "AlarmName": "str", "AlarmArn": "str", "AlarmDescription": "str", "AlarmConfigurationUpdatedTimestamp": "ts",
    "ActionsEnabled": "bool", "OKActions": "strs", "AlarmActions": "strs", "InsufficientDataActions": "strs",
    "StateValue": "str", "StateReason": "str", "StateReasonData": "str", "StateUpdatedTimestamp": "ts",
    "MetricName": "str", "Namespace": "str", "Statistic": "str", "ExtendedStatistic": "str", "Dimensions": "dims",
    "Period": "int", "Unit": "str", "EvaluationPeriods": "int", "DatapointsToAlarm": "int", "Threshold": "float",
    "ComparisonOperator": "str", "TreatMissingData": "str", "EvaluateLowSampleCountPercentile": "str",
    "Metrics": "queries", "ThresholdMetricId": "str", "EvaluationState": "str", "StateTransitionedTimestamp": "ts",
}
COMPOSITE_ALARM = {
    "ActionsEnabled": "bool", "AlarmActions": "strs", "AlarmArn": "str", "AlarmConfigurationUpdatedTimestamp": "ts",
    "AlarmDescription": "str", "AlarmName": "str", "AlarmRule": "str", "InsufficientDataActions": "strs",
    "OKActions": "strs", "StateReason": "str", "StateReasonData": "str", "StateUpdatedTimestamp": "ts",
    "StateValue": "str", "StateTransitionedTimestamp": "ts", "ActionsSuppressedBy": "str",
    "ActionsSuppressedReason": "str", "ActionsSuppressor": "str", "ActionsSuppressorWaitPeriod": "int",
    "ActionsSuppressorExtensionPeriod": "int",
}


# Synthetics (REST-JSON): members the AWS model types as timestamps, read as epoch seconds by aws-sdk-synthetics
# (protocol_serde/shape_canary_timeline.rs, shape_multi_location_config.rs -> shape_replica.rs). A shape is TS, a
# dict of member -> shape, or a one-element list [item shape].
TS = "ts"
SYN_CANARY = {
    "Timeline": {"Created": TS, "LastModified": TS, "LastStarted": TS, "LastStopped": TS},
    "MultiLocationConfig": {"Replicas": [{"LastModified": TS}]},
}
SYN_OUTPUTS = {"DescribeCanaries": {"Canaries": [SYN_CANARY]}, "GetCanary": {"Canary": SYN_CANARY}}
SIGV4_SERVICE = re.compile(r"Credential=[^/,\s]+/\d{8}/[^/,\s]+/([^/,\s]+)/aws4_request")
ISO_8601 = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:?\d{2})?")


class TranslationError(Exception):
    def __init__(self, status, code, message):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def log(msg):
    print(f"cloudwatch_proxy: {msg}", file=sys.stderr, flush=True)


# ---- conversion of moto's JSON alarms into the CBOR shapes -----------------------------------------------------
def _timestamp(v):
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return cbor2.CBORTag(1, float(v))
    if isinstance(v, str):  # ISO 8601, in case an emulator answers with strings
        return cbor2.CBORTag(1, datetime.fromisoformat(v.replace("Z", "+00:00")).timestamp())
    raise ValueError(f"not a timestamp: {v!r}")


def _bool(v):
    if isinstance(v, str):
        return v.lower() == "true"
    return bool(v)


def _dims(v):
    return [{"Name": str(d["Name"]), "Value": str(d["Value"])} for d in v or [] if "Name" in d and "Value" in d]


def _query(q):
    out = {"Id": str(q.get("Id", ""))}
    stat = q.get("MetricStat")
    if stat:
        metric = stat.get("Metric") or {}
        m = {k: str(metric[k]) for k in ("Namespace", "MetricName") if metric.get(k) is not None}
        if metric.get("Dimensions"):
            m["Dimensions"] = _dims(metric["Dimensions"])
        s = {"Metric": m, "Period": int(stat.get("Period", 0)), "Stat": str(stat.get("Stat", ""))}
        if stat.get("Unit"):
            s["Unit"] = str(stat["Unit"])
        out["MetricStat"] = s
    for k in ("Expression", "Label", "AccountId"):
        if q.get(k) is not None:
            out[k] = str(q[k])
    if q.get("ReturnData") is not None:
        out["ReturnData"] = _bool(q["ReturnData"])
    if q.get("Period") is not None:
        out["Period"] = int(q["Period"])
    return out


CONVERT = {
    "str": str, "bool": _bool, "int": int, "float": float, "ts": _timestamp, "dims": _dims,
    "strs": lambda v: [str(x) for x in v or []], "queries": lambda v: [_query(q) for q in v or []],
}


def convert(alarm, shape):
    out = {}
    for k, kind in shape.items():
        v = alarm.get(k)
        if v is None:
            continue
        out[k] = CONVERT[kind](v)
    return out


# ---- Synthetics: ISO 8601 timestamps from moto -> epoch seconds as AWS sends them ---------------------------------
def synthetics_operation(method, path, headers):
    """"DescribeCanaries" or "GetCanary" when the request is one of them (by SigV4 scope and route), else None."""
    m = SIGV4_SERVICE.search(headers.get("Authorization") or "")
    if not m or m.group(1) != "synthetics":
        return None
    if method == "POST" and path == "/canaries":
        return "DescribeCanaries"
    if method == "GET" and re.fullmatch(r"/canary/[^/]+", path):
        return "GetCanary"
    return None


def iso_to_epoch(v):
    """Seconds since the epoch (float) of an ISO 8601 date-time string, or None when v is not one."""
    if not isinstance(v, str) or not ISO_8601.fullmatch(v):
        return None
    text = v.replace("z", "Z").replace("Z", "+00:00").replace("t", "T").replace(" ", "T")
    frac = re.search(r"\.(\d+)", text)
    if frac and len(frac.group(1)) > 6:  # datetime keeps microseconds only
        text = text.replace(frac.group(0), "." + frac.group(1)[:6])
    try:
        dt = datetime.fromisoformat(text)
    except ValueError:
        return None
    if dt.tzinfo is None:  # moto writes UTC
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.timestamp()


def epoch_timestamps(value, shape):
    """(value with the ISO timestamps of shape rewritten as epoch seconds, whether anything changed)."""
    if shape == TS:
        secs = iso_to_epoch(value)
        return (value, False) if secs is None else (secs, True)
    changed = False
    if isinstance(shape, dict) and isinstance(value, dict):
        for k, sub in shape.items():
            if k in value:
                value[k], c = epoch_timestamps(value[k], sub)
                changed |= c
    elif isinstance(shape, list) and isinstance(value, list):
        for i, item in enumerate(value):
            value[i], c = epoch_timestamps(item, shape[0])
            changed |= c
    return value, changed


def synthetics_answer(op, status, headers, data):
    """The body to send back for a Synthetics op answer: data itself unless timestamps had to be rewritten."""
    h = dict((k.lower(), v) for k, v in headers)
    if status != 200 or h.get("content-encoding", "identity").lower() != "identity":
        return data
    try:
        answer = json.loads(data)
    except ValueError:  # also UnicodeDecodeError
        return data
    answer, changed = epoch_timestamps(answer, SYN_OUTPUTS[op])
    return json.dumps(answer).encode() if changed else data


# ---- snapshots for pagination --------------------------------------------------------------------------------
class Snapshots:
    def __init__(self):
        self.lock = threading.Lock()
        self.items = {}  # id -> (created, [(list name, alarm)])

    def put(self, entries):
        sid = uuid.uuid4().hex
        now = time.monotonic()
        with self.lock:
            for k in [k for k, (t, _) in self.items.items() if now - t > SNAPSHOT_TTL_S]:
                del self.items[k]
            while len(self.items) >= MAX_SNAPSHOTS:
                del self.items[min(self.items, key=lambda k: self.items[k][0])]
            self.items[sid] = (now, entries)
        return sid

    def get(self, sid):
        with self.lock:
            item = self.items.get(sid)
        return None if item is None else item[1]


SNAPSHOTS = Snapshots()


def page(entries, sid, offset, limit):
    """The CBOR body of one page: entries[offset:offset+limit], and a NextToken when more remain."""
    body = {"MetricAlarms": [], "CompositeAlarms": []}
    for kind, alarm in entries[offset:offset + limit]:
        body[kind].append(alarm)
    if offset + limit < len(entries):
        body["NextToken"] = f"{sid}.{offset + limit}"
    return body


# ---- the HTTP side ---------------------------------------------------------------------------------------------
class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "palisade-cloudwatch-proxy"
    upstream = None  # urllib.parse.SplitResult, set by main()
    verbose = False

    def log_message(self, fmt, *args):
        if self.verbose:
            log(fmt % args)

    def _body(self):
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            data = bytearray()
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return bytes(data)
                data += self.rfile.read(size)
                self.rfile.readline()
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def _upstream(self, method, path, headers, body):
        """One request to the emulator: (status, [(header, value)], body)."""
        up = self.upstream
        for attempt in (1, 2):
            conn = http.client.HTTPConnection(up.hostname, up.port or 80, timeout=300)
            try:
                conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
                for k, v in headers:
                    conn.putheader(k, v)
                if body or method in ("POST", "PUT", "PATCH"):
                    conn.putheader("Content-Length", str(len(body)))
                conn.endheaders(body)
                resp = conn.getresponse()
                return resp.status, resp.getheaders(), resp.read()
            except (ConnectionError, http.client.RemoteDisconnected) as e:  # e.g. moto restarting: once more
                if attempt == 2:
                    raise
                log(f"upstream connection failed ({e}), retrying once")
            finally:
                conn.close()

    def _send(self, status, headers, body):
        self.send_response(status)
        length = str(len(body))
        for k, v in headers:
            if k.lower() == "content-length" and self.command == "HEAD":
                length = v  # a HEAD answer announces the length of the body it does not send
            elif k.lower() not in HOP_BY_HOP and k.lower() != "content-length":
                self.send_header(k, v)
        self.send_header("Content-Length", length)
        if (self.headers.get("Connection") or "").lower() == "close":
            # Say so: a client that asked to close must not take the connection for a kept-alive one.
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _forward_headers(self):
        return [(k, v) for k, v in self.headers.items()
                if k.lower() not in HOP_BY_HOP and k.lower() != "content-length"]

    def _handle(self):
        body = self._body()
        op = None
        path = urllib.parse.urlsplit(self.path).path
        if (self.command == "POST" and CBOR_PATH_MARK in path
                and (self.headers.get("smithy-protocol") or "").lower() == "rpc-v2-cbor"):
            op = path.rsplit("/", 1)[-1]
        if op != "DescribeAlarms":
            try:
                status, headers, data = self._upstream(self.command, self.path, self._forward_headers(), body)
            except OSError as e:
                return self._send(502, [("Content-Type", "text/plain")], f"emulator unreachable: {e}\n".encode())
            syn_op = synthetics_operation(self.command, path, self.headers)
            if syn_op:
                data = synthetics_answer(syn_op, status, headers, data)  # _send sets Content-Length from data
            return self._send(status, headers, data)
        try:
            status, payload, request_id = self._describe_alarms(body)
        except TranslationError as e:
            status, payload, request_id = e.status, {"__type": e.code, "message": e.message}, str(uuid.uuid4())
        except OSError as e:
            status, payload, request_id = 503, {"__type": "ServiceUnavailable", "message": f"emulator: {e}"}, \
                str(uuid.uuid4())
        headers = [("Content-Type", "application/cbor"), ("smithy-protocol", "rpc-v2-cbor"),
                   ("x-amzn-requestid", request_id)]
        if status >= 400:
            fault = "Receiver" if status >= 500 else "Sender"
            headers.append(("x-amzn-query-error", f"{payload['__type']};{fault}"))
        self._send(status, headers, cbor2.dumps(payload))

    def _describe_alarms(self, body):
        try:
            req = cbor2.loads(body) if body else {}
        except Exception as e:  # noqa: BLE001 - any decoding failure is the client's
            raise TranslationError(400, "SerializationException", f"request body is not CBOR: {e}")
        if not isinstance(req, dict):
            raise TranslationError(400, "SerializationException", "request body is not a CBOR map")
        limit = req.get("MaxRecords")
        if limit is None:
            limit = DEFAULT_MAX_RECORDS
        if not isinstance(limit, int) or not 1 <= limit <= MAX_RECORDS:
            raise TranslationError(400, "InvalidParameterValue",
                                   f"MaxRecords must be between 1 and {MAX_RECORDS}, got {limit!r}")
        token = req.get("NextToken")
        if token:
            sid, _, offset = str(token).partition(".")
            entries = SNAPSHOTS.get(sid)
            if entries is None or not offset.isdigit() or int(offset) > len(entries):
                raise TranslationError(400, "InvalidNextToken", "The service couldn't process your request "
                                       "because the NextToken is invalid or expired")
            return 200, page(entries, sid, int(offset), limit), str(uuid.uuid4())
        types = req.get("AlarmTypes") or ["MetricAlarm"]  # AWS: only metric alarms unless asked
        query = {k: req[k] for k in FILTERS if req.get(k) is not None}
        headers = [(k, v) for k, v in self._forward_headers()
                   if k.lower() == "authorization" or k.lower().startswith("x-amz-") or k.lower() == "user-agent"]
        headers += [("Host", self.headers.get("Host") or f"{self.upstream.hostname}:{self.upstream.port}"),
                    ("Content-Type", "application/x-amz-json-1.0"), ("X-Amz-Target", JSON_TARGET + "DescribeAlarms"),
                    ("x-amzn-query-mode", "true")]
        status, rheaders, data = self._upstream("POST", "/", headers, json.dumps(query).encode())
        request_id = dict((k.lower(), v) for k, v in rheaders).get("x-amzn-requestid") or str(uuid.uuid4())
        if status != 200:
            raise TranslationError(status, *upstream_error(status, rheaders, data))
        try:
            answer = json.loads(data)
            entries = []
            if "MetricAlarm" in types:
                entries += [("MetricAlarms", convert(a, METRIC_ALARM)) for a in answer.get("MetricAlarms") or []]
            if "CompositeAlarm" in types:
                entries += [("CompositeAlarms", convert(a, COMPOSITE_ALARM))
                            for a in answer.get("CompositeAlarms") or []]
        except (ValueError, TypeError, KeyError, AttributeError) as e:
            raise TranslationError(500, "InternalFailure", f"unexpected DescribeAlarms answer from the emulator: {e}")
        sid = SNAPSHOTS.put(entries) if len(entries) > limit else ""
        return 200, page(entries, sid, 0, limit), request_id

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = do_OPTIONS = _handle


def upstream_error(status, headers, data):
    """(code, message) of an emulator error answer (JSON, query XML, or an HTML page)."""
    h = dict((k.lower(), v) for k, v in headers)
    code = (h.get("x-amzn-query-error") or "").split(";")[0]
    message = ""
    try:
        err = json.loads(data)
        code = code or str(err.get("__type") or err.get("code") or "").split("#")[-1]
        message = str(err.get("message") or err.get("Message") or "")
    except ValueError:
        text = data.decode("utf-8", "replace")
        if "<Code>" in text:
            code = code or text.split("<Code>", 1)[1].split("</Code>", 1)[0]
            if "<Message>" in text:
                message = text.split("<Message>", 1)[1].split("</Message>", 1)[0]
        else:
            message = " ".join(text.split())[:300]
    if not code:
        code = "InternalFailure" if status >= 500 else "UnknownOperationException" if status == 404 else "BadRequest"
    return code, message or f"emulator answered HTTP {status}"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--upstream", required=True, help="emulator URL, e.g. http://127.0.0.1:4566")
    ap.add_argument("--port", type=int, default=0, help="port to listen on (default: a free one)")
    ap.add_argument("--verbose", action="store_true", help="log every request on stderr")
    args = ap.parse_args(argv)
    up = urllib.parse.urlsplit(args.upstream)
    if up.scheme != "http" or up.hostname not in ("127.0.0.1", "localhost", "::1") or not up.port:
        ap.error(f"--upstream must be a loopback http://HOST:PORT emulator, not {args.upstream}")
    Handler.upstream, Handler.verbose = up, args.verbose
    class Server(ThreadingHTTPServer):
        # The default listen backlog (5) resets connections when a scan opens dozens at once.
        request_queue_size = 256
        daemon_threads = True

    server = Server(("127.0.0.1", args.port), Handler)

    def stop(*_):
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(server.server_address[1], flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
