"""The owner's search grammar, turned into parameterised SQL. User text never reaches SQLite
as SQL or as an FTS5 expression: each word or phrase becomes a quoted FTS5 string we build.

    sick pastry              both words (in the text or the author)
    "food poisoning"         the exact phrase
    croissant*               words starting with croissant
    sick OR ill              either
    -refund                  not mentioning refund (works on filters too: -source:x)
    from:jane_bakes          by this handle or author name
    source:tiktok            from this source ("rss" also finds "rss:Google Alerts")
    sentiment:negative       negative, neutral, positive or unscored
    status:new               new, needs-reply, replied, escalated, ignored, hidden
    tag:food-safety  severity:3  lang:en
    id:12,15,19              these mentions (a cluster of coordinated posts shown in the Inbox)
    after:2026-11-18  before:2026-11-20  on:2026-11-19  date:2026-11-18..2026-11-19
    last:24h  last:7d        relative to now

A typo gives a `QueryError` with a gentle sentence, never a traceback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo

from app.errors import UserError
from app.timeutil import to_iso, utc_now


class QueryError(UserError, ValueError):
    """The search could not be understood; the message says how to fix it."""


@dataclass(frozen=True)
class Term:
    kind: str  # "word", "phrase", "prefix" or a filter name
    value: str
    negated: bool = False


# A query is an AND of groups; a group is an OR of terms.
Query = list[list[Term]]

FILTERS = ("from", "source", "sentiment", "status", "tag", "severity", "lang", "id")
DATE_FILTERS = ("after", "since", "before", "on", "date", "last")
STATUS_WORDS = {
    "new": "new",
    "needsreply": "needs_reply",
    "reply": "needs_reply",
    "replied": "replied",
    "escalated": "escalated",
    "ignored": "ignored",
    "hidden": "hidden",
}
SENTIMENT_WORDS = {
    "negative": "negative",
    "neg": "negative",
    "neutral": "neutral",
    "positive": "positive",
    "pos": "positive",
    "unscored": None,
    "language": "language",  # not scored: in a language the model does not read
}
_TOKEN = re.compile(r'\s*(-?)(?:(\w+):)?(?:"([^"]*)("?)|(\S+))')
_WORDISH = re.compile(r"\w", re.UNICODE)
MAX_TERMS = 32
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")  # and what breaks a line
_SURROGATES = re.compile("[\ud800-\udfff]")


def parse_query(text: str) -> Query:
    """Split the owner's text into terms; raise QueryError with a hint for what cannot work."""
    groups: Query = []
    pending_or = False
    position = 0
    # Control characters mean nothing in a search, a NUL would end SQLite's string early, and
    # a line break would split the one-line message that quotes a mistyped part.
    text = _CONTROLS.sub(" ", text or "")
    if _SURROGATES.search(text):  # bytes that were not UTF-8 on the command line
        raise QueryError("The search holds characters that are not text; type it again.")
    count = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:  # only trailing whitespace is left
            break
        position = match.end()
        minus, name, quoted, closing, bare = match.groups()
        if quoted is not None and not closing:
            raise QueryError(f'A quote is not closed: add " after “{quoted.strip()}”.')
        if bare == "OR" and not minus and not name:
            pending_or = bool(groups)
            continue
        term = _term(minus == "-", (name or "").lower(), quoted, bare, text)
        if term is None:
            continue
        count += 1
        if count > MAX_TERMS:
            raise QueryError(f"That search has more than {MAX_TERMS} parts; shorten it a little.")
        if pending_or and groups:
            groups[-1].append(term)
        else:
            groups.append([term])
        pending_or = False
    return groups


def _term(negated: bool, name: str, quoted: str | None, bare: str | None, text: str):
    value = quoted if quoted is not None else (bare or "")
    if name and name not in FILTERS and name not in DATE_FILTERS:
        # "re:coffee" or a pasted URL is a word, not an unknown filter.
        value = f"{name}:{value}"
        name = ""
    if name:
        if not value.strip():
            raise QueryError(f"Add what to look for after “{name}:”, e.g. {_EXAMPLES[name]}.")
        return Term(name, value.strip(), negated)
    if quoted is not None:
        return Term("phrase", value, negated) if _WORDISH.search(value) else None
    if not _WORDISH.search(value):
        return None  # lone punctuation finds nothing and means nothing
    if value.endswith("*") and _WORDISH.search(value[:-1]):
        return Term("prefix", value.rstrip("*"), negated)
    return Term("word", value, negated)


_EXAMPLES = {
    "from": "from:jane_bakes",
    "source": "source:tiktok",
    "sentiment": "sentiment:negative",
    "status": "status:new",
    "tag": "tag:food-safety",
    "severity": "severity:3",
    "lang": "lang:en",
    "id": "id:12,15",
    "after": "after:2026-11-18",
    "since": "since:2026-11-18",
    "before": "before:2026-11-20",
    "on": "on:2026-11-19",
    "date": "date:2026-11-18..2026-11-20",
    "last": "last:24h",
}


