"""Ed25519 signing keys for KB update bundles.

A site makes its own key pair (``oncoboard kb keygen``), keeps the private key
offline and pins the public key on every workstation (``kb.public_key``).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

from oncoboard.core.errors import Problem, UserInputError

PACKAGED_PUBLIC_KEY = "kb_signing_key.pub.pem"


def _refuse(source: Path, message: str) -> UserInputError:
    return UserInputError(source, [Problem("", message)])


def generate_keypair(
    private_path: Path, public_path: Path, passphrase: bytes | None = None
) -> str:
    """Create an Ed25519 key pair as PEM files; return the public-key fingerprint.

    Parameters
    ----------
    private_path, public_path
        Files to create (never overwritten).  The private key is written with
        mode 0600 and, if ``passphrase`` is given, encrypted with it.
    """
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    for path in (private_path, public_path):
        if path.exists():
            raise _refuse(path, "already exists; refusing to overwrite a key")
    key = Ed25519PrivateKey.generate()
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(passphrase)
        if passphrase
        else serialization.NoEncryption()
    )
    private_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    private_path.parent.mkdir(parents=True, exist_ok=True)
    public_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(private_pem)
    public_path.write_bytes(public_pem)
    return fingerprint(public_pem)


def fingerprint(public_pem: bytes) -> str:
    """Return ``SHA256:<hex>`` of the raw 32-byte Ed25519 public key."""
    return (
        "SHA256:"
        + hashlib.sha256(raw_public_bytes(load_public_key(public_pem))).hexdigest()
    )


def load_public_key(pem: bytes) -> Any:
    """Load an Ed25519 public key from PEM (``ValueError`` if it is another type)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    key = serialization.load_pem_public_key(pem)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


MAX_KEY_FILE_BYTES = 64 * 1024  # a PEM public key is about 113 bytes


def read_public_key(path: Path) -> Any:
    """Load the Ed25519 public key in a PEM file; :class:`UserInputError` naming the file
    if it is missing, huge, or not an Ed25519 public key."""
    try:
        with path.open("rb") as handle:
            if (
                not os.path.isfile(path)
                or os.fstat(handle.fileno()).st_size > MAX_KEY_FILE_BYTES
            ):
                raise _refuse(
                    path,
                    "is not a public key file (not a regular file of at most 64 kB)",
                )
            pem = handle.read()
        return load_public_key(pem)
    except OSError as exc:
        raise _refuse(
            path, f"cannot read the public key file ({exc.strerror})"
        ) from None
    except (ValueError, TypeError) as exc:
        raise _refuse(
            path, f"is not an Ed25519 public key in PEM format ({exc})"
        ) from None


def raw_public_bytes(key: Any) -> bytes:
    """Return the raw 32 bytes of an Ed25519 public key."""
    from cryptography.hazmat.primitives import serialization

    return bytes(
        key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )


def load_private_key(path: Path, passphrase: bytes | None) -> Any:
    """Load an Ed25519 private key from a PEM file (user error if unreadable)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=passphrase)
    except (ValueError, TypeError) as exc:
        raise _refuse(path, f"cannot read the private key ({exc})") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise _refuse(path, "not an Ed25519 private key")
    return key


def pinned_public_key(
    explicit: Path | None = None,
    configured: Path | None = None,
    locked_by: str | None = None,
) -> Path:
    """Return the pinned public key file: explicit, ``kb.public_key``, or packaged.

    ``locked_by`` names the machine configuration file when it locks
    ``kb.public_key`` (``policy.locked``): then any explicit key is refused,
    before a bundle is read, even one naming the same file.  Raises
    :class:`UserInputError` if no key is set: the app never installs an unsigned
    or self-vouched bundle.
    """
    if explicit is not None and locked_by is not None:
        raise UserInputError(
            None,
            [
                Problem(
                    "kb.public_key",
                    f"is locked by the machine configuration ({locked_by}, "
                    f"policy.locked); --public-key {explicit} is refused",
                )
            ],
            hint="Bundles are checked against the key IT pinned; ask IT for a bundle signed "
            "with it.",
        )
    for path in (explicit, configured):
        if path is not None:
            if not path.exists():
                raise _refuse(path, "public key file does not exist")
            if not path.is_file():
                raise _refuse(path, "is not a public key file (not a regular file)")
            return path
    from oncoboard.core.paths import package_data_dir

    packaged = package_data_dir() / PACKAGED_PUBLIC_KEY
    if packaged.is_file():
        return packaged
    raise UserInputError(
        None,
        [Problem("kb.public_key", "no pinned public key to check the bundle against")],
        hint="Set kb.public_key in the configuration (IT: the machine config file) "
        "to your site's public key, or pass --public-key.",
    )
