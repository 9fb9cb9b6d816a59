"""What bench/load.py serves with gunicorn: quizapp, plus two constant endpoints beside it.

Both return a fixed body without touching the database, so their throughput on the same
server is the ceiling the app's pages are compared with:

- ``/bench/flask-ping`` is a route on the app itself: Flask and the app's own per-request
  hooks (security headers, the JSON request log), no work. The framework's ceiling.
- ``/bench/wsgi-ping`` is a plain WSGI function in front of Flask: gunicorn's ceiling.

They live here, not in the product, so the app served in production has no benchmark route.
"""

from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.middleware.dispatcher import DispatcherMiddleware

from quizapp import create_app


def wsgi_ping(_environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
    return [b"ok"]


app = create_app()
app.add_url_rule("/bench/flask-ping", "bench_ping", lambda: "ok")
application = DispatcherMiddleware(app, {"/bench/wsgi-ping": wsgi_ping})
