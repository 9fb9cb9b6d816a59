"""Importing articles, reviewing the questions generated from them, and the article's
lifecycle (rename, debate question and sides, delete).

Every review button works as a plain form (the answer is a redirect back to the next draft,
``#q<id>``, with the outcome shown there) and, asked for JSON by ``static/review.js``, as a
request the page applies in place.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, jsonify, redirect, render_template, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from ..core.facts import ATTRIBUTION_THRESHOLD
from ..core.formats.documents import DocumentError, checked_text, read_document
from ..database import write_transaction
from ..errors import wants_json
from ..jobs import enqueue_import
from ..models import Article
from ..services import Conflict, NotFound, ServiceError
from ..services.article_admin import delete_article, edit_debate, rename_article
from ..services.articles import paragraphs
from ..services.jobs import submit_import
from ..services.review import (
    BulkAction,
    BulkOutcome,
    Rejection,
    approve_question,
    article_for_teacher,
    bulk_message,
    drafts_after,
    question_for_teacher,
    reject_question,
    review_article,
    review_drafts,
    selected_questions,
    teacher_articles,
)
from . import bp
from .article_forms import BulkReviewForm, DebateForm, DeleteArticleForm, DetailsForm, RejectForm
from .forms import ActionForm, ImportArticleForm

# The outcome of the last review action, shown by the draft the teacher lands on (a flash
# message would sit at the top of a long page, out of view of the #q anchor).
NOTICE = "review_notice"


@bp.get("/articles")
def articles() -> ResponseReturnValue:
    """List the teacher's articles and the shared seed articles."""
    return render_template("teach/articles.html", summaries=teacher_articles(current_user.id))


@bp.route("/articles/new", methods=["GET", "POST"])
def import_new() -> ResponseReturnValue:
    """Import an article from pasted text or an uploaded file: the reading and the drafts are
    a background job, whose page shows its progress and then leads to the drafts."""
    form = ImportArticleForm()
    if not form.validate_on_submit():
        return render_template("teach/import.html", form=form), 422 if form.errors else 200
    max_chars = current_app.config["MAX_ARTICLE_CHARS"]
    upload = form.document.data
    try:
        if upload and upload.filename:
            document = read_document(upload.filename, upload.read(), max_chars)
            form.fill_in(document, upload.filename)
            text = document.text
        else:
            text = checked_text(form.text.data, max_chars)
    except DocumentError as exc:
        (form.document if upload and upload.filename else form.text).errors.append(str(exc))
        return render_template("teach/import.html", form=form), 422
    try:
        with write_transaction():
            submitted = submit_import(
                current_user.id, form.title.data, form.source.data or "", text, max_chars
            )
    except ServiceError as exc:
        form.text.errors.append(str(exc))
        return render_template("teach/import.html", form=form), exc.status
    if isinstance(submitted, Article):
        flash(f"This text was already imported as “{submitted.title}”; nothing new was added.")
        return redirect(url_for("teach.article", article_id=submitted.id))
    enqueue_import(submitted.id)
    return redirect(url_for("teach.job", job_id=submitted.id))


@bp.get("/articles/<int:article_id>")
def article(article_id: int) -> ResponseReturnValue:
    """Show an article's headline and paragraphs of numbered sentences, its facts (quotes
    whose speaker reading was unsure of marked so), drafts and dropped drafts for review, and
    (to its owner) the forms that rename, reword or delete it."""
    review = review_article(article_id, current_user.id)
    article = review.article
    return render_template(
        "teach/article.html",
        review=review,
        paragraphs=paragraphs(article.sentences),
        unsure_below=ATTRIBUTION_THRESHOLD,
        editable=article.created_by_id == current_user.id,
        action=ActionForm(),
        bulk=BulkReviewForm(formdata=None),
        notice=session.pop(NOTICE, None),
        details=DetailsForm(formdata=None, obj=article),
        debate=DebateForm(
            formdata=None,
            data={
                "debate": article.debate,
                "sides": [{"key": s["key"], "label": s["label"]} for s in article.sides],
            },
        ),
        delete=DeleteArticleForm(formdata=None),
    )


@bp.post("/articles/<int:article_id>/review")
def review_bulk(article_id: int) -> ResponseReturnValue:
    """Approve or reject the ticked drafts in one submit; rejecting asks to confirm first."""
    article_for_teacher(article_id, current_user.id)  # someone else's: 404 whatever the form
    form = BulkReviewForm()
    if not form.validate_on_submit():
        problems = " ".join(e for errors in form.errors.values() for e in errors)
        return _refused(article_id, f"Nothing was changed: the form was damaged ({problems}).")
    action, chosen = BulkAction(form.action.data), form.chosen_ids()
    if action is BulkAction.REJECT and chosen and not form.confirm.data:
        questions, not_found = selected_questions(article_id, current_user.id, chosen)
        return _confirm_reject(article_id, [q.id for q in questions], questions, not_found)
    with write_transaction():
        outcome = review_drafts(article_id, current_user.id, chosen, action)
    return _reviewed(article_id, outcome, bulk_message(outcome))


@bp.post("/questions/<int:question_id>/approve")
def approve(question_id: int) -> ResponseReturnValue:
    """Approve a draft: it joins the question bank."""
    with write_transaction():
        question = approve_question(question_id, current_user.id)
        article_id = question.article_id or 0
        left, after = drafts_after(article_id, question_id)
    outcome = BulkOutcome(
        BulkAction.APPROVE, approved=[question_id], drafts_left=left, next_draft_id=after
    )
    return _reviewed(
        article_id,
        outcome,
        f"Approved: the question is now in the question bank. {_left(left)}",
    )


