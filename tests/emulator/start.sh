#!/usr/bin/env bash
# Starts the local AWS emulator (moto server) on a free loopback port, in the background.
# Prints exactly one line on stdout: "PORT PID". Everything else goes to stderr or the log file.
#   PALISADE_VENV          virtualenv (default <repo>/.venv), installed by install.sh if needed
#   PALISADE_EMULATOR_LOG  log file (default ${TMPDIR:-/tmp}/palisade-moto-<port>.log)
#   PALISADE_EMULATOR_WAIT seconds to wait for the server to answer (default 30)
# moto_site/palisade_moto_fixes.py fixes, in the server process only, where moto departs from AWS.
# Stop it with: kill <PID>
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
venv=${PALISADE_VENV:-$repo/.venv}
wait_s=${PALISADE_EMULATOR_WAIT:-30}

"$here/install.sh" >&2 || { echo "start.sh: emulator installation failed" >&2; exit 1; }

py="$venv/bin/python"
# Loopback only: never through a proxy configured for the machine.
export NO_PROXY="${NO_PROXY:+$NO_PROXY,}127.0.0.1,localhost" no_proxy="${no_proxy:+$no_proxy,}127.0.0.1,localhost"
for attempt in 1 2 3; do
  port=$("$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
  log=${PALISADE_EMULATOR_LOG:-${TMPDIR:-/tmp}/palisade-moto-$port.log}
  # Read at start-up only: no ~1,300 fake AMIs/snapshots; AWS managed IAM policies listed.
  # No request recording: moto records when MOTO_ENABLE_RECORDING is set to anything non-empty ("false"
  # included), appending every request, headers and body, to ./moto_recording (hundreds of MB over a
  # benchmark) and spending the emulator's time on it; so it is removed from the environment.
  env -u MOTO_ENABLE_RECORDING \
  MOTO_EC2_LOAD_DEFAULT_AMIS=false \
  MOTO_IAM_LOAD_MANAGED_POLICIES=true \
  AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=us-east-1 \
  PYTHONUNBUFFERED=1 \
  PYTHONPATH="${PYTHONPATH:+$PYTHONPATH:}$here/moto_site" \
    nohup "$venv/bin/moto_server" -H 127.0.0.1 -p "$port" </dev/null >"$log" 2>&1 &
  pid=$!
  # Poll GET /moto-api/ until it answers, the process dies, or the time is up.
  if "$py" - "$port" "$pid" "$wait_s" <<'PY'
import os, sys, time, urllib.request
port, pid, wait_s = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
deadline = time.monotonic() + wait_s
while time.monotonic() < deadline:
    try:
        os.kill(pid, 0)
    except OSError:
        sys.exit(2)  # the server exited
    if os.path.exists(f"/proc/{pid}/stat"):
        with open(f"/proc/{pid}/stat") as f:
            if f.read().split(")")[-1].split()[0] == "Z":
                sys.exit(2)  # zombie: exited
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/moto-api/", timeout=2) as r:
            if r.status == 200:
                sys.exit(0)
    except Exception:
        pass
    time.sleep(0.1)
sys.exit(1)  # timed out
PY
  then
    echo "$port $pid"
    exit 0
  else
    status=$?
  fi
  kill "$pid" 2>/dev/null || true
  if [ "$status" -eq 1 ]; then
    echo "start.sh: moto_server (pid $pid) did not answer on 127.0.0.1:$port within ${wait_s}s; log: $log" >&2
    tail -n 20 "$log" >&2 || true
    exit 1
  fi
  if grep -qi "address already in use" "$log" 2>/dev/null; then
    echo "start.sh: port $port was taken meanwhile, retrying" >&2
    continue
  fi
  echo "start.sh: moto_server exited at start-up; log: $log" >&2
  tail -n 20 "$log" >&2 || true
  exit 1
done
echo "start.sh: could not find a free port for moto_server" >&2
exit 1
