"""Read an uncurated news article into facts, offline and deterministically.

The extractor is a set of small pattern readers over the article's sentences, each naming one
construction news writing uses ("X said", "according to X", "security minister X", "apps like
A, B and C", "give Ofcom the authority to ..."). They share one discourse state so that "he",
"the company" and "the organization's president" resolve to the last actor the article named,
which is how a reader resolves them too.

It works in two passes. The first collects the capitalised names of the whole article and
types them (from small seed lexicons, name suffixes such as "Office" or "Bill", and person
evidence such as an honorific or a role right before the name). The second walks the sentences
in order, finds mentions of those names, pronouns and collective actors ("critics", "the
government"), and runs each reader. Every fact keeps its sentence verbatim as evidence.

All regexes are compiled once at import time; none nests unbounded repetition, so time grows
linearly with the text (see bench/bench_extraction.py).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from quizapp.core.facts import ArticleFacts, Entity, EntityType, Fact, FactKind, Side
from quizapp.core.text import split_sentences

# --------------------------------------------------------------------------------------------
# Seed lexicons. Small on purpose: each is what a teacher would expect the app to know already.
# --------------------------------------------------------------------------------------------

KNOWN_APPS = frozenset(
    {"Signal", "WhatsApp", "iMessage", "Facebook", "Messenger", "Instagram", "Telegram",
     "Threema", "Wire", "Viber", "Skype", "Snapchat", "TikTok", "WeChat", "Element", "Session",
     "ProtonMail", "FaceTime", "Gmail", "Discord"}
)  # fmt: skip
KNOWN_ORGANISATIONS = frozenset(
    {"Meta", "Apple", "Google", "Microsoft", "Amazon", "Twitter", "Proton", "Mozilla", "BBC",
     "Europol", "Interpol", "Samsung", "Reuters", "NSPCC", "EFF", "IWF", "Barnardo's"}
)  # fmt: skip
KNOWN_REGULATORS = frozenset({"Ofcom", "ICO", "FTC", "FCC", "CNIL", "Arcom", "Ofwat", "ACMA"})

# A capitalised name ending in one of these is an organisation, or a law.
ORG_SUFFIXES = frozenset(
    {"Office", "Centre", "Center", "Council", "Commission", "Committee", "Ministry", "Department",
     "Agency", "Foundation", "Institute", "University", "Association", "Union", "Police", "Group",
     "Ltd", "Inc", "Corp", "Company", "Bureau", "Board", "Network", "Coalition", "Alliance",
     "Trust", "Society", "Service", "Services", "Forum", "Federation", "Parliament"}
)  # fmt: skip
LAW_SUFFIXES = frozenset({"Bill", "Act", "Regulation", "Directive", "Law", "Treaty"})

# Words that name a role; "authority", "regulator" and "watchdog" make their holder a regulator.
_ROLE_WORD = (
    r"(?:chief\ executive(?:\ officer)?|parent\ company|vice[- ]president|co-founder|minister"
    r"|secretary|director|president|CEO|founder|chair(?:man|woman|person)?|head|spokes(?:person"
    r"|man|woman)|commissioner|regulator|watchdog|authority|professor|researcher|cryptographer"
    r"|executive|officer|MEP|MP|senator|leader|owner|adviser|advisor|analyst|campaigner|group"
    r"|charity|organi[sz]ation)"
)
REGULATOR_ROLES = frozenset({"regulator", "watchdog", "authority"})

REPORTING_VERBS = (
    r"(?:said|says|say|stated|states|state|added|adds|told|tells|warned|warns|claimed|claims"
    r"|declared|declares|asserted|asserts|assert|argued|argues|argue|insisted|insists|explained"
    r"|explains|wrote|writes|noted|notes|announced|announces|confirmed|confirms|admitted|admits"
    r"|maintained|maintains|assured|cautioned|cautions|contended|countered|replied|responded"
    r"|acknowledged|believes|believe|suggested|suggests)"
)

# Groups that take part in a debate without a proper name.
_COLLECTIVE = (
    r"(?:the\ government|police|critics|campaigners|(?:IT\ |security\ |privacy\ )?experts"
    r"|officials|ministers|privacy\ (?:advocates|campaigners|groups)|child\ (?:safety|protection)"
    r"\ (?:groups|campaigners|charities)|researchers|cryptographers|lawmakers|MEPs|MPs)"
)

# Collective nouns that may follow a name to make a group ("the Ofcom team").
_GROUP_NOUNS = r"(?:team|staff|officials|executives|board|unit|committee|group|lawyers|engineers)"

_MONTHS = (
    "January", "February", "March", "April", "June", "July", "August", "September", "October",
    "November", "December",
)  # fmt: skip
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# Capitalised only because they start a sentence or clause; never the start of a name.
_FUNCTION_WORDS = frozenset(
    {"The", "A", "An", "In", "On", "At", "Since", "Despite", "When", "While", "After", "Before",
     "During", "Although", "Though", "Each", "Every", "Many", "Some", "Most", "According", "But",
     "And", "Or", "If", "As", "By", "For", "From", "With", "This", "That", "These", "Those", "It",
     "He", "She", "They", "We", "I", "You", "His", "Her", "Their", "Our", "Its", "Last", "Earlier",
     "Later", "Under", "Meanwhile", "However", "Why", "What", "How", "Who", "Mr", "Mrs",
     "Ms", "Dr", "Yes", "No", "Not", "There", "Here", "Now", "So", "Such", "Both", "All", "One",
     "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten", *_MONTHS, *_DAYS}
)  # fmt: skip

# --------------------------------------------------------------------------------------------
# Names and mentions
# --------------------------------------------------------------------------------------------

# How far around a name the readers look for a role or a verb; bounds the work per name, so
# one enormous sentence (a text with no full stops) still costs time linear in its length.
_LOOKBEHIND = 160
_LOOKAHEAD = 240

# One word of a name: "Tugendhat", "WhatsApp", "E2EE", "Commissioner's", or a camel-cased
# product ("iMessage"). Hyphenated parts stay in the word ("Anglia-Ruskin").
_NAME_WORD = r"(?:[A-Z][A-Za-z0-9]*(?:[-'\u2019][A-Za-z0-9]+)*|i[A-Z][A-Za-z]+)"
# A run of name words, optionally joined by "of"/"for" ("Freedom of Information") and led by an
# honorific ("Mr. Tugendhat"). The joiners are single words, so the run cannot backtrack badly.
_NAME = re.compile(
    rf"(?P<honorific>\b(?:Mr|Mrs|Ms|Dr|Prof|Sir|Dame)\.?\s+)?"
    rf"(?<![\w-])(?P<name>{_NAME_WORD}(?:\s+(?:(?:of|for|and)\s+(?:the\s+)?)?{_NAME_WORD})*)"
)
_POSSESSIVE_END = re.compile(r"['\u2019]s$")
# A capitalised first word is a name only when a verb, an apposition or more names follow it
# ("Germany has opposed", "Atlassian, Google and Apple"), or when it owns something
# ("Signal's president").
_VERB_NEXT = re.compile(
    rf"^(?:,\s(?:the|a|an|which|who)\s|,\s[A-Z]\w*(?:,|\sand\s|\sor\s)"
    rf"|\s(?:has|have|had|is|was|will|would|could|also|{REPORTING_VERBS})\b)"
)
_ROLE_WORD_RE = re.compile(rf"(?i:{_ROLE_WORD})")
# "CEO of Meta" is a role and a name, not one name.
_ROLE_OF_PREFIX = re.compile(rf"^(?i:{_ROLE_WORD})\s+of\s+(?:the\s+)?")
# "End-to-end encryption (E2EE)": a term introduced with its abbreviation.
_ABBREVIATION = re.compile(
    r"(?P<term>\b[A-Za-z][a-z]*(?:-[a-z]+)*(?:\s[a-z][a-z-]*){0,3})"
    r"\s\((?P<abbr>[A-Z][A-Za-z0-9]{1,9})\)"
)
# "the Child Sexual Abuse Regulation (CSAR)": the abbreviation belongs to the name before it.
_NAME_BEFORE = re.compile(r"[A-Z][\w-]*\s$")
_ABBREVIATION_AFTER = re.compile(r"^\s\(([A-Z][A-Za-z0-9]{1,9})\)")
_PRONOUN = re.compile(r"\b(?:[Hh]e|[Ss]he|(?<=[Aa]ccording to )her)\b")
# Phrases that point back at the last organisation the article named.
_ORG_ANAPHOR = re.compile(
    r"\b[Tt]he\s(?:company|firm|organi[sz]ation|group|charity|foundation|statement"
    r"|spokes(?:person|man|woman)|tech\ giant|messaging\ service)\b"
)
# "The law, which was passed in 2018, ...": the last law the article named.
_LAW_ANAPHOR = re.compile(r"\b[Tt]he\s(?:law|bill|act|legislation|regulation)\b")
_COLLECTIVE_MENTION = re.compile(rf"\b(?:[Mm]any\s)?(?i:{_COLLECTIVE})\b")
_PERSON_BEFORE = re.compile(
    rf"(?:\b(?:said|says|according\ to)\s|\b(?i:{_ROLE_WORD})s?,?\s"
    rf"|\b{_ROLE_WORD}\sof\s[^,]{{1,80}},\s)$"
)
_PERSON_AFTER = re.compile(
    rf"^(?:,\s(?:the|a|an)\s[^,]{{0,60}}?\b{_ROLE_WORD}\b"
    rf"|,?\s(?:has\s|had\s|also\s)?{REPORTING_VERBS}\b)"
)
_QUOTE_CHARS = re.compile(r"[\"\u201c\u201d]")


@dataclass(frozen=True)
class Mention:
    """A stretch of one sentence that names (or points back at) an actor."""

    start: int
    end: int
    name: str  # the canonical entity name it resolves to
    type: EntityType
    possessive: bool = False  # "Meta's choices": an owner, not an actor
    quoted: bool = False  # inside quotation marks: someone else's words


# A word as names are made of: hyphens stay inside ("end-to-end"), apostrophes and full stops
# split ("Commissioner's" -> "Commissioner", "s"), so a form's text is the words' exact span.
_WORD = re.compile(r"[A-Za-z0-9](?:[\w-]*\w)?")


@dataclass
class Registry:
    """The article's entities: their types and every surface form they go by."""

    types: dict[str, EntityType] = field(default_factory=dict)
    aliases: dict[str, list[str]] = field(default_factory=dict)
    _forms: dict[str, str] = field(default_factory=dict)  # surface form -> canonical name
    _longest: int = 1  # the most words any form has, so lookups know how far to reach

    def add(self, name: str, kind: EntityType, *forms: str) -> str:
        canonical = self._forms.get(name, name)
        if canonical not in self.types or self.types[canonical] == EntityType.OTHER:
            self.types[canonical] = kind
        self.aliases.setdefault(canonical, [])
        for form in (canonical, *forms):
            if form and form not in self._forms:
                self._forms[form] = canonical
                if form != canonical:
                    self.aliases[canonical].append(form)
                self._longest = max(self._longest, len(_WORD.findall(form)))
        return canonical

    def retype(self, name: str, kind: EntityType) -> None:
        self.types[self._forms.get(name, name)] = kind

    def canonical(self, form: str) -> str | None:
        return self._forms.get(form)

    def type_of(self, name: str) -> EntityType:
        return self.types.get(self._forms.get(name, name), EntityType.OTHER)

    def find(self, sentence: str) -> Iterator[tuple[int, int, str]]:
        """Known forms in the sentence as (start, end, canonical), longest first, left to right.

        Each word start looks up the next few words' exact text in a dict, so the cost is
        linear in the sentence however many names the article has (one regex alternation of
        every name grows with both, and turned quadratic on long texts with many people).
        """
        words = [(m.start(), m.end()) for m in _WORD.finditer(sentence)]
        index = 0
        while index < len(words):
            start = words[index][0]
            for last in range(min(len(words), index + self._longest) - 1, index - 1, -1):
                canonical = self._forms.get(sentence[start : words[last][1]])
                if canonical is not None:
                    yield start, words[last][1], canonical
                    index = last
                    break
            index += 1


