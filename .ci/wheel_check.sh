#!/usr/bin/env bash
# The wheel stands alone: build it, install it (without the source tree) into a
# fresh venv beside the newest JupyterLab 4.x on the index, and check what a user
# sees there: the labextension is OK, the server extension validates, and
# `%load_ext runwatch` then `%runs` lists a run made by the installed writer.
# Node is kept off PATH for everything run in that venv.
#
# Usage: .ci/wheel_check.sh   (make wheel-check; see docs/release.md)
#   BUILD_PYTHON     python with `build` installed (default: the repo's .venv)
#   JUPYTERLAB_SPEC  what to install beside the wheel (default: jupyterlab>=4,<5)
#   KEEP_WHEEL_CHECK=1 keeps the temp dir for a look after a failure
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
build_python=${BUILD_PYTHON:-$repo/.venv/bin/python}
jupyterlab_spec=${JUPYTERLAB_SPEC:-jupyterlab>=4,<5}

work=$(mktemp -d -t runwatch-wheel-check-XXXXXX)
if [[ ${KEEP_WHEEL_CHECK:-} == 1 ]]; then
    echo "wheel check: keeping $work"
else
    trap 'rm -rf "$work"' EXIT
fi

fail() {
    echo "wheel check FAILED: $1" >&2
    [[ -n ${2:-} ]] && cat "$2" >&2
    exit 1
}

# The wheel's hatch hook reuses runwatch/labextension when it exists (make
# build has just rebuilt it), so building needs Node only on a clean tree.
echo "wheel check: building the wheel"
"$build_python" -m build --wheel --outdir "$work/dist" "$repo" >"$work/build.log" 2>&1 \
    || fail "python -m build --wheel" "$work/build.log"
wheels=("$work"/dist/runwatch-*.whl)
[[ ${#wheels[@]} == 1 && -f ${wheels[0]} ]] || fail "expected one runwatch wheel in $work/dist"
wheel=${wheels[0]}
version=$(basename "$wheel" | cut -d- -f2)
echo "wheel check: $(basename "$wheel")"

# Everything below runs in the fresh venv only: no Node, no source tree (cwd is
# the temp dir), and no user-level Jupyter or IPython config.
venv=$work/venv
"$build_python" -m venv "$venv"
mkdir -p "$work/home-jupyter" "$work/store"
in_venv() {
    (cd "$work" && env -u PYTHONPATH -u JUPYTER_PATH -u JUPYTER_CONFIG_PATH \
        PATH="$venv/bin" \
        JUPYTER_CONFIG_DIR="$work/home-jupyter/config" \
        JUPYTER_DATA_DIR="$work/home-jupyter/data" \
        JUPYTER_RUNTIME_DIR="$work/home-jupyter/runtime" \
        IPYTHONDIR="$work/home-jupyter/ipython" \
        RUNWATCH_ROOT="$work/store" \
        "$@")
}
in_venv python -c 'import shutil, sys; sys.exit(shutil.which("node") is not None)' \
    || fail "node is reachable from the fresh venv; the check would prove nothing"

echo "wheel check: installing it beside $jupyterlab_spec"
in_venv python -m pip install --quiet --disable-pip-version-check "$wheel" "$jupyterlab_spec" \
    >"$work/install.log" 2>&1 || fail "pip install" "$work/install.log"
in_venv python - "$venv" >"$work/versions.log" 2>&1 <<'EOF' || fail "imports" "$work/versions.log"
import sys
import jupyterlab
import runwatch

print(f"wheel check: runwatch {runwatch.__version__} with JupyterLab {jupyterlab.__version__}")
if not runwatch.__file__.startswith(sys.argv[1]):
    sys.exit(f"runwatch was imported from {runwatch.__file__}, not from the venv")
EOF
cat "$work/versions.log"

# JupyterLab colours "enabled" and "OK" even when not on a terminal.
strip_colours() { sed 's/\x1b\[[0-9;]*m//g'; }
in_venv jupyter labextension list 2>&1 | strip_colours >"$work/labextension.log" || true
grep -Eq "^[[:space:]]+runwatch v$version enabled +OK" "$work/labextension.log" \
    && ! grep -q "not compatible" "$work/labextension.log" \
    || fail "jupyter labextension list does not show runwatch v$version enabled OK" \
        "$work/labextension.log"
echo "wheel check: labextension OK"

in_venv jupyter server extension list 2>&1 | strip_colours >"$work/server-extension.log" || true
grep -Eq "^[[:space:]]+runwatch enabled" "$work/server-extension.log" \
    && grep -Eq "^[[:space:]]+runwatch $version OK" "$work/server-extension.log" \
    || fail "jupyter server extension list does not show runwatch enabled and OK" \
        "$work/server-extension.log"
echo "wheel check: server extension enabled and validated"

# A run made by the installed writer, then listed the way a user would.
run=$(in_venv python -c '
import runwatch
run = runwatch.new_run(description="made by the wheel check")
with runwatch.to_run(run):
    runwatch.stats.mean("loss.value", 0.5)
print(run)
' 2>"$work/writer.log") || fail "the installed writer could not make a run" "$work/writer.log"
printf '%%load_ext runwatch\n%%runs\n' >"$work/smoke.ipy"
in_venv ipython --quick --no-banner --colors=nocolor "$work/smoke.ipy" >"$work/smoke.log" 2>&1 \
    || fail "ipython smoke.ipy" "$work/smoke.log"
grep -F "$run" "$work/smoke.log" | grep -q "made by the wheel check" \
    || fail "%runs did not list the run $run" "$work/smoke.log"
cat "$work/smoke.log"
echo "wheel check: passed"
