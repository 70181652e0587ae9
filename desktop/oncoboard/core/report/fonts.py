"""Finding and registering the DejaVu fonts that every report embeds.

The report never uses the 14 standard PDF fonts: they cannot show most names,
drugs or symbols outside Latin-1.  DejaVu Sans is looked up, in order, in

1. the folder named by the ``ONCOBOARD_FONT_DIR`` environment variable,
2. the package data folder (``oncoboard/assets/fonts``, which the PyInstaller
   bundle ships),
3. the usual system folders (Debian's ``fonts-dejavu-core`` and others).

If no folder holds the whole family the report fails with
:class:`FontsMissingError`, which says where it looked and how to fix it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from oncoboard.core.errors import OncoBoardError

FONT_DIR_ENV = "ONCOBOARD_FONT_DIR"
PACKAGE_FONT_DIR = Path(__file__).resolve().parents[2] / "assets" / "fonts"
SYSTEM_FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/share/fonts/TTF"),
    Path("/usr/local/share/fonts"),
    Path("/Library/Fonts"),
    Path("C:/Windows/Fonts"),
)
FILES = {
    "regular": "DejaVuSans.ttf",
    "bold": "DejaVuSans-Bold.ttf",
    "italic": "DejaVuSans-Oblique.ttf",
    "bold_italic": "DejaVuSans-BoldOblique.ttf",
}

# Names under which the fonts are registered with reportlab.
SANS = "OncoBoardSans"
SANS_BOLD = "OncoBoardSans-Bold"
SANS_ITALIC = "OncoBoardSans-Italic"
SANS_BOLD_ITALIC = "OncoBoardSans-BoldItalic"


class FontsMissingError(OncoBoardError):
    """The DejaVu Sans family was not found in any searched folder."""

    def __init__(self, searched: list[Path]) -> None:
        self.searched = searched
        where = "\n".join(f"  - {p}" for p in searched) or "  (no folder)"
        names = ", ".join(FILES.values())
        super().__init__(
            "Cannot write the report: the DejaVu Sans fonts were not found.\n"
            f"Looked for {names} in:\n{where}\n"
            "Install them (Debian/Ubuntu: apt-get install fonts-dejavu-core) or "
            f"set {FONT_DIR_ENV} to a folder that holds these files."
        )


@dataclass(frozen=True)
class FontFiles:
    """Paths of the four faces of DejaVu Sans."""

    regular: Path
    bold: Path
    italic: Path
    bold_italic: Path


def candidate_dirs() -> list[Path]:
    """Folders searched for the fonts, in order of preference."""
    dirs: list[Path] = []
    env = os.environ.get(FONT_DIR_ENV, "").strip()
    if env:
        dirs.append(Path(env))
    dirs.append(PACKAGE_FONT_DIR)
    dirs.extend(SYSTEM_FONT_DIRS)
    return dirs


def find_fonts(dirs: list[Path] | None = None) -> FontFiles:
    """Return the first folder's DejaVu Sans family that is complete.

    Parameters
    ----------
    dirs
        Folders to search; defaults to :func:`candidate_dirs`.

    Returns
    -------
    FontFiles
        The four TrueType files.

    Raises
    ------
    FontsMissingError
        If no folder holds all four files.
    """
    searched = candidate_dirs() if dirs is None else list(dirs)
    for folder in searched:
        paths = {face: folder / name for face, name in FILES.items()}
        if all(p.is_file() for p in paths.values()):
            return FontFiles(**paths)
    raise FontsMissingError(searched)


_registered: FontFiles | None = None


def register_fonts() -> FontFiles:
    """Register DejaVu Sans with reportlab (once per process) and return it.

    Raises
    ------
    FontsMissingError
        If the fonts cannot be found.
    """
    global _registered
    files = find_fonts()
    if _registered == files:
        return files
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont(SANS, str(files.regular)))
    pdfmetrics.registerFont(TTFont(SANS_BOLD, str(files.bold)))
    pdfmetrics.registerFont(TTFont(SANS_ITALIC, str(files.italic)))
    pdfmetrics.registerFont(TTFont(SANS_BOLD_ITALIC, str(files.bold_italic)))
    addMapping(SANS, 0, 0, SANS)
    addMapping(SANS, 1, 0, SANS_BOLD)
    addMapping(SANS, 0, 1, SANS_ITALIC)
    addMapping(SANS, 1, 1, SANS_BOLD_ITALIC)
    _registered = files
    return files