@dataclass
class Discourse:
    """What a reader remembers while reading: who spoke and acted last."""

    last_person: str | None = None
    last_org: str | None = None
    last_term: str | None = None
    last_law: str | None = None
    last_speaker: tuple[Mention, int] | None = None  # (who, sentence index)

    def remember_actor(self, name: str, kind: EntityType) -> None:
        if kind == EntityType.PERSON:
            self.last_person = name
        elif kind in _ORG_TYPES:
            self.last_org = name


_ORG_TYPES = frozenset({EntityType.ORGANISATION, EntityType.APP, EntityType.REGULATOR})
_ACTOR_TYPES = _ORG_TYPES | {EntityType.PERSON, EntityType.OTHER}

# --------------------------------------------------------------------------------------------
# Pass 1: the article's names and their types
# --------------------------------------------------------------------------------------------


def _name_candidates(sentence: str) -> Iterator[tuple[re.Match[str], str]]:
    """Capitalised runs, without a sentence-initial function word, split at possessives.

    "Apple's iMessage" yields "Apple" and "iMessage"; "Information Commissioner's Office"
    stays whole because it ends like a name. A lone capitalised word opening the sentence is
    a name only if a verb or an apposition follows ("Germany has", not "Despite").
    """
    for match in _NAME.finditer(sentence):
        words = match.group("name").split()
        at_start = not sentence[: match.start("name")].strip(' "\u201c\u2018(')
        while words and words[0].strip("'\u2019s") in _FUNCTION_WORDS:
            words = words[1:]
            at_start = False
        if not words:
            continue
        if words[-1] in _MONTHS or words[-1] in _DAYS:
            continue
        after = sentence[match.end("name") :]
        lone = at_start and len(words) == 1 and _type_by_form(words[0]) == EntityType.OTHER
        if lone and not _VERB_NEXT.match(after) and not _POSSESSIVE_END.search(words[0]):
            continue  # "Critics ...", "Despite ...": capitalised only by position
        text = _ROLE_OF_PREFIX.sub("", " ".join(words))
        # "Information Commissioner's Office" is one name; "Australia's Assistance Act" two.
        suffixed = words[-1] in ORG_SUFFIXES or words[-1] in LAW_SUFFIXES
        whole = suffixed and len(words) > 1 and bool(_POSSESSIVE_END.search(words[-2]))
        parts = [text] if whole else re.split(r"(?<=['\u2019]s)\s", text)
        for part in parts:
            for name in _split_joined(_POSSESSIVE_END.sub("", part)):
                yield match, name


def _split_joined(name: str) -> list[str]:
    """ "Signal and WhatsApp" is two names, "Assistance and Access Act" one; "Home Affairs
    Minister Peter Dutton" is a title and then a name."""
    words = name.split()
    if words[-1] not in ORG_SUFFIXES and words[-1] not in LAW_SUFFIXES and " and " in name:
        return [n for part in re.split(r"\s+and\s+(?:the\s+)?", name) for n in _split_joined(part)]
    title = [i for i, w in enumerate(words[:-1]) if _ROLE_WORD_RE.fullmatch(w)]
    return [" ".join(words[title[-1] + 1 :])] if title else [name]


def _type_by_form(name: str) -> EntityType:
    words = name.split()
    if name in KNOWN_APPS:
        return EntityType.APP
    if name in KNOWN_REGULATORS:
        return EntityType.REGULATOR
    if name in KNOWN_ORGANISATIONS:
        return EntityType.ORGANISATION
    if words[-1] in LAW_SUFFIXES and len(words) > 1:
        return EntityType.LAW
    if any(w in ORG_SUFFIXES for w in words):
        return EntityType.ORGANISATION
    return EntityType.OTHER


def _is_person_shaped(name: str) -> bool:
    words = name.split()
    return 2 <= len(words) <= 3 and all(
        re.fullmatch(r"[A-Z](?:[a-z]+|['\u2019][A-Z][a-z]+|[a-z]*[A-Z][a-z]+)(?:-[A-Z][a-z]+)?", w)
        for w in words
    )


