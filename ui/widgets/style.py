"""Qt's Fusion style with every icon from the one set: message boxes, the file dialog, the
line edits' clear button; and no icons on dialog buttons (Qt's stock tick and floppy disk
beside our flat icons would be two styles in one window)."""

from __future__ import annotations

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle, QStyleFactory

from ui import theme
from ui.widgets.icons import icon

SP = QStyle.StandardPixmap
# Qt's standard pixmaps and the icon of our set drawn instead, in a palette role.
STANDARD_ICONS: dict[QStyle.StandardPixmap, tuple[str, str]] = {
    SP.SP_MessageBoxInformation: ("mdi6.information-outline", "accent"),
    SP.SP_MessageBoxQuestion: ("mdi6.help-circle-outline", "accent"),
    SP.SP_MessageBoxWarning: ("mdi6.alert-outline", "warning"),
    SP.SP_MessageBoxCritical: ("mdi6.alert-octagon-outline", "negative"),
    SP.SP_LineEditClearButton: ("mdi6.close-circle-outline", "muted"),
    SP.SP_DirIcon: ("mdi6.folder-outline", "text"),
    SP.SP_DirOpenIcon: ("mdi6.folder-open-outline", "text"),
    SP.SP_DirClosedIcon: ("mdi6.folder-outline", "text"),
    SP.SP_DirLinkIcon: ("mdi6.folder-arrow-right-outline", "text"),
    SP.SP_DirHomeIcon: ("mdi6.home-outline", "text"),
    SP.SP_FileIcon: ("mdi6.file-outline", "text"),
    SP.SP_FileLinkIcon: ("mdi6.file-link-outline", "text"),
    SP.SP_DriveHDIcon: ("mdi6.harddisk", "text"),
    SP.SP_DriveFDIcon: ("mdi6.harddisk", "text"),
    SP.SP_DriveCDIcon: ("mdi6.disc", "text"),
    SP.SP_DriveDVDIcon: ("mdi6.disc", "text"),
    SP.SP_DriveNetIcon: ("mdi6.server-network", "text"),
    SP.SP_ComputerIcon: ("mdi6.laptop", "text"),
    SP.SP_DesktopIcon: ("mdi6.monitor", "text"),
    SP.SP_TrashIcon: ("mdi6.trash-can-outline", "text"),
    SP.SP_FileDialogToParent: ("mdi6.arrow-up", "text"),
    SP.SP_FileDialogNewFolder: ("mdi6.folder-plus-outline", "text"),
    SP.SP_FileDialogDetailedView: ("mdi6.view-list-outline", "text"),
    SP.SP_FileDialogListView: ("mdi6.view-grid-outline", "text"),
    SP.SP_FileDialogInfoView: ("mdi6.information-outline", "text"),
    SP.SP_FileDialogContentsView: ("mdi6.eye-outline", "text"),
    SP.SP_FileDialogBack: ("mdi6.arrow-left", "text"),
    SP.SP_FileDialogStart: ("mdi6.home-outline", "text"),
    SP.SP_FileDialogEnd: ("mdi6.arrow-right", "text"),
    SP.SP_ArrowBack: ("mdi6.arrow-left", "text"),
    SP.SP_ArrowForward: ("mdi6.arrow-right", "text"),
    SP.SP_ArrowLeft: ("mdi6.arrow-left", "text"),
    SP.SP_ArrowRight: ("mdi6.arrow-right", "text"),
    SP.SP_ArrowUp: ("mdi6.arrow-up", "text"),
    SP.SP_ArrowDown: ("mdi6.arrow-down", "text"),
    SP.SP_BrowserReload: ("mdi6.refresh", "text"),
    SP.SP_BrowserStop: ("mdi6.close", "text"),
    SP.SP_DialogCloseButton: ("mdi6.close", "text"),
    SP.SP_TitleBarCloseButton: ("mdi6.close", "text"),
}


class IconStyle(QProxyStyle):
    def __init__(self):
        super().__init__(QStyleFactory.create("Fusion"))

    # No styleHint() here: Qt asks it thousands of times a second, and a Python override makes
    # every layout crawl. Dialog buttons lose their icons in the style sheet instead
    # (dialogbuttonbox-buttons-have-icons).

    def standardIcon(self, standardIcon, option=None, widget=None):  # noqa: N802, N803
        found = STANDARD_ICONS.get(standardIcon)
        if found is not None:
            name, role = found
            return icon(name, role=role)
        if standardIcon.name.startswith("SP_Dialog"):
            return QIcon()  # dialog buttons carry words, not pictures
        return super().standardIcon(standardIcon, option, widget)


def install_icon_style() -> None:
    """Fusion with the one icon set, for the whole application (idempotent)."""
    theme.use_style(IconStyle)
    app = QApplication.instance()
    if app is not None and not theme.style_installed():
        theme.apply_theme(app, "dark" if theme.current() is theme.DARK else "light")
