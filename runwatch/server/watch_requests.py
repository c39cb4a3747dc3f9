"""What a client may send on the watch socket, checked before anything acts on it.

Every problem is a Refused(400) whose message names it, so the socket answers
with an error and stays open (docs/server-api.md).
"""

from __future__ import annotations

import json

from .paths import Refused

OPS = ("watch", "unwatch", "watch-store", "unwatch-store")
RUN_OPS = ("watch", "unwatch")
# A request is a small JSON object. A longer one gets an error unread; a frame
# over MAX_FRAME_BYTES closes the socket (1009) before it is even received.
MAX_REQUEST_CHARS = 16 * 1024
MAX_FRAME_BYTES = 1024 * 1024


def _bad(message: str) -> Refused:
    return Refused(400, message)


def parse_request(text: str | bytes) -> tuple[str, str | None]:
    """(op, run name or None) of one message; Refused(400) naming what is wrong."""
    if len(text) > MAX_REQUEST_CHARS:
        raise _bad(
            f"message too long: {len(text)} characters, over the limit of {MAX_REQUEST_CHARS}"
        )
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise _bad("message is not JSON: invalid UTF-8") from None
    try:
        message = json.loads(text)
    except RecursionError:
        raise _bad("message is nested too deeply") from None
    except ValueError as error:
        raise _bad(f"message is not JSON ({error}): {text[:100]!r}") from None
    if not isinstance(message, dict):
        raise _bad('message must be a JSON object, e.g. {"op": "watch", "run": "<name>"}')
    op = message.get("op")
    if not isinstance(op, str) or op not in OPS:
        shown = repr(op[:100]) if isinstance(op, str) else f"of type {type(op).__name__}"
        raise _bad(f"unknown op {shown}: expected one of {', '.join(OPS)}")
    run = message.get("run")
    if op in RUN_OPS:
        if run is None or run == "":
            raise _bad("a run name is required")
        if not isinstance(run, str):
            raise _bad(f"run must be a string, not {type(run).__name__}")
    return op, run
