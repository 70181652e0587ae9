"""Signed KB update bundles: make, verify, install, roll back.

A bundle is a zip with exactly three members::

    kb.sqlite       the knowledge base
    manifest.json   its manifest plus the SHA-256 of kb.sqlite and the signer's
                    public-key fingerprint
    manifest.sig    base64 Ed25519 signature of manifest.json's bytes

Signing the manifest (which holds the database's SHA-256) signs the database.
The app checks the signature against a *pinned* public key before installing,
keeps the previous KB for rollback, and refuses tampered, wrong-key, downgraded
and path-traversing bundles.  How a site makes its own key: docs/knowledgebase.md.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from oncoboard.core.errors import NotFoundError, Problem, UserInputError
from oncoboard.core.kb import paths as kbpaths
from oncoboard.core.kb.keys import (
    generate_keypair,
    load_private_key,
    pinned_public_key,
    raw_public_bytes,
    read_public_key,
)

__all__ = [
    "BundleInfo",
    "generate_keypair",
    "install_bundle",
    "make_bundle",
    "pinned_public_key",
    "rollback",
    "verify_bundle",
    "verify_installed",
]
from oncoboard.core.kb.sources import sha256_file

MEMBERS = ("kb.sqlite", "manifest.json", "manifest.sig")
BUNDLE_SCHEMA = "oncoboard.kb-bundle/1"
MAX_MEMBER_BYTES = 2 * 1024**3  # refuse zip bombs long before the disk fills
# what a damaged zip raises while reading (RuntimeError: an 'encrypted' flag)
ZIP_DAMAGE = (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError)


@dataclass(frozen=True)
class BundleInfo:
    """A verified bundle's identity."""

    version: str
    release_date: str
    content_sha256: str
    key_fingerprint: str
    manifest: dict[str, Any]


def _refuse(source: Path, message: str, hint: str = "") -> UserInputError:
    return UserInputError(source, [Problem("", message)], hint=hint)


# -- make ----------------------------------------------------------------------


def make_bundle(
    kb_path: Path, private_key: Path, out_path: Path, passphrase: bytes | None = None
) -> BundleInfo:
    """Sign a KB file and write the update bundle.

    Parameters
    ----------
    kb_path
        A built KB file (its content hash is verified first).
    private_key
        The site's Ed25519 private key (PEM).
    out_path
        The ``.zip`` to write.

    Returns
    -------
    BundleInfo
    """
    from oncoboard.core.kb.store import KnowledgeBase

    with KnowledgeBase.open(kb_path) as kb:
        if not kb.verify():
            raise _refuse(kb_path, "content hash mismatch: the KB file is damaged")
        version, date, sha, manifest = (
            kb.version,
            kb.release_date,
            kb.sha256,
            kb.manifest,
        )
    key = load_private_key(private_key, passphrase)
    public_raw = raw_public_bytes(key.public_key())
    fp = "SHA256:" + hashlib.sha256(public_raw).hexdigest()
    signed = {
        "schema": BUNDLE_SCHEMA,
        "version": version,
        "release_date": date,
        "content_sha256": sha,
        "file_sha256": sha256_file(kb_path),
        "key_fingerprint": fp,
        "manifest": manifest,
    }
    manifest_bytes = json.dumps(signed, sort_keys=True, indent=2).encode()
    signature = base64.b64encode(key.sign(manifest_bytes)) + b"\n"
    # A fixed timestamp keeps the zip reproducible (the KB content is).
    stamp = (
        tuple(int(x) for x in date.split("-")) + (0, 0, 0)
        if date
        else (1980, 1, 1, 0, 0, 0)
    )
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out_path, "w", zipfile.ZIP_DEFLATED) as zf:
        info = zipfile.ZipInfo("kb.sqlite", date_time=stamp)  # type: ignore[arg-type]
        info.compress_type = zipfile.ZIP_DEFLATED
        with zf.open(info, "w") as dst, kb_path.open("rb") as src_fh:
            shutil.copyfileobj(src_fh, dst)
        for name, data in (
            ("manifest.json", manifest_bytes),
            ("manifest.sig", signature),
        ):
            info = zipfile.ZipInfo(name, date_time=stamp)  # type: ignore[arg-type]
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return BundleInfo(version, date, sha, fp, signed)


# -- verify --------------------------------------------------------------------


def _check_members(bundle: Path, zf: zipfile.ZipFile) -> None:
    names = [i.filename for i in zf.infolist()]
    for name in names:
        parts = re.split(r"[\\/]", name)
        if (
            name.startswith(("/", "\\"))
            or ".." in parts
            or re.match(r"^[A-Za-z]:", name)
        ):
            raise _refuse(
                bundle,
                f"refused: the zip member {name!r} points outside the bundle "
                "(path traversal); this is not a genuine OncoBoard update",
            )
    if sorted(names) != sorted(MEMBERS):
        raise _refuse(
            bundle,
            f"refused: a KB bundle holds exactly {', '.join(MEMBERS)}; "
            f"this one holds {', '.join(sorted(names)) or 'nothing'}",
        )
    for info in zf.infolist():
        if info.file_size > MAX_MEMBER_BYTES:
            raise _refuse(bundle, f"refused: {info.filename} is implausibly large")


