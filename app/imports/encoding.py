"""Which encoding a file's bytes are in, decided on the bytes as a whole: one policy for
mention exports, contact files and feeds.

- A byte-order mark says it: UTF-8, UTF-16 or UTF-32.
- UTF-16 without a BOM shows as a zero byte in every other place (ASCII-range text).
- Otherwise every byte is scanned once. A file whose non-ASCII characters are overwhelmingly
  valid UTF-8 is UTF-8, even with a few broken sequences (Excel cuts an emoji in half, a
  Windows program pastes a smart quote): those are replaced with U+FFFD, counted and reported
  by line. Reading such a file as a legacy code page because of a few bad bytes would garble
  every other accented letter and emoji in it.
- A file with no valid UTF-8 to speak of is a legacy code page, chosen by charset-normalizer
  from its non-ASCII lines (Windows-1252 when that reading is as good as any: spreadsheets
  in most of the world write it), so KOI8-R, EUC-JP, GB2312 or TIS-620 come through too.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

MAX_LINES_LISTED = 20  # lines with replaced bytes named in a result
UTF8_SHARE = 4  # valid non-ASCII characters needed per broken sequence to still be UTF-8
LEGACY_SAMPLE = 256 * 1024  # bytes of non-ASCII lines a legacy code page is chosen from
_ASCII = bytes(range(128))
_C1 = re.compile("[\x80-\x9f]")
# Latin-script code pages, which a short text cannot tell from Windows-1252.
_LATIN_SCRIPT = {
    "cp1250", "cp1252", "cp1254", "cp1257", "cp1258", "latin_1", "iso8859_2", "iso8859_3",
    "iso8859_4", "iso8859_9", "iso8859_10", "iso8859_13", "iso8859_14", "iso8859_15",
    "iso8859_16", "mac_roman", "mac_latin2", "cp850", "cp437", "cp852", "cp775",
}  # fmt: skip


class NotText(ValueError):
    """The bytes are not text in any encoding (a picture, a database, a zip)."""


@dataclass
class Decision:
    """How a file's bytes are read: `encoding`, with `errors` ("replace" when `replaced`
    broken sequences were found in a UTF-8 file, on `lines`)."""

    encoding: str
    replaced: int = 0
    lines: list[int] = field(default_factory=list)
    legacy: bool = False  # a code page chosen from a sample: a byte it lacks is U+FFFD

    @property
    def errors(self) -> str:
        return "replace" if self.replaced or self.legacy else "strict"

    def note(self) -> str:
        """One sentence for a result, or "" when nothing was replaced."""
        if not self.replaced:
            return ""
        where = ", ".join(str(line) for line in self.lines)
        more = " and more" if self.replaced > len(self.lines) else ""
        sequences = "sequence" if self.replaced == 1 else "sequences"
        return (
            f"{self.replaced:,} broken UTF-8 byte {sequences} (a damaged file) were shown as "
            f"\ufffd on line{'s' if len(self.lines) > 1 else ''} {where}{more}; the rest of the "
            "text is as written."
        )


def bom_encoding(head: bytes) -> str | None:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return None


def utf16_without_bom(head: bytes) -> str | None:
    """UTF-16 of mostly ASCII-range text has a zero in every other byte; which half holds
    them says little- or big-endian. Raises NotText for zeros without that pattern."""
    zeros = head.count(0)
    if zeros <= len(head) // 4:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if odd > 4 * even:
        return "utf-16-le"
    if even > 4 * odd:
        return "utf-16-be"
    raise NotText("zero bytes")


class Utf8Scan:
    """Counts valid non-ASCII characters and broken UTF-8 sequences, with their lines, over
    bytes fed in any pieces (a sequence cut between two pieces is joined again)."""

    def __init__(self) -> None:
        self.good = 0  # valid non-ASCII characters
        self.bad = 0  # broken sequences
        self.lines: list[int] = []
        self.line = 1  # the line the next byte is on
        self.legacy = bytearray()  # lines holding non-ASCII bytes, for a legacy guess
        self._carry = b""

    def feed(self, data: bytes, final: bool = False) -> None:
        data = self._carry + data
        cut = len(data) if final else data.rfind(b"\n") + 1  # whole lines only
        piece, self._carry = data[:cut], data[cut:]
        if piece:
            self._scan(piece)

    def _scan(self, piece: bytes) -> None:
        high = len(piece.translate(None, _ASCII))
        if high:
            try:
                text = piece.decode("utf-8")
            except UnicodeDecodeError:
                self._scan_broken(piece)
            else:
                self.good += len(text) - len(text.encode("ascii", "ignore"))
            if len(self.legacy) < LEGACY_SAMPLE:
                self.legacy += b"".join(
                    line + b"\n" for line in piece.split(b"\n") if not line.isascii()
                )[: LEGACY_SAMPLE - len(self.legacy)]
        self.line += piece.count(b"\n")

    def _scan_broken(self, piece: bytes) -> None:
        start = 0
        while start < len(piece):
            try:
                text = piece[start:].decode("utf-8")
            except UnicodeDecodeError as exc:
                good = piece[start : start + exc.start].decode("utf-8")
                self.good += len(good) - len(good.encode("ascii", "ignore"))
                at = start + exc.start
                self.bad += 1
                line = self.line + piece.count(b"\n", 0, at)
                if len(self.lines) < MAX_LINES_LISTED and line not in self.lines:
                    self.lines.append(line)
                start = start + max(exc.end, exc.start + 1)
            else:
                self.good += len(text) - len(text.encode("ascii", "ignore"))
                return

    def decision(self) -> Decision | None:
        """UTF-8 (with replacements when a few sequences are broken), or None: a legacy
        code page, to be chosen from `legacy`."""
        if self._carry:
            self._scan(self._carry)
            self._carry = b""
        if self.bad == 0:
            return Decision("utf-8")
        if self.good >= UTF8_SHARE * self.bad:
            return Decision("utf-8", self.bad, self.lines)
        return None


def legacy_encoding(sample: bytes) -> str:
    """The legacy code page of non-ASCII text, or NotText."""
    from charset_normalizer import from_bytes

    matches = from_bytes(sample)
    best = matches.best()
    if best is None or not best.encoding:
        raise NotText("no encoding fits")
    encoding = best.encoding
    try:
        sample.decode("cp1252")
    except UnicodeDecodeError:
        return _without_controls(sample, encoding)
    # Cyrillic, Hebrew, Greek, Thai... as charset-normalizer finds them; but without any
    # language evidence (a few letters) Windows-1252 is the likeliest reading.
    if encoding not in _LATIN_SCRIPT and (best.coherence > 0 or not _single_byte(encoding)):
        return encoding
    # charset-normalizer ranks Latin readings by cleanliness, so a French text can come out as
    # ISO-8859-10 (its ç read as į) and a Spanish one as Windows-1250 (its ñ as ń). Western
    # text read as Windows-1252 is all Western letters and punctuation; Polish, Czech,
    # Hungarian or Lithuanian read so is not (ż becomes ¿ in a word, ł ³, ő õ, č è), and keeps
    # the page charset-normalizer found for it.
    if best.coherence == 0 or _western_share(sample.decode("cp1252")) >= 0.95:
        return "cp1252"
    return _without_controls(sample, encoding)


# What Western European writing holds beyond ASCII (Windows-1252's letters and punctuation,
# less those that mostly show up as other pages' letters read wrongly: ³ ¹ Ÿ ð ...
# are kept only where Western languages really use them).
_WESTERN = set(
    "àáâäåæçéêëíîïñóôöúûüýÿßœÀÁÂÄÅÆÇÉÊËÍÎÏÑÓÔÖÚÛÜÝŒ€‘’“”„–—…•«»°£§©®·¡¿ªº™èìòùÈÌÒÙãÃõÕ\xa0\xad´±¼½¾¢¥µ¶¬¨¸"
)


def _western_share(text: str) -> float:
    """The share of a text's non-ASCII characters that Western European writing uses, with
    two letters in a row of Windows-1252 read wrongly (¿ó³æ) counted against it."""
    high = [c for c in text if c > "\x7f"]
    if not high:
        return 0.0
    odd = len(re.findall(r"(?<=\w)[¿¡](?=\w)", text))  # ż read as ¿ inside a word
    return (sum(c in _WESTERN for c in high) - odd) / len(high)


def _single_byte(encoding: str) -> bool:
    return len(bytes(range(256)).decode(encoding, errors="replace")) == 256


def _without_controls(sample: bytes, encoding: str) -> str:
    """No text holds C1 control characters: bytes 0x80-0x9F that Windows-1252 lacks and an
    ISO page turns into controls are Mac Roman's letters (Excel for Mac writes it)."""
    if encoding in _LATIN_SCRIPT and _C1.search(sample.decode(encoding, errors="replace")):
        return "mac_roman"
    return encoding


def decide(head: bytes, chunks) -> Decision:
    """The decision for a file that starts with `head` and whose bytes (all of them, head
    included) `chunks` yields. Raises NotText."""
    if encoding := bom_encoding(head):
        return Decision(encoding)
    if encoding := utf16_without_bom(head[: 64 * 1024]):
        return Decision(encoding)
    scan = Utf8Scan()
    for chunk in chunks:
        scan.feed(chunk)
    scan.feed(b"", final=True)
    found = scan.decision()
    if found is not None:
        return found
    return Decision(legacy_encoding(bytes(scan.legacy)), legacy=True)


def decode(data: bytes) -> tuple[str, Decision]:
    """Bytes held whole (a contacts file, a feed) as text, by the same policy."""
    decision = decide(data, [data])
    if not decision.encoding.startswith("utf-16") and b"\x00" in data[:4096]:
        raise NotText("a NUL byte")  # no text file holds one (a picture's header does)
    # A UTF-16 file cut at an odd byte ends in half a character: that half is U+FFFD.
    errors = "replace" if decision.encoding.startswith("utf-") else decision.errors
    text = data.decode(decision.encoding, errors=errors)
    return text.removeprefix("\ufeff"), decision
