#!/usr/bin/env bash
# Load run of live collection: seeds the local AWS emulator with N copies of the reference architecture
# (default 20), then runs `palisade collect` and `palisade scan` against it and prints wall time, API calls,
# resources, collection errors and peak memory.
#   bash tests/load.sh [SCALE]
# Uses the debug build of `cargo test` (no extra build); PALISADE_BIN overrides the binary.
set -uo pipefail
cd "$(dirname "$0")/.."
scale=${1:-20}
out=$(mktemp -d "${TMPDIR:-/tmp}/palisade-load.XXXXXX")
if [ -z "${PALISADE_BIN:-}" ]; then
  cargo test -q --no-run -p palisade >/dev/null 2>"$out/build.log" || { cat "$out/build.log" >&2; exit 2; }
fi
bin=${PALISADE_BIN:-${CARGO_TARGET_DIR:-target}/debug/palisade}
read -r port pid < <(bash tests/emulator/start.sh) || { echo "the emulator did not start" >&2; exit 2; }
trap 'kill "$pid" 2>/dev/null; rm -rf "$out"' EXIT
url="http://127.0.0.1:$port"
# measure LOG CMD...: runs CMD with stderr to LOG, then appends its wall time and peak RSS (no GNU time needed).
measure() {
  local log=$1; shift
  python3 -c '
import resource, subprocess, sys, time
t = time.monotonic()
with open(sys.argv[1], "w") as log:
    rc = subprocess.run(sys.argv[2:], stderr=log).returncode
with open(sys.argv[1], "a") as log:
    log.write("wall: %.1f s\n" % (time.monotonic() - t))
    log.write("peak: %d MiB\n" % (resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024))
sys.exit(rc)' "$log" "$@"
}
measure "$out/seed.log" "${PALISADE_VENV:-.venv}/bin/python" tests/emulator/seed.py --endpoint "$url" \
  --scale "$scale" --manifest "$out/manifest.json" >/dev/null || { cat "$out/seed.log" >&2; exit 2; }
# The test-only translating proxy (CloudWatch's RPC-v2 CBOR, Synthetics dates) in front of the emulator.
exec 3< <(exec "${PALISADE_VENV:-.venv}/bin/python" tests/emulator/cloudwatch_proxy.py --upstream "$url" 2>"$out/proxy.log")
proxy_pid=$!
trap 'kill "$pid" "$proxy_pid" 2>/dev/null; rm -rf "$out"' EXIT
read -r proxy_port <&3 || { echo "the CloudWatch proxy did not start:" >&2; cat "$out/proxy.log" >&2; exit 2; }
url="http://127.0.0.1:$proxy_port"
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1 \
  AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_EC2_METADATA_DISABLED=true
# palisade's own summary line gives resources, calls, retries, errors and its time.
measure "$out/collect.log" "$bin" collect --endpoint-url "$url" --region us-east-1 --max-attempts 3 \
  --output "$out/inventory.json" --record-calls "$out/calls.json"
rc=$?
[ "$rc" -eq 0 ] || { cat "$out/collect.log" >&2; exit 2; }
measure "$out/scan.log" "$bin" scan --inventory "$out/inventory.json" --format json \
  --output "$out/scan.json" --fail-on none --allow-incomplete || { cat "$out/scan.log" >&2; exit 2; }
field() { grep "^$2: " "$1" | tail -n1 | cut -d' ' -f2-; }
summary=$(grep '^palisade: collected' "$out/collect.log")
echo "load run at --scale $scale (emulator seeded in $(field "$out/seed.log" wall))"
echo "  collect: $summary"
echo "  collect: wall $(field "$out/collect.log" wall), peak memory $(field "$out/collect.log" peak)"
python3 - "$out/calls.json" "$out/scan.json" <<'PY'
import json, sys
calls = json.load(open(sys.argv[1]))
scan = json.load(open(sys.argv[2]))
top = sorted(calls, key=lambda c: -c["count"])[:5]
print("  API calls by operation (top 5): " + ", ".join(f'{c["operation"]} {c["count"]}' for c in top))
s = scan["summary"]
print(f'  scan --inventory: {s["resources"]} resources, {len(scan["results"])} results '
      f'({s["by_status"]["FAIL"]} FAIL, {s["by_status"]["ERROR"]} ERROR, {s["by_status"]["PASS"]} PASS)')
PY
echo "  scan:    wall $(field "$out/scan.log" wall), peak memory $(field "$out/scan.log" peak)"
