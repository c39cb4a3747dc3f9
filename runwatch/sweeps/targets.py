"""What a sweep runs: a script, a module, or a picklable callable (docs/sweeps.md).

A target becomes a plain spec in the sweep record; each variant's process runs it
through `python -m runwatch.sweeps.variant <kind> <what> [args...]`.
"""

from __future__ import annotations

import os
import pickle
import re
import sys
from pathlib import Path

from . import record

_MODULE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")


def spec(target: object, cwd: str, folder: Path, args: list[str] | None = None) -> dict:
    """The record's spec of `target`: `{"kind": "script", "path"}`, `{"kind": "module",
    "module"}` or `{"kind": "callable", "pickle", "name"}`, each with `args` (argv)."""
    args = [str(a) for a in (args or [])]
    if callable(target):
        return _callable_spec(target, folder, args)
    if isinstance(target, os.PathLike):
        target = os.fspath(target)
    if not isinstance(target, str) or not target.strip():
        raise TypeError(
            f"a sweep's target is a script path, a module or a callable, not {target!r}"
        )
    words = target.split()
    if words[0] == "-m" and len(words) >= 2:
        return {"kind": "module", "module": _module(words[1]), "args": words[2:] + args}
    if target.startswith("module:"):
        return {"kind": "module", "module": _module(target[len("module:") :]), "args": args}
    path = Path(cwd, os.path.expanduser(target))
    if path.is_file() or target.endswith(".py"):
        if not path.is_file():
            raise FileNotFoundError(f"no script {str(path)!r}")
        return {"kind": "script", "path": str(path.resolve()), "args": args}
    if _MODULE.fullmatch(target):
        return {"kind": "module", "module": target, "args": args}
    raise FileNotFoundError(f"{target!r} is neither a script (no such file) nor a module name")


def _module(name: str) -> str:
    if not _MODULE.fullmatch(name):
        raise ValueError(f"{name!r} is not a module name")
    return name


def _callable_spec(target, folder: Path, args: list[str]) -> dict:
    module = getattr(target, "__module__", None)
    if module in (None, "__main__"):
        raise ValueError(
            f"{getattr(target, '__qualname__', target)!r} is defined in the notebook (__main__), which "
            "another process can't import: define it in a .py module, or launch a script"
        )
    try:
        data = pickle.dumps(target)
    except Exception as error:  # noqa: BLE001 (any pickling failure says the same)
        raise ValueError(f"the target {target!r} can't be pickled: {error}") from None
    # The module's folder goes on the child's sys.path: it may be beside the notebook.
    file = getattr(sys.modules.get(module), "__file__", None)
    top = module.split(".")[0]
    path = None
    if file:
        depth = module.count(".") + (Path(file).name == "__init__.py")
        path = str(Path(file).resolve().parents[depth])
    (folder / record.TARGET_PICKLE).write_bytes(data)
    return {
        "kind": "callable",
        "pickle": record.TARGET_PICKLE,
        "name": f"{module}.{getattr(target, '__qualname__', top)}",
        "path": path,
        "args": args,
    }


def describe(target: dict) -> str:
    """`train.py lr=3`, `-m pkg.train`, `pkg.mod.fn()`: the target in words."""
    kind = target.get("kind")
    args = " ".join(target.get("args") or [])
    if kind == "script":
        text = os.path.basename(target.get("path", "?"))
    elif kind == "module":
        text = f"-m {target.get('module')}"
    else:
        text = f"{target.get('name')}()"
    return f"{text} {args}".strip()
