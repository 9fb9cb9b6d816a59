"""Reviewing an article's facts: confirm, edit, delete (reject), add, and bulk review.

Every form works without JavaScript and comes back to the facts section of the article page,
at the fact it changed (``#f<id>``) or at ``#facts``; the service says what happened to the
questions made from the fact, and the flash message repeats it.
"""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from werkzeug.wrappers import Response

from ..core.facts import FactKind
from ..core.reading.review import PARTS
from ..database import parse_id, write_transaction
from ..models import Fact
from ..services import ServiceError
from ..services.facts import (
    FactInput,
    Regenerated,
    Reviewed,
    add_fact,
    confirm_facts,
    edit_fact,
    editable_article,
    fact_for_teacher,
    reject_facts,
)
from . import bp
from .actions import attempt
from .fact_forms import FactForm, FactsReviewForm


def _facts_url(article_id: int, fact_id: int | None = None) -> str:
    anchor = f"f{fact_id}" if fact_id is not None else "facts"
    return url_for("teach.article", article_id=article_id, _anchor=anchor)


def _questions(count: int) -> str:
    return "1 draft question" if count == 1 else f"{count} draft questions"


def _regenerated(result: Regenerated, verb: str) -> str:
    """What a save did, questions included: the teacher reviews the new drafts next."""
    said = [f"{verb} the fact; it is confirmed."]
    if result.removed or result.added:
        said.append(
            f"{_questions(result.removed)} made from it replaced by "
            f"{_questions(result.added)} to review."
        )
    else:
        said.append("No draft questions were made from it.")
    if result.refused:
        said.append(f"{result.refused} more refused by the quality checks.")
    if result.kept:
        said.append(
            f"{result.kept} approved, retired or answered question(s) made from the old fact "
            "were left as they are: check them in the question list."
        )
    return " ".join(said)


def _reviewed(result: Reviewed, verb: str) -> str:
    facts = "1 fact" if result.changed == 1 else f"{result.changed} facts"
    said = [f"{verb} {facts}."]
    if result.removed:
        said.append(f"{_questions(result.removed)} made from them deleted.")
    if result.added:
        said.append(f"{_questions(result.added)} made again from the restored facts.")
    return " ".join(said)


def _fact_input(form: FactForm, kind: str) -> FactInput:
    return FactInput(
        kind=kind,
        subject=form.subject.data or "",
        relation=form.relation.data or "",
        object=form.object.data or "",
        sentence_id=parse_id(form.sentence.data),
    )


def _render(form: FactForm, article_id: int, fact: Fact | None, status: int) -> ResponseReturnValue:
    article = editable_article(article_id, current_user.id)
    sides = [str(s.get("key", "")) for s in article.sides]
    has_relation = fact is None or bool(PARTS[FactKind(fact.kind)].relation)
    return render_template(
        "teach/fact_form.html",
        form=form,
        article=article,
        fact=fact,
        sides=sides,
        has_relation=has_relation,
    ), status


def _save(form: FactForm, article_id: int, fact: Fact | None) -> ResponseReturnValue:
    """Validate, call the service, and come back to the fact; refusals stay on the form."""
    if not form.validate_on_submit():
        return _render(form, article_id, fact, 422 if form.errors else 200)
    kind = fact.kind if fact is not None else form.kind.data
    seed = current_app.config["GENERATION_SEED"]
    try:
        with write_transaction():
            if fact is None:
                result = add_fact(article_id, current_user.id, _fact_input(form, kind), seed)
            else:
                result = edit_fact(
                    article_id, fact.id, current_user.id, _fact_input(form, kind), seed
                )
            message = _regenerated(result, "Added" if fact is None else "Saved")
            saved_id = result.fact.id
    except ServiceError as exc:
        if exc.status in (403, 404):
            raise
        form.form_errors.append(str(exc))
        return _render(form, article_id, fact, exc.status if exc.status != 400 else 422)
    flash(message, "success")
    return redirect(_facts_url(article_id, saved_id))


@bp.route("/articles/<int:article_id>/facts/new", methods=["GET", "POST"])
def fact_new(article_id: int) -> ResponseReturnValue:
    """Add a fact reading missed, with its evidence sentence."""
    article = editable_article(article_id, current_user.id)
    form = FactForm().for_article(article.sentences, None)
    return _save(form, article_id, None)


@bp.route("/articles/<int:article_id>/facts/<int:fact_id>/edit", methods=["GET", "POST"])
def fact_edit(article_id: int, fact_id: int) -> ResponseReturnValue:
    """Correct a fact (its speaker, words, role, value or sentence); its drafts are remade."""
    fact = fact_for_teacher(article_id, fact_id, current_user.id)
    form = (FactForm() if request.method == "POST" else FactForm.of(fact)).for_article(
        fact.article.sentences, fact.kind
    )
    return _save(form, article_id, fact)


@bp.post("/articles/<int:article_id>/facts/<int:fact_id>/confirm")
def fact_confirm(article_id: int, fact_id: int) -> Response:
    """Confirm one fact (or restore a deleted one): learners may study it."""
    editable_article(article_id, current_user.id)  # a shared article: 403, not a message
    seed = current_app.config["GENERATION_SEED"]
    attempt(
        lambda: confirm_facts(article_id, [fact_id], current_user.id, seed),
        lambda done: _reviewed(done, "Confirmed"),
    )
    return redirect(_facts_url(article_id, fact_id))


@bp.post("/articles/<int:article_id>/facts/<int:fact_id>/reject")
def fact_reject(article_id: int, fact_id: int) -> Response:
    """Delete one fact: kept as rejected (it can be restored), never shown to learners."""
    editable_article(article_id, current_user.id)
    attempt(
        lambda: reject_facts(article_id, [fact_id], current_user.id),
        lambda done: (
            _reviewed(done, "Deleted") + " It stays listed as deleted: Restore brings it back."
        ),
    )
    return redirect(_facts_url(article_id, fact_id))


@bp.post("/articles/<int:article_id>/facts/review")
def facts_review(article_id: int) -> Response:
    """Confirm or delete every ticked fact in one submit; a forged id changes nothing (404)."""
    form = FactsReviewForm()
    editable_article(article_id, current_user.id)
    ids = [parse_id(value) for value in request.form.getlist("fact")]
    if not form.validate_on_submit() or not (form.confirm.data or form.reject.data):
        flash("Choose Confirm or Delete for the ticked facts.", "error")
        return redirect(_facts_url(article_id))
    if not ids:
        flash("Tick at least one fact first.", "error")
        return redirect(_facts_url(article_id))
    if None in ids:
        flash("That form named a fact that is not in this article; nothing was changed.", "error")
        return redirect(_facts_url(article_id))
    chosen = [i for i in ids if i is not None]
    if form.confirm.data:
        seed = current_app.config["GENERATION_SEED"]
        attempt(
            lambda: confirm_facts(article_id, chosen, current_user.id, seed),
            lambda done: _reviewed(done, "Confirmed"),
        )
    else:
        attempt(
            lambda: reject_facts(article_id, chosen, current_user.id),
            lambda done: _reviewed(done, "Deleted"),
        )
    return redirect(_facts_url(article_id))
