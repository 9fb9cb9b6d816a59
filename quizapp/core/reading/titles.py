"""Words that mark a name as a person's: personal titles and the generic heads of roles.

Shared by the steps that trim a name ("Mr", "minister" are not part of it), vote on its type
(a title before it makes a person) and read roles (a capitalised "President" is a role head).
"""

from __future__ import annotations

from spacy.tokens import Token

TITLES = frozenset(
    {"mr", "mrs", "ms", "miss", "dr", "prof", "professor", "sir", "dame", "lord", "lady"}
)
# Generic heads of titles and roles: a hint that a word before or beside a name is a title,
# used with the parse (a compound or apposition of the name), never as the only evidence.
ROLE_HEADS = frozenset(
    {
        "president", "minister", "secretary", "chancellor", "premier", "governor", "mayor",
        "senator", "judge", "justice", "king", "queen", "prince", "princess", "pope", "bishop",
        "general", "colonel", "captain", "commander", "chief", "director", "chair",
        "chairman", "chairwoman", "chairperson", "ceo", "founder", "head", "leader", "spokesman",
        "spokeswoman", "spokesperson", "undersecretary", "ambassador", "officer", "manager",
        "editor", "professor", "coach", "referee", "striker", "defender", "goalkeeper",
        "midfielder", "author", "lawyer", "barrister", "attorney", "campaigner", "analyst",
        "researcher", "scientist", "candidate", "owner", "member", "commissioner", "mp",
        "lawmaker", "deputy", "vice", "boss", "executive", "correspondent", "reporter",
        "prosecutor", "activist", "councillor", "inspector", "sheriff", "detective", "dean",
        "rabbi", "imam", "cardinal", "priest", "economist", "engineer", "doctor",
        "nurse", "teacher", "student", "actor", "actress", "singer", "player", "politician",
        "plaintiff", "defendant", "maintainer", "contributor", "developer", "expert",
    }
)  # fmt: skip


def is_title(token: Token) -> bool:
    """ "Mr", "Dr.": a personal title, followed by something it can be the title of."""
    return token.lower_.rstrip(".") in TITLES and token.i + 1 < len(token.doc)
