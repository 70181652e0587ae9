"""VCF helpers: annotation layout (VEP/SnpEff), transcript choice, tumor sample,
depth and allele fraction per caller.  See :mod:`oncoboard.core.profiles.vcf`."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from oncoboard.core.errors import Problem, UserInputError
from oncoboard.core.profiles.reference import canonical_transcripts

# SnpEff ANN fields (fixed order, https://pcingola.github.io/SnpEff/adds/VCFannotationformat_v1.0.pdf)
ANN_FIELDS = (
    "Allele", "Consequence", "IMPACT", "SYMBOL", "Gene", "Feature_type", "Feature", "BIOTYPE",
    "Rank", "HGVSc", "HGVSp", "cDNA_position", "CDS_position", "Protein_position", "DISTANCE",
    "ERRORS",
)  # fmt: skip


@dataclass(frozen=True)
class Annotation:
    key: str  # "CSQ" or "ANN"
    fields: dict[str, int]

    def get(self, parts: list[str], name: str) -> str:
        i = self.fields.get(name, 10_000)
        return parts[i] if i < len(parts) else ""

    def index(self, name: str) -> int:
        """Position of a field, or a position past any record when absent."""
        return self.fields.get(name, 10_000)


class Entry(NamedTuple):
    field: str
    symbol: str
    consequence: str
    hgvsp: str
    hgvsc: str | None
    exon: int | None
    intron: int | None


def parse_annotation_header(vcf) -> Annotation | None:  # noqa: ANN001
    """The CSQ (VEP) or ANN (SnpEff) layout from the header, or None if absent."""
    found: dict[str, str] = {}
    for record in vcf.header_iter():
        info = record.info()
        if info.get("HeaderType") == "INFO" and info.get("ID") in ("CSQ", "ANN"):
            found[info["ID"]] = info.get("Description", "")
    if "CSQ" in found:
        desc = found["CSQ"].strip('"')
        if "Format:" not in desc:
            raise ValueError("the CSQ header has no 'Format:' list of fields")
        names = [
            n.strip() for n in desc.split("Format:", 1)[1].strip().strip('"').split("|")
        ]
        return Annotation("CSQ", {n: i for i, n in enumerate(names)})
    if "ANN" in found:
        return Annotation("ANN", {n: i for i, n in enumerate(ANN_FIELDS)})
    return None


def _rank(text: str) -> int | None:
    if not text:
        return None
    head = text.partition("/")[0].partition("-")[0]
    return int(head) if head.isdigit() else None


def _vep_allele(ref: str, alts: list[str], index: int) -> str:
    alleles = [ref, *alts]
    alt = alts[index]
    if all(a[:1] == ref[:1] for a in alleles) and all(len(a) > 0 for a in alleles):
        alt = alt[1:] or "-"  # VEP strips the shared first base of indels
    return alt


def choose_entry(
    annotation: Annotation, raw: str, ref: str, alts: list[str], index: int
) -> Entry | None:
    """Pick the transcript annotation used for this ALT allele (see module docs)."""
    get = annotation.get
    entries = [e.split("|") for e in raw.split(",")]
    if len(alts) > 1:
        if "ALLELE_NUM" in annotation.fields:
            entries = [e for e in entries if get(e, "ALLELE_NUM") == str(index + 1)]
        else:
            want = (
                alts[index]
                if annotation.key == "ANN"
                else _vep_allele(ref, alts, index)
            )
            entries = [e for e in entries if get(e, "Allele") == want]
    if not entries:
        return None
    best = entries[0] if len(entries) == 1 else min(entries, key=_scorer(annotation))
    n = len(best)
    f = annotation.fields
    # direct indexing: this runs once per record (see benchmarks/bench_vcf_import.py)
    i_cons, i_sym, i_p, i_c = (
        f.get(k, n) for k in ("Consequence", "SYMBOL", "HGVSp", "HGVSc")
    )
    consequence = best[i_cons] if i_cons < n else ""
    if annotation.key == "ANN":
        i_rank = f["Rank"]
        rank = _rank(best[i_rank]) if i_rank < n else None
        exon, intron = (None, rank) if "intron" in consequence else (rank, None)
    else:
        i_exon, i_intron = f.get("EXON", n), f.get("INTRON", n)
        exon = _rank(best[i_exon]) if i_exon < n else None
        intron = _rank(best[i_intron]) if i_intron < n else None
    hgvsc = best[i_c] if i_c < n else ""
    return Entry(
        annotation.key,
        best[i_sym].strip() if i_sym < n else "",
        consequence,
        best[i_p].strip() if i_p < n else "",
        hgvsc.rsplit(":", 1)[-1] if hgvsc else None,
        exon,
        intron,
    )


def _scorer(annotation: Annotation):  # noqa: ANN202
    preferred = canonical_transcripts()
    get = annotation.get

    def score(parts: list[str]) -> tuple[int, bool, bool, bool]:
        ranked = preferred.get(get(parts, "SYMBOL"), ())
        feature = get(parts, "Feature").split(".")[0]
        tier = ranked.index(feature) if feature in ranked else len(ranked) + 1
        return (
            tier,
            get(parts, "CANONICAL") != "YES",
            get(parts, "PICK") != "1",
            not get(parts, "HGVSp"),
        )

    return score


def choose_tumor_sample(vcf, given: str | None, path: Path) -> str | None:  # noqa: ANN001
    """The tumor sample column: given, Mutect2 ``##tumor_sample``, ``TUMOR``, or the only one."""
    samples = list(vcf.samples)
    if given is not None:
        if given not in samples:
            raise UserInputError(path, [Problem("tumor_sample", f"{given!r} is not a sample in this VCF; "
                                                f"samples: {', '.join(samples) or 'none'}")])  # fmt: skip
        return given
    for line in vcf.raw_header.splitlines():
        if line.startswith("##tumor_sample="):
            name = line.split("=", 1)[1].strip()
            if name in samples:
                return name
    named = [
        s
        for s in samples
        if s.lower() in ("tumor", "tumour") or s.lower().endswith(("_tumor", "-tumor"))
    ]
    if len(named) == 1:
        return named[0]
    if len(samples) <= 1:
        return samples[0] if samples else None
    raise UserInputError(
        path,
        [
            Problem(
                "samples",
                f"several sample columns ({', '.join(samples)}) and none is marked as the tumor",
            )
        ],
        hint="Choose the tumor sample column (tumor_sample=...).",
    )


