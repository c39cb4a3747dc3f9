"""The Jupyter server extension: lists runs, tails store files, pushes changes."""


def _load_jupyter_server_extension(server_app):
    server_app.log.info("runwatch server extension loaded")
