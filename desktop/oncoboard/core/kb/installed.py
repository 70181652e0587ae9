"""Re-checking an installed KB update against its signed manifest.

``oncoboard kb install`` keeps the signed ``manifest.json`` / ``manifest.sig``
beside ``kb/current.sqlite`` (and ``previous.sqlite``).  Every open and every
rollback checks the database file's SHA-256 against that manifest (and the
signature against the pinned key, when one is set), so a KB edited on disk is
refused instead of used under its old checksum.  Hashing the 10 MB KB takes
about 0.03 s; the result is remembered in this process for an unchanged file
(same size, modification time and inode).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from oncoboard.core.errors import StorageError

MAX_MANIFEST_BYTES = 1024 * 1024
_verified: set[tuple[str, int, int, int, str]] = set()


def manifest_files(kb_file: Path) -> tuple[Path, Path]:
    stem = kb_file.name.removesuffix(".sqlite")
    return kb_file.with_name(f"{stem}.manifest.json"), kb_file.with_name(
        f"{stem}.manifest.sig"
    )


def is_installed(kb_file: Path, kb_dir: Path | None = None) -> bool:
    """True for a file installed from a bundle: the current or previous KB of the KB
    folder, or any KB file with a manifest beside it."""
    from oncoboard.core.kb import paths as kbpaths

    folder = kb_dir or kbpaths.installed_kb_dir()
    try:
        inside = kb_file.resolve().parent == folder.resolve()
    except OSError:
        inside = False
    named = kb_file.name in ("current.sqlite", "previous.sqlite")
    return (inside and named) or manifest_files(kb_file)[0].exists()


def _refuse(kb_file: Path, why: str) -> StorageError:
    return StorageError(
        f"The installed knowledge base {kb_file} {why}, so it is not used: it may have been "
        "edited on disk. Reinstall the update bundle (`oncoboard kb install BUNDLE`) or ask "
        "IT; `oncoboard kb verify` shows the checks."
    )


def _pinned_key() -> Path | None:
    from oncoboard.core.config import load_config
    from oncoboard.core.kb.keys import PACKAGED_PUBLIC_KEY
    from oncoboard.core.paths import package_data_dir

    configured: Path | None = load_config()["kb.public_key"]
    packaged = package_data_dir() / PACKAGED_PUBLIC_KEY
    return configured or (packaged if packaged.is_file() else None)


def _read_manifest(kb_file: Path) -> tuple[bytes, bytes]:
    manifest_file, sig_file = manifest_files(kb_file)
    try:
        if manifest_file.stat().st_size > MAX_MANIFEST_BYTES:
            raise _refuse(kb_file, "has an implausibly large manifest")
        return manifest_file.read_bytes(), sig_file.read_bytes()
    except FileNotFoundError:
        raise _refuse(kb_file, "has no signed manifest beside it") from None
    except OSError as exc:
        raise _refuse(
            kb_file, f"has a manifest that cannot be read ({exc.strerror})"
        ) from None


def check_installed(
    kb_file: Path, public_key: Path | None = None, *, use_config: bool = True
) -> None:
    """Raise :class:`StorageError` unless ``kb_file`` matches its signed manifest.

    Parameters
    ----------
    kb_file
        ``current.sqlite`` or ``previous.sqlite`` of the installed-KB folder.
    public_key
        The pinned key to check the manifest's signature with; by default
        ``kb.public_key`` or the packaged key (``use_config``).  Without any
        pinned key only the file hash is checked.
    """
    from oncoboard.core.kb.bundle import _check_signature
    from oncoboard.core.kb.keys import read_public_key
    from oncoboard.core.kb.sources import sha256_file

    key = public_key or (_pinned_key() if use_config else None)
    try:
        st = os.stat(kb_file)
    except OSError as exc:
        raise _refuse(kb_file, f"cannot be read ({exc.strerror})") from None
    stamp = (str(kb_file.resolve()), st.st_size, st.st_mtime_ns, st.st_ino, str(key))
    if stamp in _verified:
        return
    manifest_bytes, sig = _read_manifest(kb_file)
    try:
        manifest: Any = json.loads(manifest_bytes)
    except ValueError:
        manifest = None
    if not isinstance(manifest, dict) or not isinstance(
        manifest.get("file_sha256"), str
    ):
        raise _refuse(kb_file, "has a manifest that is not an OncoBoard KB manifest")
    if key is not None:
        from oncoboard.core.errors import UserInputError

        try:
            _check_signature(kb_file, manifest_bytes, sig, read_public_key(key))
        except UserInputError as exc:
            raise _refuse(
                kb_file, f"has a manifest whose signature does not check ({exc})"
            ) from None
    if sha256_file(kb_file) != manifest["file_sha256"]:
        raise _refuse(kb_file, "does not match the SHA-256 in its signed manifest")
    _verified.add(stamp)
