"""Who speaks in a story, and what they said: rules over the text's structure, no trained model.

A wire story names a speaker once in full ("Russian Foreign Minister Sergei Lavrov", "Nadia, a
31-year-old nurse") and later by surname or first name only. Statements are either direct (a
whole quotation with an attribution) or reported ("X warned that...", "..., according to X").
``find_speakers`` reads plain-text paragraphs and returns each speaker once, with every statement
and the paragraph it is in, for an editor to confirm: nothing here decides who anyone is on file.

The patterns are in one table, ``PATTERNS``; the words they are built from are the lists below.
Quoted words are masked before any pattern runs, so nothing inside a quotation is read as an
attribution.
"""

import re
from dataclasses import dataclass, field

DIRECT, REPORTED = "direct", "reported"


def _words(*lines: str) -> frozenset[str]:
    return frozenset(" ".join(lines).casefold().split())


# Verbs that attribute speech, in the forms wire copy uses them.
SPEECH_VERBS = _words(
    "said says told tells added adds noted notes warned warns welcomed welcomes cited cites argued argues "
    "insisted insists explained explains stressed stresses urged urges claimed claims denied denies "
    "confirmed confirms announced announces revealed reveals acknowledged acknowledges admitted admits "
    "wrote writes asked asks suggested suggests hinted hints vowed vows promised promises pledged pledges "
    "predicted predicts complained complains conceded concedes maintained maintains repeated repeats "
    "recalled recalls replied replies countered counters cautioned cautions emphasised emphasized "
    "emphasises emphasizes accused accuses criticised criticized praised praises dismissed dismisses "
    "rejected rejects described describes believed believes tweeted posted",
)
# Words that may stand between a speaker and the verb: "Zelensky later cited", "she has said".
BETWEEN_NAME_AND_VERB = r"(?:(?:also|later|then|again|earlier|previously|repeatedly|once|has|had|have|\w+ly)\s+){0,2}"
# Words of a title: the last one in a run of capitalised words ends the title and starts the name.
TITLE_WORDS = _words(
    "President Vice-President Minister Chancellor Secretary Secretary-General Mayor Premier Governor ",
    "Senator Judge Justice General Commissioner Spokesperson Spokesman Spokeswoman Director Chief Chair ",
    "Chairperson Chairman Chairwoman Ambassador Envoy King Queen Prince Princess Pope Bishop Archbishop ",
    "Councillor Councilor MEC MP Deputy Speaker Leader Professor Prof Captain Colonel Lieutenant ",
    "Sergeant Inspector Detective Coach Officer Executive CEO Manager Head Commander Admiral Marshal ",
    "Superintendent Constable Editor Rev Reverend Sheikh Imam Rabbi Pastor Father Sister Doctor",
)
# Forms of address: part of the title as written, but no description of who someone is.
HONORIFICS = {"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "mx", "mr.", "mrs.", "ms.", "dr."}
# Capitalised words that begin sentences or clauses but never a person's name.
NOT_NAMES = _words(
    "A An The But Yet And Or So Then Now Also Meanwhile However Still Instead Later Earlier Today ",
    "Yesterday Tomorrow On In At For From With Without By To Of Speaking According Asked When While ",
    "After Before As If Since Until Although Though Because This That These Those It He She They We I ",
    "You His Her Their Our Its My Your There Here Some Many Most Several Both Each Every All No None ",
    "One Two Three Monday Tuesday Wednesday Thursday Friday Saturday Sunday Reports Officials Critics ",
    "Residents Analysts Experts Sources Police Observers Others Locals",
)
# Words that make a capitalised run an organisation or a place, not a person.
NOT_PEOPLE = _words(
    "Council Ministry Department Party Union Association Company Bank Court Police Service Agency ",
    "Commission Government Office University School Hospital Committee Parliament Assembly Municipality ",
    "Authority Board Group Institute Foundation Trust Fund Forum Network Organisation Organization ",
    "Corporation Holdings Ltd Inc Street Road Drive Avenue City Province Republic Kingdom States Nations ",
    "House Times News Herald Post Press Radio TV",
)
PARTICLES = r"(?:van|von|de|der|den|du|da|dos|del|le|la|bin|ibn|al|el)"
ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "prof", "st", "gen", "lt", "col", "sgt", "no", "jr", "sr", "rev", "gov"}

