"""What bench/load.py serves with gunicorn: quizapp, plus a constant endpoint beside it.

``/bench/ping`` returns a fixed body without touching Flask or the database, so its
throughput on the same server is the ceiling the app's pages are compared with. It lives
here, not in the product, so the app has no benchmark-only route.
"""

from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.middleware.dispatcher import DispatcherMiddleware

from quizapp import create_app


def ping(_environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
    return [b"ok"]


application = DispatcherMiddleware(create_app(), {"/bench/ping": ping})
