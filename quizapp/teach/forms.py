from __future__ import annotations

from pathlib import PurePath
from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    DecimalField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from ..core.formats.documents import SUPPORTED_EXTENSIONS, Document
from ..core.questions.review import (
    MAX_CHOICE_TEXT,
    MAX_CHOICES,
    MAX_EXPLANATION,
    MAX_STEM,
    choice_problems,
    visible_text,
)
from ..database import parse_id
from ..models import Feedback
from ..services.imports import MAX_SOURCE_CHARS, MAX_TITLE_CHARS


def file_or_text(form: Any, both: str, neither: str) -> bool:
    """Exactly one of the form's ``document`` upload and its pasted ``text``: with both or
    neither, say so beside the text box."""
    has_text = bool(form.text.data and form.text.data.strip())
    has_file = bool(form.document.data and form.document.data.filename)
    if has_text == has_file:
        form.text.errors.append(both if has_text else neither)
        return False
    return True


class ImportArticleForm(FlaskForm):
    """An article to import: pasted text or an uploaded file (exactly one of them). An
    uploaded file's title may be left empty: the file's own title, or its name, is used."""

    title = StringField("Title", validators=[Optional(), Length(max=MAX_TITLE_CHARS)])
    source = StringField(
        "Source",
        validators=[Optional(), Length(max=MAX_SOURCE_CHARS)],
        description="Where it was published.",
    )
    text = TextAreaField("Paste the article's text", validators=[Optional()])
    document = FileField(
        "…or upload a file",
        validators=[
            FileAllowed(
                [ext.lstrip(".") for ext in SUPPORTED_EXTENSIONS],
                f"Upload a {', '.join(SUPPORTED_EXTENSIONS)} file.",
            )
        ],
        render_kw={"accept": ",".join(SUPPORTED_EXTENSIONS)},
        description=(
            "A PDF with a text layer, a Word document (.docx), a web page saved as HTML, "
            "Markdown or plain text in UTF-8. For an uploaded file the title and source may be "
            "left empty: the file's own are used."
        ),
    )
    submit = SubmitField("Import article")

    def validate(self, extra_validators: Any = None) -> bool:
        if not super().validate(extra_validators):
            return False
        if not file_or_text(
            self,
            both="Paste the text or upload a file, not both.",
            neither="Paste the article's text or upload a file.",
        ):
            return False
        has_text = bool(self.text.data and self.text.data.strip())
        if has_text and not (self.title.data or "").strip():
            self.title.errors.append("Give the article a title.")
            return False
        return True

    def fill_in(self, document: Document, filename: str) -> None:
        """The title and source the teacher left empty, from what the file says about itself
        (the file's name when it gives no title), cut to the fields' lengths."""
        title = (self.title.data or "").strip() or document.title or _name_of(filename)
        self.title.data = _cut(title, MAX_TITLE_CHARS)
        self.source.data = _cut(
            (self.source.data or "").strip() or document.source, MAX_SOURCE_CHARS
        )


def _name_of(filename: str) -> str:
    return " ".join(
        PurePath(filename).stem.replace("_", " ").replace("-", " ").split()
    ).capitalize()


def _cut(text: str, limit: int) -> str:
    """Text within ``limit`` characters, cut at a word with an ellipsis when longer."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"


class ChoiceForm(Form):
    """One row of the edit form; rows left blank are not choices."""

    text = StringField("Choice", validators=[Optional(), Length(max=MAX_CHOICE_TEXT)])
    correct = BooleanField("Correct")


class ActionForm(FlaskForm):
    """A bare CSRF-protected button: approve, reject."""

    submit = SubmitField()


class ClassForm(FlaskForm):
    name = StringField(
        "Class name",
        validators=[DataRequired("Give the class a name."), Length(max=120)],
        description="For example “Year 10 Citizenship, set 2”.",
    )
    submit = SubmitField("Create class")


class QuizSettingsForm(FlaskForm):
    """Everything about a quiz but its questions. Dates are UTC, as the labels say."""

    title = StringField(
        "Title", validators=[DataRequired("Give the quiz a title."), Length(max=200)]
    )
    description = TextAreaField("Description", validators=[Optional(), Length(max=2000)])
    classes = SelectMultipleField(
        "Assign to classes",
        coerce=int,
        validators=[Optional()],
        option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
    )
    is_public = BooleanField("Public: every learner may take it, in a class or not")
    shuffle_questions = BooleanField("Shuffle the questions for each attempt")
    shuffle_choices = BooleanField("Shuffle the choices within each question")
    time_limit_minutes = IntegerField(
        "Time limit in minutes",
        validators=[Optional(), NumberRange(1, 24 * 60, "Between 1 and 1440 minutes.")],
        description="Leave empty for no limit. Answers after the limit are refused.",
    )
    max_attempts = IntegerField(
        "Attempts allowed",
        validators=[Optional(), NumberRange(1, 100, "Between 1 and 100.")],
        description="Leave empty for unlimited attempts.",
    )
    feedback = SelectField(
        "Show right and wrong",
        choices=[
            SelectChoice(Feedback.AFTER_EACH.value, "after each question"),
            SelectChoice(Feedback.AFTER_SUBMIT.value, "only after the quiz is submitted"),
        ],
    )
    partial_credit = BooleanField(
        "Partial credit on multiple-answer questions (otherwise all or nothing)"
    )
    opens_at = DateTimeLocalField(
        "Opens at (UTC)", format="%Y-%m-%dT%H:%M", validators=[Optional()]
    )
    closes_at = DateTimeLocalField(
        "Closes at (UTC)", format="%Y-%m-%dT%H:%M", validators=[Optional()]
    )
    submit = SubmitField("Save quiz")

    def validate_closes_at(self, field: DateTimeLocalField) -> None:
        if field.data and self.opens_at.data and field.data <= self.opens_at.data:
            raise ValidationError("The quiz must close after it opens.")


class FiniteDecimalField(DecimalField):
    """Python's Decimal reads "NaN", "sNaN" and "Infinity", which then break every comparison
    (NumberRange raised on a signalling NaN: a 500), so only real numbers are accepted."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        super().process_formdata(valuelist)
        if self.data is not None and not self.data.is_finite():
            self.data = None
            raise ValueError(self.gettext("Not a valid decimal value."))


