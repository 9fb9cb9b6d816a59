from flask import Blueprint

bp = Blueprint("study", __name__, url_prefix="/study")

from . import cards, debate  # noqa: E402,F401  (views register routes on bp)
