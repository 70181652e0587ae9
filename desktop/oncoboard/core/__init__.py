"""The Qt-free core of OncoBoard.

Nothing under this package may import PySide6 or ``oncoboard.gui``; a test
(``tests/core/test_import_boundary.py``) enforces it.
"""