def _database_id(value: object) -> int:
    """Coerce ticked ids: a number no id column can hold is a damaged form, not a crash."""
    number = parse_id(value)
    if number is None:
        raise ValueError(f"{value!r} is not an id")
    return number


class ItemRowForm(Form):
    """One question of the quiz in the builder's table."""

    item_id = HiddenField(validators=[InputRequired()])
    position = IntegerField("Position", validators=[InputRequired("Give a position.")])
    points = FiniteDecimalField(
        "Points", places=2, validators=[InputRequired("Give the points."), NumberRange(0, 1000)]
    )
    remove = BooleanField("Remove")


class ItemsForm(FlaskForm):
    items = FieldList(FormField(ItemRowForm))
    submit = SubmitField("Save order and points")


class AddQuestionsForm(FlaskForm):
    question_ids = SelectMultipleField(
        "Questions",
        coerce=_database_id,
        validate_choice=False,
        validators=[DataRequired("Tick at least one question.")],
    )
    submit = SubmitField("Add to quiz")


class BankFilterForm(FlaskForm):
    """The bank's filters, read from the query string so a filtered page can be bookmarked."""

    class Meta:
        csrf = False

    q = StringField("Search", validators=[Optional(), Length(max=200)])
    article = SelectField("Article", coerce=str, validators=[Optional()], validate_choice=False)
    topic = SelectField("Topic", validators=[Optional()], validate_choice=False)
    kind = SelectField(
        "Kind",
        choices=[
            SelectChoice("", "Any kind"),
            SelectChoice("single", "Single answer"),
            SelectChoice("multi", "Multiple answers"),
            SelectChoice("true_false", "True/false"),
        ],
        validators=[Optional()],
    )
    status = SelectField(
        "Status",
        choices=[
            SelectChoice("", "Any status"),
            SelectChoice("draft", "Draft"),
            SelectChoice("approved", "Approved"),
            SelectChoice("retired", "Retired"),
        ],
        validators=[Optional()],
    )
    origin = SelectField(
        "Origin",
        choices=[
            SelectChoice("", "Any origin"),
            SelectChoice("generated", "Generated"),
            SelectChoice("authored", "Authored"),
        ],
        validators=[Optional()],
    )


class QuestionForm(FlaskForm):
    """A bank question. Eight choice rows: fill a blank row to add a choice, empty one to
    remove it, so it all works without JavaScript."""

    kind = SelectField(
        "Kind",
        choices=[
            SelectChoice("single", "Single answer"),
            SelectChoice("multi", "Multiple answers"),
            SelectChoice("true_false", "True/false"),
        ],
    )
    name = StringField(
        "Name",
        validators=[Optional(), Length(max=255)],
        description="A short name to find it by in the bank (a GIFT file's title). Optional.",
    )
    stem = TextAreaField(
        "Question", validators=[DataRequired("The question needs a stem."), Length(max=MAX_STEM)]
    )
    choices = FieldList(FormField(ChoiceForm), min_entries=MAX_CHOICES, max_entries=MAX_CHOICES)
    explanation = TextAreaField("Explanation", validators=[Optional(), Length(max=MAX_EXPLANATION)])
    topic = StringField("Topic", validators=[Optional(), Length(max=60)])
    article = SelectField("Article", coerce=str, validators=[Optional()], validate_choice=False)
    evidence = SelectField(
        "Evidence sentence",
        coerce=str,
        validators=[Optional()],
        validate_choice=False,
        description="The article sentence that shows the answer. After changing the article, "
        "press “Show its sentences”.",
    )
    status = SelectField(
        "Status", choices=[SelectChoice("approved", "Approved"), SelectChoice("draft", "Draft")]
    )
    load_sentences = SubmitField("Show its sentences")
    submit = SubmitField("Save question")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choice_errors: list[str] = []

    def filled_choices(self) -> list[tuple[str, bool]]:
        return [
            (row.form.text.data.strip(), bool(row.form.correct.data))
            for row in self.choices
            if row.form.text.data and row.form.text.data.strip()
        ]

    def validate_stem(self, field: TextAreaField) -> None:
        if field.data and not visible_text(field.data).strip():
            raise ValidationError("The question needs a stem.")  # only invisible characters

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        self.choice_errors = choice_problems(self.kind.data, self.filled_choices())
        return valid and not self.choice_errors


class UploadBankForm(FlaskForm):
    document = FileField(
        "GIFT or Aiken file",
        validators=[
            FileRequired("Choose a file to import."),
            FileAllowed(["txt", "gift"], "Upload a .txt or .gift file."),
        ],
    )
    file_format = SelectField(
        "Format", choices=[SelectChoice("gift", "GIFT (Moodle)"), SelectChoice("aiken", "Aiken")]
    )
    import_valid = BooleanField("If some questions cannot be read, import the valid ones anyway")
    submit = SubmitField("Import questions")