UPPER = "A-ZÀ-ÖØ-ÞĀ-ſА-ЯЁ"
# One capitalised word; never a possessive ("Ukraine’s" is no part of a name) or an adjective like
# "Russian-speaking"; "U.S." and "Jean-Pierre" count whole.
WORD = (
    rf"(?:(?:[A-Z]\.){{2,}}|[A-Z]\.(?=\s+[{UPPER}])|(?:Mr|Mrs|Ms|Dr|Prof|St|Jr|Gen|Lt|Col|Sgt|Rev|Gov)\."
    rf"|[{UPPER}]\w*(?:-[{UPPER}]\w*)*(?:[’'][{UPPER}a-z]\w+)*\b(?![’']s\b)(?!-))"
)
NAME = rf"(?P<name>{WORD}(?:\s+(?:{PARTICLES}\s+)?{WORD}){{0,6}})"
# What follows a name to say who they are: "a 32-year-old warehouse worker", "45, a taxi owner".
_APPOS_START = rf"(?:a|an|the|{'|'.join(sorted(w for w in TITLE_WORDS if '.' not in w))})\b"
APPOS = rf"(?P<appos>(?:\d{{1,3}},\s*)?{_APPOS_START}[^,.;:!?“”\"()]{{1,150}}?|\d{{1,3}})"
SPEAKER = rf"{NAME}(?:,\s*{APPOS}(?=\s*[,.;:!?]|\s*$))?"
VERB = rf"(?P<verb>{'|'.join(sorted(SPEECH_VERBS))})\b"
QUOTE = r"(?P<quote>[“\"][^“”\"]*(?:[”\"]|$))"
MASK = "·"


@dataclass(frozen=True)
class Pattern:
    name: str
    kind: str
    regex: re.Pattern


def _p(name: str, kind: str, pattern: str) -> Pattern:
    return Pattern(name, kind, re.compile(pattern))


# The table: every shape of attribution the finder knows, tried in this order on each sentence.
PATTERNS = [
    _p("“...,” said X", DIRECT, rf"{QUOTE}\s*,?\s*{VERB}\s+{SPEAKER}"),
    _p("“...,” X said", DIRECT, rf"{QUOTE}\s*,?\s*{SPEAKER},?\s+{BETWEEN_NAME_AND_VERB}{VERB}"),
    _p("X said: “...”", DIRECT, rf"{SPEAKER},?\s+{BETWEEN_NAME_AND_VERB}{VERB}(?:\s+[a-z]+){{0,3}}\s*[:,]?\s*{QUOTE}"),
    _p(
        "..., according to X",
        REPORTED,
        rf"\b[Aa]ccording to\s+(?:(?P<role>(?:the\s+)?(?:[a-z][\w’'\-]*\s+){{1,3}}))?{SPEAKER}",
    ),
    _p("..., said X", REPORTED, rf",\s*{VERB}\s+{SPEAKER}\s*[.!?]?\s*$"),
    _p("X said that ...", REPORTED, rf"{SPEAKER},?\s+{BETWEEN_NAME_AND_VERB}{VERB}"),
    _p("In the words of X, ...", REPORTED, rf"\b[Ii]n the words of\s+{SPEAKER}"),
    _p("For X, ... “...”", REPORTED, rf"^For\s+{SPEAKER},.*{QUOTE}"),
]
# A sentence that is only a quotation carries on the last speaker's direct words.
CONTINUATION = re.compile(rf"^\s*{QUOTE}\s*$")
MIN_DIRECT_WORDS = 2


