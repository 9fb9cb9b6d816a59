"""A teacher's background jobs: how far each has got, then its result or why it stopped.

The page refreshes itself every two seconds while the job waits or runs (no script needed);
``static/jobs.js`` instead polls the JSON twin every second and moves the bar in place. Both
end on the job page's own redirect to the result, where the outcome is flashed.
"""

from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from ..models import Job
from ..services.jobs import job_for_owner, owner_jobs, progress_of
from . import bp
from .forms import ImportArticleForm


@bp.get("/jobs")
def jobs() -> ResponseReturnValue:
    """The teacher's recent jobs, newest first."""
    listed = [(job, progress_of(job)) for job in owner_jobs(current_user.id)]
    return render_template("teach/jobs.html", jobs=listed)


@bp.get("/jobs/<int:job_id>")
def job(job_id: int) -> ResponseReturnValue:
    """Progress while the job waits or runs; once done, on to the article's drafts."""
    found = job_for_owner(job_id, current_user.id)
    if found.state == Job.State.DONE and found.result_article_id is not None:
        flash(found.message, "success")
        return redirect(url_for("teach.article", article_id=found.result_article_id))
    return render_template("teach/job.html", job=found, progress=progress_of(found))


@bp.get("/jobs/<int:job_id>.json")
def job_json(job_id: int) -> ResponseReturnValue:
    found = job_for_owner(job_id, current_user.id)
    return jsonify({**progress_of(found).to_json(), "url": url_for("teach.job", job_id=found.id)})


@bp.get("/jobs/<int:job_id>/again")
def job_again(job_id: int) -> ResponseReturnValue:
    """The import form again, filled in with what the teacher gave the job that stopped."""
    payload = job_for_owner(job_id, current_user.id).payload
    form = ImportArticleForm(
        formdata=None,
        data={key: payload.get(key, "") for key in ("title", "source", "text")},
    )
    return render_template("teach/import.html", form=form)
