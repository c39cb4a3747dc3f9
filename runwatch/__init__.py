"""runwatch: a Jupyter-native run store and live monitor for model training.

Importing this package is cheap and stdlib-only, so training code can use the
writer without pulling in Jupyter.
"""

__version__ = "0.1.0"


def _jupyter_labextension_paths():
    return [{"src": "labextension", "dest": "runwatch"}]


def _jupyter_server_extension_points():
    return [{"module": "runwatch.server"}]


def load_ipython_extension(ipython):
    """`%load_ext runwatch`: register runwatch's magics."""
    from .magics import register_magics

    register_magics(ipython)


# The run store (stdlib only; see docs/run-store.md), loaded on first use so that
# `import runwatch` stays cheap for the server and `%load_ext`.
_STORE_EXPORTS = {
    "stats": ".stats",
    "new_run": ".store.session",
    "to_run": ".store.session",
    "runs": ".store.reading",
    "status": ".store.reading",
    "info": ".store.reading",
    "resolve": ".store.reading",
    "resolve_many": ".store.reading",
    "store_root": ".store.layout",
    "StoreError": ".store.errors",
    "RunNotFound": ".store.errors",
    "AmbiguousRun": ".store.errors",
    "BadStoreFile": ".store.errors",
    "BadInfo": ".store.errors",
    "BadNpr": ".store.errors",
    "monitor": ".widgets",
    "review": ".widgets",
    "view": ".widgets",
    "table": ".table",
    "launch": ".sweeps",
    "sweep": ".sweeps",
    "variants": ".variants",
    "zipped": ".variants",
    "sampled": ".variants",
    "variant_id": ".variants",
    "params": ".params",
    "steerable": ".steering",
    "steer": ".steering",
}


def __getattr__(name):
    if name not in _STORE_EXPORTS:
        raise AttributeError(f"module 'runwatch' has no attribute {name!r}")
    from importlib import import_module

    module = import_module(_STORE_EXPORTS[name], __name__)
    value = module if name == "stats" else getattr(module, name)
    globals()[name] = value
    return value


def __dir__():
    return sorted([*globals(), *_STORE_EXPORTS])
