"""Parsing HGVS protein changes into one canonical one-letter form.

Why not the ``hgvs`` package: its parser (parsley grammar) is fine offline, but
the package pulls in a PostgreSQL driver and the UTA/SeqRepo data providers
as hard dependencies, and it only accepts strict HGVS.  Clinical reports and
panel exports write ``L858R``, ``p.(Leu858Arg)``, ``R1450X`` or ``E746_A750del``
interchangeably, so a small, permissive grammar for the protein level only is
both lighter and more useful here.  It never infers a change: anything it
cannot read raises :class:`ProteinParseError`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

THREE_TO_ONE = {
    "Ala": "A", "Arg": "R", "Asn": "N", "Asp": "D", "Cys": "C", "Gln": "Q",
    "Glu": "E", "Gly": "G", "His": "H", "Ile": "I", "Leu": "L", "Lys": "K",
    "Met": "M", "Phe": "F", "Pro": "P", "Ser": "S", "Thr": "T", "Trp": "W",
    "Tyr": "Y", "Val": "V", "Sec": "U", "Pyl": "O", "Ter": "*", "Xaa": "X",
}  # fmt: skip
ONE_LETTER = set("ACDEFGHIKLMNPQRSTVWYUOX*")  # X: unknown residue

_AA = r"(?:[A-Z][a-z]{2}|[A-Z*])"
_HEAD = re.compile(
    rf"^(?P<a1>{_AA})(?P<p1>[1-9]\d{{0,4}})(?:_(?P<a2>{_AA})(?P<p2>[1-9]\d{{0,4}}))?"
)
_SEQ = re.compile(rf"^(?:{_AA})+$")
_TOKEN = re.compile(_AA)
_KEYWORDS = re.compile(r"delins|del|ins|dup|fs|ext|splice", re.IGNORECASE)
_UPPER_THREE = re.compile(r"^([A-Z]{3})(\d+)([A-Z]{3}|=|\*)$")


class ProteinParseError(ValueError):
    """The text is not a protein change this parser understands."""


@dataclass(frozen=True)
class ProteinChange:
    """A parsed protein change.

    ``kind`` is one of ``missense``, ``nonsense``, ``synonymous``, ``frameshift``,
    ``deletion``, ``insertion``, ``duplication``, ``delins``, ``extension``,
    ``start_lost``, ``splice``.
    """

    canonical: str  # one-letter, no "p.", e.g. "L858R", "E746_A750del"
    kind: str
    start: int
    start_aa: str
    end: int
    end_aa: str
    alt: str = ""  # inserted / substituted residues, one-letter

    @property
    def length_change(self) -> int:
        """Net change in protein length for in-frame events (0 for substitutions)."""
        span = self.end - self.start + 1
        if self.kind == "deletion":
            return -span
        if self.kind == "duplication":
            return span
        if self.kind == "insertion":
            return len(self.alt)
        if self.kind == "delins":
            return len(self.alt) - span
        return 0


def _one(token: str) -> str:
    if len(token) == 3:
        try:
            return THREE_TO_ONE[token]
        except KeyError:
            raise ProteinParseError(f"unknown amino acid {token!r}") from None
    if token not in ONE_LETTER:
        raise ProteinParseError(f"unknown amino acid {token!r}")
    return token


def _seq(text: str) -> str:
    if not _SEQ.match(text):
        raise ProteinParseError(f"expected amino acids, got {text!r}")
    return "".join(_one(t) for t in _TOKEN.findall(text))


def _clean(text: str) -> str:
    s = text.strip().replace("%3D", "=").replace(" ", "")
    if ":" in s:  # "ENSP00000275493.2:p.Leu858Arg" (VEP HGVSp)
        s = s.rsplit(":", 1)[1]
    if s[:2].lower() == "p.":
        s = s[2:]
    if s.startswith("(") and s.endswith(")"):
        s = s[1:-1]
    m = _UPPER_THREE.match(s)  # "LEU858ARG"
    if m and m.group(1).title() in THREE_TO_ONE:
        alt = m.group(3)
        alt = alt.title() if alt.title() in THREE_TO_ONE else alt
        return f"{m.group(1).title()}{m.group(2)}{alt}"
    if s.islower():  # "l858r"
        s = s.upper()
    if any(c.islower() for c in s):
        return s  # keywords are already lower case; "insFS..." is a sequence
    return _KEYWORDS.sub(lambda k: k.group(0).lower(), s)  # "E746_A750DEL"


@lru_cache(maxsize=65536)
def parse_protein_change(text: str) -> ProteinChange:
    """Parse an HGVS-like protein change into its canonical one-letter form.

    Accepts one- or three-letter amino acids, with or without ``p.`` and
    parentheses; stops written ``*``, ``Ter`` or ``X``; substitutions,
    ``fs``, ``del``, ``ins``, ``delins``, ``dup``, ``ext`` and the MAF
    ``X123_splice`` notation.

    Parameters
    ----------
    text
        e.g. ``"p.Leu858Arg"``, ``"L858R"``, ``"p.(E746_A750del)"``, ``"R1450X"``.

    Returns
    -------
    ProteinChange
        With ``canonical`` such as ``"L858R"`` or ``"R1450*"``.

    Raises
    ------
    ProteinParseError
        If the text is not a protein change (never guessed).
    """
    try:
        return _parse(text)
    except ProteinParseError as exc:
        message = str(exc)
        raise ProteinParseError(
            message if repr(text) in message else f"{text!r}: {message}"
        ) from None


def _parse(text: str) -> ProteinChange:
    s = _clean(text)
    legacy = _legacy(s)
    if legacy is not None:
        return legacy
    head = _HEAD.match(s)
    if not head:
        raise ProteinParseError(
            f"{text!r} is not a protein change; expected e.g. L858R, p.Leu858Arg, E746_A750del"
        )
    a1, p1 = _one(head["a1"]), int(head["p1"])
    a2 = _one(head["a2"]) if head["a2"] else a1
    p2 = int(head["p2"]) if head["p2"] else p1
    if p2 < p1:
        raise ProteinParseError(f"{text!r}: range end {p2} is before its start {p1}")
    ranged = head["a2"] is not None
    rest = s[head.end() :]
    span = f"{a1}{p1}_{a2}{p2}" if ranged else f"{a1}{p1}"

    def change(canonical: str, kind: str, alt: str = "") -> ProteinChange:
        return ProteinChange(canonical, kind, p1, a1, p2, a2, alt)

    if rest in ("_splice", "splice"):
        # In "X168_splice" (vcf2maf) X is an unknown residue, not a stop.
        lead = "X" if head["a1"] in ("X", "Xaa") else a1
        return ProteinChange(f"{lead}{p1}_splice", "splice", p1, lead, p1, lead)
    edited = _range_edit(text, rest, span, ranged, p1, p2, change)
    if edited is not None:
        return edited
    if ranged:
        raise ProteinParseError(f"{text!r}: a range needs del, dup, ins or delins")
    return _single_site(text, rest, change, a1, p1)


def _range_edit(
    text: str, rest: str, span: str, ranged: bool, p1: int, p2: int, change
):  # noqa: ANN001, ANN202
    """del / dup / delins / ins over a position or a range, else None."""
    for keyword, kind in (
        ("delins", "delins"),
        ("del", "deletion"),
        ("dup", "duplication"),
    ):
        if rest.startswith(keyword):
            tail = rest[len(keyword) :]
            if kind == "delins":
                alt = _seq(tail)
                return change(f"{span}delins{alt}", kind, alt)
            if tail and not tail.isdigit():
                _seq(tail)  # the deleted residues may be spelled out; validate only
            return change(f"{span}{keyword}", kind)
    if rest.startswith("ins"):
        if not ranged or p2 != p1 + 1:
            raise ProteinParseError(
                f"{text!r}: an insertion needs two adjacent positions"
            )
        alt = _seq(rest[3:])
        return change(f"{span}ins{alt}", "insertion", alt)
    return None


def _frameshift_or_extension(rest: str, change, a1: str, p1: int):  # noqa: ANN001, ANN202
    fs = re.match(rf"^(?P<new>{_AA})?fs(?:(?:\*|Ter|X)(?P<n>\d+|\?))?$", rest)
    if fs:
        new = _one(fs["new"]) if fs["new"] else ""
        stop = f"*{fs['n']}" if fs["n"] else ""
        return change(f"{a1}{p1}{new}fs{stop}", "frameshift")
    ext = re.match(rf"^(?P<new>{_AA})ext(?P<tail>.*)$", rest)
    if ext:
        new = _one(ext["new"])
        tail = ext["tail"].replace("Ter", "*").replace("X", "*")
        return change(f"{a1}{p1}{new}ext{tail}", "extension", new)
    return None


def _single_site(text: str, rest: str, change, a1: str, p1: int) -> ProteinChange:  # noqa: ANN001
    special = _frameshift_or_extension(rest, change, a1, p1)
    if special is not None:
        return special
    if rest in ("=", ""):
        if rest == "":
            raise ProteinParseError(
                f"{text!r} names a position but no change; expected e.g. V600E"
            )
        return change(f"{a1}{p1}=", "synonymous")
    if rest == "?":
        if p1 == 1 and a1 == "M":
            return change("M1?", "start_lost")
        raise ProteinParseError(
            f"{text!r}: the effect is unknown ('?'); give the actual change"
        )
    if not _SEQ.match(rest) or len(_TOKEN.findall(rest)) != 1:
        raise ProteinParseError(
            f"{text!r} is not a protein change; expected e.g. L858R, p.Leu858Arg, E746_A750del"
        )
    alt = _one(rest)
    if alt == "X":
        alt = "*"  # "R1450X": X as the new residue means a stop in reports
    if alt == a1:
        return change(f"{a1}{p1}=", "synonymous")
    if alt == "*":
        return change(f"{a1}{p1}*", "nonsense", alt)
    if a1 == "*":
        return change(f"*{p1}{alt}", "extension", alt)
    if p1 == 1 and a1 == "M":
        return change(f"M1{alt}", "start_lost", alt)
    return change(f"{a1}{p1}{alt}", "missense", alt)


_LEGACY_FS = re.compile(r"^(?P<ref>[A-Z]+|-)(?P<pos>[1-9]\d{0,4})fs$")
_LEGACY_DEL = re.compile(r"^(?P<ref>[A-Z]{2,})(?P<pos>[1-9]\d{0,4})del$")
_LEGACY_INS = re.compile(
    r"^(?P<p1>[1-9]\d{0,4})_(?P<p2>[1-9]\d{0,4})ins(?P<alt>[A-Z*]+)$"
)
_LEGACY_SUB = re.compile(
    r"^(?P<p1>[1-9]\d{0,4})_(?P<p2>[1-9]\d{0,4})(?P<ref>[A-Z*]+)>(?P<alt>[A-Z*]+)$"
)


def _legacy(s: str) -> ProteinChange | None:
    """Oncotator-style notation found in TCGA MAFs (maftools ``Protein_Change``).

    ``p.KIM2014fs`` (residues then position), ``p.-920fs`` (no residue),
    ``p.SG123del``, ``p.317_318insM`` (flanks not given: written X),
    ``p.310_311TQ>TKQNPQ`` (old delins).  Each maps to one HGVS form.
    """
    m = _LEGACY_FS.match(s)
    if m and (m["ref"] == "-" or len(m["ref"]) > 1 or not s[:1].isalpha()):
        aa = "X" if m["ref"] == "-" else m["ref"][0]
        pos = int(m["pos"])
        return ProteinChange(f"{aa}{pos}fs", "frameshift", pos, aa, pos, aa)
    m = _LEGACY_DEL.match(s)
    if m:
        ref, p1 = m["ref"], int(m["pos"])
        p2 = p1 + len(ref) - 1
        return ProteinChange(
            f"{ref[0]}{p1}_{ref[-1]}{p2}del", "deletion", p1, ref[0], p2, ref[-1]
        )
    m = _LEGACY_INS.match(s)
    if m:
        p1, p2 = int(m["p1"]), int(m["p2"])
        if p2 != p1 + 1:
            raise ProteinParseError(f"{s!r}: an insertion needs two adjacent positions")
        alt = m["alt"]
        return ProteinChange(f"X{p1}_X{p2}ins{alt}", "insertion", p1, "X", p2, "X", alt)
    m = _LEGACY_SUB.match(s)
    if m:
        p1, p2, ref, alt = int(m["p1"]), int(m["p2"]), m["ref"], m["alt"]
        if p2 < p1 or len(ref) != p2 - p1 + 1:
            raise ProteinParseError(
                f"{s!r}: {len(ref)} residues do not fit positions {p1}-{p2}"
            )
        span = f"{ref}{p1}" if p1 == p2 else f"{ref[0]}{p1}_{ref[-1]}{p2}"
        return ProteinChange(
            f"{span}delins{alt}", "delins", p1, ref[0], p2, ref[-1], alt
        )
    return None
