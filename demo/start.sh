#!/usr/bin/env bash
# `make lab`: JupyterLab on 127.0.0.1 in demo/, with a live demo run writing
# to the default store (demo/output/pavlov). Stops the writer on exit.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
port="${1:-8888}"
cd "$here"
python demo_writer.py &
writer=$!
trap 'kill $writer 2>/dev/null || true' EXIT INT TERM
jupyter lab --config "$here/jupyter_lab_config.py" --ServerApp.port="$port" welcome.ipynb
