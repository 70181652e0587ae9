"""The OncoBoard desktop application (PySide6).

Screens are thin adapters over the core use cases in :mod:`oncoboard.core`;
no module here runs SQL or holds business rules.  ``oncoboard.core`` never
imports this package.
"""
