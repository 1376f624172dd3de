"""Before Qt starts on Linux: name the system packages whose libraries Qt cannot find.

Run as `python -m app.platform_check [--window]`; it prints the single `apt-get install` line
that fixes a missing library, and exits 1, or exits 0 silently when all is there.
"""

from __future__ import annotations

import ctypes.util
import sys

# library name (as ctypes looks it up) -> Debian package that ships it
OFFSCREEN_LIBRARIES = {
    "EGL": "libegl1",
    "GL": "libgl1",
    "xkbcommon": "libxkbcommon0",
    "fontconfig": "libfontconfig1",
    "dbus-1": "libdbus-1-3",
}
WINDOW_LIBRARIES = {
    "xcb-cursor": "libxcb-cursor0",
    "xkbcommon-x11": "libxkbcommon-x11-0",
    "xcb-icccm": "libxcb-icccm4",
    "xcb-keysyms": "libxcb-keysyms1",
    "xcb-shape": "libxcb-shape0",
    "xcb-randr": "libxcb-randr0",
    "xcb-render-util": "libxcb-render-util0",
    "xcb-image": "libxcb-image0",
    "xcb-xinerama": "libxcb-xinerama0",
}


def missing_packages(window: bool = True) -> list[str]:
    if not sys.platform.startswith("linux"):
        return []
    wanted = dict(OFFSCREEN_LIBRARIES)
    if window:
        wanted |= WINDOW_LIBRARIES
    return [package for lib, package in wanted.items() if ctypes.util.find_library(lib) is None]


def missing_packages_hint(window: bool = True) -> str:
    missing = missing_packages(window) or list(OFFSCREEN_LIBRARIES.values())
    return "To fix it, run: sudo apt-get install " + " ".join(missing)


def main() -> int:
    window = "--offscreen" not in sys.argv
    missing = missing_packages(window)
    if not missing:
        return 0
    print("Qt needs system libraries that this computer does not have.", file=sys.stderr)
    print(f"To fix it, run: sudo apt-get install {' '.join(missing)}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
