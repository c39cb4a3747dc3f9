#!/usr/bin/env bash
# Start a throwaway JupyterLab for the Galata suite, rooted in a fresh folder.
# RUNWATCH_KEEP_ROOT=1 keeps the folder (a restart of the same server).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
port="${1:-8890}"
root="$here/.jupyter-root-$port"
if [ "${RUNWATCH_KEEP_ROOT:-}" != 1 ]; then
  rm -rf "$root"
fi
mkdir -p "$root/runs"
export JUPYTERLAB_GALATA_ROOT_DIR="$root"
export RUNWATCH_ROOT="$root/runs"
export JUPYTER_CONFIG_DIR="$root/.jupyter-config"
# The server's summaries on disk stay with the test root, never in ~/.cache.
export XDG_CACHE_HOME="$root/.cache"
cd "$root"
exec jupyter lab --config "$here/jupyter_server_test_config.py" --ServerApp.port="$port"
