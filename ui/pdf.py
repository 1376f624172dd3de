"""PDF writing for any report: HTML laid out by QTextDocument, written by QPdfWriter on A4.

Each page gets a running header (title on the left, a note on the right) and a footer with
the page number, painted around the text, in the DejaVu font shipped in resources/fonts —
without an embedded font a PDF can come out with no text at all on a machine without fonts.
The plan binder and the debrief report use it.

QPdfWriter says nothing when the disk fills: it leaves an empty or cut-off file. So the PDF is
written to a temporary name beside the target (app.files.atomic_target), checked for its end
marker, and only then renamed over the target; a failure leaves the old file or none and says
"the disk is full" when it is.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QTextDocument,
)

from app.errors import Cancelled, DiskFull, UserError
from app.files import atomic_target
from app.paths import resource
from ui.format import date

RESOLUTION = 300  # dots per inch of the PDF's coordinate space; text stays vector
NEARLY_FULL = 1 << 20  # below this much free space, a PDF that came out cut off hit a full disk
FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
_family: str | None = None


class PdfError(UserError):
    """The PDF cannot be written; the message is one plain sentence."""


def report_font_family() -> str:
    """Load the shipped font once; its family name for documents and painting."""
    global _family
    if _family is None:
        if QGuiApplication.instance() is None:
            raise PdfError("PDF writing needs the Qt application to be running.")
        families = []
        for name in FONT_FILES:
            font_id = QFontDatabase.addApplicationFont(str(resource("fonts", name)))
            if font_id < 0:
                raise PdfError(f"The report font {name} is missing from resources/fonts.")
            families.extend(QFontDatabase.applicationFontFamilies(font_id))
        _family = families[0]
    return _family


def _plain_font(family: str, size: float) -> QFont:
    """The report font without ligatures, so 'fi' in a copied name is two letters again."""
    font = QFont(family, size)
    font.setFeature(QFont.Tag("liga"), 0)
    return font


def write_pdf(
    html: str,
    path: str | Path,
    title: str,
    *,
    header_note: str = "",
    footer_note: str = "",
    font_size: float = 9.5,
    images: dict | None = None,
    cancelled=None,
) -> int:
    """Lay out `html` on A4 pages and write them to `path` whole or not at all; returns the
    number of pages. `images` maps resource names used in <img src> (e.g. "chart://volume") to
    QImages; `cancelled()`, checked between pages, stops with nothing written."""
    path = Path(path)
    family = report_font_family()
    with atomic_target(path) as temp:
        pages = _paint(
            html,
            temp,
            path,
            title,
            family,
            header_note=header_note,
            footer_note=footer_note,
            font_size=font_size,
            images=images,
            cancelled=cancelled,
        )
        _check_complete(temp, path)
    return pages


def _check_complete(temp: Path, path: Path) -> None:
    """A PDF ends with %%EOF; QPdfWriter leaves it off (or writes nothing) when a write failed."""
    try:
        with open(temp, "rb") as handle:
            handle.seek(max(0, os.path.getsize(temp) - 1024))
            tail = handle.read()
    except OSError:
        return  # atomic_target names what is wrong with the file
    if not tail or b"%%EOF" in tail:
        return  # an empty file is atomic_target's to explain
    if shutil.disk_usage(path.parent).free < NEARLY_FULL:
        raise DiskFull(
            f"The disk is full: Crisis Desk could not write {path}; "
            "free some space and try again (nothing was lost)."
        )
    raise PdfError(f"Crisis Desk could not write {path}: the PDF came out incomplete.")


def _paint(
    html: str,
    temp: Path,
    path: Path,
    title: str,
    family: str,
    *,
    header_note: str,
    footer_note: str,
    font_size: float,
    images: dict | None,
    cancelled,
) -> int:
    """Paint the pages into the file `temp` (the report is named by `path` in messages)."""
    mm = RESOLUTION / 25.4
    writer = QPdfWriter(str(temp))
    writer.setResolution(RESOLUTION)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(0, 0, 0, 0),
        )
    )
    writer.setTitle(title)
    writer.setCreator("Crisis Desk")
    page = writer.pageLayout().fullRectPixels(RESOLUTION)
    left, right, top, bottom = 18 * mm, 18 * mm, 24 * mm, 20 * mm
    body = QSizeF(page.width() - left - right, page.height() - top - bottom)

    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(writer)
    doc.setDefaultFont(_plain_font(family, font_size))
    doc.setDocumentMargin(0)
    for name, image in (images or {}).items():
        doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), image)
    doc.setHtml(html)
    doc.setPageSize(body)  # the layout moves lines and table rows that would straddle a page
    pages = doc.pageCount()

    painter = QPainter()
    if not painter.begin(writer):
        raise PdfError(f"Cannot write {path}: the folder is missing or not writable.")
    try:
        small = _plain_font(family, 7.5)
        muted = QColor("#5f6b7a")
        for number in range(pages):
            if cancelled is not None and cancelled():
                raise Cancelled
            if number:
                writer.newPage()
            painter.save()
            painter.translate(left, top - number * body.height())
            context = QAbstractTextDocumentLayout.PaintContext()
            context.clip = QRectF(0, number * body.height(), body.width(), body.height())
            painter.setClipRect(context.clip)
            doc.documentLayout().draw(painter, context)
            painter.restore()

            painter.setFont(small)
            painter.setPen(muted)
            header = QRectF(left, 10 * mm, body.width(), 8 * mm)
            painter.drawText(
                header, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom, title
            )
            painter.drawText(
                header, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom, header_note
            )
            painter.setPen(QPen(QColor("#c9d1da"), 0.3 * mm))
            painter.drawLine(int(left), int(19 * mm), int(left + body.width()), int(19 * mm))
            painter.setPen(muted)
            footer = QRectF(left, page.height() - 14 * mm, body.width(), 8 * mm)
            painter.drawText(
                footer, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, footer_note
            )
            painter.drawText(
                footer,
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop,
                f"Page {number + 1} of {pages}",
            )
    finally:
        painter.end()
    # The writer closes its file when it is deleted: before the rename, not whenever Python
    # collects it (Windows cannot replace a file that is still open).
    del doc, writer
    if cancelled is not None and cancelled():
        raise Cancelled
    return pages


def ensure_gui_application() -> QGuiApplication:
    """A Qt application for writing PDFs from the command line (no window; charts are painted
    by the same widgets as on screen, so it is a widgets application)."""
    from PySide6.QtWidgets import QApplication

    return QGuiApplication.instance() or QApplication(["crisisdesk"])


def write_plan_binder(store, path: str | Path, now=None) -> int:
    """The plan binder PDF of `store` at `path`; returns the number of pages."""
    from app.reports.content import plan_binder_html
    from app.timeutil import utc_now

    now = now or utc_now()
    business = store.business.get()
    name = business.name if business else "Your business"
    html = plan_binder_html(store, now)
    latest = store.plan.revisions()[0]
    return write_pdf(
        html,
        path,
        f"{name} — Crisis plan binder",
        header_note=f"Printed {date(now)}",
        footer_note=f"Plan revision {latest.number} · keep a printed copy somewhere safe",
    )


def debrief_chart(store, incident_id: int, width: int = 640, height: int = 260):
    """Mentions per hour and negative share from a day before the incident to a day after,
    with its events (declared, level, status, statements) as markers."""
    from app.debriefs.metrics import chart_span
    from app.reports.content import TIMELINE_MARKER_KINDS
    from ui.charts import HourPoint, render_chart

    incident = store.incidents.get(incident_id)
    start, end = chart_span(incident, store.clock())
    points = [
        HourPoint(h.hour, h.count, h.negative) for h in store.mentions.hourly_series(start, end)
    ]
    short = {
        "declared": "declared",
        "severity": "level",
        "status": "status",
        "statement-published": "update",
    }
    markers, last = [], None
    for event in store.incidents.timeline(incident_id, TIMELINE_MARKER_KINDS):
        label = short[event.kind]
        if event.kind == "status":
            label = event.data.get("new", "status")
        if event.kind == "severity":
            label = f"level {event.data.get('new')}"
        if (event.at, label) != last:  # one marker for a statement posted on three channels
            markers.append((event.at, label))
            last = (event.at, label)
    return render_chart(points, markers, width, height)


DEBRIEF_TITLE = "{business} — Debrief: {incident}"


def write_debrief(
    store, debrief_id: int, path: str | Path, progress=None, now=None, chart=None, cancelled=None
) -> int:
    """The debrief report PDF at `path`; returns the number of pages. From a worker thread,
    pass the `chart` painted on the GUI thread (widgets live there), and `cancelled` to stop."""
    from app.reports.content import DEBRIEF_CHART, debrief_html
    from app.timeutil import utc_now

    now = now or utc_now()
    debrief = store.debriefs.get(debrief_id)
    incident = store.incidents.get(debrief.incident_id)
    business = store.business.get()
    name = business.name if business else "Your business"
    html = debrief_html(store, debrief_id, progress=progress)
    if chart is None:
        chart = debrief_chart(store, incident.id)
    return write_pdf(
        html,
        path,
        DEBRIEF_TITLE.format(business=name, incident=incident.title),
        header_note=f"Printed {date(now)}",
        footer_note="Blameless review: about what happened, not who to blame",
        images={DEBRIEF_CHART: chart},
        cancelled=cancelled,
    )
