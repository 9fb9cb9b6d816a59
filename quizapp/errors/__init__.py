"""Error pages: a clear message and status for every refusal, never a stack trace."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from ..services import ServiceError

bp = Blueprint("errors", __name__)

_TITLES = {
    400: "That request could not be understood",
    403: "You cannot open that page",
    404: "Page not found",
    405: "That action is not allowed here",
    409: "That cannot be changed any more",
    413: "That upload is too large",
    422: "Please check what you entered",
    429: "Too many attempts",
    500: "Something went wrong on our side",
}


def render_error(status: int, message: str) -> tuple[str, int]:
    title = _TITLES.get(status, "Something went wrong")
    return render_template("errors/error.html", title=title, message=message, status=status), status


@bp.app_errorhandler(CSRFError)
def csrf_error(error: CSRFError) -> tuple[str, int]:
    return render_error(
        400,
        "The form was missing its security token or it had expired. "
        "Go back, reload the page and try again; nothing was changed.",
    )


@bp.app_errorhandler(RequestEntityTooLarge)
def too_large(_error: RequestEntityTooLarge) -> tuple[str, int]:
    limit = current_app.config.get("MAX_CONTENT_LENGTH") or 0
    size = f"{limit / 2**20:.1f} MB" if limit >= 2**20 else f"{limit // 2**10} KB"
    return render_error(
        413,
        f"The upload is larger than the {size} limit, so it was not read and nothing was "
        "stored. Upload a smaller file or paste the article's text instead.",
    )


@bp.app_errorhandler(ServiceError)
def service_error(error: ServiceError) -> tuple[str, int]:
    return render_error(error.status, str(error))


@bp.app_errorhandler(429)
def too_many_requests(error: HTTPException) -> tuple[str, int]:
    return render_error(
        429,
        f"Too many attempts from your network ({error.description}). "
        "Wait a minute, then try again.",
    )


@bp.app_errorhandler(HTTPException)
def http_error(error: HTTPException) -> tuple[str, int]:
    return render_error(error.code or 500, error.description or "")


@bp.app_errorhandler(500)
def internal_error(_error: Exception) -> tuple[str, int]:
    return render_error(500, "The error has been logged. Please try again in a moment.")
