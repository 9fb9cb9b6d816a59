from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/auth")

from . import account, invites, views  # noqa: E402,F401  (views register routes on bp)
