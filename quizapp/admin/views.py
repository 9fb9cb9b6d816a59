"""The users page and its buttons. Every change redirects back to the list as it was
filtered (the buttons' addresses carry its query string), with a message saying what happened."""

from __future__ import annotations

from typing import Any

from flask import (
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user

from ..database import write_transaction
from ..links import public_link
from ..models import Invite, Role
from ..services import ServiceError
from ..services.account_deletion import delete_account, holdings, refusal
from ..services.invites import create_invite, expires_at, make_token, open_invites, revoke_invite
from ..services.mail import send_mail
from ..services.users import (
    UserFilter,
    change_role,
    disable_user,
    enable_user,
    get_user,
    search_users,
)
from ..teach.actions import attempt
from . import bp
from .forms import ActionForm, InviteForm, RoleForm, UserFilterForm

INVITE_MAIL = """{admin} invited you to quizapp as {article} {role}.

Choose your name and password here; the link works once, until {expires:%d %B %Y}:

{link}

If you did not expect this, ignore this message: no account is made until the link is used.
"""


@bp.get("/")
def index() -> ResponseReturnValue:
    return redirect(url_for("admin.users"))


# The users list's own parameters: only these are carried from page to button to redirect,
# so an address holding others (a "user_id", an "endpoint") cannot collide with url_for's.
LIST_PARAMETERS = ("q", "role", "deletion", "page")


def list_state() -> dict[str, str]:
    """The filters and page the list is on, to come back to after an action."""
    return {key: request.args[key] for key in LIST_PARAMETERS if key in request.args}


@bp.context_processor
def _list_state() -> dict[str, Any]:
    return {"here": list_state()}


def _back() -> ResponseReturnValue:
    """The list again, with the filters and page the button was pressed on."""
    return redirect(url_for("admin.users", **list_state()))


def _users_page(invite_form: InviteForm, status: int = 200) -> ResponseReturnValue:
    filter_form = UserFilterForm(request.args)
    filter_form.validate()
    wanted = UserFilter(
        text=filter_form.q.data or "",
        role=filter_form.role.data if not filter_form.role.errors else "",
        deletion_requested=bool(filter_form.deletion.data),
    )
    page = search_users(wanted, request.args.get("page", 1, type=int) or 1)
    return render_template(
        "admin/users.html",
        filter_form=filter_form,
        page=page,
        roles=list(Role),
        invites=open_invites(),
        expires_at=expires_at,
        invite_form=invite_form,
        form=ActionForm(),
    ), status


@bp.get("/users")
def users() -> ResponseReturnValue:
    """Every account, searched and filtered, a page at a time; the open invitations."""
    return _users_page(InviteForm())


@bp.post("/invites")
def invite_create() -> ResponseReturnValue:
    """Make an invitation, mail its link, and show the link this once (a school without mail
    hands it over itself; it is not stored and cannot be shown again)."""
    form = InviteForm()
    if not form.validate_on_submit():
        return _users_page(form, 422)
    try:
        with write_transaction():
            invite = create_invite(current_user.id, form.email.data or "", form.role.data or "")
            link = public_link("auth.invite", token=make_token(invite))
    except ServiceError as exc:
        form.email.errors.append(str(exc))
        return _users_page(form, exc.status)
    _mail_invite(invite, link)
    page = make_response(
        render_template(
            "admin/invite_created.html", invite=invite, link=link, expires=expires_at(invite)
        )
    )
    page.headers["Cache-Control"] = "no-store"  # the link makes an account: keep no copy
    return page


def _mail_invite(invite: Invite, link: str) -> None:
    """Send the link, saying how that went; the invitation stands either way."""
    role = invite.role
    body = INVITE_MAIL.format(
        admin=current_user.name,
        article="an" if role == Role.ADMIN else "a",
        role=role,
        expires=expires_at(invite),
        link=link,
    )
    try:
        send_mail(invite.email, "You are invited to quizapp", body)
    except OSError:
        current_app.logger.exception("the invitation mail could not be sent")
        flash(
            f"The mail to {invite.email} could not be sent (the mail server did not take it). "
            "The invitation stands: send the link below yourself.",
            "error",
        )
        return
    if current_app.config.get("MAIL_SERVER"):
        flash(f"The invitation was emailed to {invite.email}.", "success")
    else:
        flash("Mail is not set up here (MAIL_SERVER), so nothing was emailed.", "info")


@bp.post("/invites/<int:invite_id>/revoke")
def invite_revoke(invite_id: int) -> ResponseReturnValue:
    attempt(
        lambda: revoke_invite(invite_id),
        lambda invite: f"The invitation for {invite.email} is withdrawn; its link no longer works.",
    )
    return _back()


@bp.post("/users/<int:user_id>/role")
def user_role(user_id: int) -> ResponseReturnValue:
    get_user(user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        abort(422, "Choose a role: " + ", ".join(r.value for r in Role) + ".")
    attempt(
        lambda: change_role(current_user.id, user_id, form.role.data or ""),
        lambda user: f"{user.name} is now {'an' if user.is_admin else 'a'} {user.role}.",
    )
    return _back()


@bp.post("/users/<int:user_id>/disable")
def user_disable(user_id: int) -> ResponseReturnValue:
    """Turn an account off; whoever is signed in with it is signed out at once."""
    attempt(
        lambda: disable_user(current_user.id, user_id),
        lambda user: f"{user.name}'s account is disabled and every sign-in of it has ended.",
    )
    return _back()


@bp.post("/users/<int:user_id>/enable")
def user_enable(user_id: int) -> ResponseReturnValue:
    attempt(
        lambda: enable_user(user_id),
        lambda user: f"{user.name}'s account is enabled again.",
    )
    return _back()


@bp.route("/users/<int:user_id>/delete", methods=["GET", "POST"])
def user_delete(user_id: int) -> ResponseReturnValue:
    """Delete an account, after a page naming what goes with it (or why it cannot)."""
    user = get_user(user_id)
    form = ActionForm()
    if form.validate_on_submit():
        name, sign_in_name = user.name, user.sign_in_name
        removed = attempt(
            lambda: delete_account(current_user.id, user_id),
            lambda held: (
                f"The account of {name} ({sign_in_name}) is deleted, with their "
                f"{held.attempts} attempts, {held.card_reviews} flashcard reviews and "
                f"{held.classes_joined} class memberships."
            ),
        )
        if removed is None:
            return redirect(url_for("admin.user_delete", user_id=user_id, **list_state()))
        return _back()
    return render_template(
        "admin/delete_confirm.html",
        user=user,
        held=holdings(user_id),
        refusal=refusal(current_user.id, user_id),
        form=form,
    )
