"""Every file that leaves the app is written to a temporary name and renamed: on a full disk an
export says "the disk is full", leaves the old file as it was (or no file) and no temporary
behind — never a success message over a 0-byte PDF. The disk is made full twice: simulated
(QPdfWriter writing into /dev/full, ENOSPC at the write call, little free space), and for real
on a 1 MB tmpfs where the machine allows mounting one."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
from collections import namedtuple
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app.errors import DiskFull  # noqa: E402
from app.store import open_store  # noqa: E402

OLD = b"the export from yesterday\n"
Usage = namedtuple("Usage", "total used free")


@pytest.fixture
def workspace(tmp_path, hostile_workspace):
    return hostile_workspace(tmp_path)


@pytest.fixture
def full_disk(monkeypatch):
    """A disk with 4 KB free: Python's writes fail with ENOSPC, and QPdfWriter — which never
    reports a failed write — sends its bytes to /dev/full and leaves its file empty."""
    from PySide6.QtCore import QFile, QIODevice
    from PySide6.QtGui import QPdfWriter

    import app.files
    import ui.pdf

    class FullDiskPdfWriter(QPdfWriter):
        def __init__(self, filename: str):
            Path(filename).touch()  # QPdfWriter creates its file, then cannot fill it
            self._device = QFile("/dev/full")
            assert self._device.open(QIODevice.OpenModeFlag.WriteOnly)
            super().__init__(self._device)

    class FullFile:
        def __init__(self, *args, **kwargs):
            self.handle = open(*args, **kwargs)  # noqa: SIM115 - closed in __exit__

        def write(self, data):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        def flush(self):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

    if not Path("/dev/full").exists():
        pytest.skip("needs /dev/full to stand in for a full disk (Linux)")
    real_usage = shutil.disk_usage
    monkeypatch.setattr(ui.pdf, "QPdfWriter", FullDiskPdfWriter)
    monkeypatch.setattr(app.files, "open", FullFile, raising=False)
    monkeypatch.setattr(
        shutil, "disk_usage", lambda p: Usage(real_usage(p).total, real_usage(p).total, 4096)
    )


def only_the_old_file(folder: Path, name: str) -> None:
    assert [p.name for p in folder.iterdir()] == [name], "a temporary was left behind"
    assert (folder / name).read_bytes() == OLD


EXPORTS = {
    "plan binder PDF": (["export", "plan"], "binder.pdf"),
    "debrief PDF": (["export", "debrief", "1"], "debrief.pdf"),
    "debrief Markdown": (["export", "debrief", "1"], "debrief.md"),
    "landing page": (["export", "landing-page", "1"], "site"),
}


def run_export(cli, workspace: Path, folder: Path, what: str):
    args, name = EXPORTS[what]
    target = folder / name
    if what == "landing page":
        target.mkdir()
        (target / "index.html").write_bytes(OLD)
        return cli("--db", workspace, *args, "-o", target, "--force"), target, "index.html"
    target.write_bytes(OLD)
    return cli("--db", workspace, *args, "-o", target, "--force"), folder, name


@pytest.mark.parametrize("what", list(EXPORTS))
def test_an_export_on_a_full_disk_says_so_and_keeps_the_old_file(
    cli, workspace, tmp_path, full_disk, what
):
    folder = tmp_path / "out"
    folder.mkdir()
    result, where, name = run_export(cli, workspace, folder, what)
    assert result.code == 1, result
    assert "the disk is full" in result.err.lower(), result.err
    assert "wrote" not in result.out.lower()
    only_the_old_file(where, name)


def test_a_pdf_cut_off_by_a_full_disk_is_not_taken_for_a_pdf(tmp_path, monkeypatch):
    from ui.pdf import PdfError, _check_complete

    cut = tmp_path / "cut.pdf"
    cut.write_bytes(b"%PDF-1.4\n" + b"x" * 5000)  # the start of a PDF, no trailer
    with pytest.raises(PdfError, match="incomplete"):
        _check_complete(cut, tmp_path / "report.pdf")
    monkeypatch.setattr(shutil, "disk_usage", lambda p: Usage(10**9, 10**9, 4096))
    with pytest.raises(DiskFull, match="The disk is full"):
        _check_complete(cut, tmp_path / "report.pdf")
    whole = tmp_path / "whole.pdf"
    whole.write_bytes(b"%PDF-1.4\n...\n%%EOF\n")
    _check_complete(whole, tmp_path / "report.pdf")


def test_exports_that_work_leave_no_temporary(cli, workspace, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    for what in EXPORTS:
        result, _where, _name = run_export(cli, workspace, folder, what)
        assert result.code == 0, (what, result.err)
        assert result.out.startswith("Wrote")
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["binder.pdf", "debrief.md", "debrief.pdf", "site"]
    assert [p.name for p in (folder / "site").iterdir()] == ["index.html"]
    assert (folder / "binder.pdf").read_bytes().rstrip().endswith(b"%%EOF")


# --- a real full disk -------------------------------------------------------------------------


@pytest.fixture
def tiny_disk(tmp_path):
    """A real 1 MB tmpfs (needs root and mount, as in a CI container); skipped otherwise."""
    mount, umount = shutil.which("mount"), shutil.which("umount")
    if os.name != "posix" or os.geteuid() != 0 or not mount or not umount:
        pytest.skip("mounting a 1 MB tmpfs needs root and mount(8); the simulated disk covers it")
    point = tmp_path / "tiny"
    point.mkdir()
    done = subprocess.run(
        [mount, "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(point)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"this machine does not allow mounting a tmpfs: {done.stderr.decode()[:80]}")
    try:
        yield point
    finally:
        subprocess.run([umount, "-l", str(point)], capture_output=True)


def fill(folder: Path) -> None:
    """Fill the disk to the last byte."""
    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for size in (65536, 4096, 512, 1):
            try:
                while True:
                    os.write(fd, b"\0" * size)
            except OSError as exc:
                assert exc.errno == errno.ENOSPC
    finally:
        os.close(fd)
    assert shutil.disk_usage(folder).free < 4096


@pytest.mark.parametrize("what", list(EXPORTS))
def test_an_export_on_a_real_full_disk(cli, workspace, tiny_disk, what):
    folder = tiny_disk / "out"
    folder.mkdir()
    args, name = EXPORTS[what]
    target = folder / name
    if what == "landing page":
        target.mkdir()
        (target / "index.html").write_bytes(OLD)
    else:
        target.write_bytes(OLD)
    fill(tiny_disk)
    result = cli("--db", workspace, *args, "-o", target, "--force")
    assert result.code == 1, result
    assert "the disk is full" in result.err.lower(), result.err
    if what == "landing page":
        only_the_old_file(target, "index.html")
    else:
        only_the_old_file(folder, name)


# --- the window: no success claimed on failure ------------------------------------------------


@pytest.fixture
def window(qtbot, workspace, tmp_path, monkeypatch):
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QMessageBox

    from app.secrets import MemorySecretStore
    from ui.main import MainWindow

    said: dict[str, list[str]] = {"warning": [], "information": [], "status": []}
    for kind in ("warning", "information"):
        monkeypatch.setattr(
            QMessageBox, kind, lambda *a, _k=kind, **k: said[_k].append(f"{a[1]}: {a[2]}")
        )

    def unexpected(*args, **kwargs):
        raise AssertionError(f"unexpected question: {args[1:3]}")

    monkeypatch.setattr(QMessageBox, "question", unexpected)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    store = open_store(workspace)
    win = MainWindow(store, settings, secrets=MemorySecretStore())
    qtbot.addWidget(win)
    win.statusBar().messageChanged.connect(lambda text: text and said["status"].append(text))
    win.said = said
    yield win
    store.close()


def save_to(monkeypatch, path: Path) -> None:
    from PySide6.QtWidgets import QFileDialog

    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))


def test_window_exports_on_a_full_disk_say_so_and_claim_nothing(
    qtbot, window, tmp_path, monkeypatch, full_disk
):
    from ui.wizards.debrief import DebriefWizard

    folder = tmp_path / "out"
    folder.mkdir()
    said = window.said
    store = window.store

    def attempt(name: str, action) -> str:
        target = folder / name
        target.write_bytes(OLD)
        save_to(monkeypatch, target)
        before = len(said["warning"])
        action()
        qtbot.waitUntil(lambda: len(said["warning"]) > before, timeout=30000)
        only_the_old_file(folder, name)
        target.unlink()
        return said["warning"][-1]

    window.go_to("plan")
    attempt("binder.pdf", window.pages["plan"].export_binder)
    window.go_to("contacts")
    attempt("contacts.csv", lambda: window.pages["contacts"].export("csv"))
    attempt("contacts.vcf", lambda: window.pages["contacts"].export("vcf"))
    window.go_to("incidents")
    room = window.pages["incidents"].room
    room.load(1)
    attempt("timeline.md", room.export_timeline)
    room.people.setCurrentItem(room.people.topLevelItem(0))
    attempt("person.eml", room.save_eml)
    window.go_to("debriefs")
    wizard = DebriefWizard(store, store.debriefs.for_incident(1), window)
    attempt("debrief.md", wizard.export_markdown)
    attempt("debrief.pdf", lambda: wizard.export_pdf(str(folder / "debrief.pdf")))
    wizard.close()

    assert len(said["warning"]) == 7
    assert all("the disk is full" in text.lower() for text in said["warning"]), said["warning"]
    assert said["information"] == []  # "Wrote N pages" never appears
    claims = [s for s in said["status"] if s.startswith(("Wrote", "Exported", "Saved"))]
    assert claims == []


def test_cancelling_a_debrief_pdf_keeps_the_old_file(qtbot, window, tmp_path):
    from PySide6.QtCore import QThreadPool
    from PySide6.QtWidgets import QProgressDialog, QPushButton

    from ui.wizards.debrief import DebriefWizard

    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "debrief.pdf"
    target.write_bytes(OLD)
    wizard = DebriefWizard(window.store, window.store.debriefs.for_incident(1), window)
    wizard.export_pdf(str(target))
    (dialog,) = wizard.findChildren(QProgressDialog)
    dialog.findChild(QPushButton).click()  # the owner presses Cancel
    qtbot.waitUntil(lambda: QThreadPool.globalInstance().activeThreadCount() == 0, timeout=30000)
    qtbot.wait(50)  # the worker's last signal reaches the GUI thread
    only_the_old_file(folder, "debrief.pdf")
    assert window.said["warning"] == [] and window.said["information"] == []
    wizard.close()