def collect_names(sentences: Iterable[str]) -> Registry:
    """Pass 1: find and type the article's names before any of them is resolved."""
    registry = Registry()
    persons: set[str] = set()
    surnames_with_honorific: set[str] = set()
    candidates: list[tuple[str, str]] = []  # (name, its abbreviation if one follows)
    for sentence in sentences:
        for abbreviation in _ABBREVIATION.finditer(sentence):
            term = abbreviation.group("term")
            if term.split()[0] not in _FUNCTION_WORDS and not _NAME_BEFORE.search(
                sentence[: abbreviation.start()]
            ):
                name = f"{_capitalise(term)} ({abbreviation.group('abbr')})"
                registry.add(name, EntityType.TERM, term, term.lower(), abbreviation.group("abbr"))
        for match, name in _name_candidates(sentence):
            if match.group("honorific"):
                surnames_with_honorific.add(name.split()[-1])
                continue
            before = sentence[: match.start("name")][-_LOOKBEHIND:]
            after = sentence[match.end("name") :]
            abbreviation = _ABBREVIATION_AFTER.match(after)
            candidates.append((name, abbreviation.group(1) if abbreviation else ""))
            if (
                _is_person_shaped(name)
                and _type_by_form(name) == EntityType.OTHER
                and (_PERSON_BEFORE.search(before) or _PERSON_AFTER.match(after))
            ):
                persons.add(name)
    surnames = {p.split()[-1] for p in persons}
    for name, abbreviation in candidates:
        if registry.canonical(name):
            continue
        kind = _type_by_form(name)
        if kind == EntityType.OTHER and name in surnames:
            continue  # "Breyer" is Patrick Breyer, added with his full name below
        if name in persons or (
            _is_person_shaped(name) and name.split()[-1] in surnames_with_honorific
        ):
            kind = EntityType.PERSON
        registry.add(name, kind, abbreviation)
    _add_person_short_forms(registry)
    return registry


def _add_person_short_forms(registry: Registry) -> None:
    """Let "Mr. Martin" and "Whittaker" find the full name the article gave first."""
    for name, kind in list(registry.types.items()):
        if kind != EntityType.PERSON:
            continue
        surname = name.split()[-1]
        forms = [surname, *(f"{h} {surname}" for h in ("Mr.", "Mrs.", "Ms.", "Dr.", "Mr", "Ms"))]
        registry.add(name, kind, *forms)


# --------------------------------------------------------------------------------------------
# Pass 2 helpers: mentions, quotes, speakers, subjects
# --------------------------------------------------------------------------------------------


def quote_spans(sentence: str) -> list[tuple[int, int]]:
    """Inner spans of double-quoted text; a quote left open runs to the end of the sentence.

    News paragraphs often open a quote that closes sentences later, so an unclosed quote is
    still a quote.
    """
    spans: list[tuple[int, int]] = []
    opened: int | None = None
    for index, char in enumerate(sentence):
        if char == "\u201c" or (char == '"' and opened is None):
            opened = index + 1 if opened is None else opened
        elif (char == "\u201d" or char == '"') and opened is not None:
            spans.append((opened, index))
            opened = None
    if opened is not None:
        spans.append((opened, len(sentence)))
    return [(s, e) for s, e in spans if sentence[s:e].strip()]


def find_mentions(
    sentence: str, registry: Registry, discourse: Discourse, quotes: list[tuple[int, int]]
) -> list[Mention]:
    """Every actor mention in the sentence, left to right, resolved through the discourse."""
    found: list[Mention] = []
    taken = bytearray(len(sentence))  # 1 where a mention already covers the character
    quoted = bytearray(len(sentence))
    for start, end in quotes:
        quoted[start:end] = b"\x01" * (end - start)

    def inside(start: int) -> bool:
        return bool(quoted[start])

    def add(start: int, end: int, name: str | None, kind: EntityType) -> None:
        if name is None or any(taken[start:end]):
            return
        possessive = bool(re.match(r"['\u2019]s\b", sentence[end : end + 2]))
        found.append(Mention(start, end, name, kind, possessive, inside(start)))
        taken[start:end] = b"\x01" * (end - start)

    # Names and collectives compete for the same words: the earliest, then longest, wins
    # ("many IT experts" over "IT", "Police Scotland" over "police").
    named = [
        (start, end, name, registry.type_of(name)) for start, end, name in registry.find(sentence)
    ]
    named += [
        (m.start(), m.end(), _collective_name(m.group()), EntityType.OTHER)
        for m in _COLLECTIVE_MENTION.finditer(sentence)
    ]
    for start, end, name, kind in sorted(named, key=lambda c: (c[0], -c[1])):
        add(start, end, name, kind)
    pending = sorted(
        [(m, "person") for m in _PRONOUN.finditer(sentence)]
        + [(m, "org") for m in _ORG_ANAPHOR.finditer(sentence)]
        + [(m, "law") for m in _LAW_ANAPHOR.finditer(sentence)],
        key=lambda item: item[0].start(),
    )
    for match, kind in pending:
        if inside(match.start()):
            continue
        earlier = [m for m in found if m.end <= match.start() and not m.quoted]
        if kind == "person":
            people = [m for m in earlier if m.type == EntityType.PERSON and not m.possessive]
            name = people[-1].name if people else discourse.last_person
            add(match.start(), match.end(), name, EntityType.PERSON)
        elif kind == "law":
            laws = [m for m in earlier if m.type == EntityType.LAW]
            add(match.start(), match.end(), laws[-1].name if laws else discourse.last_law,
                EntityType.LAW)  # fmt: skip
        else:
            orgs = [m for m in earlier if m.type in _ORG_TYPES]
            name = orgs[-1].name if orgs else discourse.last_org
            add(match.start(), match.end(), name, registry.type_of(name or ""))
    return sorted(found, key=lambda m: m.start)


def _collective_name(text: str) -> str:
    text = re.sub(r"^[Mm]any\s", "", text)
    return text if text.lower().startswith("the ") else _capitalise(text)


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


# A leading adverbial ("In February, ", "Despite using X, ", "According to Y, ") before the
# clause's subject. [^,] keeps it to one comma-free stretch.
_LEADING_ADVERBIAL = re.compile(
    r"^(?:(?:In|On|Since|Despite|While|When|After|Before|During|Although|Though|Each|Every|Last"
    r"|This|Earlier|Later|By|For|Under|According\sto|Meanwhile|However)\b[^,]{0,160},\s)"
)
# What may sit between a subject and its verb: an appositive, auxiliaries, adverbs.
_SUBJECT_GAP = re.compile(
    r",?(?:\s[^,\"\u201c\u201d]{1,120},)?\s*"
    r"(?:(?:also|later|then|has|have|had|will|would|is|was|now|all|both"
    r"|already|long|[a-z]+ly)\s+)*"
)
_REPORTING = re.compile(rf"\b{REPORTING_VERBS}\b")
_ACCORDING_TO = re.compile(r"\b[Aa]ccording to\s")
# "according to security minister Tom Tugendhat": a role may stand before the name, but not
# any words ("according to information obtained through Freedom of Information requests").
_ROLE_WORDS_ONLY = re.compile(
    rf"(?:the\s|a\s|an\s)?(?:(?:[A-Za-z][a-z-]*\s){{0,2}}(?i:{_ROLE_WORD})\s)?"
)


@dataclass(frozen=True)
class Speech:
    """Who speaks in a sentence and the words reported, as spans of the sentence."""

    speaker: Mention
    words: tuple[str, ...]


def main_subject(sentence: str, mentions: list[Mention]) -> tuple[str, Mention, int] | None:
    """The clause's grammatical subject, as (text, head mention, end offset).

    The subject may join two actors ("Apple and the Ofcom team"), kept whole because the fact
    is about both together.
    """
    lead = _LEADING_ADVERBIAL.match(sentence)
    start = lead.end() if lead else 0
    starts = {start, start + 4} if sentence[start : start + 4] in ("The ", "the ") else {start}
    head = next((m for m in mentions if m.start in starts and not m.quoted), None)
    if head is None:
        return None
    end = head.end
    second = re.match(r"\s+and\s+(?:the\s+)?", sentence[end:])
    if second:
        partner = next((m for m in mentions if m.start == end + second.end()), None)
        if partner is not None:
            end = partner.end
            group = re.match(rf"\s{_GROUP_NOUNS}\b", sentence[end:])
            end += group.end() if group else 0
    text = sentence[start:end] if end != head.end else head.name
    return text, head, end


def _mention_before(sentence: str, mentions: list[Mention], position: int) -> Mention | None:
    """The actor whose mention ends right before `position`, across an appositive or adverbs.

    The leftmost candidate wins, because a name inside the appositive ("Matthew Green, a
    cryptographer at Johns Hopkins University, said") is not the one speaking.
    """
    for mention in mentions:
        if (
            position - _LOOKBEHIND <= mention.end <= position
            and not mention.quoted
            and not mention.possessive
            and _SUBJECT_GAP.fullmatch(sentence[mention.end : position])
        ):
            return mention
    return None