@dataclass(frozen=True)
class Statement:
    """Words one speaker said: a quotation (direct) or a sentence reporting them (reported)."""

    text: str
    kind: str
    paragraph: int  # index in the paragraphs given, from 0
    pattern: str


@dataclass
class Speaker:
    """One person speaking in a story, however many times the story names them."""

    name: str
    description: str = ""  # as the story wrote it: "Russian Foreign Minister", "a 31-year-old nurse"
    statements: list[Statement] = field(default_factory=list)
    first_paragraph: int = 0


@dataclass
class _Mention:
    name: str
    description: str
    paragraph: int
    speaker: Speaker | None = None


def _mask(text: str) -> str:
    """The text with the words inside quotation marks replaced, keeping every offset."""

    def hide(match: re.Match) -> str:
        inner = match.group(0)[1:-1] if match.group(0)[-1] in '”"' else match.group(0)[1:]
        closing = match.group(0)[len(inner) + 1 :]
        keep = inner[-1] if inner and inner[-1] in ".!?," else ""
        return match.group(0)[0] + MASK * (len(inner) - len(keep)) + keep + closing

    return re.sub(QUOTE, hide, text)


def _sentences(text: str, masked: str) -> list[tuple[str, str]]:
    """Split a paragraph into (sentence, masked sentence); full stops in quotations or "U.S." do not count."""
    pieces, start = [], 0
    for match in re.finditer(rf"[.!?][”\"]?\s+(?=[“\"{UPPER}])", masked):
        before = re.search(r"(\w+)\.[”\"]?\s+$", masked[start : match.end()])
        if before and (len(before.group(1)) == 1 or before.group(1).casefold() in ABBREVIATIONS):
            continue
        pieces.append((text[start : match.end()], masked[start : match.end()]))
        start = match.end()
    pieces.append((text[start:], masked[start:]))
    return [(t.strip(), m.strip()) for t, m in pieces if t.strip()]


def _split_title(words: list[str]) -> tuple[str, list[str]]:
    """ "Russian Foreign Minister Sergei Lavrov" -> ("Russian Foreign Minister", ["Sergei", "Lavrov"])."""
    while words and words[0].casefold() in NOT_NAMES:
        words = words[1:]
    titles = TITLE_WORDS | HONORIFICS
    last_title = max((i for i, w in enumerate(words) if w.casefold().rstrip(".") in titles), default=-1)
    title, name = words[: last_title + 1], words[last_title + 1 :]
    if all(w.casefold() in HONORIFICS for w in title):
        title = []
    return " ".join(title), name


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


class _Cast:
    """The people a story names, in reading order, and the speakers among them."""

    def __init__(self):
        self.mentions: list[_Mention] = []
        self.speakers: list[Speaker] = []

    def mention(self, raw_name: str, appos: str, paragraph: int, *, allow_new: bool) -> _Mention | None:
        title, words = _split_title(raw_name.split())
        if not words or any(w.casefold() in NOT_PEOPLE for w in words) or words[0].casefold() in NOT_NAMES:
            return None
        name, description = " ".join(words), _clean(appos or title)
        if len(words) > 1:
            found = next((m for m in self.mentions if m.name.casefold() == name.casefold()), None)
            if found is None:
                found = _Mention(name, description, paragraph)
                self.mentions.append(found)
            found.description = found.description or description
            return found
        return self._single(name, description, paragraph, allow_new=allow_new or bool(appos or title))

    def _single(self, name: str, description: str, paragraph: int, *, allow_new: bool) -> _Mention | None:
        """A one-word name: someone named earlier by surname or first name, or a new member of the public."""
        key = name.casefold()
        if description:
            # "Thabo, a taxi driver" and "Thabo, a student" are two people; the same words again are one.
            same = [
                m
                for m in self.mentions
                if m.name.casefold() == key and m.description.casefold() == description.casefold()
            ]
            if same:
                return same[-1]
        known = [m for m in self.mentions if key in (m.name.casefold(), m.name.split()[-1].casefold())]
        if known and not (description and all(len(m.name.split()) == 1 for m in known)):
            return known[-1]
        if not allow_new:
            return None
        found = _Mention(name, description, paragraph)
        self.mentions.append(found)
        return found

    def say(self, mention: _Mention, statement: Statement) -> None:
        if mention.speaker is None:
            mention.speaker = Speaker(mention.name, mention.description, first_paragraph=statement.paragraph)
            self.speakers.append(mention.speaker)
        mention.speaker.description = mention.speaker.description or mention.description
        mention.speaker.statements.append(statement)


