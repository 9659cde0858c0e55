#!/usr/bin/env bash
# Organization scan, evaluated account by account while the next accounts are collected (the default for
# --org) against the whole inventory collected first (what --save-inventory asks for), on the local
# emulator: an organization of MEMBERS accounts, each with GROUPS security groups besides its small stack
# (tests/emulator/seed_org.py), and the management account with the reference architecture at SCALE.
# ("whole" also writes the inventory file.) Prints, per mode and run, wall time, peak RSS, resources and results, and checks that both modes give
# the same results.
#   bash tests/bench/org.sh [MEMBERS] [GROUPS] [RUNS] [SCALE]     (default 16 300 3 1)
# PALISADE_BIN is the binary (default: a release build, made if missing). PALISADE_BASELINE_BIN, if set, is
# another palisade binary (say, an earlier commit's) whose plain `scan --org` runs too, as "baseline".
set -uo pipefail
cd "$(dirname "$0")/../.."
members=${1:-16}
groups=${2:-300}
runs=${3:-3}
scale=${4:-1}
out=$(mktemp -d "${TMPDIR:-/tmp}/palisade-org.XXXXXX")
venv=${PALISADE_VENV:-.venv}
if [ -z "${PALISADE_BIN:-}" ]; then
  cargo build -q --release -p palisade 2>"$out/build.log" || { cat "$out/build.log" >&2; exit 2; }
fi
bin=${PALISADE_BIN:-${CARGO_TARGET_DIR:-target}/release/palisade}
read -r port pid < <(bash tests/emulator/start.sh) || { echo "the emulator did not start" >&2; exit 2; }
trap 'kill "$pid" 2>/dev/null; rm -rf "$out"' EXIT
url="http://127.0.0.1:$port"
"$venv/bin/python" tests/emulator/seed.py --endpoint "$url" --scale "$scale" >/dev/null \
  || { echo "seed.py failed" >&2; exit 2; }
"$venv/bin/python" tests/emulator/seed_org.py --endpoint "$url" --members "$members" --groups "$groups" \
  >/dev/null || { echo "seed_org.py failed" >&2; exit 2; }
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1 \
  AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_EC2_METADATA_DISABLED=true
echo "organization: management (reference architecture x $scale) + $members members x ($groups + 2) security groups"
# run MODE N: one scan; prints its figures.
run() {
  local mode=$1 n=$2 extra=() b=$bin
  [ "$mode" = whole ] && extra=(--save-inventory "$out/inventory.json")
  [ "$mode" = baseline ] && b=$PALISADE_BASELINE_BIN
  python3 - "$mode" "$out/$mode-$n.json" "$b" scan --org --account-role palisade-audit --endpoint-url "$url" \
    --region us-east-1 --max-attempts 1 --format json --output "$out/$mode-$n.json" --fail-on none \
    --quiet "${extra[@]}" <<'PY' || exit 2
import json, resource, subprocess, sys, time
mode, report, cmd = sys.argv[1], sys.argv[2], sys.argv[3:]
t = time.monotonic()
rc = subprocess.run(cmd).returncode
wall = time.monotonic() - t
if rc not in (0, 3):
    sys.exit(f"palisade exited {rc}")
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
r = json.load(open(report))
print(f"  {mode:8}: wall {wall:6.2f} s, peak RSS {peak:6.1f} MiB, "
      f"{len(r['provenance']['accounts'])} accounts, {r['summary']['resources']} resources, {len(r['results'])} results")
PY
}
for n in $(seq 1 "$runs"); do
  run streamed "$n"
  run whole "$n"
  [ -n "${PALISADE_BASELINE_BIN:-}" ] && run baseline "$n"
done
python3 - "$out/streamed-1.json" "$out/whole-1.json" <<'PY'
import json, sys
key = lambda r: sorted((f["rule_id"], f["account"], f["resource_id"], f["status"]) for f in r["results"])
a, b = (json.load(open(p)) for p in sys.argv[1:])
same = key(a) == key(b)
print("  results: " + ("the same in both modes" if same else "DIFFERENT between the modes"))
sys.exit(0 if same else 1)
PY
