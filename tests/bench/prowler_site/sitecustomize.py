"""Emulator shim for the Prowler side of tests/bench/prowler.sh (put on PYTHONPATH for Prowler's runs only).

botocore addresses S3 Control at "<account-id>.<endpoint host>" (its endpoint rules put the account id in
the host name: 123456789012.127.0.0.1:PORT). Against the local emulator that host name does not resolve, so
Prowler's account-level S3 calls (GetPublicAccessBlock, ListAccessPoints, ListMultiRegionAccessPoints) fail
with EndpointConnectionError and `s3_account_level_public_access_blocks` reports nothing. This handler,
registered on every botocore session, sends such a request to the loopback endpoint itself, which is what
tests/emulator/seed.py does for its own S3 Control client. It changes nothing else: no request body, no
response, no check. It is active only when PALISADE_BENCH_SHIM=1.
"""
import os
import urllib.parse


def _strip_host_prefix(request, **_):
    parts = urllib.parse.urlsplit(request.url)
    host = parts.hostname or ""
    for loopback in (".127.0.0.1", ".localhost"):
        if host.endswith(loopback) and host != loopback[1:]:
            netloc = parts.netloc.replace(host, loopback[1:], 1)
            request.url = urllib.parse.urlunsplit(parts._replace(netloc=netloc))
            for k in list(request.headers.keys()):
                if k.lower() == "host":
                    del request.headers[k]
            return None
    return None


def _install():
    try:
        import botocore.session
    except Exception:  # not a Python with botocore: nothing to do
        return
    original = botocore.session.Session.__init__

    def __init__(self, *args, **kwargs):
        original(self, *args, **kwargs)
        self.register("before-send", _strip_host_prefix)

    botocore.session.Session.__init__ = __init__


if os.environ.get("PALISADE_BENCH_SHIM") == "1":
    _install()
