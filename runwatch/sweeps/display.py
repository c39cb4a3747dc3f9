"""A sweep as a notebook output: a MIME bundle (`{"widget": "sweep", "name"}`, drawn by
the frontend) with a text table as its snapshot (`%sweep` is sweep_magic.py)."""

from __future__ import annotations

from ..store.lifecycle import seconds_text

MIME_TYPE = "application/vnd.runwatch.v1+json"
MAX_METRICS_SHOWN = 3


def bundle(sweep) -> dict:
    """The output of a `Sweep` (sweep.py, which imports this module)."""
    spec = {"widget": "sweep", "name": sweep.name, "root": str(sweep.root)}
    return {MIME_TYPE: spec, "text/plain": text_table(sweep)}


def _params(params: dict) -> str:
    return " ".join(f"{k}={v}" for k, v in params.items())


def _metrics(metrics: dict) -> str:
    shown = [
        f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}"
        for k, v in list(metrics.items())[:MAX_METRICS_SHOWN]
    ]
    return " ".join(shown) + (" …" if len(metrics) > MAX_METRICS_SHOWN else "")


def text_table(sweep) -> str:
    found = sweep.status()
    header = ["variant", "status", "params", "elapsed", "metrics", "run"]
    lines = [
        [
            row["variant"],
            row["status"],
            _params(row["params"]),
            seconds_text(row["elapsed_s"]) if row["elapsed_s"] is not None else "",
            _metrics(row["metrics"]),
            row["run"] or "",
        ]
        for row in found
    ]
    widths = [max(len(line[i]) for line in [header, *lines]) for i in range(len(header))]
    text = [
        "  ".join(cell.ljust(w) for cell, w in zip(line, widths)).rstrip()
        for line in [header, *lines]
    ]
    return "\n".join([f"runwatch sweep: {sweep.name} ({len(found)} variants)", *text])