def _num(value) -> float | None:  # noqa: ANN001
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if (
        math.isnan(number) or number < 0
    ):  # cyvcf2 marks missing integers as large negatives
        return None
    return number


class SampleReader:
    """Reads depth and VAF of the tumor sample with the caller's own fields."""

    def __init__(self, vcf, tumor: str | None) -> None:  # noqa: ANN001
        self.index = list(vcf.samples).index(tumor) if tumor is not None else None
        self.fmt: set[str] = set()
        self.info: set[str] = set()
        for record in vcf.header_iter():
            info = record.info()
            # a field whose header Type is damaged cannot be read: treat it as absent
            if info.get("Type") not in (
                "Integer",
                "Float",
                "String",
                "Flag",
                "Character",
            ):
                continue
            if info.get("HeaderType") == "FORMAT":
                self.fmt.add(info.get("ID", ""))
            elif info.get("HeaderType") == "INFO":
                self.info.add(info.get("ID", ""))
        self.strelka_snv = {"AU", "CU", "GU", "TU"} <= self.fmt
        self.has_somatic = "SOMATIC" in self.info

    def _fmt(self, variant, name: str, k: int = 0) -> float | None:  # noqa: ANN001
        if name not in self.fmt or self.index is None:
            return None
        values = variant.format(name)
        if values is None:
            return None
        row = values[self.index]
        return _num(row[k]) if k < len(row) else None

    def _info(self, variant, name: str, k: int = 0) -> float | None:  # noqa: ANN001
        if name not in self.info:
            return None
        value = variant.INFO.get(name)
        if isinstance(value, tuple):
            value = value[k] if k < len(value) else None
        return _num(value)

    def vaf_depth(self, variant, k: int) -> tuple[float | None, int | None]:  # noqa: ANN001
        """VAF and depth of ALT allele ``k`` in the tumor sample (see module docs)."""
        try:
            return self._vaf_depth(variant, k)
        except (ValueError, IndexError, KeyError, TypeError):
            raise
        except Exception as exc:  # noqa: BLE001 - cyvcf2 raises bare Exception on bad data
            raise ValueError(
                f"cannot read the depth / allele fraction fields: {exc}"
            ) from None

    def _vaf_depth(self, variant, k: int) -> tuple[float | None, int | None]:  # noqa: ANN001, C901
        fmt, info = (
            self.fmt,
            self.info,
        )  # membership tests first: most fields are absent
        depth = self._fmt(variant, "DP") if "DP" in fmt else None
        if depth is None and "DPT" in fmt:
            depth = self._fmt(variant, "DPT")
        if depth is None and "TDP" in info:
            depth = self._info(variant, "TDP", k)
        vaf = self._info(variant, "TVAF", k) if "TVAF" in info else None
        if vaf is None and "ADT" in fmt and self.index is not None:
            vaf, ad_depth = _ad_string(variant.format("ADT")[self.index], k)
            depth = depth if depth is not None else ad_depth
        if vaf is None and "AF" in fmt:
            vaf = self._fmt(variant, "AF", k)
        if vaf is None and "FA" in fmt:
            vaf = self._fmt(variant, "FA", k)
        if vaf is None and self.strelka_snv and variant.is_snp:
            ref = self._fmt(variant, f"{variant.REF}U")
            alt = self._fmt(variant, f"{variant.ALT[k]}U")
            vaf = (
                alt / (ref + alt)
                if ref is not None and alt is not None and ref + alt > 0
                else None
            )
        if vaf is None and "TIR" in fmt and "TAR" in fmt:
            tir, tar = self._fmt(variant, "TIR"), self._fmt(variant, "TAR")
            vaf = (
                tir / (tir + tar)
                if tir is not None and tar is not None and tir + tar > 0
                else None
            )
        if "AD" in fmt and self.index is not None and (vaf is None or depth is None):
            ad = variant.format("AD")
            if ad is not None:
                vaf, depth = _from_ad(ad[self.index], k, vaf, depth)
        if self.index is None:
            vaf = vaf if vaf is not None else self._info(variant, "AF", k)
            depth = depth if depth is not None else self._info(variant, "DP")
        # FORMAT floats are 32-bit: 0.004 arrives as 0.004000000189989805
        return (None if vaf is None else round(vaf, 6)), (
            int(depth) if depth is not None else None
        )


