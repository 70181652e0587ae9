"""The use-case context of one ``oncoboard`` command (``oncoboard.core.api.Context``)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import click

from oncoboard.core.api import Context


def context(kb_path: Path | None = None) -> Context:
    """The command's context (made once by the ``oncoboard`` group); ``kb_path``
    (a ``--kb`` option) gives a context on that KB file."""
    root = click.get_current_context().find_root()
    if not isinstance(root.obj, Context):
        root.obj = Context.create()
    ctx: Context = root.obj
    if kb_path is not None:
        return dataclasses.replace(ctx, kb_path=kb_path, _kb=None)
    return ctx
