"""Error pages: a clear message and status for every refusal, never a stack trace."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge
from werkzeug.sansio.multipart import Data, Epilogue, Field, File, MultipartDecoder, NeedData

from ..services import ServiceError

bp = Blueprint("errors", __name__)

_TITLES = {
    400: "That request could not be understood",
    403: "You cannot open that page",
    404: "Page not found",
    405: "That action is not allowed here",
    409: "That cannot be changed any more",
    410: "That article was deleted",
    413: "That upload is too large",
    422: "Please check what you entered",
    429: "Too many attempts",
    500: "Something went wrong on our side",
}


# The small fields an import form sends before its file, read back from an oversized request.
_KEPT_ON_413 = ("title", "source")
_HEAD_BYTES = 64 * 1024


def wants_json() -> bool:
    """A script (``static/review.js``) asking for data rather than a page."""
    return request.accept_mimetypes.best == "application/json"


def render_error(status: int, message: str) -> ResponseReturnValue:
    title = _TITLES.get(status, "Something went wrong")
    if wants_json():
        return jsonify(error=title, message=message, category="error"), status
    return render_template(
        "errors/error.html", title=title, message=message, status=status, back=_back_link()
    ), status


def _back_link() -> tuple[str, str] | None:
    """Where to go on from a refusal: the form again (a POST to a page that also shows
    it), else the teacher's home from the teacher's workspace."""
    rule = request.url_rule
    if request.method == "POST" and rule is not None and "GET" in (rule.methods or ()):
        return request.path, "Back to the form"
    if request.blueprint == "teach":
        return url_for("teach.index"), "Back to the teacher's home"
    return None


@bp.app_errorhandler(CSRFError)
def csrf_error(error: CSRFError) -> ResponseReturnValue:
    return render_error(
        400,
        "The form was missing its security token or it had expired. "
        "Go back, reload the page and try again; nothing was changed.",
    )


@bp.app_errorhandler(RequestEntityTooLarge)
def too_large(_error: RequestEntityTooLarge) -> ResponseReturnValue:
    limit = current_app.config.get("MAX_CONTENT_LENGTH") or 0
    size = f"{limit / 2**20:.1f} MB" if limit >= 2**20 else f"{limit // 2**10} KB"
    message = (
        f"The upload is larger than the {size} limit, so it was not read and nothing was "
        "stored. Upload a smaller file or paste the article's text instead."
    )
    if request.endpoint == "teach.import_new" and getattr(current_user, "is_teacher", False):
        return _import_form_again(message)
    return render_error(413, message)


def _import_form_again(message: str) -> ResponseReturnValue:
    """The import form once more, with the title and source the teacher typed (they come
    before the file in the request, so the first bytes hold them) and the message by the
    file field: the teacher picks a smaller file instead of starting over."""
    from ..teach.forms import ImportArticleForm  # the teach blueprint imports this module

    form = ImportArticleForm(formdata=None, data=_leading_fields(_KEPT_ON_413))
    form.document.errors = [message]
    return render_template("teach/import.html", form=form, too_large=_TITLES[413]), 413


def _leading_fields(names: tuple[str, ...]) -> dict[str, str]:
    """The named text fields found in the first bytes of a multipart body that is too large
    to parse whole; whatever cannot be read is simply left out."""
    boundary = request.mimetype_params.get("boundary")
    length = request.content_length
    stream = request.environ.get("wsgi.input")
    if request.mimetype != "multipart/form-data" or not boundary or not length or not stream:
        return {}
    found: dict[str, str] = {}
    try:
        decoder = MultipartDecoder(boundary.encode("ascii"), max_form_memory_size=_HEAD_BYTES)
        decoder.receive_data(stream.read(min(length, _HEAD_BYTES)))
        current, parts = None, []
        while True:
            event = decoder.next_event()
            if isinstance(event, Field):
                current, parts = (event.name if event.name in names else None), []
            elif isinstance(event, File):
                current = None
            elif isinstance(event, Data):
                if current is not None:
                    parts.append(event.data)
                    if not event.more_data:
                        found[current] = b"".join(parts).decode("utf-8", "replace")
                        current = None
            elif isinstance(event, NeedData | Epilogue):  # the bytes read are used up
                break
    except (ValueError, UnicodeError, OSError):
        pass  # a damaged body keeps what was read so far
    return found


@bp.app_errorhandler(ServiceError)
def service_error(error: ServiceError) -> ResponseReturnValue:
    return render_error(error.status, str(error))


@bp.app_errorhandler(429)
def too_many_requests(error: HTTPException) -> ResponseReturnValue:
    return render_error(
        429,
        # Counted per account and per network (quizapp/ratelimits.py); either may have run out.
        f"Too many attempts for this account or from your network ({error.description}). "
        "Wait a minute, then try again.",
    )


@bp.app_errorhandler(HTTPException)
def http_error(error: HTTPException) -> ResponseReturnValue:
    return render_error(error.code or 500, error.description or "")


@bp.app_errorhandler(500)
def internal_error(_error: Exception) -> ResponseReturnValue:
    return render_error(500, "The error has been logged. Please try again in a moment.")
