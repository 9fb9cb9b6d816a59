"""The admin's pages: the school's accounts and the invitations that make teachers."""

from flask import Blueprint, abort
from flask_login import current_user
from werkzeug.wrappers import Response

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
def _admins_only() -> Response | None:
    if not current_user.is_authenticated:
        from ..extensions import login_manager

        return login_manager.unauthorized()
    if not current_user.is_admin:
        abort(403, "Only an admin can open the users page and manage the school's accounts.")
    return None


from . import views  # noqa: E402,F401  (views register routes on bp)
