"""The items of a JSON export, streamed with ijson, so a 2 GiB array is never held whole.

Items are built here from ijson's basic events: its `items()` builds a path prefix for every
nesting level, and 100,000 nested arrays then take gigabytes. An item nested deeper than
`MAX_DEPTH`, or holding more than `MAX_ITEM_VALUES` values, is skipped event by event and
stands in the stream as one `Unreadable` item; the items after it are read as usual.

ijson's C backend (yajl) reads numbers with `use_float=True`, so yajl converts them itself and
a number it cannot hold is a parse error. Without it ijson 3.6 hands the digits to Python, and
an integer of more than 4,300 digits (Python's limit) crashes the process.

A parse error (NaN, an unquoted word, bytes that are not UTF-8, a file cut short) stops any
strict streaming parser: where the next item starts is then unknown. It is a `JsonBroken` for
the whole file, with the item and, found by reading that stretch again byte by byte, the line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import ijson

MAX_DEPTH = 64  # nesting of one item; exports nest two or three levels
MAX_ITEM_VALUES = 200_000  # values in one item; a post with its replies has a few hundred
CHUNK = 1 << 16
LIST_KEYS = ("mentions", "data", "results", "items", "records", "posts", "entries", "hits")

_OPEN = frozenset(("start_map", "start_array"))
_CLOSE = frozenset(("end_map", "end_array"))

# Imported by name (not ijson.get_backend) so that PyInstaller bundles them.
try:
    from ijson.backends import yajl2_c as _BACKEND
except ImportError:  # no compiled backend on this platform: the pure-Python one, slower
    from ijson.backends import python as _BACKEND


class Unreadable:
    """An item or line that could not be read; it is rejected with `reason`."""

    def __init__(self, reason: str):
        self.reason = reason

    def __repr__(self) -> str:
        return f"Unreadable({self.reason!r})"


class JsonBroken(ValueError):
    """The file stops being JSON; `line` (when found) and `item` say where."""

    def __init__(self, reason: str, item: int | None, line: int | None):
        super().__init__(reason)
        self.reason, self.item, self.line = reason, item, line


class SingleValue(ValueError):
    """The document is one number, string or literal: it holds no mentions."""


class SourceNotDecodable(ValueError):
    """The text of the file does not decode in its encoding (`error` says where)."""

    def __init__(self, error: UnicodeDecodeError):
        super().__init__(str(error))
        self.error = error


class Feed:
    """What ijson reads: UTF-8 bytes from a binary source, or from a text source re-encoded.

    It counts the line breaks it has handed out; from byte `slow_from` on it hands out one byte
    per read, so that when ijson stops at an error the line of that byte is known."""

    def __init__(self, source, is_text: bool, slow_from: int | None = None):
        self.source, self.is_text, self.slow_from = source, is_text, slow_from
        self.buffer, self.at = b"", 0
        self.fed = 0  # bytes handed to the parser
        self.chunk_start = 0  # where the chunk read last begins
        self.newlines = 0
        self.newlines_before_last = 0

    def read(self, size: int = -1) -> bytes:
        if size == 0:  # ijson asks for nothing first, to see whether it gets bytes or text
            return b""
        if self.at >= len(self.buffer):
            try:
                chunk = self.source.read(CHUNK)
            except UnicodeDecodeError as exc:
                raise SourceNotDecodable(exc) from None
            self.buffer = chunk.encode("utf-8") if self.is_text else chunk
            self.at = 0
            self.chunk_start = self.fed
            if not self.buffer:
                return b""
        end = len(self.buffer) if size is None or size < 0 else self.at + size
        if self.slow_from is not None and self.fed >= self.slow_from:
            end = self.at + 1
        piece = self.buffer[self.at : end]
        self.at += len(piece)
        self.fed += len(piece)
        self.newlines_before_last = self.newlines + piece[:-1].count(b"\n")
        self.newlines += piece.count(b"\n")
        return piece

    def close(self) -> None:
        self.source.close()


OpenFeed = Callable[[int | None], Feed]


def json_items(open_feed: OpenFeed) -> Iterator[tuple[int, object]]:
    """(number, item) for each item of the top-level array; for a top-level object, of its
    list under one of LIST_KEYS, else of its first list of objects, else the object itself.
    An item that cannot be built is an `Unreadable`. Raises JsonBroken or SingleValue."""
    count = [0]
    feed = open_feed(None)
    try:
        yield from _items(feed, open_feed, count)
    except (ijson.JSONError, UnicodeDecodeError) as exc:
        raise JsonBroken(_reason(exc), count[0] or None, _locate(open_feed, feed)) from None
    finally:
        feed.close()


def _parse(feed: Feed) -> Iterator[tuple[str, object]]:
    return _BACKEND.basic_parse(feed, use_float=True, buf_size=CHUNK)


def _items(feed: Feed, open_feed: OpenFeed, count: list[int]) -> Iterator[tuple[int, object]]:
    events = _parse(feed)
    event, _value = _next(events)
    if event == "start_array":
        yield from _array_items(events, count)
    elif event == "start_map":
        chosen = _list_key(events)  # reads the whole document once, keeping nothing
        second = open_feed(None)
        try:
            events = _parse(second)
            _next(events)
            if chosen is None:  # an object without a list is one mention
                count[0] = 1
                yield 1, _build("start_map", None, events)
            else:
                yield from _items_under(chosen, events, count)
            _drain(events)
        finally:
            second.close()
        return
    else:
        _drain(events)
        raise SingleValue("the document is a single value")
    _drain(events)


def _items_under(chosen: str, events, count: list[int]) -> Iterator[tuple[int, object]]:
    """The items of the list under `chosen` in the top-level object just opened."""
    done = False  # a key repeated later is not read twice
    for event, key in events:
        if event == "end_map":
            return
        event, _value = _next(events)
        if key == chosen and event == "start_array" and not done:
            yield from _array_items(events, count)
            done = True
        elif event in _OPEN:
            _skip(events)


def _next(events) -> tuple[str, object]:
    for event in events:
        return event
    raise ijson.IncompleteJSONError("premature EOF")


def _array_items(events, count: list[int]) -> Iterator[tuple[int, object]]:
    for event, value in events:
        if event == "end_array":
            return
        count[0] += 1
        yield count[0], _build(event, value, events)


def _list_key(events) -> str | None:
    """Which list of a top-level object holds the mentions (None: the object is one)."""
    lists: dict[str, bool] = {}  # key -> its first items are all objects
    for event, key in events:
        if event == "end_map":
            break
        event, _value = _next(events)
        if event == "start_array":
            kinds: list[str] = []
            for item_event, _item in events:
                if item_event == "end_array":
                    break
                if len(kinds) < 10:
                    kinds.append(item_event)
                if item_event in _OPEN:
                    _skip(events)
            lists.setdefault(str(key), bool(kinds) and all(k == "start_map" for k in kinds))
        elif event in _OPEN:
            _skip(events)
    _drain(events)
    for key in LIST_KEYS:
        if key in lists:
            return key
    return next((key for key, of_objects in lists.items() if of_objects), None)


def _build(event: str, value, events):
    """One value from its first event on; a container too deep or too large is skipped to
    its end and becomes an Unreadable."""
    if event not in _OPEN:
        return value
    root: dict | list = {} if event == "start_map" else []
    stack: list[dict | list] = [root]
    key = None
    values = 0
    for event, value in events:
        if event == "map_key":
            key = value
            continue
        if event in _CLOSE:
            stack.pop()
            if not stack:
                return root
            continue
        values += 1
        top = stack[-1]
        new = value if event not in _OPEN else {} if event == "start_map" else []
        if isinstance(top, dict):
            top[key] = new
        else:
            top.append(new)
        if event in _OPEN:
            stack.append(new)
            if len(stack) > MAX_DEPTH:
                _skip(events, len(stack) - 1)
                return Unreadable(f"it is nested more than {MAX_DEPTH} levels deep")
        if values > MAX_ITEM_VALUES:
            _skip(events, len(stack) - 1)
            return Unreadable(f"it holds more than {MAX_ITEM_VALUES:,} values")
    raise ijson.IncompleteJSONError("premature EOF")  # the parser says so first


def _skip(events, depth: int = 0) -> None:
    """Consume events until the container just opened (and `depth` more) are closed."""
    depth += 1
    for event, _value in events:
        if event in _OPEN:
            depth += 1
        elif event in _CLOSE:
            depth -= 1
            if depth == 0:
                return


def _drain(events) -> None:
    """Read to the end, so that anything broken after the list is noticed."""
    for _event in events:
        pass


_REASONS = (
    ("premature eof", "the file ends in the middle of it; was it cut short?"),
    ("incomplete", "the file ends in the middle of it; was it cut short?"),
    ("integer overflow", "a number there is too large to read"),
    ("floating point", "a number there is too large to read"),
    ("utf8", "the text there is not valid UTF-8"),
    ("trailing garbage", "more follows the end of the JSON"),
    ("additional data", "more follows the end of the JSON"),
    ("invalid char in json", "a value there is not JSON (NaN, Infinity or an unquoted word?)"),
)


def _reason(exc: Exception) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return "a text there holds an escape that is not valid Unicode (a lone surrogate)"
    first = (str(exc).strip().splitlines() or [""])[0]
    lowered = first.lower()
    for needle, reason in _REASONS:
        if needle in lowered:
            return reason
    for prefix in ("lexical error: ", "parse error: "):
        if lowered.startswith(prefix):
            first = first[len(prefix) :]
    return first.rstrip(".")[:120] or exc.__class__.__name__


def _locate(open_feed: OpenFeed, failed: Feed) -> int | None:
    """The line of the parse error: the stretch where it happened is read again one byte at
    a time (the rest at full speed). None when the second reading does not fail."""
    feed = open_feed(failed.chunk_start)
    try:
        _drain(_parse(feed))
    except (ijson.JSONError, UnicodeDecodeError):
        return feed.newlines_before_last + 1
    except Exception:  # noqa: BLE001 - only a line number is at stake here
        return None
    finally:
        feed.close()
    return None
