"""The Inbox's reading pane: one mention in full (who, where, when, the words, evidence) and
the reply draft, saved as it is typed."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QPixmap
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QScrollArea,
    QSizePolicy,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.levels import LEVEL_NAMES, level_label
from app.mentions import sentiment as mood
from app.mentions.language import language_of, name_of
from app.mentions.model import SENTIMENTS, Mention, TriageError
from app.text import safe_web_url
from ui import theme
from ui.format import counted, number, sentiment, short_when
from ui.widgets import (
    button,
    icon,
    label,
    open_web_link,
    plain,
    plain_label,
)


class ReadingPane(QScrollArea):
    """One mention in full: who, where, when, the words, evidence, and the reply draft."""

    def __init__(self, page):
        super().__init__()
        self.page = page
        self.mention: Mention | None = None
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMinimumWidth(350)  # three triage buttons side by side, and the margins
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(12, 0, 4, 0)
        layout.setSpacing(8)
        self.meta = label("", "Muted")
        self.chips = label("", rich=True)  # colours are ours; every word in it is escaped
        self.text = QTextBrowser()
        self.text.setAccessibleName("The mention")
        self.text.setOpenExternalLinks(False)
        self.text.setMinimumHeight(48)
        self.text.setMaximumHeight(96)
        # Boxes that fill what is left: their size hints must not make the pane scroll.
        self.text.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        layout.addWidget(self.meta)
        layout.addWidget(self.chips)
        layout.addLayout(self._sentiment_row())
        layout.addWidget(self.text, 2)
        # The post itself: open it, keep proof of it (and see that proof at once).
        post_row = QHBoxLayout()
        post_row.setSpacing(6)
        self.open_button = button("Open post", "mdi6.open-in-new")
        self.open_button.clicked.connect(self.open_post)
        self.attach_button = button("Evidence…", "mdi6.paperclip")
        self.attach_button.setToolTip("Keep a screenshot or file as proof, inside the workspace")
        self.attach_button.clicked.connect(self.attach)
        post_row.addWidget(self.open_button)
        post_row.addWidget(self.attach_button)
        post_row.addStretch(1)
        layout.addLayout(post_row)
        self.evidence = QListWidget()
        self.evidence.setAccessibleName("Evidence")
        self.evidence.setMaximumHeight(56)
        self.evidence.currentItemChanged.connect(self._show_evidence)
        self.preview = plain_label()
        self.preview.setAccessibleName("Evidence picture")
        self.preview.setVisible(False)
        layout.addWidget(self.evidence)
        layout.addWidget(self.preview)
        self.many = label("", "SectionTitle")
        self.many.setVisible(False)
        layout.addWidget(self.many)

        # Triage in a grid of three columns, so it fits the pane at its narrowest.
        triage = QGridLayout()
        triage.setHorizontalSpacing(6)
        triage.setVerticalSpacing(6)
        self.triage_buttons = {}
        for key, text, icon_name, tip in (
            ("reply", "Reply", "mdi6.reply-outline", "Needs a reply (r)"),
            ("escalate", "Escalate", "mdi6.alert-outline", "Escalate (e)"),
            ("ignore", "Ignore", "mdi6.check", "Ignore, with a reason (i)"),
            ("hide", "Hide", "mdi6.eye-off-outline", "Hide: breaks a guideline (h)"),
            ("tag", "Tag", "mdi6.tag-outline", "Add a tag (t)"),
        ):
            widget = button(text, icon_name, tip)
            widget.clicked.connect(lambda _=False, k=key: page.triage(k))
            place = len(self.triage_buttons)
            self.triage_buttons[key] = widget
            triage.addWidget(widget, place // 3, place % 3)
        self.severity = QComboBox()
        self.severity.setAccessibleName("Severity")
        self.severity.addItem("Severity…", None)
        for level, word in LEVEL_NAMES.items():
            self.severity.addItem(f"{level} {word}", level)
        self.severity.activated.connect(lambda i: page.set_severity(self.severity.itemData(i)))
        triage.addWidget(self.severity, 1, 2)
        layout.addLayout(triage)

        reply_row = QHBoxLayout()
        self.reply_caption = label("Reply draft", "Muted", wrap=False)
        self.reply_caption.setToolTip("Nothing is sent from Crisis Desk: copy it and post it")
        reply_row.addWidget(self.reply_caption, 1)
        self.counter = label("", "Muted", wrap=False)
        reply_row.addWidget(self.counter)
        self.copy_button = button("Copy", "mdi6.content-copy", "Copy the reply")
        self.copy_button.clicked.connect(self.copy_reply)
        reply_row.addWidget(self.copy_button)
        layout.addLayout(reply_row)
        self.reply = QPlainTextEdit()
        self.reply.setAccessibleName("Reply draft")
        self.reply.setPlaceholderText("Write a reply; copy it and paste it where the post is.")
        self.reply.setTabChangesFocus(True)
        self.reply.setMinimumHeight(60)
        self.reply.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        self.reply.textChanged.connect(self._draft_changed)
        layout.addWidget(self.reply, 1)
        self.empty = label("Choose a mention to read it here.", "Muted")
        layout.addWidget(self.empty)
        # A short page (an alert above the table) scrolls this pane; it never squeezes a
        # button or a choice until its words are cut.
        for control in [*body.findChildren(QAbstractButton), *body.findChildren(QComboBox)]:
            control.setMinimumHeight(control.sizeHint().height())
        self.text.setMinimumHeight(self.text.fontMetrics().lineSpacing() * 3 + 12)
        self.setWidget(body)
        self.show_mention(None)

    def _one_mention_widgets(self) -> tuple:
        return (
            self.meta,
            self.chips,
            self.why,
            self.correct_box,
            self.text,
            self.reply,
            self.reply_caption,
            self.copy_button,
            self.open_button,
            self.attach_button,
            self.counter,
        )

    def show_many(self, count: int) -> None:
        """Several mentions chosen: what applies to all of them, and no single reply box."""
        self.save_draft()
        self.mention = None
        for widget in self._one_mention_widgets():
            widget.setVisible(False)
        for widget in (self.severity, *self.triage_buttons.values()):
            widget.setVisible(True)
        self.evidence.setVisible(False)
        self.preview.setVisible(False)
        self.empty.setVisible(False)
        self.many.setText(
            f"{number(count)} mentions chosen. Reply, Escalate, Ignore, Hide, Tag and Severity "
            "apply to all of them; right-click to declare an incident from them."
        )
        self.many.setVisible(True)

    def show_mention(self, mention: Mention | None) -> None:
        self.save_draft()
        self.mention = mention
        visible = mention is not None
        self.many.setVisible(False)
        for widget in (
            *self._one_mention_widgets(),
            self.severity,
            *self.triage_buttons.values(),
        ):
            widget.setVisible(visible)
        self.empty.setVisible(not visible)
        self.evidence.setVisible(False)
        self.preview.setVisible(False)
        if mention is None:
            return
        followers = mention.author_followers
        followers = f" · {counted(followers, 'follower')}" if followers else ""
        self.meta.setText(
            f"{mention.author} · {mention.source} · {short_when(mention.posted_at)}{followers}"
        )
        self.chips.setText(self._chips(mention))
        self._show_why(mention)
        self.text.setPlainText(mention.text)
        self.reply.blockSignals(True)
        self.reply.setPlainText(mention.reply_draft)
        self.reply.blockSignals(False)
        self._update_counter()
        web = safe_web_url(mention.url)
        self.open_button.setEnabled(web is not None)
        self.open_button.setToolTip(
            plain(f"Open {web} in your browser")
            if web
            else "This mention has no web address (http or https) to open"
            if not mention.url
            else "Not opened: this mention's address is not a web link (http or https)"
        )
        index = self.severity.findData(mention.severity)
        self.severity.setCurrentIndex(max(0, index))
        self.evidence.clear()
        for item in self.page.store.evidence.of(mention.id):
            entry = QListWidgetItem(
                icon("mdi6.paperclip"), f"{item.filename} ({number(item.size)} bytes)"
            )
            entry.setData(Qt.ItemDataRole.UserRole, (item.id, item.media_type))
            self.evidence.addItem(entry)
        self.evidence.setVisible(self.evidence.count() > 0)
        pictures = [
            row
            for row in range(self.evidence.count())
            if self.evidence.item(row).data(Qt.ItemDataRole.UserRole)[1].startswith("image/")
        ]
        if pictures:  # the first picture shows at once, without a click on its name
            self.evidence.setCurrentRow(pictures[0])

    # --- sentiment: why, and the owner's correction ----------------------------------------

    def _sentiment_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(6)
        self.why = label("", "Muted")
        self.why.setAccessibleName("Why this sentiment")
        self.correct_box = QComboBox()
        self.correct_box.setAccessibleName("Correct the sentiment")
        self.correct_box.setToolTip(
            "Not right? Your label replaces the model's, is kept, and the chart counts it."
        )
        self.correct_box.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # no change by the wheel
        self.correct_box.addItem("Correct…", None)
        for value in SENTIMENTS:
            self.correct_box.addItem(sentiment(value), value)
        self.correct_box.activated.connect(
            lambda i: self.correct_sentiment(self.correct_box.itemData(i))
        )
        row.addWidget(self.why, 1)
        row.addWidget(self.correct_box)
        return row

    def _show_why(self, m: Mention) -> None:
        self.correct_box.setCurrentIndex(0)
        store = self.page.store
        if store.mentions.sentiment_corrected_at(m.id) is not None:
            self.why.setText("You set this label; the model will not change it.")
            return
        if m.sentiment is None:
            self.why.setText("Not read yet.")
            return
        reading = mood.read(m.text, masks=mood.masks_for(store), language=m.language)
        if reading.label == mood.NOT_SCORED:
            language = name_of(language_of(m.text, m.language))
            self.why.setText(f"Not scored: the model reads English, and this is {language}.")
        elif reading.reasons:
            words = ", ".join(f"“{w}”" for w in reading.reasons)
            self.why.setText(f"Why {reading.label}: {words}")
        else:
            self.why.setText(f"Why {reading.label}: no word stood out.")

    def correct_sentiment(self, value: str | None) -> None:
        if self.mention is None or value is None:
            return
        mood.correct(self.page.store, self.mention.id, value)
        updated = self.page.store.mentions.get(self.mention.id)
        self.page.model.refresh_visible()
        self.page.refresh_chart()
        self.show_mention(updated)
        self.page.report_changes("sentiment")
        self.page.say(f"Marked {value}. Your label is kept, and the chart counts it.")

    def _chips(self, m: Mention) -> str:
        colours = theme.current()
        parts = []
        if m.sentiment:
            colour = getattr(colours, m.sentiment, colours.muted)
            parts.append(f"<span style='color:{colour}'>{sentiment(m.sentiment)}</span>")
        parts.append(f"<b>{escape(m.status_label)}</b>")
        if m.severity:
            colour = getattr(colours, f"level{m.severity}")
            parts.append(f"<span style='color:{colour}'>{level_label(m.severity)}</span>")
        parts.extend(f"#{escape(tag)}" for tag in m.tags)
        if m.assignee:
            parts.append(f"assigned to {escape(m.assignee)}")
        return " &nbsp;·&nbsp; ".join(parts)

    def _draft_changed(self) -> None:
        # Saved at every change (a small write), so closing the window never loses a draft.
        self._update_counter()
        self.save_draft()

    def restyle(self) -> None:
        self._update_counter()

    def _update_counter(self) -> None:
        if self.mention is None:
            return
        used, limit = len(self.reply.toPlainText()), self.mention.reply_limit()
        colour = theme.current().negative if used > limit else theme.current().muted
        self.counter.setStyleSheet(f"color: {colour}")
        self.counter.setText(f"{number(used)} / {number(limit)}")
        self.counter.setToolTip(plain(f"{self.mention.source} allows {number(limit)} characters"))

    def save_draft(self) -> None:
        if self.mention is None:
            return
        text = self.reply.toPlainText()
        if text != self.mention.reply_draft:
            self.page.store.mentions.set_reply_draft(self.mention.id, text)
            self.mention.reply_draft = text

    def copy_reply(self) -> None:
        self.save_draft()
        QGuiApplication.clipboard().setText(self.reply.toPlainText())
        self.page.say("Reply copied. Paste it where the post is, then mark it Replied.")

    def open_post(self) -> None:
        if self.mention is not None:
            open_web_link(self.mention.url)

    def attach(self) -> None:
        if self.mention is None:
            return
        name, _ = QFileDialog.getOpenFileName(self, "Attach evidence", str(Path.home()))
        if name:
            self.attach_file(Path(name))

    def attach_file(self, path: Path) -> None:
        try:
            self.page.store.evidence.add_file(self.mention.id, path)
        except (TriageError, OSError) as exc:
            QMessageBox.warning(self, "Attach evidence", plain(str(exc)))
            return
        self.page.evidence_kept(self.mention.id)
        self.show_mention(self.mention)
        self.page.say(f"{path.name} is kept with the mention, inside this workspace.")

    def _show_evidence(self, item: QListWidgetItem | None) -> None:
        if item is None:
            self.preview.setVisible(False)
            return
        evidence_id, media_type = item.data(Qt.ItemDataRole.UserRole)
        if not media_type.startswith("image/"):
            self.preview.setVisible(False)
            return
        pixmap = QPixmap()
        pixmap.loadFromData(self.page.store.evidence.content(evidence_id))
        self.preview.setPixmap(
            pixmap.scaledToWidth(
                min(360, pixmap.width()), Qt.TransformationMode.SmoothTransformation
            )
        )
        self.preview.setVisible(not pixmap.isNull())