def _quoted_words(sentence: str, quotes: list[tuple[int, int]]) -> tuple[str, ...]:
    return tuple(text for s, e in quotes if (text := sentence[s:e].strip().rstrip(",").strip()))


def find_speech(
    sentence: str, mentions: list[Mention], quotes: list[tuple[int, int]]
) -> Speech | None:
    """The sentence's speaker and words, from the reporting forms news writing uses."""
    quoted = _quoted_words(sentence, quotes)
    according = _ACCORDING_TO.search(sentence)
    if according:
        speaker = next(
            (
                m
                for m in mentions
                if according.end() <= m.start <= according.end() + _LOOKBEHIND
                and _ROLE_WORDS_ONLY.fullmatch(sentence[according.end() : m.start])
            ),
            None,
        )
        if speaker is not None:
            if quoted:
                return Speech(speaker, quoted)
            clause = re.match(r"[^,]*,\s(.+?)\.?$", sentence[according.start() :])
            if according.start() == 0 and clause:
                return Speech(speaker, (clause.group(1),))
            closing = re.fullmatch(r"(.+),\s[^,]*", sentence[: according.start()])
            if closing and re.fullmatch(r"[^,]*", sentence[according.end() :]):
                return Speech(speaker, (closing.group(1),))  # "..., according to X."

    for verb in _REPORTING.finditer(sentence):
        if any(s <= verb.start() < e for s, e in quotes):
            continue
        speaker = _mention_before(sentence, mentions, verb.start())
        inverted = False
        if speaker is None:
            speaker = next(
                (m for m in mentions if m.start == verb.end() + 1 and not m.quoted), None
            )
            inverted = True
        if speaker is None:
            continue
        if quoted:
            return Speech(speaker, quoted)
        if not inverted:
            words = _reported_words(sentence, verb)
            if words:
                return Speech(speaker, (words,))
    return None


# "said the tool could be repurposed ...": speech straight after the verb, not a preposition.
_DIRECT_SPEECH = re.compile(
    r"\s(?!(?:to|on|in|at|for|by|with|from|of|about|into|over|the\s[A-Z])\b)((?:\S+\s){2}.+?)\.?$"
)


def _reported_words(sentence: str, verb: re.Match[str]) -> str | None:
    """Unquoted reported speech: after "that" or a colon, or before a closing ", X added"."""
    rest = sentence[verb.end() :]
    after_that = re.match(r"(?:\s[^,.\"\u201c\u201d]{0,60}?)?\s(?:that\s|:\s)(.+?)\.?$", rest)
    if after_that:
        return after_that.group(1)
    if re.fullmatch(r"\s*\.", rest):  # "..., the statement added."
        head = re.match(r"(.+),\s[^,]+$", sentence[: verb.start()])
        return head.group(1) if head else None
    direct = _DIRECT_SPEECH.match(rest)
    return direct.group(1) if direct else None


# --------------------------------------------------------------------------------------------
# Pattern readers. Each takes one sentence in context and yields facts.
# --------------------------------------------------------------------------------------------


@dataclass
class Sentence:
    """One sentence with what the readers need to know about it."""

    index: int
    text: str
    quotes: list[tuple[int, int]]
    mentions: list[Mention]
    _by_start: dict[int, Mention] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._by_start = {m.start: m for m in self.mentions}

    def mention_at(self, position: int) -> Mention | None:
        return self._by_start.get(position)

    def around(self, mention: Mention) -> tuple[str, str]:
        """The text just before and just after a mention, as far as any reader looks."""
        return (
            self.text[max(0, mention.start - _LOOKBEHIND) : mention.start],
            self.text[mention.end : mention.end + _LOOKAHEAD],
        )

    def last_mention_in(self, start: int, end: int) -> Mention | None:
        inside = [m for m in self.mentions if start <= m.start and m.end <= end]
        return inside[-1] if inside else None


def quotes_of(s: Sentence, speech: Speech | None) -> Iterator[Fact]:
    """Quotes and reported speech, one fact per quoted stretch."""
    if speech is None:
        return
    for words in speech.words:
        yield Fact(FactKind.QUOTE, speech.speaker.name, words, s.text)


# "security minister Tom Tugendhat", "the communication regulator Ofcom": a lower-case role of
# at most three words right before a name. The modifiers exclude function words so the role
# never swallows "according to".
_ROLE_BEFORE_NAME = re.compile(
    rf"(?<![\w'\u2019])(?P<role>(?:(?!(?i:the|a|an|to|of|by|for|and|with|from|in|on|at|as|that"
    rf"|its|his|her|their|our)\b)[A-Za-z][a-z-]*\s){{0,2}}(?i:{_ROLE_WORD}))\s$"
)
# "The CEO of Meta, Mark Zuckerberg": role of an organisation, then the holder's name.
_ROLE_OF_ORG_FIRST = re.compile(
    rf"\b[Tt]he\s(?P<role>(?:[a-z-]+\s){{0,2}}{_ROLE_WORD})\sof\s(?P<org>[^,]{{1,80}}),\s$"
)
# ", the former director of the National Cyber Security Centre," after a name.
_ROLE_APPOSITIVE = re.compile(
    rf"^,\s(?:the|a|an)\s(?P<role>(?:[A-Za-z-]+\s){{0,3}}{_ROLE_WORD}"
    rf"(?:\s(?:of|at|for)\s(?:the\s)?(?P<org>[^,.]{{1,80}}?))?)(?=,|\.|$|\s(?:in|on|who|said)\b)"
)
# "has served as minister of security", "was appointed head of ..."
_ROLE_SERVED = re.compile(
    rf"^\s(?:has\s|had\s|have\s)?(?:served|serves|worked|works|acted|was\sappointed|became"
    rf"|has\sbeen\sappointed)\sas\s(?:the\s)?(?P<role>(?:[a-z-]+\s){{0,2}}{_ROLE_WORD}"
    rf"(?:\sof\s(?:the\s)?[\w'\u2019 -]{{1,60}}?)?)(?=[,.;]|\ssince\b|\suntil\b|\sfrom\b|$)"
)
# "Facebook's parent company Meta" / "The organization's president, Meredith Whittaker".
_ROLE_OF_OWNER = re.compile(rf"^['\u2019]s\s(?P<role>(?:[a-z-]+\s){{0,2}}{_ROLE_WORD}),?\s")
_ORG_OWNER_ANAPHOR = re.compile(
    rf"\b[Tt]he\s(?:organi[sz]ation|company|firm|group|charity|foundation)['\u2019]s\s"
    rf"(?P<role>(?:[a-z-]+\s){{0,2}}{_ROLE_WORD}),?\s$"
)
# "WhatsApp, which Meta owns" / "WhatsApp, owned by Meta".
_WHICH_OWNS = re.compile(r"^,\swhich\s")
_OWNED_BY = re.compile(r"^,?\s(?:which\sis\s)?owned\sby\s")


def roles_of(s: Sentence, registry: Registry, discourse: Discourse) -> Iterator[Fact]:
    """Who holds which role, in the five shapes news uses to introduce someone."""
    text = s.text
    for mention in s.mentions:
        if mention.quoted or not _may_hold_role(mention):
            continue
        before, after = s.around(mention)
        prefix = _ROLE_BEFORE_NAME.search(before)
        if prefix and not re.search(r"['\u2019]s\s$", before[: prefix.start()]):
            role = prefix.group("role")
            opens_sentence = prefix.group() == text[: mention.start]
            if opens_sentence and role[1:] == role[1:].lower():  # "Security minister X"
                role = role[:1].lower() + role[1:]
            yield _role(registry, mention, role, "", text)
        owner_anaphor = _ORG_OWNER_ANAPHOR.search(before)
        if owner_anaphor and discourse.last_org:
            org = discourse.last_org
            yield _role(registry, mention, owner_anaphor.group("role"), org, text)
        appositive = _ROLE_APPOSITIVE.match(after)
        if appositive and mention.type != EntityType.APP:
            org = (appositive.group("org") or "").strip()
            yield _role(registry, mention, appositive.group("role"), org, text, of_included=True)
        served = _ROLE_SERVED.match(after)
        if served:
            yield _role(registry, mention, served.group("role"), "", text, of_included=True)
        yield from _roles_around(s, mention, registry, before, after)