def fts_string(value: str, prefix: bool = False) -> str:
    """One FTS5 string token: double quotes doubled inside, so nothing in it is syntax."""
    quoted = '"' + value.replace('"', '""') + '"'
    return quoted + "*" if prefix else quoted


_EARLIEST = datetime.min.replace(tzinfo=UTC)
_LATEST = datetime.max.replace(tzinfo=UTC)


def _parse_day(value: str, name: str, zone: tzinfo = UTC) -> datetime:
    """The moment a date filter names, in UTC; a day or time without a zone is in `zone` (the
    business's: days begin at its midnight, as the list shows them); dates at the ends of the
    calendar (0001-01-01, 9999-12-31) are clamped to its first or last moment rather than
    overflowing."""
    try:
        if "T" in value or " " in value:
            moment = datetime.fromisoformat(value)
        else:
            moment = datetime.combine(date.fromisoformat(value), datetime.min.time())
    except ValueError:
        raise QueryError(
            f"“{name}:{value}” is not a date I can read; write it like {_EXAMPLES[name]}."
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    try:
        return moment.astimezone(UTC)
    except OverflowError:  # 0001-01-01T00:00+05:00 is before the first moment UTC can hold
        return _EARLIEST if moment.year == 1 else _LATEST


def _shift(moment: datetime, delta: timedelta, zone: tzinfo = UTC) -> datetime:
    """moment + delta in `zone`'s wall clock (the next midnight there, even across a change
    of summer time), clamped to the calendar (the day after 9999-12-31 is its last moment)."""
    try:
        return (moment.astimezone(zone) + delta).astimezone(UTC)
    except OverflowError:
        return _LATEST if delta > timedelta(0) else _EARLIEST


_FTS_SQL = "mentions.id IN (SELECT rowid FROM mentions_fts WHERE mentions_fts MATCH ?)"


def _fts_term(term: Term) -> str:
    """A word also finds it as a hashtag or a handle (#word, @word: the index keeps those
    marks); #tag and @handle find only the tag or the handle, @handle also the author."""
    value, prefix = term.value, term.kind == "prefix"
    if term.kind == "phrase":
        return fts_string(value)
    if value.startswith("@") and len(value) > 1:
        return f"({fts_string(value, prefix)} OR author_handle : {fts_string(value[1:], prefix)})"
    if value.startswith("#"):
        return fts_string(value, prefix)
    forms = [fts_string(value, prefix), fts_string("#" + value, prefix)]
    forms.append(fts_string("@" + value, prefix))
    return "(" + " OR ".join(forms) + ")"


def _filter_sql(term: Term, now: datetime, zone: tzinfo = UTC) -> tuple[str, list]:
    kind, value = term.kind, term.value
    if kind in ("word", "phrase", "prefix"):
        return _FTS_SQL, [_fts_term(term)]
    if kind == "from":
        handle = value.lstrip("@")
        return (
            "(mentions.author_handle = ? COLLATE NOCASE "
            "OR mentions.author_name = ? COLLATE NOCASE)",
            [handle, value],
        )
    if kind == "source":
        # Exact names (as typed, and in lower case as imports store them) and "name:…"
        # (rss finds rss:Google Alerts) as ranges, so the source index can answer.
        return (
            "(mentions.source IN (?, ?) OR (mentions.source >= ? AND mentions.source < ?))",
            [value, value.lower(), f"{value}:", f"{value};"],
        )
    if kind == "sentiment":
        key = value.lower()
        if key not in SENTIMENT_WORDS:
            raise QueryError(
                f"“sentiment:{value}” is not one I know; use negative, neutral or positive."
            )
        label = SENTIMENT_WORDS[key]
        return (
            ("mentions.sentiment IS NULL", [])
            if label is None
            else ("mentions.sentiment = ?", [label])
        )
    if kind == "status":
        key = re.sub(r"[\W_]", "", value.lower())
        if key not in STATUS_WORDS:
            raise QueryError(
                f"“status:{value}” is not a status; use new, needs-reply, replied, escalated, "
                "ignored or hidden."
            )
        return "mentions.status = ?", [STATUS_WORDS[key]]
    if kind == "tag":
        tag = value.lower().lstrip("#").replace("\\", "\\\\").replace("%", "\\%")
        return "(' ' || mentions.tags || ' ') LIKE ? ESCAPE '\\'", [
            f"% {tag.replace('_', chr(92) + '_')} %"
        ]
    if kind == "severity":
        if value not in ("1", "2", "3", "4"):
            raise QueryError(f"“severity:{value}” should be a level from 1 to 4.")
        return "mentions.severity = ?", [int(value)]
    if kind == "lang":
        return "mentions.language = ? COLLATE NOCASE", [value]
    if kind == "id":
        ids = _ids(value)
        return f"mentions.id IN ({', '.join('?' * len(ids))})", ids
    return _date_sql(kind, value, now, zone)


def _ids(value: str) -> list[int]:
    parts = [part.strip() for part in value.split(",") if part.strip()]
    if not parts or not all(part.isdigit() for part in parts):
        raise QueryError(f"“id:{value}” should be mention numbers with commas, e.g. id:12,15.")
    return [int(part) for part in parts]


def _date_sql(kind: str, value: str, now: datetime, zone: tzinfo = UTC) -> tuple[str, list]:
    if kind == "last":
        match = re.fullmatch(r"(\d{1,4})\s*([hdw])", value.lower())
        if not match:
            raise QueryError(f"“last:{value}” should look like last:24h, last:3d or last:2w.")
        amount, unit = int(match.group(1)), match.group(2)
        hours = amount * {"h": 1, "d": 24, "w": 168}[unit]
        return "mentions.posted_at >= ?", [to_iso(_shift(now, -timedelta(hours=hours)))]
    if kind in ("after", "since"):
        return "mentions.posted_at >= ?", [to_iso(_parse_day(value, kind, zone))]
    if kind == "before":
        return "mentions.posted_at < ?", [to_iso(_parse_day(value, kind, zone))]
    if kind == "on":
        start = _parse_day(value, kind, zone)
        return "mentions.posted_at >= ? AND mentions.posted_at < ?", [
            to_iso(start),
            to_iso(_shift(start, timedelta(days=1), zone)),
        ]
    first, sep, last = value.partition("..")
    if not sep:
        raise QueryError(f"“date:{value}” should look like {_EXAMPLES['date']}.")
    conditions, params = [], []
    if first:
        conditions.append("mentions.posted_at >= ?")
        params.append(to_iso(_parse_day(first, kind, zone)))
    if last:
        end = _parse_day(last, kind, zone)
        if "T" not in last:
            end = _shift(end, timedelta(days=1), zone)  # the last day counts whole
        conditions.append("mentions.posted_at < ?")
        params.append(to_iso(end))
    if not conditions:
        raise QueryError(f"“date:{value}” should look like {_EXAMPLES['date']}.")
    return "(" + " AND ".join(conditions) + ")", params


@dataclass
class CompiledQuery:
    """`fts`: one FTS5 expression for the words (None when there are none), to drive the
    query from the full-text index in rowid order; `where`/`params`: everything else, over
    `mentions` (columns qualified, so it also works joined with `mentions_fts`)."""

    fts: str | None
    where: str
    params: list

    def as_where(self) -> tuple[str, list]:
        """All of it as one WHERE clause over `mentions` (the words as a sub-select)."""
        if self.fts is None:
            return self.where, self.params
        clause = _FTS_SQL if self.where == "1" else f"{_FTS_SQL} AND {self.where}"
        return clause, [self.fts, *self.params]


_WORD_KINDS = ("word", "phrase", "prefix")


def compile_parts(query: Query, now: datetime | None = None, zone: tzinfo = UTC) -> CompiledQuery:
    """Split a query into one FTS5 expression (words, phrases, OR between them, exclusions)
    and SQL conditions for the filters. A group mixing words and filters ("sick OR
    from:jane") stays in SQL as a sub-select."""
    now = now or utc_now()
    clauses: list[str] = []
    params: list = []
    positive: list[str] = []
    excluded: list[str] = []
    for group in query:
        if all(t.kind in _WORD_KINDS and not t.negated for t in group):
            words = [_fts_term(t) for t in group]
            positive.append(words[0] if len(words) == 1 else "(" + " OR ".join(words) + ")")
            continue
        if len(group) == 1 and group[0].kind in _WORD_KINDS:
            excluded.append(_fts_term(group[0]))
            continue
        parts = []
        for term in group:
            sql, values = _filter_sql(term, now, zone)
            parts.append(f"NOT ({sql})" if term.negated else sql)
            params.extend(values)
        clauses.append(parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")")
    fts = None
    if positive:
        fts = " AND ".join(positive)
        for word in excluded:  # FTS5's NOT needs something on its left
            fts = f"({fts}) NOT {word}"
    else:
        for word in excluded:
            clauses.append(f"NOT ({_FTS_SQL})")
            params.append(word)
    return CompiledQuery(fts, " AND ".join(clauses) or "1", params)


def compile_query(
    query: Query, now: datetime | None = None, zone: tzinfo = UTC
) -> tuple[str, list]:
    """A WHERE clause over `mentions` and its parameters; "1" for an empty query."""
    return compile_parts(query, now, zone).as_where()


def describe(query: Query) -> str:
    """The query read back in words (shown under the search box and by the CLI)."""
    parts = []
    for group in query:
        words = [("not " if t.negated else "") + _describe_term(t) for t in group]
        parts.append(" or ".join(words))
    return "; ".join(parts) or "everything"


def _describe_term(term: Term) -> str:
    if term.kind == "phrase":
        return f"“{term.value}”"
    if term.kind == "prefix":
        return f"words starting with “{term.value}”"
    if term.kind == "word":
        return f"“{term.value}”"
    if term.kind == "id":
        count = len([part for part in term.value.split(",") if part.strip()])
        return f"one of {count} chosen mention{'s' if count != 1 else ''}"
    return f"{term.kind} {term.value}"
