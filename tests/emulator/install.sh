#!/usr/bin/env bash
# Installs the local AWS emulator (moto server), boto3 and cbor2 (for cloudwatch_proxy.py) into a virtualenv.
# Idempotent: a quick no-op when the pinned versions are already installed.
#   venv: ${PALISADE_VENV:-<repo>/.venv}
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
venv=${PALISADE_VENV:-$repo/.venv}
MOTO_VERSION=5.2.5
BOTO3_VERSION=1.44.8
CBOR2_VERSION=5.6.5

up_to_date() {  # the venv has moto_server and exactly the pinned versions
  [ -x "$venv/bin/python" ] && [ -x "$venv/bin/moto_server" ] &&
    "$venv/bin/python" - "$MOTO_VERSION" "$BOTO3_VERSION" "$CBOR2_VERSION" <<'PY' 2>/dev/null
import sys
from importlib.metadata import version
import importlib.util
ok = (version("moto") == sys.argv[1] and version("boto3") == sys.argv[2] and version("cbor2") == sys.argv[3]
      and all(importlib.util.find_spec(m) for m in ("flask", "flask_cors", "werkzeug", "cbor2")))
sys.exit(0 if ok else 1)
PY
}

if up_to_date; then
  exit 0
fi

if [ ! -x "$venv/bin/python" ]; then
  echo "install.sh: creating virtualenv $venv" >&2
  python3 -m venv "$venv"
fi
echo "install.sh: installing moto[server]==$MOTO_VERSION boto3==$BOTO3_VERSION cbor2==$CBOR2_VERSION into $venv" >&2
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
  "moto[server]==$MOTO_VERSION" "boto3==$BOTO3_VERSION" "cbor2==$CBOR2_VERSION" >&2

if ! up_to_date; then
  echo "install.sh: installation in $venv is incomplete (moto_server or pinned versions missing)" >&2
  exit 1
fi
