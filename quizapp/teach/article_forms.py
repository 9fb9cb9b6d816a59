"""Forms of the article page: bulk review of its drafts and the article's lifecycle."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import AnyOf, DataRequired, Length, Optional

from ..database import parse_id
from ..services.article_admin import MAX_DEBATE_CHARS, MAX_SIDE_LABEL_CHARS, MAX_SOURCE_CHARS
from ..services.imports import MAX_TITLE_CHARS
from ..services.review import BulkAction


def _question_id(value: object) -> int:
    """A ticked id: a number no id column can hold is a damaged form, not a crash."""
    number = parse_id(value)
    if number is None:
        raise ValueError(f"{value!r} is not a question id")
    return number


class BulkReviewForm(FlaskForm):
    """Approve or reject the ticked drafts. The checkboxes live by each draft, outside the
    form element (``form="bulk-review"``), so every draft keeps its own buttons too."""

    question_ids = SelectMultipleField(coerce=_question_id, validate_choice=False)
    # Without JavaScript "select all" cannot tick the boxes, so it means every draft listed.
    select_all = BooleanField("Select all drafts")
    listed = SelectMultipleField(coerce=_question_id, validate_choice=False)
    confirm = BooleanField("Yes, reject the selected drafts (unused ones are deleted)")
    action = HiddenField(
        validators=[AnyOf([a.value for a in BulkAction], "Approve or reject, nothing else.")]
    )

    def chosen_ids(self) -> list[int]:
        return list(self.listed.data or []) if self.select_all.data else self.question_ids.data


class RejectForm(FlaskForm):
    """One draft's Reject button: the confirmation travels with it (ticked by the
    confirmation page, or by the script after the browser's confirm dialog)."""

    confirm = BooleanField()


class DetailsForm(FlaskForm):
    title = StringField(
        "Title",
        validators=[DataRequired("Give the article a title."), Length(max=MAX_TITLE_CHARS)],
    )
    source = StringField("Source", validators=[Optional(), Length(max=MAX_SOURCE_CHARS)])
    submit = SubmitField("Save title and source")


class SideLabelForm(Form):
    key = HiddenField()
    label = StringField("Side's label", validators=[Optional(), Length(max=MAX_SIDE_LABEL_CHARS)])


class DebateForm(FlaskForm):
    debate = TextAreaField("Debate question", validators=[Optional(), Length(max=MAX_DEBATE_CHARS)])
    sides = FieldList(FormField(SideLabelForm))
    submit = SubmitField("Save debate question and sides")

    def labels(self) -> dict[str, str]:
        return {row.form.key.data: row.form.label.data or "" for row in self.sides}


class DeleteArticleForm(FlaskForm):
    confirm = BooleanField("Yes, delete this article")
    submit = SubmitField("Delete article")

    def validate(self, extra_validators: Any = None) -> bool:
        if not super().validate(extra_validators):
            return False
        if not self.confirm.data:
            self.confirm.errors.append("Tick “Yes, delete this article” to delete it.")
            return False
        return True