def _roles_around(
    s: Sentence, mention: Mention, registry: Registry, before: str, after: str
) -> Iterator[Fact]:
    """Roles stated relative to a second name: "The CEO of Meta, X", "X's parent company Y"."""
    text = s.text
    org_first = _ROLE_OF_ORG_FIRST.search(before)
    if org_first:
        org = s.mention_at(mention.start - len(before) + org_first.start("org"))
        if org is not None:
            yield _role(registry, mention, org_first.group("role"), org.name, text)
    owner = _ROLE_OF_OWNER.match(after)
    if owner and mention.possessive:
        holder = s.mention_at(mention.end + owner.end())
        if holder is not None:
            yield _role(registry, holder, owner.group("role"), mention.name, text)
    which = _WHICH_OWNS.match(after)
    if which:
        owner_mention = s.mention_at(mention.end + which.end())
        if owner_mention and re.match(r"\sowns\b", text[owner_mention.end :]):
            yield _role(registry, owner_mention, "owner", mention.name, text)
    owned_by = _OWNED_BY.match(after)
    if owned_by:
        owner_mention = s.mention_at(mention.end + owned_by.end())
        if owner_mention:
            yield _role(registry, owner_mention, "owner", mention.name, text)


# Where a role names whom it serves: "director of the ...", "cryptographer at ...".
_ROLE_OF_WHOM = re.compile(r"\s(?:of|at|for)\s(?:the\s)?")


def _may_hold_role(mention: Mention) -> bool:
    """People and organisations hold roles; so does an untyped name shaped like a person's."""
    if mention.type == EntityType.OTHER:
        return _is_person_shaped(mention.name)
    return mention.type in _ORG_TYPES | {EntityType.PERSON}


def _split_role(role: str) -> tuple[str, str]:
    """ "cryptographer at Johns Hopkins University" -> ("cryptographer", "Johns Hopkins ...")."""
    match = _ROLE_OF_WHOM.search(role)
    return (role[: match.start()], role[match.end() :]) if match else (role, "")


def _role(
    registry: Registry,
    holder: Mention,
    role: str,
    organisation: str,
    evidence: str,
    *,
    of_included: bool = False,
) -> Fact:
    """A ROLE fact; teaches the registry "the <role>" so later sentences can say it."""
    role = role.strip()
    core_role, of_whom = _split_role(role) if of_included else (role, "")
    head = core_role.split()[-1].lower()
    if head in REGULATOR_ROLES and holder.type != EntityType.PERSON:
        registry.retype(holder.name, EntityType.REGULATOR)
    elif registry.type_of(holder.name) == EntityType.OTHER:
        registry.retype(holder.name, EntityType.PERSON)
    if of_whom[:1].isupper():
        organisation = organisation or of_whom
    elif of_included:
        organisation = ""
    full = role if of_included or not organisation else f"{role} of {organisation}"
    registry.add(holder.name, registry.type_of(holder.name), f"the {core_role}", f"The {core_role}")
    return Fact(FactKind.ROLE, holder.name, full, evidence, relation=organisation)


# "applications like Signal, WhatsApp, and Apple's iMessage": a set named by its members.
_LIST_INTRO = re.compile(
    r"\b(?P<head>(?:[A-Za-z-]+\s){0,2}(?i:applications|apps|services|platforms|companies|firms"
    r"|messengers|providers|tools|products)),?\s(?:like|such\sas|including)\s"
)
_DETERMINER = re.compile(r"^(?:(?:many|some|most|other|several|the|these|all|popular)\s)+")
_LIST_SEPARATOR = re.compile(r"(?:,\s(?:and\s|or\s)?|\s(?:and|or)\s)")
_USAGE = re.compile(
    r"\b(?:use[sd]?|using|utili[sz](?:e|es|ed|ing)|rel(?:y|ies|ied)\son|offer(?:s|ed)?"
    r"|support(?:s|ed)?|adopt(?:s|ed)?|deploy(?:s|ed)?|roll(?:s|ed)?\sout)\b"
)
# What sits between an app and the term it uses: "WhatsApp already uses E2EE".
_USES_TERM = re.compile(rf"\s(?:also\s|already\s)?{_USAGE.pattern}\s")
_THE_TECHNOLOGY = re.compile(r"\b[Tt](?:he|his)\stechnology\b")
# Words the list intro's head may have swept up from the clause around the set's name ("use
# messaging apps", "apply to providers", "utilized by applications"): the name starts after.
_NOT_A_MODIFIER = re.compile(rf"(?:to|by|for|with|of|on|in|from|at|as|via|{_USAGE.pattern})")
# The verb of a clause whose subject is the list ("Apps such as TikTok and Snapchat are ...").
# Only forms that show they are plural: "Banning apps such as TikTok would help" says
# nothing about the apps, and a modal or past tense could not tell the two apart.
_PLURAL_VERB = re.compile(
    r",?\s(?P<predicate>(?:(?:already|also|all|both|now|still|often)\s)?(?:are|were|have|do"
    r"|use|offer|support|rely\son|adopt|deploy)\s[^;]+)"
)


def members_of(s: Sentence, registry: Registry, discourse: Discourse) -> Iterator[Fact]:
    """Members of a named set, and apps that use the article's technology.

    The relation is what a question states after a member's name, so it is a predicate
    ("uses end-to-end encryption", "is one of the apps that are the most used by pupils")
    whenever the sentence says what the members do; otherwise it is only the set's name.
    """
    term = _term_in_use(s, discourse)
    for intro in _LIST_INTRO.finditer(s.text):
        items = _list_items(s, intro.end())
        if len(items) < 2:
            continue
        head = _set_head(intro.group("head"))
        if term:
            relation = f"uses {_term_base(term)}"
        else:
            relation = _what_the_members_do(s, intro, items, head) or head
        for item in items:
            yield Fact(FactKind.MEMBER, _set_name(registry, items, head), item.name, s.text,
                       relation=relation)  # fmt: skip
    if term:
        for user in _term_users(s, term):
            yield Fact(FactKind.MEMBER, _set_name(registry, [user], "apps"), user.name, s.text,
                       relation=f"uses {_term_base(term)}")  # fmt: skip


def _set_head(head: str) -> str:
    """The set's own name: the intro's head without clause words or determiners before it."""
    words = head.lower().split()
    start = max((i + 1 for i, w in enumerate(words) if _NOT_A_MODIFIER.fullmatch(w)), default=0)
    return _DETERMINER.sub("", " ".join(words[start:]))


def _what_the_members_do(
    s: Sentence, intro: re.Match[str], items: list[Mention], head: str
) -> str | None:
    """ "is one of the apps that are the most used by pupils", when the list is the subject.

    The list must open the article's own sentence, named by its noun and at most one
    modifier: in "Teachers say apps such as ..." or "Pupils using apps such as ..." the
    clause's subject is someone else, and what follows is not said of the apps.
    """
    lead = _DETERMINER.sub("", s.text[: intro.start()].lower())
    named = _DETERMINER.sub("", intro.group("head").lower())
    if lead or named != head or len(head.split()) > 2 or items[0].quoted:
        return None
    verb = _PLURAL_VERB.match(s.text, items[-1].end)
    if verb is None:
        return None
    predicate = _unquote(_CLAUSE_CUT.split(verb.group("predicate"), maxsplit=1)[0])
    return f"is one of the {head} that " + predicate.rstrip(".!?\u2026 ")


def _list_items(s: Sentence, position: int) -> list[Mention]:
    """Mentions joined by commas and a final and/or; an owner's possessive leads to its item."""
    items: list[Mention] = []
    while True:
        item = s.mention_at(position)
        while item is not None and item.possessive:
            item = s.mention_at(item.end + 3)  # past "'s "
        if item is None:
            return items
        items.append(item)
        separator = _LIST_SEPARATOR.match(s.text, item.end)
        if separator is None:
            return items
        position = separator.end()
        if re.search(r"\b(?:and|or)\s$", separator.group()):
            last = s.mention_at(position)
            while last is not None and last.possessive:
                last = s.mention_at(last.end + 3)
            return [*items, last] if last is not None else items


def _set_name(registry: Registry, items: list[Mention], head: str) -> str:
    if all(registry.type_of(i.name) == EntityType.APP for i in items):
        return "apps"
    return head.split()[-1]


