"""Which passwords quizapp refuses, and why (NIST SP 800-63B, section 5.1.1.2).

NIST asks for length rather than composition rules, and for new passwords to be checked
against values known to be commonly used or guessable. So a password needs
``MIN_PASSWORD_LENGTH`` characters and must not be, or be a common password with a few digits
or symbols around it, one of ``data/common_passwords.txt``: the 10,000 most common passwords
of SecLists (``Passwords/Common-Credentials/10k-most-common.txt``, MIT licence; taken from
the copy in github.com/Jayamani25/10K_most_common_password, identical to SecLists' first
10,000 lines). Obvious patterns are refused too: the account's email or name in it, one
character repeated, a keyboard or alphabet run. Each refusal says why, so a pupil knows what
to change.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 200
# A common password stays one with digits or symbols stuck on either end ("password2024!").
_AFFIXES = re.compile(r"^[\W\d_]*(.*?)[\W\d_]*$")
# Rows a keyboard or the alphabet runs along, forwards; backwards runs are checked reversed.
_RUNS = (
    "qwertyuiopasdfghjklzxcvbnm",
    "1234567890",
    "abcdefghijklmnopqrstuvwxyz",
    "qazwsxedcrfvtgbyhnujmikolp",
    "1q2w3e4r5t6y7u8i9o0p",
    "azertyuiop",
    "qwertzuiop",
)


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list, lower-cased, read once per process."""
    text = resources.files("quizapp").joinpath("data/common_passwords.txt").read_text("utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip())


def password_problem(password: str, email: str = "", name: str = "") -> str | None:
    """Why this password would be refused for this account, or None when it is acceptable."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Use at least {MIN_PASSWORD_LENGTH} characters."
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"Use at most {MAX_PASSWORD_LENGTH} characters."
    folded = password.lower()
    squeezed = re.sub(r"\s+", "", folded)
    if len(set(squeezed)) <= 2:
        return "That password repeats one or two characters; anyone guessing tries those first."
    if _is_run(squeezed):
        return "That password is a run of keys or letters (like qwerty or 12345); pick words."
    core = _AFFIXES.match(squeezed)
    candidates = {folded, squeezed, core.group(1) if core else squeezed}
    if candidates & common_passwords():
        return (
            "That is one of the 10,000 most common passwords, so it is guessed first; "
            "a few unrelated words make a better one."
        )
    for part in _personal_parts(email, name):
        if part in squeezed:
            return "A password must not contain your email address or name."
    return None


def _is_run(text: str) -> bool:
    """All of it a stretch of one keyboard row or the alphabet, repeated or not."""
    unit = _shortest_repeat(text)
    return len(unit) >= 3 and any(unit in row or unit in row[::-1] for row in _RUNS)


def _shortest_repeat(text: str) -> str:
    for size in range(1, len(text) // 2 + 1):
        if len(text) % size == 0 and text[:size] * (len(text) // size) == text:
            return text[:size]
    return text


def _personal_parts(email: str, name: str) -> set[str]:
    """The pieces of an account's identity a guesser would try: the email's local part and
    domain name, and each word of the name, of four letters or more."""
    local, _, domain = email.strip().lower().partition("@")
    pieces = {local, domain.split(".")[0], *re.split(r"[\W_]+", local)}
    pieces.update(re.split(r"[\W_]+", name.strip().lower()))
    return {piece for piece in pieces if len(piece) >= 4}
