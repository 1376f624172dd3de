"""Which column of an export holds what: by name first (the presets of listening tools, the
exports of X/Twitter, Facebook, Google Reviews and Trustpilot, and common names), then by
content for what no name gave away: the column whose values read as dates is the post time,
a column of unique long numbers the id, the longest free text the text.

Ids a spreadsheet has mangled (5.70306E+17, or rounded to 570306000000000000) are not ids any
more: many posts share one, so they are not used to find duplicates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.imports.dates import looks_like_date
from app.imports.reading import shown
from app.imports.records import normal_column

# What a column can become, with the words the owner sees in the mapping dialog.
FIELDS: dict[str, str] = {
    "text": "Text (required)",
    "posted_at": "Posted at",
    "posted_time": "Posted time (when the date is split)",
    "author_name": "Author name",
    "author_handle": "Author handle",
    "author_followers": "Followers",
    "url": "Link",
    "source": "Source or network",
    "external_id": "Id in the tool",
    "language": "Language",
}


def _keys(*names: str) -> list[str]:
    return [normal_column(name) for name in names]


# Column names as tools export them. Matching ignores case, spaces and punctuation, so
# "Full Text", "full_text" and "FullText" are the same column.
PRESETS: dict[str, dict[str, list[str]]] = {
    "Brandwatch": {
        "text": _keys("Full Text", "Snippet", "Title"),
        "posted_at": _keys("Date"),
        "author_name": _keys("Full Name", "Author"),
        "author_handle": _keys("Author"),
        "author_followers": _keys("Twitter Followers", "Followers"),
        "url": _keys("Url"),
        "source": _keys("Page Type", "Domain"),
        "external_id": _keys("Resource Id", "Mention Id", "Guid"),
        "language": _keys("Language"),
    },
    "Meltwater": {
        "text": _keys("Hit Sentence", "Opening Text", "Headline"),
        "posted_at": _keys("Date"),
        "posted_time": _keys("Time"),
        "author_name": _keys("Author", "Influencer"),
        "author_handle": _keys("Influencer"),
        "author_followers": _keys("Followers", "Reach"),
        "url": _keys("URL"),
        "source": _keys("Source Type", "Source Name", "Source"),
        "external_id": _keys("Document ID", "Tweet Id"),
        "language": _keys("Language"),
    },
    "Talkwalker": {
        "text": _keys("content", "content_snippet", "title"),
        "posted_at": _keys("published"),
        "author_name": _keys("extra_author_attributes.name", "author_name"),
        "author_handle": _keys("extra_author_attributes.short_name", "author_short_name"),
        "author_followers": _keys("extra_source_attributes.followers", "reach"),
        "url": _keys("url"),
        "source": _keys("source_type", "extra_source_attributes.name"),
        "external_id": _keys("id"),
        "language": _keys("lang"),
    },
    "Mention": {
        "text": _keys("Description", "Title"),
        "posted_at": _keys("Published at", "Date"),
        "author_name": _keys("Author"),
        "author_followers": _keys("Author influence", "Reach"),
        "url": _keys("Url"),
        "source": _keys("Source"),
        "external_id": _keys("Id"),
        "language": _keys("Language"),
    },
    "Sprout Social": {
        "text": _keys("Message"),
        "posted_at": _keys("Date", "Timestamp"),
        "author_name": _keys("From", "Name"),
        "author_handle": _keys("Username", "From"),
        "author_followers": _keys("Followers"),
        "url": _keys("Link", "Permalink"),
        "source": _keys("Network"),
        "external_id": _keys("Message ID", "Post ID"),
        "language": _keys("Language"),
    },
    "Brand24": {
        "text": _keys("Content", "Title"),
        "posted_at": _keys("Date"),
        "posted_time": _keys("Hour"),
        "author_name": _keys("Author"),
        "author_followers": _keys("Reach", "Followers"),
        "url": _keys("Url"),
        "source": _keys("Source", "Domain"),
        "external_id": _keys("Id"),
        "language": _keys("Language"),
    },
    # The presets below name only what is their own: common names come from GENERIC.
    "X/Twitter": {
        "text": _keys("full_text", "tweet.full_text", "Tweet text", "tweet", "rawContent"),
        "posted_at": _keys("tweet.created_at", "tweet_created", "created_at"),
        "author_name": _keys("user.name", "user_name"),
        "author_handle": _keys("screen_name", "user.screen_name", "user.username"),
        "author_followers": _keys("user.followers_count", "followers_count"),
        "url": _keys("Tweet permalink"),
        "external_id": _keys("id_str", "tweet.id_str", "tweet_id", "Tweet id"),
        "language": _keys("tweet.lang"),
    },
    "Facebook": {
        "text": _keys("Post Message", "Comment text"),
        "posted_at": _keys("Posted", "Created Time", "Comment Time"),
        "author_name": _keys("Profile Name"),
        "url": _keys("Permalink", "Post Link"),
        "external_id": _keys("Post ID", "Comment ID"),
    },
    "Google Reviews": {
        "text": _keys("comment", "review_text", "Review Text"),
        "posted_at": _keys("createTime", "review_datetime_utc", "Review Date", "publishedAtDate"),
        "author_name": _keys("reviewer.displayName", "author_title", "Reviewer Name"),
        "url": _keys("review_link", "reviewUrl"),
        "external_id": _keys("reviewId", "review_id", "name"),
    },
    "Trustpilot": {
        "text": _keys("Review Content", "Review Title"),
        "posted_at": _keys("Review Created (UTC)", "Review Date"),
        "author_name": _keys("Consumer Name", "Review Consumer User Name"),
        "url": _keys("Review URL"),
        "external_id": _keys("Review ID"),
        "language": _keys("Review Language"),
    },
}
# Names any export might use, after the preset's own.
GENERIC: dict[str, list[str]] = {
    "text": _keys(
        "text", "message", "content", "body", "post", "comment", "review", "mention", "snippet",
        "full_text", "tweet", "tweet_text", "review_text", "description", "caption", "title",
    ),
    "posted_at": _keys(
        "posted_at", "date", "created_at", "published", "published_at", "timestamp", "time",
        "datetime", "created", "pubDate", "posted", "created_time", "createTime",
        "tweet_created", "date_time", "publish_date", "post_date", "date (gmt)",
    ),
    "author_name": _keys(
        "author_name", "author", "name", "user", "from", "display_name", "user.name",
        "author.name", "account.display_name", "user.display_name", "reviewer",
        "reviewer_name", "consumer_name",
    ),
    "author_handle": _keys(
        "author_handle", "handle", "username", "screen_name", "user_handle", "author.handle",
        "user.handle", "user.screen_name", "user.username", "account.acct", "account",
    ),
    "author_followers": _keys("author_followers", "followers", "followers_count", "reach"),
    "url": _keys("url", "link", "permalink", "uri", "post_url"),
    "source": _keys("source", "network", "platform", "channel", "site", "media_type"),
    "external_id": _keys(
        "external_id", "id", "post_id", "message_id", "guid", "uuid", "tweet_id", "id_str",
        "review_id", "comment_id",
    ),
    "language": _keys("language", "lang", "locale"),
}  # fmt: skip
# Words in a column's name that say it holds the post time ("tweet_created", "Posted (UTC)").
_TIME_WORDS = re.compile(r"(date|time|created|posted|published|timestamp)")
_SCIENTIFIC = re.compile(r"\s*\d(?:[.,]\d+)?[eE]\+?\d+\s*$")
_LETTERS = re.compile(r"[^\W\d_]{2}")
_LONG_NUMBER = re.compile(r"\s*\d{8,}\s*$")
SNIFF_ROWS = 500


@dataclass
class Mapping:
    fields: dict[str, str]  # field -> column
    preset: str
    by_content: dict[str, str] = field(default_factory=dict)  # field -> why it was chosen


def guess_mapping(columns: list[str], sample: list | None = None) -> Mapping:
    """Recognise a tool's export by its column names and fill the rest from common names;
    with a `sample` of records, propose by content what the names did not give."""
    by_key: dict[str, str] = {}
    for column in columns:
        by_key.setdefault(normal_column(column), column)
    best, best_score = "", 0
    for name, preset in PRESETS.items():
        score = sum(any(k in by_key for k in keys) for keys in preset.values())
        if score > best_score and any(k in by_key for k in preset["text"]):
            best, best_score = name, score
    chosen: dict[str, str] = {}
    used: set[str] = set()
    for field_name in FIELDS:
        candidates = [*PRESETS.get(best, {}).get(field_name, []), *GENERIC.get(field_name, [])]
        for key in candidates:
            found = by_key.get(key)
            if found is not None and found not in used:
                chosen[field_name] = found
                used.add(found)
                break
    mapping = Mapping(chosen, best if best_score >= 3 else "generic")
    if sample:
        _by_content(mapping, columns, [r for r in sample if isinstance(r, dict)])
    return mapping


def _values(records: list[dict], column: str) -> list[str]:
    values = []
    for record in records:
        value = record.get(column)
        if value is not None and not isinstance(value, dict | list):
            text = str(value).strip()
            if text:
                values.append(text)
    return values


def _by_content(mapping: Mapping, columns: list[str], records: list[dict]) -> None:
    if not records:
        return
    used = set(mapping.fields.values())
    free = [c for c in columns if c not in used]
    values = {c: _values(records, c) for c in free}
    filled = {c: len(v) / len(records) for c, v in values.items()}
    if "posted_at" not in mapping.fields:
        dated = []
        for column in free:
            v = values[column][:100]
            if v and filled[column] >= 0.5:
                share = sum(map(looks_like_date, v)) / len(v)
                if share >= 0.8:
                    dated.append((bool(_TIME_WORDS.search(column.lower())), share, column))
        if dated:
            column = max(dated)[2]
            _propose(mapping, "posted_at", column, "its values are dates")
            free.remove(column)
    if "text" not in mapping.fields:
        texts = [
            (sum(map(len, v)) / len(v), c)
            for c, v in values.items()
            if filled[c] >= 0.5
            and sum(" " in x and _LETTERS.search(x) is not None for x in v) >= len(v) / 2
            and not any(x.startswith(("http://", "https://")) for x in v[:20])
        ]
        texts = [t for t in texts if t[0] >= 15]
        if texts:
            column = max(texts)[1]
            _propose(mapping, "text", column, "its values are the longest free text")
            free.remove(column)
    if "external_id" not in mapping.fields:
        ids = []
        for column in free:
            v = values[column]
            numbers = sum(bool(_LONG_NUMBER.match(x) or _SCIENTIFIC.match(x)) for x in v)
            if v and filled[column] >= 0.8 and numbers == len(v):
                unique = len(set(v)) == len(v)
                ids.append(("id" in normal_column(column), unique, column))
        ids = [i for i in ids if i[0] or i[1]]
        if ids:
            _propose(mapping, "external_id", max(ids)[2], "its values are long unique numbers")


def _propose(mapping: Mapping, field_name: str, column: str, why: str) -> None:
    mapping.fields[field_name] = column
    mapping.by_content[field_name] = why


def mangled_ids(values: list[str]) -> str:
    """An example of an id a spreadsheet changed (scientific notation, or long numbers
    rounded to end in zeros), or "" when the ids look whole."""
    values = [v.strip() for v in values if v and v.strip()]
    if not values:
        return ""
    scientific = [v for v in values if _SCIENTIFIC.match(v)]
    if scientific:
        return scientific[0]
    long_numbers = [v for v in values if v.isdigit() and len(v) >= 15]
    rounded = [v for v in long_numbers if v.endswith("000")]
    if long_numbers and len(rounded) >= max(2, 0.9 * len(long_numbers)):
        return rounded[0]
    return ""


def is_scientific(value: str) -> bool:
    return bool(("E" in value or "e" in value) and _SCIENTIFIC.match(value))


def no_date_sentence(columns: list[str]) -> str:
    """Why a file without a date column is refused, and the two ways on."""
    shown_columns = ", ".join(shown(c) for c in columns[:20]) or "(none)"
    return (
        f"No column holds the date of each mention, so every mention would be dated now; "
        f"the columns are: {shown_columns}. Name the date column with --map posted_at=COLUMN, "
        "or add --undated to date them with the time of the import."
    )