def _term_in_use(s: Sentence, discourse: Discourse) -> str | None:
    """The term the sentence says something uses, named or as "the technology"."""
    if not _USAGE.search(s.text):
        return None
    named = next((m.name for m in s.mentions if m.type == EntityType.TERM), None)
    if named:
        return named
    return discourse.last_term if _THE_TECHNOLOGY.search(s.text) else None


def _term_users(s: Sentence, term: str) -> Iterator[Mention]:
    """Apps right after "using <term>, " or right before "uses <term>"."""
    term_mention = next((m for m in s.mentions if m.name == term), None)
    if term_mention is None:
        return
    led_by_using = s.text[max(0, term_mention.start - 6) : term_mention.start] == "using "
    for mention in s.mentions:
        if mention.type != EntityType.APP or mention.quoted:
            continue
        led = led_by_using and mention.start == term_mention.end + 2
        says = _USES_TERM.fullmatch(s.text, mention.end, term_mention.start)
        if (led and s.text[term_mention.end] == ",") or says:
            yield mention


def _term_base(term: str) -> str:
    """ "End-to-end encryption (E2EE)" -> "end-to-end encryption"."""
    base = re.sub(r"\s\([^)]*\)$", "", term)
    return base[:1].lower() + base[1:] if not base[:2].isupper() else base


# "give the regulator Ofcom the authority to order platforms to scan ...": a power granted.
_POWER_GRANT = re.compile(
    r"\b(?:give|gives|given|giving|grant|grants|granted|granting|hand|hands)\s"
    r"(?P<holder>[^.;]{1,80}?)\s(?:the\s)?(?:new\s)?(?:authority|power|powers|right|ability)\s"
    r"to\s(?P<power>[^.;]+)"
)
# "Ofcom would gain the power to ...": the holder as subject.
_POWER_GAIN = re.compile(
    r"\s(?:would\s|could\s|will\s|may\s|might\s)?(?:gain|get|receive|have|be\sgiven)\s"
    r"(?:the\s)?(?:new\s)?(?:authority|power|powers|right)\sto\s(?P<power>[^.;]+)"
)


def powers_of(s: Sentence) -> Iterator[Fact]:
    """Powers a law would hand to a regulator or authority (relation: the law, if named)."""
    law = next((m.name for m in s.mentions if m.type == EntityType.LAW), "")
    for grant in _POWER_GRANT.finditer(s.text):
        holder = s.last_mention_in(grant.start("holder"), grant.end("holder"))
        if holder is not None and holder.type in _ACTOR_TYPES:
            yield Fact(FactKind.POWER, holder.name, _clean_end(grant.group("power")), s.text,
                       relation=law)  # fmt: skip
    for mention in s.mentions:
        gain = _POWER_GAIN.match(s.text, mention.end)
        if gain and mention.type in _ORG_TYPES:
            yield Fact(FactKind.POWER, mention.name, _clean_end(gain.group("power")), s.text,
                       relation=law)  # fmt: skip


def _clean_end(text: str) -> str:
    return text.strip().rstrip('.,;:"\u201d').strip()


# Dates: "September 2022", "4 May 2023", "February", "2021", optionally after a preposition.
# "May" stands alone too often as a verb to count without a day or year.
_MONTH = r"(?:January|February|March|April|June|July|August|September|October|November|December)"
_DATE = re.compile(
    rf"(?:\b(?P<prep>(?i:since|in|on|from|until|by|before|after|during))\s)?"
    rf"(?P<date>(?:\d{{1,2}}\s)?(?:{_MONTH}|May(?=\s\d))(?:\s\d{{1,2}}(?!\d))?"
    rf"(?:,?\s(?:19|20)\d{{2}})?"
    rf"|\b(?:19|20)\d{{2}}\b)"
)
_NUMBER_WORD = (
    r"(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty"
    r"|forty|fifty|sixty|seventy|eighty|ninety|hundred|a\sdozen|dozens|a\shundred|hundreds"
    r"|a\sthousand|thousands|a\smillion|millions|a\sbillion|billions)"
)
# A quantity with its qualifier and the noun it counts: "more than a million reports",
# "four times", "18 months", "40%", "millions of pictures".
_QUANTITY = re.compile(
    rf"(?<![\w£$€-])(?P<qty>(?:(?:more|fewer|less)\sthan\s|over\s|nearly\s|almost\s|about\s"
    rf"|around\s|roughly\s|at\sleast\s|up\sto\s)?"
    rf"(?:[£$€]?\d[\d,]*(?:\.\d+)?(?:\s?(?:%|per\s?cent))?(?:\s(?:million|billion|thousand|m|bn)\b)?"
    rf"|(?i:{_NUMBER_WORD})(?:\s(?:million|billion|thousand)\b)?))"
    rf"(?:\s(?P<of>of\s)?(?P<noun>[a-z][a-z-]+))?"
)
_NOT_COUNTED = frozenset(
    {"of", "to", "the", "a", "an", "and", "or", "in", "on", "at", "for", "by", "with", "from",
     "that", "which", "who", "is", "are", "was", "were", "have", "has", "had", "will", "would"}
)  # fmt: skip
_CLAUSE_CUT = re.compile(r",|;|\s(?:if|because|although|while|when|but)\s")
# A subject's own trailing modifier ("responsible for ...") up to the clause's verb.
_SUBJECT_MODIFIER = re.compile(
    r"^(?:responsible|which|who|that|based|known)\b.*?(?=\b(?:have|has|had|is|are|was|were)\b)"
)


def numbers_of(s: Sentence) -> Iterator[Fact]:
    """Dates and counted quantities, each tied to the clause's subject."""
    subject = main_subject(s.text, s.mentions)
    if subject is None:
        return
    name, _head, subject_end = subject
    lead = _LEADING_ADVERBIAL.match(s.text)
    dates = [d for d in _DATE.finditer(s.text) if not _inside_name(s, d)]
    relative = _RELATIVE_CLAUSE.match(s.text, subject_end)
    for date in dates:
        prep = (date.group("prep") or "in").lower()
        span = (date.start(), date.end())
        if relative and relative.start("clause") <= date.start() < relative.end("clause"):
            # "The law, which was passed in December 2018, ...": the date belongs to the clause.
            clause = s.text[relative.start("clause") : date.start()]
            relation = f"{clause.strip()} {s.text[date.end() : relative.end('clause')].strip()}"
            relation = relation.strip()
        else:
            relation = _predicate(s.text, subject_end, span)
        relation = re.sub(rf"\s{prep}$", "", relation, flags=re.I)
        relation = f"{relation} {prep}".strip()
        yield Fact(FactKind.NUMBER, name, date.group("date"), s.text, relation=relation,
                   unit=_date_unit(date.group("date")))  # fmt: skip
    # A year is not a count, and a number inside a quote ("100% walk") is a figure of speech.
    masked = [(d.start(), d.end()) for d in dates] + s.quotes
    for quantity in _QUANTITY.finditer(s.text):
        if any(a <= quantity.start() < b for a, b in masked) or _after_name(s.text, quantity):
            continue
        fact = _count_fact(s, name, subject_end, quantity, lead)
        if fact is not None:
            yield fact


# ", which was passed in December 2018," right after the subject.
_RELATIVE_CLAUSE = re.compile(r",\swhich\s(?:was\s|is\s|were\s|has\sbeen\s)?(?P<clause>[^,]+),")


def _inside_name(s: Sentence, match: re.Match[str]) -> bool:
    return any(m.start <= match.start("date") < m.end for m in s.mentions)


def _after_name(text: str, match: re.Match[str]) -> bool:
    """ "Radio 4", "PIER23": a digit glued to a name is part of the name, not a count."""
    before = text[max(0, match.start() - _LOOKBEHIND) : match.start()]
    return match.group("qty")[0].isdigit() and bool(re.search(r"[A-Z][\w]*\s$", before))


def _date_unit(date: str) -> str:
    if re.fullmatch(r"(?:19|20)\d{2}", date):
        return "year"
    if re.fullmatch(r"[A-Z][a-z]+", date):
        return "month"
    return "date"


