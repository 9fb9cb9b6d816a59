from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from ..core.documents import SUPPORTED_EXTENSIONS
from ..core.review import CHOICE_MAX_LENGTH, MAX_CHOICES, choice_problems


class ImportArticleForm(FlaskForm):
    """An article to import: pasted text or an uploaded file (exactly one of them)."""

    title = StringField(
        "Title", validators=[DataRequired("Give the article a title."), Length(max=200)]
    )
    source = StringField(
        "Source", validators=[Optional(), Length(max=300)], description="Where it was published."
    )
    text = TextAreaField("Paste the article's text", validators=[Optional()])
    document = FileField(
        "…or upload a file",
        validators=[
            FileAllowed(
                [ext.lstrip(".") for ext in SUPPORTED_EXTENSIONS],
                "Upload a .txt, .md or .html file.",
            )
        ],
        description="Plain text, Markdown or a web page saved as HTML, in UTF-8.",
    )
    submit = SubmitField("Import article")

    def validate(self, extra_validators: Any = None) -> bool:
        if not super().validate(extra_validators):
            return False
        has_text = bool(self.text.data and self.text.data.strip())
        has_file = bool(self.document.data and self.document.data.filename)
        if has_text == has_file:
            self.text.errors.append(
                "Paste the text or upload a file, not both."
                if has_text
                else "Paste the article's text or upload a file."
            )
            return False
        return True


class ChoiceForm(Form):
    """One row of the edit form; rows left blank are not choices."""

    text = StringField("Choice", validators=[Optional(), Length(max=CHOICE_MAX_LENGTH)])
    correct = BooleanField("Correct")


class EditQuestionForm(FlaskForm):
    """A draft's stem, choices and explanation. Blank rows let a teacher add choices without JS."""

    stem = TextAreaField("Question", validators=[DataRequired("The question needs a stem.")])
    choices = FieldList(FormField(ChoiceForm), min_entries=MAX_CHOICES, max_entries=MAX_CHOICES)
    explanation = TextAreaField("Explanation", validators=[Optional()])
    submit = SubmitField("Save changes")

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.choice_errors: list[str] = []

    def filled_choices(self) -> list[tuple[str, bool]]:
        return [
            (row.form.text.data.strip(), bool(row.form.correct.data))
            for row in self.choices
            if row.form.text.data and row.form.text.data.strip()
        ]

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        problems = choice_problems(self.kind, self.filled_choices())
        self.choice_errors = problems
        return valid and not problems


class ActionForm(FlaskForm):
    """A bare CSRF-protected button: approve, reject."""

    submit = SubmitField()
