"""The Jupyter server extension: lists runs, serves store files, pushes changes.

Enabled by jupyter-config/server-config/runwatch.json; the API is in
docs/server-api.md and the settings are `c.Runwatch.*` (see config.py).
"""

from __future__ import annotations

import os

from ..store import layout


def _load_jupyter_server_extension(server_app) -> None:
    from .config import Runwatch
    from .routes import routes
    from .store import ServedStore

    settings = Runwatch(parent=server_app)
    root = settings.store_root(server_app.root_dir)
    if settings.export_root:
        os.environ[layout.ROOT_ENV] = str(root)
    web_app = server_app.web_app
    web_app.settings["runwatch"] = ServedStore(root, settings)
    web_app.add_handlers(".*$", routes(web_app.settings["base_url"]))
    server_app.log.info("runwatch: serving the run store at %s", root)
    if settings.lod_warm_runs > 0:
        from .series_handlers import lod_service
        from .warmup import Warmup

        warmup = Warmup(
            web_app.settings["runwatch"].listing,
            lambda: lod_service(web_app.settings),
            settings.lod_warm_runs,
            settings.lod_warm_interval,
            server_app.log,
        )
        web_app.settings["runwatch_warmup"] = warmup
        warmup.start()
