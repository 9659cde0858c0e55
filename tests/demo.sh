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
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1 \
  AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_EC2_METADATA_DISABLED=true
"$bin" scan --endpoint-url "$url" --region us-east-1 --max-attempts 1 \
  --save-inventory "$out/inventory.json" --format json --output "$out/scan.json" --fail-on none
code=$?
[ "$code" -le 3 ] && [ "$code" -ne 2 ] || exit "$code"
"$bin" scan --inventory "$out/inventory.json" --format sarif --output "$out/scan.sarif" \
  --category palisade/emulator/ --fail-on none --allow-incomplete || exit 2
"$bin" scan --inventory "$out/inventory.json" --format text --output "$out/summary.txt"
code=$?
head -n 3 "$out/summary.txt"
echo
echo "reports written to $out/: summary.txt, scan.json, scan.sarif, inventory.json"
echo "(exit code $code: 1 = findings at or above --fail-on, 3 = some checks could not run)"
[ "$code" -eq 1 ] || [ "$code" -eq 3 ] && exit 0 || exit "$code"
