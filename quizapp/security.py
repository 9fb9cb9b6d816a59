"""Response headers, cookie settings, request logs and the input guard every request shares."""

from __future__ import annotations

import json
import logging
import time

from flask import Flask, Response, abort, g, request

# Everything from this site only: no inline script or style, no framing, no plugins.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}

request_log = logging.getLogger("quizapp.requests")


def register_security(app: Flask) -> None:
    if not request_log.handlers:  # once per process, however many apps are created
        handler = logging.StreamHandler()  # stderr: gunicorn's error log, or the terminal
        handler.setFormatter(logging.Formatter("%(message)s"))
        request_log.addHandler(handler)
        request_log.setLevel(logging.INFO)
    if app.config["QUIZAPP_ENV"] == "production":  # served over HTTPS, behind a proxy
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True

    @app.before_request
    def _start_timer() -> None:
        g.request_started = time.perf_counter()

    @app.before_request
    def _refuse_nul_characters() -> None:
        """PostgreSQL cannot store a NUL in text and nobody types one, so a field or URL
        parameter holding one is refused whole, before any view could half-save it."""
        fields = (*request.args.items(multi=True), *request.form.items(multi=True))
        if any("\x00" in value for _name, value in fields):
            abort(
                400,
                "A field or address contained a NUL character (\\0), which text cannot hold. "
                "Nothing was saved; go back, remove it and try again.",
            )

    @app.after_request
    def _secure_and_log(response: Response) -> Response:
        for header, value in SECURITY_HEADERS.items():
            response.headers.setdefault(header, value)
        if _token():
            # A reset or invitation page: the link is a bearer secret, so no cache keeps it.
            response.headers["Cache-Control"] = "no-store"
        _log_request(response)
        return response


def _token() -> str | None:
    """The secret token in this request's address (a reset or invitation link), if any."""
    token = (request.view_args or {}).get("token")
    return token if isinstance(token, str) and token else None


def _logged_path() -> str:
    """The path, with a link's token replaced: whoever reads the log must not be able to use
    an open invitation (an admin's account, perhaps) or reset someone's password."""
    token = _token()
    return request.path.replace(token, "<token>") if token else request.path


def _log_request(response: Response) -> None:
    """One JSON line per request, so several workers' logs can be searched and summed."""
    started = g.get("request_started")
    # Only a user this request already loaded (detached by load_user, so reading its id
    # costs no query).
    user = g.get("_login_user")
    user_id = user.id if user is not None and user.is_authenticated else None
    request_log.info(
        json.dumps(
            {
                "method": request.method,
                "path": _logged_path(),
                "status": response.status_code,
                "ms": round((time.perf_counter() - started) * 1000, 1) if started else None,
                "user": user_id,
                "ip": request.remote_addr,
            }
        )
    )