def _as_list(row) -> list:  # noqa: ANN001
    try:
        return row.tolist()  # numpy row: one C call instead of a scalar per element
    except AttributeError:
        return list(row)


def _from_ad(
    row, k: int, vaf: float | None, depth: float | None
) -> tuple[float | None, float | None]:  # noqa: ANN001
    """VAF and depth from allelic depths (``AD=ref,alt``); a missing ref count uses DP."""
    counts = [None if x is None or x < 0 else x for x in _as_list(row)]
    valid = [c for c in counts if c is not None]
    alt = counts[k + 1] if k + 1 < len(counts) else None
    total = sum(valid)
    if vaf is None and alt is not None:
        if len(valid) < len(counts) and depth:  # "AD=.,21": ref count missing, use DP
            vaf = alt / depth if alt <= depth else None
        elif total > 0:
            vaf = alt / total
    if depth is None and valid:
        depth = total
    return vaf, depth


def _ad_string(cell, k: int) -> tuple[float | None, int | None]:  # noqa: ANN001
    parts = [_num(p) for p in str(cell).split(",")]
    if len(parts) < k + 2 or any(p is None for p in parts):
        return None, None
    total = sum(parts)  # type: ignore[arg-type]
    return (parts[k + 1] / total if total else None), int(total)  # type: ignore[operator]