def _count_fact(
    s: Sentence, subject: str, subject_end: int, quantity: re.Match[str], lead: re.Match[str] | None
) -> Fact | None:
    noun = quantity.group("noun") or ""
    qty = quantity.group("qty")
    if noun in _NOT_COUNTED:
        noun = ""
    if "%" in qty or "cent" in qty:
        unit = "percent"
    elif re.match(r"[£$€]", qty):
        unit = "money"
    else:
        unit = noun
    if not unit or quantity.start() < subject_end:
        return None
    vague = re.fullmatch(r"(?i:millions|billions|thousands|hundreds|dozens)", qty)
    obj = f"{qty} of {noun}" if vague and quantity.group("of") and noun else qty
    verbs = _strip_aux(s.text[max(subject_end, quantity.start() - _LOOKBEHIND) : quantity.start()])
    verbs = re.sub(r"^,?\s(?:which|who)\s[^,]*,", "", verbs).strip(" ,")
    tail = _CLAUSE_CUT.split(s.text[quantity.end() : quantity.end() + _LOOKAHEAD], maxsplit=1)
    tail = tail[0].strip(" .")
    when = (
        lead.group().strip(" ,").lower()
        if lead and not lead.group().startswith("According")
        else ""
    )
    relation = " ".join(p for p in (noun if unit == noun else "", verbs, tail, when) if p)
    return Fact(FactKind.NUMBER, subject, obj, s.text, relation=_unquote(relation), unit=unit)


def _predicate(text: str, subject_end: int, remove: tuple[int, int]) -> str:
    """The clause after its subject, without the given span, cut at the first subordinate."""
    rest = text[subject_end : subject_end + _LOOKAHEAD]
    start, end = remove[0] - subject_end, remove[1] - subject_end
    if start >= 0 and end <= len(rest):
        rest = rest[:start] + rest[end:]
    rest = re.sub(r"^,?\s(?:which|who)\s[^,]*,", "", rest)
    rest = _SUBJECT_MODIFIER.sub("", rest.strip())
    rest = _CLAUSE_CUT.split(rest.strip(), maxsplit=1)[0]
    rest = re.sub(r"^(\w+)\sthat\s", r"\1 ", _strip_aux(rest))
    rest = re.sub(r"^(\w+\s(?:the\s)?[A-Z]\w*)\sthat\s", r"\1 ", rest)
    return _unquote(rest).strip(" .")


def _strip_aux(text: str) -> str:
    return re.sub(r"^\s*(?:has|have|had)\s", "", text.strip())


def _unquote(text: str) -> str:
    return re.sub(r"\s+", " ", _QUOTE_CHARS.sub("", text)).strip()


# "End-to-end encryption (E2EE) prevents anyone ...": a term introduced with its abbreviation
# at the start of a sentence, then what it does or is.
_DEFINED_AT_START = re.compile(
    r"^(?P<term>[^()]{3,60}?)\s\([A-Z][A-Za-z0-9]{1,9}\)\s(?P<rest>.+?)\.?$"
)
# "client-side scanning software, which would examine ...": a hyphenated technical compound,
# an optional generic head noun, then a non-restrictive relative clause.
_TERM_WHICH = re.compile(
    r"\b(?!\w+-(?:owned|based|known|run|backed|led|funded|made)\b)"
    r"(?P<term>[A-Za-z][a-z]*(?:-[a-z]+)+(?:\s[a-z]+)?)(?:\s(?P<head>software|technology|tools?"
    r"|systems?|features?|techniques?|methods?|mechanisms?|apps?|programs?))?,\swhich\s"
    r"(?P<clause>[^,]+?)(?=[,.;]|$)"
)
# "Client-side scanning is a technique that ...", "Chat control means ...".
_TERM_IS = re.compile(
    r"^(?P<term>[A-Z][a-z]+(?:-[a-z]+)+(?:\s[a-z]+)?|[A-Z][a-z]+\s[a-z]+)\s(?:is|are|means"
    r"|refers\sto)\s(?P<rest>(?:a|an|the|any)\s.+?)\.?$"
)
# "The Online Safety Bill, which is now being debated in Parliament, ..."
_LAW_WHICH = re.compile(r",\swhich\s(?:is|was)\s(?P<clause>[^,]+),")


def definitions_of(s: Sentence, registry: Registry, discourse: Discourse) -> Iterator[Fact]:
    """What a term (or a law) is, in the three shapes articles explain things."""
    at_start = _DEFINED_AT_START.match(s.text)
    if at_start:
        term = next(
            (m.name for m in s.mentions if m.start == 0 and m.type == EntityType.TERM), None
        )
        if term:
            yield Fact(FactKind.DEFINITION, term, at_start.group("rest"), s.text)
    for which in _TERM_WHICH.finditer(s.text):
        term = _register_term(registry, which.group("term"))
        head = which.group("head")
        meaning = f"{head} which {which.group('clause')}" if head else which.group("clause")
        discourse.last_term = term
        yield Fact(FactKind.DEFINITION, term, meaning.strip(), s.text)
    is_definition = _TERM_IS.match(s.text)
    if is_definition and (
        "-" in is_definition.group("term")
        or registry.type_of(is_definition.group("term")) == EntityType.TERM
    ):
        term = _register_term(registry, is_definition.group("term"))
        yield Fact(FactKind.DEFINITION, term, is_definition.group("rest"), s.text)
    for mention in s.mentions:
        law = _LAW_WHICH.match(s.text, mention.end)
        if law and mention.type == EntityType.LAW:
            kind = mention.name.split()[-1].lower()
            article = "an" if kind[0] in "aeiou" else "a"
            meaning = f"{article} {kind} {law.group('clause')}"
            yield Fact(FactKind.DEFINITION, mention.name, meaning, s.text)


def _register_term(registry: Registry, phrase: str) -> str:
    known = registry.canonical(phrase) or registry.canonical(phrase.lower())
    if known:
        return known
    return registry.add(_capitalise(phrase), EntityType.TERM, phrase.lower())


# --------------------------------------------------------------------------------------------
# Stances: which side of the debate each actor is on
# --------------------------------------------------------------------------------------------

# A seed lexicon for debates about encryption and message scanning, the app's subject. Cues
# that an actor defends encryption and privacy (the "for" side) ...
_FOR_CUES = re.compile(
    r"\b(?:privacy|surveillance|protect(?:s|ed|ing)?\s(?:them|users|people|kids|children|us"
    r"|everyone)|refus\w*\sto\scompromise|compromise\sthe\s(?:security|privacy|confidentiality)"
    r"|jeopardi[sz]\w*|undermin\w*|back\s?doors?|a\sdoor\sthat|misused|nefarious|walk(?:s|ed)?"
    r"\saway|leave\sthe\s(?:UK|country|market|EU)|pull\sout\sof|mandated\sscanning"
    r"|(?:weaken|break)\w*\s(?:its\s|their\s|the\s)?encryption)\b"
)
# ... and that it puts child safety and policing first (the "against" side).
_AGAINST_CUES = re.compile(
    r"\b(?:impunity|scourge|enabl\w+\spredators|predators\s(?:to|might|could|will)"
    r"|inhibits?\slaw\senforcement|(?:possible|able|need|needs|must|should)\sto\sscan"
    r"|moral\s(?:choice|decision)|child\ssexual\s(?:abuse|exploitation)|safe\shaven"
    r"|blind\w*\s(?:police|law\senforcement)|hid(?:e|ing)\sbehind)\b"
)
# Threatening to leave a market rather than give in is a stand for encryption.
_THREAT_TO_LEAVE = re.compile(
    r"\bthreaten(?:s|ed)?\sto\s(?:leave|quit|withdraw|remove|pull)\b[^.]{0,60}?\b(?:from|out\sof"
    r"|the)\s(?:the\s)?(?:UK|EU|country|market|[A-Z]\w+)"
)
# Criticism says which side its holder is on by what it criticises.
_CRITICISM = re.compile(
    r"\b(?:is\s|are\s|was\s|were\s)?(?:privately\s|publicly\s|long\s|strongly\s)?(?:critical\sof"
    r"|criti[cs]i[sz](?:ed|es)|condemn(?:ed|s)|attack(?:ed|s)|oppos(?:ed|es))\s"
    r"(?P<target>(?:[\w'\u2019-]+\s?){1,4})"
)
_PRO_PRIVACY_TARGETS = frozenset(
    {"campaign", "powers", "bill", "law", "scanning", "surveillance", "proposal", "proposals",
     "plan", "plans", "regulation", "measure", "measures", "control"}
)  # fmt: skip
_ANTI_PRIVACY_TARGETS = frozenset({"initiatives", "initiative", "encryption", "rollout"})
# A debated thing that itself reduces privacy flips which side is "for" it.
_SURVEILLANCE_TERM = re.compile(r"scan|surveillance|chat\scontrol|monitor|backdoor", re.I)


