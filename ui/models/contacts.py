"""The contacts table: a read-only model over the contacts the page asked the store for."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from app.contacts.model import Contact
from ui.widgets import plain

COLUMNS = ("Name", "Role", "Organisation", "Phone", "Email", "Groups")


class ContactTableModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.contacts: list[Contact] = []

    def set_contacts(self, contacts: list[Contact]) -> None:
        self.beginResetModel()
        self.contacts = contacts
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | None = None) -> int:  # noqa: N802 (Qt override)
        return 0 if parent is not None and parent.isValid() else len(self.contacts)

    def columnCount(self, parent: QModelIndex | None = None) -> int:  # noqa: N802 (Qt override)
        return 0 if parent is not None and parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        contact = self.contacts[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                contact.name,
                contact.role,
                contact.organisation,
                contact.first_phone,
                contact.first_email,
                ", ".join(contact.groups),
            )[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [p.text() for p in contact.phones] + contact.emails
            if contact.availability:
                lines.append(f"Available: {contact.availability}")
            return plain("\n".join(lines)) or None
        if role == Qt.ItemDataRole.UserRole:
            return contact.id
        return None

    def contact_at(self, row: int) -> Contact | None:
        return self.contacts[row] if 0 <= row < len(self.contacts) else None
