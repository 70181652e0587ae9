"""KB update bundles: the attacks ``tests/core/kb/test_bundle.py`` does not already cover.

Already covered there: a tampered database, a tampered manifest (bad
signature), a bundle signed with another key, a downgrade and a reinstall of
the installed version, ``../``-style path traversal, extra members, non-zips.
Added here: forged and replayed signatures, an attacker's key that claims the
pinned fingerprint, a downgrade below the KB shipped with the app, traversal
spelled with backslashes, a member that declares an absurd size, a 2 GB file,
and that a refused install leaves the active KB byte-for-byte as it was.
"""

from __future__ import annotations

import base64
import json
import shutil
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from oncoboard.core.errors import UserInputError
from oncoboard.core.kb import bundle as kbb
from oncoboard.core.kb import paths as kbpaths
from shared_paths import DATA, REPO

KB_FIXTURE = REPO / "tests" / "data" / "kb"


@dataclass(frozen=True)
class Site:
    folder: Path
    private: Path
    public: Path
    old_kb: Path
    new_kb: Path
    old_zip: Path
    new_zip: Path


def _build(folder: Path, version: str) -> Path:
    from oncoboard.core.api import build_kb

    src = folder / f"src-{version}"
    shutil.copytree(KB_FIXTURE / "knowledgebase", src)
    (src / "release.yaml").write_text(f"release_date: 2026-01-15\nversion: {version}\n")
    out = folder / f"kb-{version}.sqlite"
    build_kb(
        src / "curated",
        DATA,
        out,
        civic_file=KB_FIXTURE / "civic_small.tsv",
        fit_survival=False,
    )
    return out


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    folder = tmp_path_factory.mktemp("kb-security")
    private, public = folder / "site.pem", folder / "site.pub.pem"
    kbb.generate_keypair(private, public)
    old, new = _build(folder, "2026.1.0"), _build(folder, "2026.2.0")
    kbb.make_bundle(old, private, folder / "old.zip")
    kbb.make_bundle(new, private, folder / "new.zip")
    return Site(
        folder, private, public, old, new, folder / "old.zip", folder / "new.zip"
    )


