#!/usr/bin/env bash
# The README's main command: start the local AWS emulator (installing it on first use), seed it with the
# reference architecture, run a live `palisade scan` against it, and write the reports.
#   PALISADE_REPORT_DIR  where the reports go (default: palisade-report)
#   PALISADE_SCALE       copies of the reference architecture to seed (default: 1)
set -uo pipefail
cd "$(dirname "$0")/.."
out=${PALISADE_REPORT_DIR:-palisade-report}
mkdir -p "$out"
# The same build as `cargo test --workspace` (the binary the end-to-end tests run): one build for both.
echo "building palisade…" >&2
cargo test -q --no-run -p palisade >/dev/null 2>"$out/build.log" || { cat "$out/build.log" >&2; exit 2; }
bin=${CARGO_TARGET_DIR:-target}/debug/palisade
read -r port pid < <(bash tests/emulator/start.sh) || { echo "the emulator did not start" >&2; exit 2; }
trap 'kill "$pid" 2>/dev/null' EXIT
url="http://127.0.0.1:$port"
echo "emulator on $url; seeding the reference architecture…" >&2
"${PALISADE_VENV:-.venv}/bin/python" tests/emulator/seed.py --endpoint "$url" --scale "${PALISADE_SCALE:-1}" \
  --manifest "$out/seed-manifest.json" >&2 || exit 2
# moto speaks neither the CloudWatch SDK's RPC-v2 CBOR protocol nor AWS's date format for Synthetics
# canaries: a test-only translating proxy in front of the emulator serves both (tests/emulator/cloudwatch_proxy.py).
exec 3< <(exec "${PALISADE_VENV:-.venv}/bin/python" tests/emulator/cloudwatch_proxy.py --upstream "$url" 2>"$out/proxy.log")
proxy_pid=$!
trap 'kill "$pid" "$proxy_pid" 2>/dev/null' EXIT
read -r proxy_port <&3 || { echo "the CloudWatch proxy did not start" >&2; exit 2; }
url="http://127.0.0.1:$proxy_port"
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1 \
  AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_EC2_METADATA_DISABLED=true
# One live scan writes every format; the text summary also goes to the terminal.
"$bin" scan --endpoint-url "$url" --region us-east-1 --max-attempts 1 \
  --save-inventory "$out/inventory.json" --category palisade/emulator/ --fail-on high \
  --output json="$out/scan.json" --output sarif="$out/scan.sarif" --output html="$out/report.html" \
  --output markdown="$out/summary.md" --output junit="$out/junit.xml" --output csv="$out/results.csv" \
  --output ocsf="$out/ocsf.json" --output text="$out/summary.txt"
code=$?
[ "$code" -ne 2 ] || exit 2
head -n 3 "$out/summary.txt"
echo
echo "reports written to $out/:"
echo "  report.html (open it in a browser), summary.txt, summary.md, scan.json, scan.sarif,"
echo "  junit.xml, results.csv, ocsf.json, inventory.json"
echo "(exit code $code: 1 = findings at or above --fail-on high, 3 = some checks could not run)"
[ "$code" -eq 1 ] || [ "$code" -eq 3 ] || [ "$code" -eq 0 ] && exit 0 || exit "$code"
