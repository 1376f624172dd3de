"""The Sources window: add and edit sources, test a connection, see each one's health, pull now,
pause all pulls. Secrets go straight to the keyring; the form never shows a stored one."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.secrets import SecretStore
from app.sources.base import SourceSettings
from app.sources.http import SourceError
from app.sources.pulling import fetch_page
from app.sources.registry import ADAPTERS
from app.sources.repository import Source
from app.store import Store
from ui.ops import Op
from ui.widgets import button, label, plain, plain_label, primary_button

# Which form fields each kind uses (the query box is shared).
KIND_FIELDS = {
    "rss": ("url",),
    "mastodon": ("tag", "query"),
    "bluesky": ("query", "handle"),
    "reddit": ("query", "client_id", "subreddit"),
    "hackernews": ("query",),
    "json": ("url", "items", "map", "header"),
}
FIELD_LABELS = {
    "url": "Address",
    "tag": "Hashtag",
    "query": "Search for",
    "handle": "Your handle",
    "client_id": "Client id",
    "subreddit": "Subreddit (optional)",
    "items": "List of items at",
    "map": "Fields",
    "header": "Token header",
}


class SourcesDialog(QDialog):
    """Pulls started here are the window's (its scheduler's `pull`); the test of a connection is
    an op of this dialog."""

    def __init__(self, store: Store, secrets: SecretStore, start_pull, parent=None):
        super().__init__(parent)
        self.store = store
        self.secrets = secrets
        self.start_pull = start_pull  # callable(name) from the window's scheduler
        self.current: Source | None = None
        self.setWindowTitle("Sources")
        self.resize(1040, 620)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 20, 24, 20)
        outer.setSpacing(12)
        top = QHBoxLayout()
        top.addWidget(
            label(
                "Sources bring mentions into your inbox: feeds, Mastodon, Bluesky, Reddit, "
                "Hacker News, or any JSON service. Each is pulled on its own interval while "
                "Crisis Desk is open.",
                "Muted",
            ),
            1,
        )
        self.pause_box = QCheckBox("Pause all pulls")
        self.pause_box.setToolTip("For working offline: no source is pulled until you untick this.")
        self.pause_box.setChecked(store.sources.paused())
        self.pause_box.toggled.connect(self._toggle_pause)
        top.addWidget(self.pause_box)
        outer.addLayout(top)

        split = QSplitter()
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels(["Source", "Health"])
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        self.table.setColumnWidth(0, 200)
        self.table.setWordWrap(False)
        self.table.setAccessibleName("Sources")
        self.table.itemSelectionChanged.connect(self._on_select)
        left_layout.addWidget(self.table, 1)
        self.empty_hint = label(
            "No sources yet. Choose a kind on the right, fill in the form and press “Add source”.",
            "Muted",
        )
        left_layout.addWidget(self.empty_hint)
        new_button = button("New source", "mdi6.plus", "Start a new source (Ctrl+N)")
        new_button.setShortcut("Ctrl+N")
        new_button.clicked.connect(self.new_source)
        left_layout.addWidget(new_button, 0, Qt.AlignmentFlag.AlignLeft)
        split.addWidget(left)

        right = QWidget()
        form_box = QVBoxLayout(right)
        form_box.setContentsMargins(16, 0, 0, 0)
        self.form_title = label("New source", "SectionTitle")
        form_box.addWidget(self.form_title)
        self.form = QFormLayout()
        self.form.setSpacing(8)
        self.kind = QComboBox()
        for kind, adapter in ADAPTERS.items():
            self.kind.addItem(adapter.label, kind)
        self.kind.setAccessibleName("Kind of source")
        self.kind.currentIndexChanged.connect(self._on_kind)
        self.form.addRow("Kind", self.kind)
        self.help = label("", "Muted")
        form_box.addWidget(self.help)
        self.name = QLineEdit()
        self.name.setPlaceholderText("e.g. Google Alert: Hearth & Crumb")
        self.form.addRow("Name", self.name)
        self.fields: dict[str, QLineEdit | QPlainTextEdit] = {}
        for key, caption in FIELD_LABELS.items():
            widget = QPlainTextEdit() if key == "map" else QLineEdit()
            if key == "map":
                widget.setPlaceholderText("text=body\nauthor_name=user.name\nposted_at=created")
                widget.setFixedHeight(80)
                widget.setTabChangesFocus(True)
            widget.setAccessibleName(caption)
            self.fields[key] = widget
            self.form.addRow(caption, widget)
        self.secret = QLineEdit()
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret.setAccessibleName("Password or token")
        self.form.addRow("Secret", self.secret)
        self.base_url = QLineEdit()
        self.base_url.setPlaceholderText("leave empty for the service's own address")
        self.form.addRow("Server", self.base_url)
        self.interval = QSpinBox()
        self.interval.setRange(1, 1440)
        self.interval.setValue(15)
        self.interval.setSuffix(" min")
        self.form.addRow("Pull every", self.interval)
        self.enabled = QCheckBox("Switched on")
        self.enabled.setChecked(True)
        self.form.addRow("", self.enabled)
        form_box.addLayout(self.form)
        self.status = plain_label("")
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Connection status")
        form_box.addWidget(self.status)
        buttons = QHBoxLayout()
        self.test_button = button(
            "Test connection", "mdi6.lan-connect", "Fetch once without saving anything"
        )
        self.test_button.clicked.connect(self.test_connection)
        self.pull_button = button("Pull now", "mdi6.download", "Pull this source now")
        self.pull_button.clicked.connect(self.pull_now)
        self.remove_button = button(
            "Remove", "mdi6.delete-outline", "Remove this source and its stored secret"
        )
        self.remove_button.clicked.connect(self.remove_source)
        self.save_button = primary_button("Add source", "mdi6.check")
        self.save_button.setShortcut("Ctrl+Return")
        self.save_button.clicked.connect(self.save)
        for widget in (self.test_button, self.pull_button, self.remove_button):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        form_box.addLayout(buttons)
        form_box.addStretch(1)
        split.addWidget(right)
        left.setMinimumWidth(470)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        outer.addWidget(split, 1)
        self.refresh()
        self.new_source()

    # --- list ----------------------------------------------------------------------------

    def refresh(self) -> None:
        sources = self.store.sources.all()
        self.table.setRowCount(len(sources))
        for row, source in enumerate(sources):
            for column, text in enumerate((source.name, source.health())):
                item = QTableWidgetItem(text)
                item.setToolTip(plain(f"{ADAPTERS[source.kind].label}: {source.health()}"))
                item.setData(Qt.ItemDataRole.UserRole, source.name)
                self.table.setItem(row, column, item)
        self.empty_hint.setVisible(not sources)

    def _on_select(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        name = self.table.item(rows[0].row(), 0).data(Qt.ItemDataRole.UserRole)
        self.show_source(self.store.sources.get(name))

    # --- form ----------------------------------------------------------------------------

    def _on_kind(self) -> None:
        kind = self.kind.currentData()
        adapter = ADAPTERS[kind]
        self.help.setText(adapter.help)
        used = KIND_FIELDS[kind]
        for key, widget in self.fields.items():
            self.form.setRowVisible(widget, key in used)
        self.form.setRowVisible(self.secret, bool(adapter.secret_label))
        self.form.labelForField(self.secret).setText(adapter.secret_label or "Secret")
        self.base_url.setPlaceholderText(adapter.default_base_url or "not used")
        self.form.setRowVisible(self.base_url, bool(adapter.default_base_url))

    def new_source(self) -> None:
        self.current = None
        self.table.clearSelection()
        self.form_title.setText("New source")
        self.save_button.setText("Add source")
        self.kind.setEnabled(True)
        self.name.clear()
        for widget in self.fields.values():
            widget.clear() if isinstance(widget, QLineEdit) else widget.setPlainText("")
        self.secret.clear()
        self.secret.setPlaceholderText("")
        self.base_url.clear()
        self.interval.setValue(15)
        self.enabled.setChecked(True)
        self.status.setText("")
        self.pull_button.setEnabled(False)
        self.remove_button.setEnabled(False)
        self._on_kind()
        self.name.setFocus()

    def show_source(self, source: Source) -> None:
        self.current = source
        self.form_title.setText(source.name)
        self.save_button.setText("Save changes")
        self.kind.setCurrentIndex(self.kind.findData(source.kind))
        self.kind.setEnabled(False)
        self.name.setText(source.name)
        for key, widget in self.fields.items():
            if key == "query":
                widget.setText(source.query)
            elif key == "map":
                widget.setPlainText(
                    "\n".join(f"{k}={v}" for k, v in source.options.get("map", {}).items())
                )
            else:
                widget.setText(str(source.options.get(key, "")))
        self.secret.clear()
        self.secret.setPlaceholderText("stored in your keyring — type to replace")
        self.base_url.setText(source.base_url)
        self.interval.setValue(source.interval_minutes)
        self.enabled.setChecked(source.enabled)
        self.status.setText(
            source.health() + (f"  ·  {source.rate_text}" if source.rate_text else "")
        )
        self.pull_button.setEnabled(True)
        self.remove_button.setEnabled(True)

    def settings_from_form(self) -> SourceSettings:
        kind = self.kind.currentData()
        options: dict = {}
        for key in KIND_FIELDS[kind]:
            if key == "query":
                continue
            widget = self.fields[key]
            if key == "map":
                pairs = [line.partition("=") for line in widget.toPlainText().splitlines()]
                mapping = {
                    k.strip(): v.strip() for k, sep, v in pairs if sep and k.strip() and v.strip()
                }
                if mapping:
                    options["map"] = mapping
            elif widget.text().strip():
                options[key] = widget.text().strip()
        query = self.fields["query"].text().strip() if "query" in KIND_FIELDS[kind] else ""
        return SourceSettings(
            self.name.text().strip(), kind, query, self.base_url.text().strip(), options
        )

    def _problems(self, settings: SourceSettings) -> list[str]:
        problems = [] if settings.name else ["Give the source a name."]
        adapter = ADAPTERS[settings.kind]
        problems += adapter.validate(settings)
        if self.secret.text() or adapter.secret_required:  # a secret travels only over https
            problems += adapter.insecure_secret_problems(settings)
        return problems

    def save(self) -> None:
        settings = self.settings_from_form()
        problems = self._problems(settings)
        if problems:
            self.status.setText(" ".join(problems))
            return
        try:
            if self.current is None:
                source = self.store.sources.add(settings, self.interval.value())
            else:
                self.store.sources.update(
                    self.current.id, settings, self.interval.value(), self.enabled.isChecked()
                )
                source = self.store.sources.get(settings.name)
        except ValueError as exc:
            self.status.setText(str(exc))
            return
        if self.secret.text():
            self.secrets.set(source.secret_name, self.secret.text())
        self.refresh()
        self.show_source(self.store.sources.get(settings.name))
        note = "" if self.secrets.persistent else " " + self.secrets.problem
        self.status.setText(f"Saved.{note}")

    def remove_source(self) -> None:
        if self.current is None:
            return
        answer = QMessageBox.question(
            self,
            "Remove source",
            plain(
                f"Remove the source “{self.current.name}” and its stored password or token?\n\n"
                "The mentions it already brought in stay in your inbox."
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        removed = self.current
        self.store.sources.remove(removed.id)
        secret_gone = self.secrets.delete(removed.secret_name)
        self.refresh()
        self.new_source()
        if not secret_gone:
            self.status.setText(
                f"Removed “{removed.name}”, but the keyring could not be reached, so its password "
                f"or token may still be stored there: remove the entry “{removed.secret_name}” "
                f"of “{self.secrets.service}” with your keyring app."
            )

    def test_connection(self) -> None:
        settings = self.settings_from_form()
        problems = self._problems(settings)
        if problems:
            self.status.setText(" ".join(problems))
            return
        probe = Source(
            id=0,
            name=settings.name,
            kind=settings.kind,
            query=settings.query,
            base_url=settings.base_url,
            options=settings.options,
            secret_ref=self.current.secret_ref if self.current else "",
        )
        typed = self.secret.text()
        secrets = self.secrets
        if typed:
            secrets = _OneSecret(probe.secret_name, typed)
        self.status.setText("Testing…")
        self.test_button.setEnabled(False)
        now = self.store.clock()

        def probe_fetch(_job):
            page, http = fetch_page(probe, secrets, now)
            return len(page.mentions), http.rate.as_text()

        Op(self, probe_fetch, title="Test connection").success(self._tested).on_failure(
            self._test_failed
        ).run_in_background()

    def _tested(self, result) -> None:
        count, rate = result
        self.test_button.setEnabled(True)
        extra = f" ({rate})" if rate else ""
        self.status.setText(f"Connection works: {count} items found right now{extra}.")

    def _test_failed(self, message: str) -> None:
        self.test_button.setEnabled(True)
        self.status.setText(f"Connection failed: {message}")

    def pull_now(self) -> None:
        if self.current is not None:
            self.status.setText("Pulling…")
            self.start_pull(self.current.name)

    def pull_finished(self) -> None:
        self.refresh()
        if self.current is not None:
            self.show_source(self.store.sources.get(self.current.name))

    def _toggle_pause(self, paused: bool) -> None:
        self.store.sources.set_paused(paused)


class _OneSecret(SecretStore):
    """Test connection with a secret typed but not saved yet: nothing touches the keyring."""

    def __init__(self, name: str, secret: str):
        super().__init__()
        self._session[name] = secret
        self.persistent = False

    def get(self, name: str) -> str | None:
        return self._session.get(name)


__all__ = ["SourcesDialog", "SourceError"]