def _collect_mentions(cast: _Cast, masked_paragraphs: list[str]) -> None:
    """Note every full name and every introduced member of the public, so later short names resolve."""
    for index, masked in enumerate(masked_paragraphs):
        for match in re.finditer(SPEAKER, masked):
            name = match.group("name")
            if len(_split_title(name.split())[1]) > 1 or match.group("appos"):
                cast.mention(name, match.group("appos") or "", index, allow_new=True)


def _statement(sentence: str, masked: str, match: re.Match, pattern: Pattern, paragraph: int) -> Statement | None:
    if pattern.kind == REPORTED:
        return Statement(_clean(sentence), REPORTED, paragraph, pattern.name)
    start, end = match.span("quote")
    words = _clean(sentence[start:end].strip('“”"'))
    if len(words.split()) < MIN_DIRECT_WORDS:
        return None
    # “We are ready,” Lavrov said, “but only if...” : the second half belongs to the same quotation.
    rest = re.match(rf"\s*,?\s*{QUOTE}", masked[match.end() :])
    if rest:
        words += " " + _clean(sentence[match.end() :][slice(*rest.span("quote"))].strip('“”"'))
    return Statement(re.sub(r",$", ".", words), DIRECT, paragraph, pattern.name)


def _match_sentence(cast: _Cast, sentence: str, masked: str, paragraph: int) -> tuple[_Mention, Statement] | None:
    for pattern in PATTERNS:
        for match in pattern.regex.finditer(masked):
            who = match.group("appos") or (match.groupdict().get("role") or "").strip()
            mention = cast.mention(match.group("name"), who, paragraph, allow_new=False)
            if mention is None:
                continue
            statement = _statement(sentence, masked, match, pattern, paragraph)
            if statement is not None:
                return mention, statement
    return None


def find_speakers(paragraphs: list[str]) -> list[Speaker]:
    """Each speaker once, in order of first statement, with every statement found in the paragraphs."""
    cast = _Cast()
    masked_paragraphs = [_mask(p) for p in paragraphs]
    _collect_mentions(cast, masked_paragraphs)
    last: tuple[_Mention, Statement] | None = None
    for index, (paragraph, masked_paragraph) in enumerate(zip(paragraphs, masked_paragraphs, strict=True)):
        for sentence, masked in _sentences(paragraph, masked_paragraph):
            found = _match_sentence(cast, sentence, masked, index)
            if found is None and last and last[1].kind == DIRECT and last[1].paragraph >= index - 1:
                found = _continuation(last, sentence, masked, index)
            if found is None:
                continue
            mention, statement = found
            speaker_statements = mention.speaker.statements if mention.speaker else []
            if speaker_statements and speaker_statements[-1] is last[1] and statement.pattern == "continuation":
                speaker_statements[-1] = statement  # joined to the quotation it carries on
            else:
                cast.say(mention, statement)
            last = (mention, statement)
    return cast.speakers


def _continuation(last: tuple[_Mention, Statement], sentence: str, masked: str, index: int):
    match = CONTINUATION.match(masked)
    if not match:
        return None
    words = _clean(sentence[slice(*match.span("quote"))].strip('“”"'))
    mention, previous = last
    if previous.paragraph == index:
        return mention, Statement(f"{previous.text} {words}", DIRECT, index, "continuation")
    return mention, Statement(words, DIRECT, index, "“...” (carried on)")
