"""Class lists and one-time passwords: import a list, print the sign-in sheet, set a new
one-time password for a pupil who forgot theirs.

The sheet is the only place a one-time password is ever shown: it is the answer to the POST
that made it, kept out of every cache (``no-store``), and the passwords are stored hashed.
"""

from __future__ import annotations

from flask import flash, make_response, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from ..core.formats.roster import RosterError, parse_roster
from ..database import write_transaction
from ..links import public_link
from ..services import NotFound, ServiceError
from ..services.classes import class_for_teacher
from ..services.rosters import (
    RosterProblems,
    Sheet,
    import_roster,
    renew_sheet,
    reset_to_one_time_password,
)
from . import bp
from .classes import class_page
from .roster_forms import RenewSheetForm, RosterForm


@bp.post("/classes/<int:class_id>/roster")
def class_roster(class_id: int) -> ResponseReturnValue:
    """Import a class list; with any problem nothing is made and the class page lists them."""
    class_for_teacher(class_id, current_user.id)
    form = RosterForm()
    if not form.validate_on_submit():
        return class_page(class_id, form, status=422)
    upload = form.document.data
    data = upload.read() if upload and upload.filename else form.text.data or ""
    try:
        roster = parse_roster(data)
        with write_transaction():
            sheet = import_roster(class_id, current_user.id, roster)
    except RosterError as exc:
        form.text.errors.append(str(exc))
        return class_page(class_id, form, status=422)
    except RosterProblems as exc:
        return class_page(class_id, form, exc.problems, status=exc.status)
    except NotFound:
        raise
    except ServiceError as exc:
        form.text.errors.append(str(exc))
        return class_page(class_id, form, status=exc.status)
    return sheet_page(sheet)


@bp.post("/classes/<int:class_id>/members/<int:learner_id>/one-time-password")
def class_one_time_password(class_id: int, learner_id: int) -> ResponseReturnValue:
    """A new one-time password for a pupil of the class, shown on a sheet of one."""
    try:
        with write_transaction():
            slip = reset_to_one_time_password(class_id, current_user.id, learner_id)
            school_class = class_for_teacher(class_id, current_user.id)
    except NotFound:
        raise
    except ServiceError as exc:
        flash(str(exc), "error")
        return redirect(url_for("teach.class_detail", class_id=class_id))
    return sheet_page(Sheet(school_class, new=[slip]))


@bp.post("/classes/<int:class_id>/sheet")
def class_renew_sheet(class_id: int) -> ResponseReturnValue:
    """A new sheet for the pupils who have not chosen their own password yet."""
    class_for_teacher(class_id, current_user.id)
    form = RenewSheetForm()
    if not form.validate_on_submit():
        flash(" ".join(form.confirm.errors) or "Nothing was changed.", "error")
        return redirect(url_for("teach.class_detail", class_id=class_id))
    try:
        with write_transaction():
            sheet = renew_sheet(class_id, current_user.id)
    except NotFound:
        raise
    except ServiceError as exc:
        flash(str(exc), "error")
        return redirect(url_for("teach.class_detail", class_id=class_id))
    return sheet_page(sheet)


def sheet_page(sheet: Sheet) -> ResponseReturnValue:
    response = make_response(
        render_template(
            "teach/roster_sheet.html", sheet=sheet, login_link=public_link("auth.login")
        )
    )
    response.headers["Cache-Control"] = "no-store"
    return response