@bp.post("/questions/<int:question_id>/reject")
def reject(question_id: int) -> ResponseReturnValue:
    """Reject a draft once confirmed: deleted, or retired when a quiz or an answer still
    refers to it. Unconfirmed, the teacher is asked first (the script asks in a dialog)."""
    question = question_for_teacher(question_id, current_user.id)
    article_id = question.article_id or 0
    if not RejectForm().confirm.data:
        return _confirm_reject(article_id, [question_id], [question], [])
    with write_transaction():
        result = reject_question(question_id, current_user.id)
        left, after = drafts_after(article_id, question_id)
    deleted = result.rejection is Rejection.DELETED
    outcome = BulkOutcome(
        BulkAction.REJECT,
        deleted=[question_id] if deleted else [],
        retired=[] if deleted else [question_id],
        drafts_left=left,
        next_draft_id=after,
    )
    message = (
        "Rejected and deleted: no quiz or answer used it."
        if deleted
        else "Rejected and retired: it is kept, hidden from review and new quizzes, because a "
        "quiz or a learner's answer still refers to it."
    )
    return _reviewed(article_id, outcome, f"{message} {_left(left)}")


@bp.post("/articles/<int:article_id>/details")
def article_details(article_id: int) -> ResponseReturnValue:
    """Rename the article (and correct its source)."""
    article_for_teacher(article_id, current_user.id)
    form = DetailsForm()
    if _valid(form):
        _change(
            lambda: rename_article(
                article_id, current_user.id, form.title.data or "", form.source.data or ""
            ),
            lambda a: f"Saved: the article is now called “{a.title}”.",
        )
    return redirect(url_for("teach.article", article_id=article_id, _anchor="manage"))


@bp.post("/articles/<int:article_id>/debate")
def article_debate(article_id: int) -> ResponseReturnValue:
    """Reword the debate question and the sides' labels the debate map shows."""
    article_for_teacher(article_id, current_user.id)
    form = DebateForm()
    if _valid(form):
        _change(
            lambda: edit_debate(article_id, current_user.id, form.debate.data or "", form.labels()),
            lambda _a: "Saved the debate question and the sides' labels.",
        )
    return redirect(url_for("teach.article", article_id=article_id, _anchor="manage"))


@bp.post("/articles/<int:article_id>/delete")
def article_delete(article_id: int) -> ResponseReturnValue:
    """Delete the article once confirmed; what learners answered is kept (see the service)."""
    form = DeleteArticleForm()
    if not _valid(form):
        article_for_teacher(article_id, current_user.id)  # not found or gone: say so instead
        return redirect(url_for("teach.article", article_id=article_id, _anchor="manage"))
    outcome = _change(
        lambda: delete_article(article_id, current_user.id), lambda done: done.message()
    )
    if outcome is None:
        return redirect(url_for("teach.article", article_id=article_id, _anchor="manage"))
    return redirect(url_for("teach.articles"))


def _valid(form: Any) -> bool:
    if form.validate_on_submit():
        return True
    for errors in form.errors.values():
        for error in errors if isinstance(errors, list) else [str(errors)]:
            flash(str(error), "error")
    return False


def _change(action: Any, success: Any) -> Any:
    """Run a lifecycle verb and flash its outcome; a missing or deleted article is the
    error page (404, 409), a refusal the teacher can act on a message on the article page."""
    try:
        with write_transaction():
            result = action()
    except (NotFound, Conflict):
        raise
    except ServiceError as exc:
        flash(str(exc), "error")
        return None
    flash(success(result), "success")
    return result


def _left(count: int) -> str:
    return f"{count} draft{'' if count == 1 else 's'} left to review."


def _reviewed(article_id: int, outcome: BulkOutcome, message: str) -> ResponseReturnValue:
    """JSON for the script; for a plain form, back to the next draft with the outcome there."""
    category = "success" if outcome.changed else "error"
    if wants_json():
        statuses = {
            **dict.fromkeys(outcome.approved, "approved"),
            **dict.fromkeys(outcome.deleted, "deleted"),
            **dict.fromkeys(outcome.retired, "retired"),
        }
        return jsonify(
            message=message,
            category=category,
            drafts_left=outcome.drafts_left,
            next=outcome.next_draft_id,
            questions={str(k): v for k, v in statuses.items()},
        )
    session[NOTICE] = {"text": message, "category": category, "at": outcome.next_draft_id}
    anchor = f"q{outcome.next_draft_id}" if outcome.next_draft_id else "questions"
    return redirect(url_for("teach.article", article_id=article_id, _anchor=anchor))


def _refused(article_id: int, message: str) -> ResponseReturnValue:
    if wants_json():
        return jsonify(message=message, category="error"), 400
    session[NOTICE] = {"text": message, "category": "error", "at": None}
    return redirect(url_for("teach.article", article_id=article_id, _anchor="questions"))


def _confirm_reject(
    article_id: int, ids: list[int], questions: list[Any], not_found: list[int]
) -> ResponseReturnValue:
    """The no-script confirmation step: what would be rejected, one button to do it."""
    if wants_json():
        return jsonify(message="Confirm the rejection first.", category="error"), 400
    return render_template(
        "teach/reject_confirm.html",
        article=article_for_teacher(article_id, current_user.id),
        ids=ids,
        questions=questions,
        not_found=not_found,
        form=BulkReviewForm(formdata=None),
    )
