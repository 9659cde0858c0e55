"""Emulator shim for tests/bench/prowler.sh (on PYTHONPATH of the moto_server it starts, nowhere else).

moto 5.2.5 caps Kinesis Data Firehose at 50 delivery streams per region (AWS's quota is 5,000 in us-east-1);
tests/emulator/seed.py creates one WAF log stream per copy of the reference architecture, so seeding
--scale 51 or more fails with LimitExceededException. This raises moto's cap to AWS's quota. Nothing else
changes. Active only in a moto_server process with PALISADE_BENCH_EMULATOR_SHIM=1. Being the sitecustomize
found first, it also loads tests/emulator/moto_site's fixes, as start.sh's own sitecustomize would.
"""
import os
import sys

if os.environ.get("PALISADE_BENCH_EMULATOR_SHIM") == "1" and os.path.basename(
        (sys.argv or [""])[0] or "").startswith("moto_server"):
    try:
        from moto.firehose.models import DeliveryStream

        DeliveryStream.MAX_STREAMS_PER_REGION = 5000
    except Exception as e:  # a moto without this cap: nothing to raise
        print(f"bench emulator shim: firehose quota left as is ({e})", file=sys.stderr)

try:
    import palisade_moto_fixes  # noqa: F401  (tests/emulator/moto_site, on the path by start.sh)
except ImportError:
    pass
