"""The forms of fact review: one fact's edit (or a new fact), and the bulk confirm/reject.

The rules a fact keeps (quoted words in the evidence sentence, a stance on one of the
article's sides) live in ``core.reading.review`` and are checked by the service, so the form
only parses: a form that checked them too would say it twice, or disagree.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..core.facts import FactKind
from ..core.reading.review import MAX_OBJECT, MAX_RELATION, MAX_SUBJECT, PARTS
from ..models import Fact, Sentence

KIND_LABELS: dict[str, str] = {
    FactKind.QUOTE: "Quote: who said what",
    FactKind.ROLE: "Role: who holds which role",
    FactKind.MEMBER: "Member: one of a named set",
    FactKind.POWER: "Power: what a body may do",
    FactKind.NUMBER: "Number or date",
    FactKind.DEFINITION: "Definition of a term",
    FactKind.STANCE: "Side: who takes which side",
}


class FactForm(FlaskForm):
    """A fact's parts and its evidence sentence, picked from the article's own sentences."""

    kind = SelectField(
        "Kind of fact",
        choices=[SelectChoice(str(k), label) for k, label in KIND_LABELS.items()],
        validators=[DataRequired("Choose what kind of fact this is.")],
    )
    subject = StringField(
        "Subject", validators=[DataRequired("Fill this in."), Length(max=MAX_SUBJECT)]
    )
    relation = StringField("Relation", validators=[Optional(), Length(max=MAX_RELATION)])
    object = TextAreaField(
        "Object", validators=[DataRequired("Fill this in."), Length(max=MAX_OBJECT)]
    )
    sentence = SelectField(
        "Evidence sentence",
        validators=[DataRequired("Choose the sentence that says it.")],
        description="The article's sentence that says this fact: learners see it as evidence.",
    )
    submit = SubmitField("Save fact")

    def for_article(self, sentences: Sequence[Sentence], kind: str | None) -> FactForm:
        """Offer the article's sentences, and name the parts as the fact's kind calls them.

        ``kind`` is the edited fact's (fixed); None for a new fact, whose kind is chosen.
        """
        self.sentence.choices = [SelectChoice("", "Choose a sentence")] + [
            SelectChoice(str(s.id), f"{s.position + 1}. {s.text[:160]}") for s in sentences
        ]
        if kind is not None:
            parts = PARTS[FactKind(kind)]
            self.subject.label.text = parts.subject
            self.object.label.text = parts.object
            self.relation.label.text = parts.relation or "Relation"
            self.kind.data = kind
        return self

    @classmethod
    def of(cls, fact: Fact) -> FactForm:
        """The form filled with the fact as stored."""
        return cls(
            data={
                "kind": fact.kind,
                "subject": fact.subject,
                "relation": fact.relation,
                "object": fact.object,
                "sentence": str(fact.sentence_id),
            }
        )


class FactsReviewForm(FlaskForm):
    """Bulk review: the ticked facts (checkboxes named ``fact``) confirmed or rejected at once.

    The checkboxes are plain inputs in the facts table (one per row, beside the fact they
    name), read with ``request.form.getlist``: a field list would name them apart from their rows.
    """

    confirm = SubmitField("Confirm the ticked facts")
    reject = SubmitField("Delete the ticked facts")
