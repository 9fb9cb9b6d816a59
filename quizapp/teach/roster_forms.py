"""The forms of class lists and one-time passwords, on the class page."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from wtforms import BooleanField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..core.formats.roster import MAX_ROSTER_CHARS
from .forms import file_or_text


class RosterForm(FlaskForm):
    """A class list uploaded as a CSV file or pasted (exactly one of them)."""

    document = FileField(
        "Upload a class list",
        validators=[FileAllowed(["csv", "txt", "tsv"], "Upload a .csv (or .txt) file.")],
        description="CSV in UTF-8: one pupil a line, name and, if they have one, email or "
        "username; a header row may name the columns.",
    )
    text = TextAreaField("…or paste it", validators=[Optional(), Length(max=MAX_ROSTER_CHARS)])
    submit = SubmitField("Import the class list")

    def validate(self, extra_validators: Any = None) -> bool:
        if not super().validate(extra_validators):
            return False
        return file_or_text(
            self,
            both="Upload the file or paste the list, not both.",
            neither="Upload a class list or paste one.",
        )


class RenewSheetForm(FlaskForm):
    """New one-time passwords for those who have not chosen theirs: the old sheet stops
    working, so the teacher says so first."""

    confirm = BooleanField(
        "Yes: the one-time passwords on the last sheet stop working",
        validators=[DataRequired("Tick the box to confirm; nothing was changed.")],
    )
    submit = SubmitField("New sheet for pupils still on a one-time password")
