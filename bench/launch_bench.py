"""How long `runwatch.launch` of 12 variants takes to return (target: <= 1 s).

Baseline in the same run: one `subprocess.Popen` of python (fork + exec, not
waited for), the least any launcher that starts a process must spend. Each
repeat launches a new sweep in a fresh temporary store, then stops its variants.

    .venv/bin/python bench/launch_bench.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import runwatch

TRAIN = "import time\ntime.sleep(30)\n"


def popen_baseline_s() -> float:
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    took = time.perf_counter() - start
    child.wait()
    return took


def launch_once_s(folder: Path, n: int) -> float:
    os.environ["RUNWATCH_ROOT"] = str(folder / "store")
    (folder / "train.py").write_text(TRAIN)
    os.chdir(folder)
    variants = runwatch.variants(lr=[1e-3, 3e-4, 1e-4, 3e-5], seed=range(n // 4))
    start = time.perf_counter()
    sweep = runwatch.launch("train.py", variants, parallel=4, name="bench", gpus=[0, 1])
    took = time.perf_counter() - start
    time.sleep(1.0)  # let the supervisor start the first variants, then end them all
    sweep.stop()
    pid = sweep.supervisor()
    if pid and pid > 0:
        os.kill(pid, signal.SIGTERM)
    return took


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--variants", type=int, default=12)
    args = parser.parse_args()
    baseline = [popen_baseline_s() for _ in range(args.repeats)]
    launches = []
    for _ in range(args.repeats):
        with tempfile.TemporaryDirectory() as folder:
            launches.append(launch_once_s(Path(folder), args.variants))
    ms = lambda values: (
        f"median {statistics.median(values) * 1000:.1f} ms, max {max(values) * 1000:.1f} ms"
    )
    print(f"baseline: one subprocess.Popen of python        {ms(baseline)}")
    print(
        f"runwatch.launch of {args.variants} variants returns in    {ms(launches)}  (target <= 1000 ms)"
    )


if __name__ == "__main__":
    main()