@pytest.fixture(autouse=True)
def packaged_kb(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Stand-in for the KB shipped with the app (absent unless a test copies one)."""
    path = tmp_path / "packaged" / "kb.sqlite"
    path.parent.mkdir()
    monkeypatch.setattr(kbpaths, "packaged_kb_path", lambda: path)
    return path


def _members(bundle: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(bundle) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def _write(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def _sign(private: Path, data: bytes) -> bytes:
    from oncoboard.core.kb.keys import load_private_key

    return base64.b64encode(load_private_key(private, None).sign(data)) + b"\n"


# --- signatures ---------------------------------------------------------------------


@pytest.mark.parametrize("signature", [b"", b"not base64 at all!!", base64.b64encode(b"\0" * 64)],
                         ids=["empty", "garbage", "zeros"])  # fmt: skip
def test_forged_signature_is_refused(
    site: Site, tmp_path: Path, signature: bytes
) -> None:
    members = _members(site.new_zip) | {"manifest.sig": signature}
    with pytest.raises(UserInputError, match="signature does not match"):
        kbb.verify_bundle(_write(tmp_path / "forged.zip", members), site.public)


def test_replayed_signature_of_another_release_is_refused(
    site: Site, tmp_path: Path
) -> None:
    """A genuine signature, but of the old release's manifest, stapled onto the new one."""
    old_sig = _members(site.old_zip)["manifest.sig"]
    members = _members(site.new_zip) | {"manifest.sig": old_sig}
    with pytest.raises(UserInputError, match="signature does not match"):
        kbb.verify_bundle(_write(tmp_path / "replay.zip", members), site.public)


def test_attacker_key_claiming_the_pinned_fingerprint_is_refused(
    site: Site, tmp_path: Path
) -> None:
    """The attacker copies our fingerprint into a manifest signed with their own key."""
    attacker = tmp_path / "attacker.pem"
    kbb.generate_keypair(attacker, tmp_path / "attacker.pub.pem")
    genuine = _members(site.new_zip)
    manifest = json.loads(genuine["manifest.json"])
    manifest["manifest"] = {**manifest["manifest"], "note": "evil"}
    body = json.dumps(
        manifest, sort_keys=True, indent=2
    ).encode()  # fingerprint unchanged
    members = genuine | {"manifest.json": body, "manifest.sig": _sign(attacker, body)}
    with pytest.raises(UserInputError, match="signature does not match"):
        kbb.verify_bundle(_write(tmp_path / "claim.zip", members), site.public)


def test_the_right_signature_with_a_swapped_database_is_refused(
    site: Site, tmp_path: Path
) -> None:
    """Signed manifest of the new KB, database of the old one (also genuinely built)."""
    members = _members(site.new_zip) | {"kb.sqlite": site.old_kb.read_bytes()}
    with pytest.raises(UserInputError, match="modified after signing"):
        kbb.verify_bundle(_write(tmp_path / "swap.zip", members), site.public)


# --- downgrade -------------------------------------------------------------------------


def test_downgrade_below_the_packaged_kb_is_refused(
    site: Site, packaged_kb: Path
) -> None:
    shutil.copy(
        site.new_kb, packaged_kb
    )  # the app ships 2026.2.0; nothing installed yet
    with pytest.raises(UserInputError, match="older than the installed KB 2026.2.0"):
        kbb.install_bundle(site.old_zip, site.public)
    assert not kbpaths.installed_kb_path().exists()


# --- zip structure ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["..\\evil.sqlite", "sub\\..\\..\\evil", "\\evil", "D:evil"]
)
def test_backslash_and_drive_traversal_is_refused(
    site: Site, tmp_path: Path, name: str
) -> None:
    members = _members(site.new_zip) | {name: b"x"}
    with pytest.raises(UserInputError, match="path traversal"):
        kbb.install_bundle(_write(tmp_path / "trav.zip", members), site.public)
    assert not any(p.name.startswith("evil") for p in tmp_path.rglob("*"))


def test_member_declaring_an_absurd_size_is_refused_before_extraction(
    site: Site, tmp_path: Path
) -> None:
    """A zip bomb: the central directory says kb.sqlite unpacks to just over 2 GB."""
    raw = bytearray(site.new_zip.read_bytes())
    entry = raw.find(b"PK\x01\x02")  # first central-directory entry is kb.sqlite
    assert raw[entry + 46 : entry + 46 + 9] == b"kb.sqlite"
    struct.pack_into("<I", raw, entry + 24, 2 * 1024**3 + 1)  # uncompressed size field
    bomb = tmp_path / "bomb.zip"
    bomb.write_bytes(bytes(raw))
    with pytest.raises(UserInputError, match="implausibly large"):
        kbb.verify_bundle(bomb, site.public)


def test_a_2_gb_bundle_file_is_refused_without_reading_it(
    site: Site, tmp_path: Path
) -> None:
    big = tmp_path / "big.zip"
    with big.open("wb") as handle:
        handle.truncate(2 * 1024**3 + 1)  # sparse
    with pytest.raises(UserInputError, match="not a readable zip"):
        kbb.install_bundle(big, site.public)


# --- a refused install changes nothing ---------------------------------------------------


def test_refused_install_leaves_the_active_kb_untouched(
    site: Site, tmp_path: Path
) -> None:
    kbb.install_bundle(site.old_zip, site.public)
    kb_dir = kbpaths.installed_kb_dir()
    before = {p.name: p.read_bytes() for p in kb_dir.iterdir()}
    bad = _members(site.new_zip) | {"manifest.sig": b"AAAA"}
    with pytest.raises(UserInputError):
        kbb.install_bundle(_write(tmp_path / "bad.zip", bad), site.public)
    after = {p.name: p.read_bytes() for p in kb_dir.iterdir()}
    assert after == before  # no leftovers (incoming.*), current unchanged
    assert kbb.verify_installed(kbpaths.installed_kb_path(), site.public)
