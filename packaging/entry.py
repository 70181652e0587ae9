"""Entry point of the frozen (PyInstaller) OncoBoard executables.

One bundle, two executables built from this same script:

* ``oncoboard``      the command line (``oncoboard report ...``, ``oncoboard kb ...``);
* ``oncoboard-gui``  the desktop application (a windowed executable on Windows
  and macOS, so no console window opens; on Linux a symbolic link to
  ``oncoboard``).

The script dispatches on the name it was started as.  ``oncoboard
gui [ARGS]`` also starts the desktop application, so a single executable is
enough where only one can be put on the PATH.  GUI arguments:
``--quit-after-start`` builds the main window, waits until start-up is done
and exits 0 (the bundle smoke test uses it with ``QT_QPA_PLATFORM=offscreen``).
"""

from __future__ import annotations

import multiprocessing
import sys
from pathlib import Path


def _wants_gui(argv: list[str]) -> tuple[bool, list[str]]:
    # argv[0], not sys.executable: on Linux oncoboard-gui is a symbolic link.
    name = Path(argv[0]).name.lower().removesuffix(".exe")
    if name.endswith("-gui"):
        return True, argv[1:]
    if argv[1:2] == ["gui"]:
        return True, argv[2:]
    return False, argv[1:]


def main() -> None:
    # joblib/loky (scikit-learn, scikit-survival) may start worker processes;
    # in a frozen app the children must not re-run the CLI.
    multiprocessing.freeze_support()
    gui, rest = _wants_gui(sys.argv)
    if gui:
        from oncoboard.gui.app import main as gui_main

        raise SystemExit(gui_main([sys.argv[0], *rest]))
    from oncoboard.cli.main import main as cli_main

    cli_main(rest)
    raise SystemExit(0)


if __name__ == "__main__":
    main()
