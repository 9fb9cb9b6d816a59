"""Importing articles and reviewing the questions generated from them."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from ..core.facts import ATTRIBUTION_THRESHOLD
from ..core.formats.documents import DocumentError, checked_text, document_text
from ..database import write_transaction
from ..services import ServiceError
from ..services.articles import paragraphs
from ..services.imports import import_article
from ..services.review import (
    Rejection,
    approve_question,
    reject_question,
    review_article,
    teacher_articles,
)
from . import bp
from .forms import ActionForm, ImportArticleForm


@bp.get("/articles")
def articles() -> ResponseReturnValue:
    """List the teacher's articles and the shared seed articles."""
    return render_template("teach/articles.html", summaries=teacher_articles(current_user.id))


@bp.route("/articles/new", methods=["GET", "POST"])
def import_new() -> ResponseReturnValue:
    """Import an article from pasted text or an uploaded file and generate its drafts."""
    form = ImportArticleForm()
    if not form.validate_on_submit():
        return render_template("teach/import.html", form=form), 422 if form.errors else 200
    max_chars = current_app.config["MAX_ARTICLE_CHARS"]
    upload = form.document.data
    try:
        if upload and upload.filename:
            text = document_text(upload.filename, upload.read(), max_chars)
        else:
            text = checked_text(form.text.data, max_chars)
    except DocumentError as exc:
        (form.document if upload and upload.filename else form.text).errors.append(str(exc))
        return render_template("teach/import.html", form=form), 422
    try:
        with write_transaction():
            result = import_article(
                form.title.data,
                form.source.data or "",
                text,
                current_user.id,
                max_chars=max_chars,
                seed=current_app.config["GENERATION_SEED"],
            )
    except ServiceError as exc:
        form.text.errors.append(str(exc))
        return render_template("teach/import.html", form=form), exc.status
    article = result.article
    if not result.created:
        flash(f"This text was already imported as “{article.title}”; nothing new was added.")
    else:
        flash(
            f"Imported “{article.title}”: {result.kept} draft questions to review, "
            f"{len(result.dropped)} dropped by the quality checks.",
            "success",
        )
    return redirect(url_for("teach.article", article_id=article.id))


@bp.get("/articles/<int:article_id>")
def article(article_id: int) -> ResponseReturnValue:
    """Show an article's headline and paragraphs of numbered sentences, its facts (quotes
    whose speaker reading was unsure of marked so), drafts and dropped drafts for review."""
    review = review_article(article_id, current_user.id)
    return render_template(
        "teach/article.html",
        review=review,
        paragraphs=paragraphs(review.article.sentences),
        unsure_below=ATTRIBUTION_THRESHOLD,
        editable=review.article.created_by_id == current_user.id,
        action=ActionForm(),
    )


@bp.post("/questions/<int:question_id>/approve")
def approve(question_id: int) -> ResponseReturnValue:
    """Approve a draft: it joins the question bank."""
    with write_transaction():
        question = approve_question(question_id, current_user.id)
    flash("Approved: the question is now in the question bank.", "success")
    return redirect(_review_url(question.article_id, question_id))


@bp.post("/questions/<int:question_id>/reject")
def reject(question_id: int) -> ResponseReturnValue:
    """Reject a draft: deleted, or retired when a quiz or an answer still refers to it."""
    with write_transaction():
        outcome = reject_question(question_id, current_user.id)
    if outcome.rejection is Rejection.DELETED:
        flash("Rejected and deleted: no quiz or answer used it.", "success")
    else:
        flash(
            "Rejected and retired: it is kept, hidden from review and new quizzes, because a "
            "quiz or a learner's answer still refers to it.",
            "success",
        )
    return redirect(url_for("teach.article", article_id=outcome.article_id, _anchor="questions"))


def _review_url(article_id: int | None, question_id: int) -> str:
    return url_for("teach.article", article_id=article_id, _anchor=f"q{question_id}")
