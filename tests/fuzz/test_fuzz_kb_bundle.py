"""KB update bundles: damaged or tampered zips are refused, never half-trusted.

``verify_bundle`` documents one failure type, ``UserInputError`` with a
"refused: ..." message.  Starting from a genuine signed bundle of the test KB,
every mutation (bit flips in the zip, edited or missing members, extra members
with hostile names, a re-written manifest) must either be refused that way or,
if it left the signed content intact, yield exactly the signed database.
"""

from __future__ import annotations

import io
import itertools
import json
import shutil
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fuzz.mutations import FAST, SLOW, Blob, byte_edits, json_edits, unicode_text
from oncoboard.core.errors import UserInputError
from oncoboard.core.kb import bundle as kbb
from shared_paths import DATA, REPO

KB_FIXTURE = REPO / "tests" / "data" / "kb"


@dataclass(frozen=True, repr=False)
class Genuine:
    folder: Path
    zip_bytes: bytes
    members: dict[str, bytes]
    kb_bytes: bytes
    public_key: Path

    def __repr__(self) -> str:  # keeps Hypothesis' failure reports readable
        return f"Genuine({self.folder})"


@pytest.fixture(scope="module")
def genuine(tmp_path_factory: pytest.TempPathFactory) -> Genuine:
    from oncoboard.core.api import build_kb

    folder = tmp_path_factory.mktemp("fuzz-bundle")
    shutil.copytree(KB_FIXTURE / "knowledgebase", folder / "knowledgebase")
    kb = folder / "kb.sqlite"
    build_kb(folder / "knowledgebase" / "curated", DATA, kb,
             civic_file=KB_FIXTURE / "civic_small.tsv", fit_survival=False)  # fmt: skip
    kbb.generate_keypair(folder / "site.pem", folder / "site.pub.pem")
    kbb.make_bundle(kb, folder / "site.pem", folder / "bundle.zip")
    with zipfile.ZipFile(folder / "bundle.zip") as zf:
        members = {name: Blob(zf.read(name)) for name in zf.namelist()}
    return Genuine(folder, Blob((folder / "bundle.zip").read_bytes()), members,
                   Blob(kb.read_bytes()), folder / "site.pub.pem")  # fmt: skip


# zipfile cuts a name at NUL; an empty name cannot be written at all
member_names = unicode_text.filter(lambda name: name.split("\x00")[0] != "")
HOSTILE_NAMES = ["../kb.sqlite", "/etc/passwd", "C:\\x", "kb.sqlite/../../x", "a/b",
                 "kb.sqlite\x00.txt", "manifest.json", "..", "\\\\server\\share"]  # fmt: skip


@st.composite
def rebuilt_zip(draw: st.DrawFn, members: dict[str, bytes]) -> bytes:
    """A zip rebuilt from the genuine members, some edited, dropped or added."""
    out = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(out, "w") as zf:
        warnings.simplefilter("ignore", UserWarning)  # duplicate names are the point
        for name, data in members.items():
            action = draw(st.sampled_from(["keep", "keep", "edit", "drop", "rename"]))
            if action == "drop":
                continue
            if action == "edit":
                if name == "manifest.json":
                    data = json.dumps(draw(json_edits(json.loads(data)))).encode()
                else:
                    data = draw(byte_edits(data))
            if action == "rename":
                name = draw(st.sampled_from(HOSTILE_NAMES) | member_names)
            method = draw(st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]))
            zf.writestr(zipfile.ZipInfo(name), data, compress_type=method)
        for _ in range(draw(st.integers(0, 1))):
            extra = draw(st.sampled_from(HOSTILE_NAMES) | member_names)
            zf.writestr(extra, draw(st.binary(max_size=64)))
    return out.getvalue()


_counter = itertools.count()


def _check(g: Genuine, payload: bytes) -> None:
    n = next(_counter)
    bundle, target = g.folder / f"m{n}.zip", g.folder / f"m{n}.sqlite"
    bundle.write_bytes(payload)
    try:
        kbb.verify_bundle(bundle, g.public_key, extract_to=target)
    except UserInputError as exc:
        assert "refused" in str(exc) and str(bundle) in str(exc)
        return
    finally:
        bundle.unlink()
    # accepted: then it must be exactly what was signed
    assert target.read_bytes() == g.kb_bytes
    target.unlink()


def test_the_genuine_bundle_verifies(genuine: Genuine) -> None:
    _check(genuine, genuine.zip_bytes)


def _damaged(g: Genuine) -> st.SearchStrategy[bytes]:
    return st.one_of(byte_edits(g.zip_bytes), rebuilt_zip(g.members))


@FAST
@given(data=st.data())
def test_damaged_bundles_are_refused(genuine: Genuine, data: st.DataObject) -> None:
    _check(genuine, data.draw(_damaged(genuine)))


@pytest.mark.slow
@SLOW
@given(data=st.data())
def test_damaged_bundles_are_refused_10k(genuine: Genuine, data: st.DataObject) -> None:
    _check(genuine, data.draw(_damaged(genuine)))


def test_bit_flips_in_every_region_are_refused(genuine: Genuine) -> None:
    """Deterministic sweep: one bit flipped every 97 bytes across the whole zip."""
    for where in range(0, len(genuine.zip_bytes), 97):
        data = bytearray(genuine.zip_bytes)
        data[where] ^= 0x10
        _check(genuine, bytes(data))
