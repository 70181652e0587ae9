"""Which KB file the app opens."""

from __future__ import annotations

from pathlib import Path

import pytest

from oncoboard.core.errors import NotFoundError
from oncoboard.core.kb import paths


@pytest.fixture
def no_packaged(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    packaged = tmp_path / "pkg" / "kb.sqlite"
    monkeypatch.setattr(paths, "packaged_kb_path", lambda: packaged)
    monkeypatch.delenv(paths.KB_ENV, raising=False)
    return packaged


def test_order_explicit_env_configured_installed_packaged(
    no_packaged: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    isolated_home: Path,
) -> None:
    files = {n: tmp_path / f"{n}.sqlite" for n in ("explicit", "env", "configured")}
    for f in files.values():
        f.write_bytes(b"x")
    no_packaged.parent.mkdir()
    no_packaged.write_bytes(b"x")
    assert paths.resolve_kb_path() == no_packaged
    installed = isolated_home / "kb" / "current.sqlite"
    installed.parent.mkdir()
    installed.write_bytes(b"x")
    assert paths.resolve_kb_path() == installed
    assert paths.resolve_kb_path(configured=files["configured"]) == files["configured"]
    monkeypatch.setenv(paths.KB_ENV, str(files["env"]))
    assert paths.resolve_kb_path(configured=files["configured"]) == files["env"]
    assert (
        paths.resolve_kb_path(files["explicit"], files["configured"])
        == files["explicit"]
    )


def test_no_kb_tells_the_user_what_to_do(no_packaged: Path) -> None:
    with pytest.raises(NotFoundError, match="oncoboard kb build"):
        paths.resolve_kb_path()


def test_missing_named_file_is_an_error(no_packaged: Path, tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="from the kb.path setting"):
        paths.resolve_kb_path(configured=tmp_path / "nope.sqlite")
