"""Reports and score exports of the teacher's quizzes and classes."""

from __future__ import annotations

from flask import Response, abort, render_template, request, stream_with_context
from flask.typing import ResponseReturnValue
from flask_login import current_user

from ..core.formats.spreadsheet import csv_chunks
from ..database import parse_id, utcnow
from ..services.exports import ExportFormat, ExportScope, class_scope, export, filename, quiz_scope
from ..services.reports import quiz_report
from . import bp


def _class_param() -> int | None:
    """The optional ?class= filter; anything but a plausible id is a clear 400."""
    raw = request.args.get("class", "")
    if not raw:
        return None
    class_id = parse_id(raw)
    if class_id is None:
        abort(400, "The class in the address is not a class id.")
    return class_id


@bp.get("/quizzes/<int:quiz_id>/report")
def report(quiz_id: int) -> ResponseReturnValue:
    """Show the quiz's attempts, score distribution and item statistics."""
    attempts = request.args.get("attempts", "first")
    if attempts not in ("first", "all"):
        abort(400, "Choose first attempts or all attempts.")
    report = quiz_report(quiz_id, current_user.id, _class_param(), attempts == "first")
    return render_template("teach/report.html", report=report, stats=report.statistics)


def _csv_response(scope: ExportScope) -> Response:
    try:
        fmt = ExportFormat(request.args.get("format", ExportFormat.SUMMARY))
    except ValueError:
        abort(400, "The export format is summary or detailed.")
    header, rows = export(scope, fmt)
    body = csv_chunks(header, rows, bom=request.args.get("bom") == "1")
    return Response(
        stream_with_context(body),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{filename(scope, fmt, utcnow().date())}"'
        },
    )


@bp.get("/quizzes/<int:quiz_id>/export.csv")
def export_quiz(quiz_id: int) -> ResponseReturnValue:
    """Download the quiz's scores as CSV (summary or detailed), streamed."""
    return _csv_response(quiz_scope(quiz_id, current_user.id, _class_param()))


@bp.get("/classes/<int:class_id>/export.csv")
def export_class(class_id: int) -> ResponseReturnValue:
    """Download the class's scores on every quiz assigned to it, as CSV, streamed."""
    return _csv_response(class_scope(class_id, current_user.id))
