"""Signed update bundles: install, refuse what is unsafe, roll back."""

from __future__ import annotations

import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest

from oncoboard.core.api import build_kb
from oncoboard.core.errors import NotFoundError, UserInputError
from oncoboard.core.kb import bundle as kbb
from oncoboard.core.kb import paths as kbpaths
from oncoboard.core.kb.db import read_meta


@pytest.fixture
def keys(tmp_path: Path) -> tuple[Path, Path]:
    private, public = tmp_path / "keys" / "site.pem", tmp_path / "keys" / "site.pub.pem"
    kbb.generate_keypair(private, public)
    return private, public


@pytest.fixture(autouse=True)
def no_packaged_kb(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # The developer's own packaged KB must not decide what counts as a downgrade.
    monkeypatch.setattr(kbpaths, "packaged_kb_path", lambda: tmp_path / "none.sqlite")


def _kb(kb_dir: Path, shared: Path, civic: Path, out: Path, version: str) -> Path:
    release = kb_dir / "release.yaml"
    release.write_text(f"release_date: 2026-01-15\nversion: {version}\n")
    build_kb(kb_dir / "curated", shared, out, civic_file=civic, fit_survival=False)
    return out


@pytest.fixture
def two_versions(
    kb_dir: Path, shared: Path, small_civic: Path, tmp_path: Path
) -> tuple[Path, Path]:
    old = _kb(kb_dir, shared, small_civic, tmp_path / "old.sqlite", "2026.1.0")
    new = _kb(kb_dir, shared, small_civic, tmp_path / "new.sqlite", "2026.2.0")
    return old, new


def test_keygen_refuses_to_overwrite(keys: tuple[Path, Path]) -> None:
    private, public = keys
    assert private.stat().st_mode & 0o077 == 0
    with pytest.raises(UserInputError, match="refusing to overwrite"):
        kbb.generate_keypair(private, public)


def test_install_verify_and_rollback(
    two_versions: tuple[Path, Path],
    keys: tuple[Path, Path],
    tmp_path: Path,
    isolated_home: Path,
) -> None:
    old, new = two_versions
    private, public = keys
    for kb_file in (old, new):
        b = kbb.make_bundle(kb_file, private, tmp_path / f"{kb_file.stem}.zip")
        kbb.install_bundle(tmp_path / f"{kb_file.stem}.zip", public)
        assert read_meta(kbpaths.installed_kb_path())["version"] == b.version
    current = kbpaths.installed_kb_path()
    assert kbpaths.resolve_kb_path() == current
    checks = kbb.verify_installed(current, public)
    assert any("signature OK" in c for c in checks)

    assert kbb.rollback() == ("2026.2.0", "2026.1.0")
    assert read_meta(current)["version"] == "2026.1.0"
    assert any("signature OK" in c for c in kbb.verify_installed(current, public))
    assert kbb.rollback() == ("2026.1.0", "2026.2.0")


def test_rollback_without_previous(isolated_home: Path) -> None:
    with pytest.raises(NotFoundError, match="No previous knowledge base"):
        kbb.rollback()


def test_bundles_are_reproducible(
    two_versions: tuple[Path, Path], keys: tuple[Path, Path], tmp_path: Path
) -> None:
    _, new = two_versions
    a = tmp_path / "a.zip"
    b = tmp_path / "b.zip"
    kbb.make_bundle(new, keys[0], a)
    kbb.make_bundle(new, keys[0], b)
    assert a.read_bytes() == b.read_bytes()  # Ed25519 signatures are deterministic


def _rewrite(
    src: Path,
    dst: Path,
    replace: dict[str, bytes],
    extra: dict[str, bytes] | None = None,
) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for name in zin.namelist():
            zout.writestr(name, replace.get(name, zin.read(name)))
        for name, data in (extra or {}).items():
            zout.writestr(name, data)


def test_tampered_database_is_refused(
    two_versions: tuple[Path, Path], keys: tuple[Path, Path], tmp_path: Path
) -> None:
    _, new = two_versions
    good = tmp_path / "good.zip"
    kbb.make_bundle(new, keys[0], good)
    evil_db = tmp_path / "evil.sqlite"
    shutil.copy(new, evil_db)
    conn = sqlite3.connect(evil_db)
    with conn:
        conn.execute("UPDATE entries SET direction = 'resistant'")
    conn.close()
    bad = tmp_path / "bad.zip"
    _rewrite(good, bad, {"kb.sqlite": evil_db.read_bytes()})
    with pytest.raises(UserInputError, match="modified after signing"):
        kbb.install_bundle(bad, keys[1])
    assert not kbpaths.installed_kb_path().exists()


def test_tampered_manifest_is_refused(
    two_versions: tuple[Path, Path], keys: tuple[Path, Path], tmp_path: Path
) -> None:
    good = tmp_path / "good.zip"
    kbb.make_bundle(two_versions[1], keys[0], good)
    with zipfile.ZipFile(good) as zf:
        manifest = zf.read("manifest.json").replace(b"2026.2.0", b"2099.1.0")
    bad = tmp_path / "bad.zip"
    _rewrite(good, bad, {"manifest.json": manifest})
    with pytest.raises(UserInputError, match="signature does not match"):
        kbb.install_bundle(bad, keys[1])


def test_wrong_key_is_refused(
    two_versions: tuple[Path, Path], keys: tuple[Path, Path], tmp_path: Path
) -> None:
    other_private, _ = tmp_path / "other.pem", tmp_path / "other.pub.pem"
    kbb.generate_keypair(other_private, tmp_path / "other.pub.pem")
    bundle = tmp_path / "other.zip"
    kbb.make_bundle(two_versions[1], other_private, bundle)
    with pytest.raises(UserInputError, match="signed with a different key"):
        kbb.install_bundle(bundle, keys[1])


def test_downgrade_and_reinstall_are_refused(
    two_versions: tuple[Path, Path], keys: tuple[Path, Path], tmp_path: Path
) -> None:
    old, new = two_versions
    kbb.make_bundle(old, keys[0], tmp_path / "old.zip")
    kbb.make_bundle(new, keys[0], tmp_path / "new.zip")
    kbb.install_bundle(tmp_path / "new.zip", keys[1])
    with pytest.raises(UserInputError, match="older than the installed KB 2026.2.0"):
        kbb.install_bundle(tmp_path / "old.zip", keys[1])
    with pytest.raises(UserInputError, match="already installed"):
        kbb.install_bundle(tmp_path / "new.zip", keys[1])
    assert read_meta(kbpaths.installed_kb_path())["version"] == "2026.2.0"


@pytest.mark.parametrize("name", ["../evil.sqlite", "/etc/evil", "sub/../../x", "C:/x"])
def test_path_traversal_is_refused(
    two_versions: tuple[Path, Path], keys: tuple[Path, Path], tmp_path: Path, name: str
) -> None:
    good = tmp_path / "good.zip"
    kbb.make_bundle(two_versions[1], keys[0], good)
    bad = tmp_path / "bad.zip"
    _rewrite(good, bad, {}, extra={name: b"x"})
    with pytest.raises(UserInputError, match="path traversal"):
        kbb.install_bundle(bad, keys[1])
    assert not (tmp_path / "evil.sqlite").exists()


def test_extra_member_and_non_zip_are_refused(
    two_versions: tuple[Path, Path], keys: tuple[Path, Path], tmp_path: Path
) -> None:
    good = tmp_path / "good.zip"
    kbb.make_bundle(two_versions[1], keys[0], good)
    bad = tmp_path / "bad.zip"
    _rewrite(good, bad, {}, extra={"readme.txt": b"hi"})
    with pytest.raises(UserInputError, match="holds exactly"):
        kbb.install_bundle(bad, keys[1])
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip")
    with pytest.raises(UserInputError, match="not a readable zip"):
        kbb.install_bundle(junk, keys[1])


def test_no_pinned_key_is_an_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import oncoboard.core.paths as core_paths

    monkeypatch.setattr(core_paths, "package_data_dir", lambda: tmp_path)
    with pytest.raises(UserInputError, match="no pinned public key"):
        kbb.pinned_public_key()
