"""KB trust after install (issue 22, items 5, 6 and the key file of 9).

- A machine config locking ``kb.public_key`` did not stop ``kb install evil.zip
  --public-key evil.pub.pem``: the override is now refused before the bundle is
  read, naming the lock.
- ``kb/current.sqlite`` (or ``previous.sqlite`` then rolled back) edited on disk
  was used by ``match`` and ``report`` under its old checksum: every open and
  every rollback now checks the file against its signed manifest.
- A public-key file that is not a key gave "unexpected ... This is a bug".
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from db_attacks import cli
from oncoboard.core.errors import StorageError
from oncoboard.core.kb import bundle as kbb
from oncoboard.core.kb import paths as kbpaths
from oncoboard.core.kb.store import KnowledgeBase
from shared_paths import DATA, REPO

KB_FIXTURE = REPO / "tests" / "data" / "kb"


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
def bundles(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("kb-trust")
    out = {}
    for who in ("site", "evil"):
        kbb.generate_keypair(folder / f"{who}.pem", folder / f"{who}.pub.pem")
        out[f"{who}.pub"] = folder / f"{who}.pub.pem"
    for version in ("2026.1.0", "2026.2.0"):
        out[version] = folder / f"{version}.zip"
        kbb.make_bundle(_build(folder, version), folder / "site.pem", out[version])
    out["evil"] = folder / "evil.zip"
    kbb.make_bundle(_build(folder, "2027.1.0"), folder / "evil.pem", out["evil"])
    return out


@pytest.fixture(autouse=True)
def no_packaged_kb(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(kbpaths, "packaged_kb_path", lambda: tmp_path / "none.sqlite")


def _lock_key(home: Path, key: Path) -> Path:
    machine = (
        home / "no-system-config.toml"
    )  # ONCOBOARD_SYSTEM_CONFIG (tests/conftest.py)
    machine.write_text(
        f'[kb]\npublic_key = "{key}"\n[policy]\nlocked = ["kb.public_key"]\n'
    )
    return machine


def test_a_locked_key_refuses_any_override_before_the_bundle_is_read(
    bundles: dict[str, Path],
    isolated_home: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    machine = _lock_key(isolated_home, bundles["site.pub"])
    evil = tmp_path / "evil.zip"
    shutil.copy(bundles["evil"], evil)
    for key in (
        bundles["evil.pub"],
        bundles["site.pub"],
    ):  # even the same key: no override at all
        code, _, err = cli(capsys, "kb", "install", str(evil), "--public-key", str(key))
        assert code == 2, err
        assert "locked" in err and str(machine) in err and "policy.locked" in err
        assert "Traceback" not in err
    assert not kbpaths.installed_kb_path().exists()
    evil.unlink()  # "before the bundle is read": a missing bundle is never reached
    code, _, err = cli(capsys, "kb", "verify", "--public-key", str(bundles["evil.pub"]))
    assert code == 2 and "locked" in err
    # the pinned key itself still installs a genuine bundle and refuses the evil one
    assert cli(capsys, "kb", "install", str(bundles["2026.1.0"]))[0] == 0
    code, _, err = cli(capsys, "kb", "install", str(bundles["evil"]))
    assert code == 2 and "different key" in err


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not a key\n",
        b"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
    ],
)
def test_a_key_file_that_is_not_a_key_is_a_clear_error(
    bundles: dict[str, Path], isolated_home: Path, tmp_path: Path,
    capsys: pytest.CaptureFixture[str], content: bytes,
) -> None:  # fmt: skip
    key = tmp_path / "bad.pub.pem"
    key.write_bytes(content)
    code, _, err = cli(
        capsys, "kb", "install", str(bundles["2026.1.0"]), "--public-key", str(key)
    )
    assert code == 2 and str(key) in err and "not an Ed25519 public key" in err
    assert "This is a bug" not in err and "Traceback" not in err
    code, _, err = cli(
        capsys, "kb", "install", str(bundles["2026.1.0"]), "--public-key", "/dev/zero"
    )
    assert code == 2 and "not a public key file" in err


def _install_both(bundles: dict[str, Path], home: Path) -> Path:
    for version in ("2026.1.0", "2026.2.0"):
        kbb.install_bundle(bundles[version], bundles["site.pub"])
    return kbpaths.installed_kb_dir()


def _edit(path: Path) -> None:
    """Change one entry's text in place, as a hand edit with an SQLite tool would."""
    import sqlite3

    conn = sqlite3.connect(path)
    conn.execute("UPDATE entries SET data = replace(data, 'EGFR', 'EGFR') || ' '")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("pinned", [False, True])
def test_an_installed_kb_edited_on_disk_is_refused_at_open(
    bundles: dict[str, Path], isolated_home: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str], pinned: bool,
) -> None:  # fmt: skip
    if pinned:
        monkeypatch.setenv("ONCOBOARD_KB_PUBLIC_KEY", str(bundles["site.pub"]))
    kb_dir = _install_both(bundles, isolated_home)
    with KnowledgeBase.open() as kb:  # untouched: opens
        assert kb.version == "2026.2.0"
    _edit(kb_dir / "current.sqlite")
    with pytest.raises(
        StorageError, match="does not match the SHA-256 in its signed manifest"
    ):
        KnowledgeBase.open()
    code, _, err = cli(capsys, "kb", "stats")
    assert (
        code == 1
        and "current.sqlite" in err
        and "edited on disk" in err
        and "This is a bug" not in err
    )


def test_a_rewritten_manifest_fails_its_signature(
    bundles: dict[str, Path], isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from oncoboard.core.kb.sources import sha256_file

    monkeypatch.setenv("ONCOBOARD_KB_PUBLIC_KEY", str(bundles["site.pub"]))
    kb_dir = _install_both(bundles, isolated_home)
    current = kb_dir / "current.sqlite"
    _edit(current)
    manifest_file = kb_dir / "current.manifest.json"
    manifest = json.loads(manifest_file.read_bytes())
    manifest["file_sha256"] = sha256_file(current)  # the attacker updates the hash too
    manifest_file.write_text(json.dumps(manifest, sort_keys=True, indent=2))
    with pytest.raises(StorageError, match="signature does not check"):
        KnowledgeBase.open()
    (kb_dir / "current.manifest.json").unlink()
    with pytest.raises(StorageError, match="no signed manifest"):
        KnowledgeBase.open()


def test_rollback_onto_an_edited_previous_kb_is_refused(
    bundles: dict[str, Path], isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kb_dir = _install_both(bundles, isolated_home)
    before = {p.name: p.read_bytes() for p in kb_dir.iterdir()}
    _edit(kb_dir / "previous.sqlite")
    edited = (kb_dir / "previous.sqlite").read_bytes()
    code, _, err = cli(capsys, "kb", "rollback")
    assert code == 1 and "previous.sqlite" in err and "signed manifest" in err
    assert (kb_dir / "current.sqlite").read_bytes() == before[
        "current.sqlite"
    ]  # nothing swapped
    assert (kb_dir / "previous.sqlite").read_bytes() == edited
    with KnowledgeBase.open() as kb:
        assert kb.version == "2026.2.0"