def stance_votes(
    s: Sentence, speech: Speech | None, registry: Registry
) -> Iterator[tuple[str, str]]:
    """(actor, side) votes: criticism and threats count for their holder, other cues for the
    speaker, because what an actor says is theirs while the article's own wording is not."""
    text = _unquote(s.text)
    for criticism in _CRITICISM.finditer(s.text):
        side = _criticised_side(criticism.group("target"))
        holder = _mention_before(s.text, s.mentions, criticism.start())
        if side and holder:
            yield from ((m.name, side) for m in _with_conjoined(s, holder, registry))
    for threat in _THREAT_TO_LEAVE.finditer(s.text):
        holder = _mention_before(s.text, s.mentions, threat.start())
        if holder:
            yield from ((m.name, "for") for m in _with_conjoined(s, holder, registry))
    if speech is None or speech.speaker.type not in _ACTOR_TYPES:
        return
    for _ in _FOR_CUES.finditer(text):
        yield speech.speaker.name, "for"
    for _ in _AGAINST_CUES.finditer(text):
        yield speech.speaker.name, "against"


def _with_conjoined(s: Sentence, holder: Mention, registry: Registry) -> list[Mention]:
    """The holder and the actors listed with it ("Atlassian, Google and Apple all ...")."""
    group = [holder]
    earlier = [m for m in s.mentions if m.end <= holder.start]
    while earlier and _LIST_SEPARATOR.fullmatch(s.text, earlier[-1].end, group[0].start):
        group.insert(0, earlier.pop())
    return [m for m in group if registry.type_of(m.name) in _ACTOR_TYPES]


def _criticised_side(target: str) -> str | None:
    """Criticising a privacy-reducing thing puts one "for" encryption, and the reverse."""
    for word in target.lower().split():
        if word in _PRO_PRIVACY_TARGETS:
            return "for"
        if word in _ANTI_PRIVACY_TARGETS:
            return "against"
    return None


def stances_from_votes(votes: list[tuple[str, str, str]]) -> list[Fact]:
    """One STANCE per (actor, sentence) that agrees with the actor's side over the article.

    An actor's side is the majority of their votes; a sentence counts as evidence when its own
    votes lean the same way, so a single mixed sentence never puts anyone on both sides.
    """
    overall: dict[str, Counter[str]] = {}
    per_sentence: dict[tuple[str, str], Counter[str]] = {}
    for actor, side, evidence in votes:
        overall.setdefault(actor, Counter())[side] += 1
        per_sentence.setdefault((actor, evidence), Counter())[side] += 1
    facts = []
    for (actor, evidence), counts in per_sentence.items():
        side = _leaning(overall[actor])
        if side and _leaning(counts) == side:
            facts.append(Fact(FactKind.STANCE, actor, side, evidence))
    return facts


def _leaning(counts: Counter[str]) -> str | None:
    if counts["for"] == counts["against"]:
        return None
    return "for" if counts["for"] > counts["against"] else "against"


def debate_of(
    term_counts: Counter[str], stances: list[Fact]
) -> tuple[str, tuple[Side, ...], list[Fact]]:
    """The debated thing (the most-mentioned term), its two sides, and stances keyed to them."""
    if not stances:
        return "", (), stances
    thing = _term_base(term_counts.most_common(1)[0][0]) if term_counts else "encryption"
    flipped = bool(_SURVEILLANCE_TERM.search(thing))
    privacy = "Privacy and security come first; scanning messages would break them for everyone."
    safety = "Child safety and law enforcement need platforms and police to see harmful messages."
    sides = (
        Side("against", f"Against {thing}", privacy if flipped else safety),
        Side("for", f"For {thing}", safety if flipped else privacy),
    )
    if flipped:
        swap = {"for": "against", "against": "for"}
        stances = [
            Fact(f.kind, f.subject, swap[f.object], f.evidence, f.relation, f.unit) for f in stances
        ]
        debate = f"Should {thing} go ahead, even if it means scanning private messages?"
    else:
        debate = (
            f"Should {thing} be protected, even if it stops platforms and police scanning"
            " messages for child abuse?"
        )
    return debate, sides, stances


# --------------------------------------------------------------------------------------------
# The entry point
# --------------------------------------------------------------------------------------------


def extract_facts(text: str, *, title: str = "", source: str = "") -> ArticleFacts:
    """Read an article into entities, facts (each citing its sentence) and the debate's sides."""
    sentences = split_sentences(text)
    registry = collect_names(sentences)
    discourse = Discourse()
    facts: list[Fact] = []
    votes: list[tuple[str, str, str]] = []
    term_counts: Counter[str] = Counter()
    for index, sentence in enumerate(sentences):
        quotes = quote_spans(sentence)
        s = Sentence(index, sentence, quotes, find_mentions(sentence, registry, discourse, quotes))
        speech = find_speech(sentence, s.mentions, quotes) or _continued_quote(s, discourse)
        facts.extend(roles_of(s, registry, discourse))
        facts.extend(definitions_of(s, registry, discourse))
        # Roles and definitions just taught the registry new forms; read the sentence again.
        s = Sentence(index, sentence, quotes, find_mentions(sentence, registry, discourse, quotes))
        facts.extend(quotes_of(s, speech))
        facts.extend(members_of(s, registry, discourse))
        facts.extend(powers_of(s))
        facts.extend(numbers_of(s))
        votes.extend((actor, side, sentence) for actor, side in stance_votes(s, speech, registry))
        _advance(discourse, s, speech, term_counts)
    debate, sides, stances = debate_of(term_counts, stances_from_votes(votes))
    facts.extend(stances)
    unique = list(dict.fromkeys(facts))
    return ArticleFacts(
        entities=_entities(registry, unique),
        facts=tuple(unique),
        debate=debate,
        sides=sides,
        title=title,
        source=source,
    )


# How many sentences a speaker's quoted paragraphs may run on without naming them again.
_QUOTE_CONTINUES_FOR = 6


def _continued_quote(s: Sentence, discourse: Discourse) -> Speech | None:
    """A paragraph that opens with a quote and names no one continues the last speaker."""
    if not s.quotes or s.quotes[0][0] != 1 or discourse.last_speaker is None:
        return None
    speaker, index = discourse.last_speaker
    if s.index - index > _QUOTE_CONTINUES_FOR:
        return None
    return Speech(speaker, _quoted_words(s.text, s.quotes))


def _advance(discourse: Discourse, s: Sentence, speech: Speech | None, terms: Counter[str]) -> None:
    """Move the reader's memory past this sentence: speakers and subjects become 'last'."""
    subject = main_subject(s.text, s.mentions)
    actors = [m for m in s.mentions if not m.quoted and not m.possessive]
    for mention in actors:
        if mention.type == EntityType.TERM:
            discourse.last_term = mention.name
            terms[mention.name] += 1
        elif mention.type == EntityType.LAW:
            discourse.last_law = mention.name
    if subject is not None:
        discourse.remember_actor(subject[1].name, subject[1].type)
    if speech is not None:
        discourse.remember_actor(speech.speaker.name, speech.speaker.type)
        discourse.last_speaker = (speech.speaker, s.index)
    elif discourse.last_speaker and any(
        m.name != discourse.last_speaker[0].name for m in actors if m.type == EntityType.PERSON
    ):
        # A new person who is not quoted ends the previous speaker's turn.
        discourse.last_speaker = None


def _entities(registry: Registry, facts: list[Fact]) -> tuple[Entity, ...]:
    """Typed entities, plus the untyped actors ("Critics", "IT experts") who speak or take a
    side, so every speaker can be offered as a choice in a "who said this" question."""
    subjects = {f.subject for f in facts}
    entities = []
    for name, kind in registry.types.items():
        if kind == EntityType.OTHER and name not in subjects:
            continue
        entities.append(Entity(name, kind, tuple(dict.fromkeys(registry.aliases[name]))))
    known = {e.name for e in entities}
    entities.extend(
        Entity(name, EntityType.OTHER)
        for name in dict.fromkeys(
            f.subject for f in facts if f.kind in (FactKind.STANCE, FactKind.QUOTE)
        )
        if name not in known
    )
    return tuple(entities)
