"""Property tests for the encoding and date readers of the import toolkit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from app.imports.dates import decide_order, parse_date
from app.imports.encoding import Decision, decide, decode

# Lines of text with plenty of non-ASCII letters, as real posts have.
letters = st.characters(
    whitelist_categories=("Ll", "Lu", "Nd", "So"), blacklist_characters="\x85\u2028\u2029"
)
lines = st.lists(
    st.text(alphabet=letters, min_size=5, max_size=40).filter(lambda t: not t.isascii()),
    min_size=4,
    max_size=30,
)


@settings(max_examples=150, deadline=None)
@given(lines=lines)
def test_valid_utf8_is_utf8_and_reads_back_exactly(lines):
    data = "\n".join(lines).encode("utf-8")
    text, decision = decode(data)
    assert (decision.encoding, decision.replaced) == ("utf-8", 0)
    assert text == "\n".join(lines)


@settings(max_examples=150, deadline=None)
@given(lines=lines, where=st.data(), bad=st.sampled_from([b"\xff", b"\xe9", b"\x92", b"\xf0\x9f"]))
def test_a_broken_sequence_in_mostly_utf8_is_replaced_counted_and_named_by_line(lines, where, bad):
    good = sum(len(line) - len(line.encode("ascii", "ignore")) for line in lines)
    assume(good >= 8)
    row = where.draw(st.integers(0, len(lines) - 1))
    encoded = [line.encode("utf-8") for line in lines]
    encoded[row] = b"x" + bad + b" " + encoded[row]
    text, decision = decode(b"\n".join(encoded))
    assert decision.encoding == "utf-8" and decision.replaced == 1
    assert decision.lines == [row + 1] and f"line {row + 1}" in decision.note()
    rest = [line for i, line in enumerate(lines) if i != row]
    assert all(line in text for line in rest)  # nothing else was touched


ascii_text = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), min_size=8)


@settings(max_examples=100, deadline=None)
@given(text=ascii_text, encoding=st.sampled_from(["utf-16-le", "utf-16-be"]))
def test_utf16_without_a_bom_is_found_from_the_bytes(text, encoding):
    decoded, decision = decode(text.encode(encoding))
    assert decision.encoding == encoding and decoded == text


# Sentences as Western spreadsheets hold them (a detector needs words, not letters: a random
# salad of accented words is not a language, and no reader can promise it).
SENTENCES = [
    "Le café était froid et le croissant rassis, très déçu.",
    "Die Brötchen waren köstlich, aber der Kaffee war zu süß.",
    "El señor Muñoz dijo que la atención fue excelente, gracias.",
    "Crème brûlée à tomber, je reviendrai sûrement avec ma sœur.",
    "Grüße aus Köln: schöner Laden, freundliche Bedienung.",
    "La tarta de almendra estaba rica pero la cola fue muy larga.",
    "The café au lait was lovely and the staff were friendly.",
]


@settings(max_examples=100, deadline=None)
@given(sentences=st.lists(st.sampled_from(SENTENCES), min_size=2, max_size=12))
def test_western_text_from_a_windows_spreadsheet_reads_back(sentences):
    text = "\n".join(sentences) + "\n"
    assume(not text.isascii())
    decoded, decision = decode(text.encode("cp1252"))
    assert decision.legacy and decoded == text


def test_the_decision_is_on_every_byte_not_the_first_ones():
    head = "ünïcödé line\n".encode() * 30_000  # far beyond any sample
    tail = b"broken \xff here\n"
    decision = decide(head[:1000], [head, tail])
    assert decision == Decision("utf-8", 1, [30_001])


# --- dates ------------------------------------------------------------------------------------

moments = st.datetimes(min_value=datetime(1995, 1, 1), max_value=datetime(2090, 12, 31)).map(
    lambda m: m.replace(second=0, microsecond=0, tzinfo=UTC)
)

SPREADSHEET_FORMS = {
    "24-02-2015 11.35": (lambda m: m.strftime("%d-%m-%Y %H.%M"), True),
    "2/24/2015 11:35": (lambda m: f"{m.month}/{m.day}/{m.year} {m.hour}:{m.minute:02d}", False),
    "24/02/2015 11:35": (lambda m: m.strftime("%d/%m/%Y %H:%M"), True),
    "2/24/15 11:35 PM": (
        lambda m: (
            f"{m.month}/{m.day}/{m.year % 100:02d} {(m.hour % 12) or 12}:{m.minute:02d} "
            f"{'PM' if m.hour >= 12 else 'AM'}"
        ),
        False,
    ),
    "24.02.2015 11:35": (lambda m: m.strftime("%d.%m.%Y %H:%M"), True),
    "2015/02/24 11:35": (lambda m: m.strftime("%Y/%m/%d %H:%M"), None),
    "ISO": (lambda m: m.strftime("%Y-%m-%dT%H:%M:00Z"), None),
}


@settings(max_examples=300, deadline=None)
@given(moment=moments, form=st.sampled_from(sorted(SPREADSHEET_FORMS)))
def test_spreadsheet_dates_read_back_in_the_files_order(moment, form):
    write, day_first = SPREADSHEET_FORMS[form]
    if form == "2/24/15 11:35 PM":
        assume(1970 <= moment.year < 2070)
    assert parse_date(write(moment), UTC, day_first) == moment


@settings(max_examples=200, deadline=None)
@given(moment=moments)
def test_excel_serial_numbers_read_back_to_the_second(moment):
    serial = (moment.replace(tzinfo=None) - datetime(1899, 12, 30)) / timedelta(days=1)
    assume(serial >= 25569)
    assert parse_date(f"{serial:.10f}".rstrip("0").rstrip("."), UTC) == moment


@settings(max_examples=200, deadline=None)
@given(moments=st.lists(moments, min_size=1, max_size=30), day_first=st.booleans())
def test_the_order_is_decided_from_the_files_own_values(moments, day_first):
    assume(any(m.day > 12 for m in moments))
    if day_first:
        values = [m.strftime("%d/%m/%Y %H:%M") for m in moments]
    else:
        values = [f"{m.month}/{m.day}/{m.year} {m.hour}:{m.minute:02d}" for m in moments]
    decided, why = decide_order(values, "America/New_York" if day_first else "Europe/Paris")
    assert decided is day_first and "the file's own" in why
    assert [parse_date(v, UTC, decided) for v in values] == moments


def test_without_evidence_the_business_zone_decides():
    assert decide_order(["05/11/2026"], "Europe/London")[0] is True
    assert decide_order(["05/11/2026"], "America/Chicago")[0] is False
    assert "no business time zone" in decide_order(["05/11/2026"], "")[1]
