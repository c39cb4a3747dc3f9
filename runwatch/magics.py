"""IPython magics. `%load_ext runwatch` (run by the start-up code) calls
`register_magics`; the widget magics arrive with the monitor."""


def register_magics(ipython):
    """Register runwatch's magics with `ipython`."""
