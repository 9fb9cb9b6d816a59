"""Links the app sends by email (reset, invitation), which must lead to the real site."""

from __future__ import annotations

from typing import Any

from flask import current_app, request, url_for


def public_link(endpoint: str, **values: Any) -> str:
    """The endpoint's address on PUBLIC_URL when it is set: a forged Host header must not send
    a token to somebody else's site. Without PUBLIC_URL, the request's own host."""
    path = url_for(endpoint, **values)
    base = str(current_app.config.get("PUBLIC_URL") or "").rstrip("/")
    return f"{base}{path}" if base else request.host_url.rstrip("/") + path