def _check_signature(
    bundle: Path, manifest_bytes: bytes, sig: bytes, pinned: Any
) -> dict[str, Any]:
    from cryptography.exceptions import InvalidSignature

    pinned_fp = "SHA256:" + hashlib.sha256(raw_public_bytes(pinned)).hexdigest()
    try:
        manifest = json.loads(manifest_bytes)
    except ValueError:
        manifest = {}
    claimed = manifest.get("key_fingerprint") if isinstance(manifest, dict) else None
    try:
        pinned.verify(base64.b64decode(sig.strip(), validate=True), manifest_bytes)
    except (InvalidSignature, ValueError):
        if claimed and claimed != pinned_fp:
            raise _refuse(
                bundle,
                f"refused: the bundle is signed with a different key ({claimed}), "
                f"not the pinned key ({pinned_fp})",
                hint="Ask IT for a bundle signed with your site's key, or check "
                "kb.public_key.",
            ) from None
        raise _refuse(
            bundle,
            "refused: the signature does not match the bundle contents "
            "(the bundle was modified after signing)",
        ) from None
    if not isinstance(manifest, dict) or manifest.get("schema") != BUNDLE_SCHEMA:
        raise _refuse(bundle, "refused: unknown bundle manifest format")
    return manifest


def verify_bundle(
    bundle: Path, public_key: Path, extract_to: Path | None = None
) -> BundleInfo:
    """Check a bundle's members, signature and database checksum.

    Parameters
    ----------
    bundle
        The ``.zip`` file.
    public_key
        The pinned Ed25519 public key (PEM).
    extract_to
        If given, ``kb.sqlite`` is extracted to this file after the checks.

    Returns
    -------
    BundleInfo
        Raises :class:`UserInputError` with a clear refusal message otherwise.
    """
    pinned = read_public_key(public_key)  # a file that is not a key is refused first
    try:
        zf = zipfile.ZipFile(bundle)
    except (zipfile.BadZipFile, OSError) as exc:
        raise _refuse(bundle, f"refused: not a readable zip file ({exc})") from None
    try:
        with zf:
            _check_members(bundle, zf)
            manifest_bytes = zf.read("manifest.json")
            manifest = _check_signature(
                bundle, manifest_bytes, zf.read("manifest.sig"), pinned
            )
            target = (
                extract_to
                or Path(tempfile.mkdtemp(prefix="oncoboard-kb-")) / "kb.sqlite"
            )
            try:
                with zf.open("kb.sqlite") as src_fh, target.open("wb") as dst:
                    shutil.copyfileobj(src_fh, dst)
                if sha256_file(target) != manifest.get("file_sha256"):
                    raise _refuse(
                        bundle,
                        "refused: kb.sqlite does not match the checksum in its signed "
                        "manifest (the bundle was modified after signing)",
                    )
                _check_content(bundle, target, manifest)
            finally:
                if extract_to is None:
                    shutil.rmtree(target.parent, ignore_errors=True)
    except ZIP_DAMAGE as exc:  # bit rot or tampering inside the zip structure
        raise _refuse(bundle, f"refused: the bundle is damaged ({exc})") from None
    except (
        OSError
    ) as exc:  # e.g. a member offset pointing before the file start; a full disk
        raise _refuse(bundle, f"refused: could not unpack the bundle ({exc})") from None
    return BundleInfo(
        version=str(manifest["version"]),
        release_date=str(manifest["release_date"]),
        content_sha256=str(manifest["content_sha256"]),
        key_fingerprint=str(manifest["key_fingerprint"]),
        manifest=manifest,
    )


def _check_content(bundle: Path, kb_file: Path, manifest: dict[str, Any]) -> None:
    import sqlite3

    from oncoboard.core.errors import StorageError
    from oncoboard.core.kb.store import KnowledgeBase

    try:
        with KnowledgeBase.open(kb_file) as kb:
            ok = kb.verify() and kb.sha256 == manifest.get("content_sha256")
    except (StorageError, sqlite3.DatabaseError, ValueError, KeyError) as exc:
        raise _refuse(bundle, f"refused: kb.sqlite is not a valid KB ({exc})") from None
    if not ok:
        raise _refuse(
            bundle, "refused: the KB content hash does not match its manifest"
        )


# -- install and rollback --------------------------------------------------------


def version_key(version: str, release_date: str = "") -> tuple[tuple[int, ...], str]:
    """Sort key for KB versions (``2026.11.0`` < ``2026.12.0``), then release date."""
    return tuple(int(n) for n in re.findall(r"\d+", version)), release_date


