"""A fake training run for `make lab`: two processes writing logs and stats of
several kinds to one run in the default store, until stopped.

    python demo/demo_writer.py [--minutes N]
"""

from __future__ import annotations

import argparse
import logging
import math
import multiprocessing
import random
import time

import runwatch

log = logging.getLogger("demo")


def trainer(run: str, stop_at: float) -> None:
    """The main process: a loss curve, a learning rate, throughput, a GPU."""
    with runwatch.to_run(run):
        step = 0
        while time.time() < stop_at:
            step += 1
            loss = 2.5 * math.exp(-step / 3000) + 0.05 * random.random()
            if random.random() < 0.001:
                loss *= 4  # the occasional spike a mean would hide
            runwatch.stats.mean("loss.train", loss)
            runwatch.stats.last("opt.lr", 3e-4 * min(1.0, step / 500))
            runwatch.stats.rate("perf.steps", 1)
            runwatch.stats.cumsum("perf.samples", 64)
            runwatch.stats.mean_percent("gpu.util", 70 + 25 * random.random(), 100)
            runwatch.stats.mean_std("eval.score", 0.6 + 0.3 * (1 - math.exp(-step / 4000)), 0.05)
            runwatch.stats.quantiles(
                "perf.latency_ms", sorted(random.lognormvariate(2, 0.4) for _ in range(5))
            )
            runwatch.stats.max("grad.norm", abs(random.gauss(1.0, 0.3)))
            if step % 50 == 0:
                log.info("step %d: loss %.4f", step, loss)
            time.sleep(0.02)
        log.info("training finished at step %d", step)


def evaluator(run: str, stop_at: float) -> None:
    """A second process, as a data loader or evaluator would be."""
    with runwatch.to_run(run):
        batch = 0
        while time.time() < stop_at:
            batch += 1
            runwatch.stats.timeaverage("loader.queue_depth", random.randint(0, 16))
            runwatch.stats.duty("duty.loader", 0.05 * random.random())
            if batch % 20 == 0:
                log.info("loaded %d batches", batch)
            time.sleep(0.1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--minutes", type=float, default=24 * 60)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO)
    run = runwatch.new_run(
        "demo",
        description="runwatch demo: a fake training run",
        params={"lr": 3e-4, "batch_size": 64, "model": "tiny"},
    )
    print(f"demo run {run!r} writing to {runwatch.store_root()}", flush=True)
    stop_at = time.time() + 60 * args.minutes
    helper = multiprocessing.get_context("spawn").Process(
        target=evaluator, args=(run, stop_at), daemon=True
    )
    helper.start()
    try:
        trainer(run, stop_at)
    except KeyboardInterrupt:
        pass
    finally:
        helper.terminate()


if __name__ == "__main__":
    main()