def install_bundle(
    bundle: Path, public_key: Path, data_dir: Path | None = None
) -> BundleInfo:
    """Verify a bundle and make it the active KB, keeping the old one for rollback.

    Parameters
    ----------
    bundle
        The update bundle.
    public_key
        The pinned public key (see :func:`pinned_public_key`).
    data_dir
        The configured data folder (``paths.data_dir``); ``ONCOBOARD_HOME`` wins.

    Returns
    -------
    BundleInfo
        Refuses (``UserInputError``) a bundle not newer than the active KB.
    """
    kb_dir = kbpaths.installed_kb_dir(data_dir)
    kb_dir.mkdir(parents=True, exist_ok=True)
    staged = kb_dir / "incoming.sqlite"
    staged.unlink(missing_ok=True)
    try:
        info = verify_bundle(bundle, public_key, extract_to=staged)
        _refuse_downgrade(bundle, info, data_dir)
        with zipfile.ZipFile(bundle) as zf:
            (kb_dir / "incoming.manifest.json").write_bytes(zf.read("manifest.json"))
            (kb_dir / "incoming.manifest.sig").write_bytes(zf.read("manifest.sig"))
        _move_set(kb_dir, "current", "previous")
        _move_set(kb_dir, "incoming", "current")
    finally:
        for suffix in SET_SUFFIXES:
            (kb_dir / f"incoming{suffix}").unlink(missing_ok=True)
    return info


# An installed KB is the database plus its signed manifest, kept so that
# `kb verify` can re-check the signature later.
SET_SUFFIXES = (".sqlite", ".manifest.json", ".manifest.sig")


def _move_set(kb_dir: Path, src_stem: str, dst_stem: str) -> None:
    for suffix in SET_SUFFIXES:
        src_file, dst_file = (
            kb_dir / f"{src_stem}{suffix}",
            kb_dir / f"{dst_stem}{suffix}",
        )
        if src_file.exists():
            os.replace(src_file, dst_file)
        else:
            dst_file.unlink(missing_ok=True)


def verify_installed(kb_path: Path, public_key: Path | None) -> list[str]:
    """Check an installed KB file; return what was checked (raises on failure).

    The content hash is always recomputed.  If a signed manifest was kept beside
    the file (installed from a bundle) and a public key is given, the signature
    and the file checksum are checked too.
    """
    from oncoboard.core.kb.store import KnowledgeBase

    done = []
    with KnowledgeBase.open(kb_path) as kb:
        if not kb.verify():
            raise _refuse(
                kb_path, "content hash mismatch: the KB file was modified or is damaged"
            )
        done.append(f"content hash OK ({kb.sha256})")
    stem = kb_path.name.removesuffix(".sqlite")
    manifest_file = kb_path.with_name(f"{stem}.manifest.json")
    sig_file = kb_path.with_name(f"{stem}.manifest.sig")
    if not manifest_file.is_file() or not sig_file.is_file():
        done.append("no signed manifest beside the file (built locally, not installed)")
        return done
    if public_key is None:
        done.append(
            "signed manifest present; no pinned public key set, signature not checked"
        )
        return done
    manifest_bytes = manifest_file.read_bytes()
    manifest = _check_signature(
        kb_path, manifest_bytes, sig_file.read_bytes(), read_public_key(public_key)
    )
    if sha256_file(kb_path) != manifest.get("file_sha256"):
        raise _refuse(kb_path, "the KB file does not match its signed manifest")
    done.append(f"signature OK ({manifest.get('key_fingerprint')})")
    return done


def _active_version(data_dir: Path | None) -> tuple[str, str] | None:
    from oncoboard.core.kb.db import read_meta

    for path in (kbpaths.installed_kb_path(data_dir), kbpaths.packaged_kb_path()):
        if path.is_file():
            meta = read_meta(path)
            return meta.get("version", ""), meta.get("release_date", "")
    return None


def _refuse_downgrade(bundle: Path, info: BundleInfo, data_dir: Path | None) -> None:
    active = _active_version(data_dir)
    if active is None:
        return
    new = version_key(info.version, info.release_date)
    if new < version_key(*active):
        raise _refuse(
            bundle,
            f"refused: bundle version {info.version} is older than the installed "
            f"KB {active[0]} (downgrade)",
            hint="To go back to the previous KB use `oncoboard kb rollback`.",
        )
    if new == version_key(*active):
        raise _refuse(bundle, f"KB version {info.version} is already installed")


def rollback(data_dir: Path | None = None) -> tuple[str, str]:
    """Swap the installed KB with the previous one; return (from, to) versions.

    The previous KB is first checked against its signed manifest
    (:class:`StorageError` if it was edited).  Running it twice returns to where
    you started.
    """
    from oncoboard.core.kb.db import read_meta

    kb_dir = kbpaths.installed_kb_dir(data_dir)
    current, previous = kb_dir / "current.sqlite", kb_dir / "previous.sqlite"
    if not previous.is_file():
        raise NotFoundError(
            f"No previous knowledge base to roll back to in {kb_dir} "
            "(a rollback copy exists only after `oncoboard kb install`)."
        )
    from oncoboard.core.kb.installed import check_installed

    check_installed(previous)  # never roll back onto a file edited on disk
    was = read_meta(current).get("version", "?") if current.is_file() else "none"
    now = read_meta(previous).get("version", "?")
    _move_set(kb_dir, "current", "swap")
    _move_set(kb_dir, "previous", "current")
    _move_set(kb_dir, "swap", "previous")
    return was, now
