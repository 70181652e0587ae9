"""Annotated VCF import with cyvcf2 (plain or bgzipped).

The protein change comes only from the annotation: VEP ``CSQ`` or SnpEff
``ANN``.  An unannotated VCF is refused; a protein change is never derived
from genomic coordinates here.  Per record, the transcript is chosen in this
order: the gene's MANE Select transcript, its MSK-IMPACT isoform (both from
``../shared/data/reference/vcf2maf``), VEP ``CANONICAL=YES``, VEP ``PICK=1``,
the first transcript with a protein change, the first transcript.

Depth and VAF of the tumor sample, first match wins: INFO ``TVAF``/``TDP``
(PCGR); FORMAT ``ADT``/``DPT`` (PCGR); FORMAT ``AF`` (Mutect2, VarDict,
DRAGEN); FORMAT ``FA`` (MuTect 1); Strelka2 tier-1 counts (``{ALT}U`` for
SNVs, ``TIR``/``TAR`` for indels); FORMAT ``AD``; and only for VCFs without
sample columns INFO ``AF``/``DP``.  Depth is FORMAT ``DP``, else ``DPT``, else
INFO ``TDP``, else the sum of ``AD``.
"""

from __future__ import annotations

import gzip
import math
import re
from collections import Counter
from pathlib import Path

from oncoboard.core.errors import Problem, UserInputError
from oncoboard.core.profiles import normalise as nz
from oncoboard.core.profiles.files import is_gzip, raise_problems, scan_vcf
from oncoboard.core.profiles.model import (
    NormalisedAlteration,
    ProfileFlag,
    VariantImport,
)
from oncoboard.core.profiles.vcf_fields import (
    SampleReader,
    choose_entry,
    choose_tumor_sample,
    parse_annotation_header,
)

UNANNOTATED_HINT = (
    "This VCF has no VEP (CSQ) or SnpEff (ANN) annotation, so its protein changes are "
    "unknown. Annotate it with VEP (e.g. vep --everything --vcf) or SnpEff, or supply "
    "a MAF made by vcf2maf."
)
_FORMAT_RE = re.compile(r"^##fileformat=VCF", re.IGNORECASE)
NON_PROTEIN = {"synonymous_variant", "stop_retained_variant", "start_retained_variant"}
SPLICE_TERMS = ("splice_acceptor", "splice_donor", "splice_region")
RECORD_ERRORS = (
    ValueError,
    IndexError,
    KeyError,
    TypeError,
    AttributeError,
    OverflowError,
)


def _describe(exc: Exception) -> str:
    if isinstance(exc, ValueError):  # includes NormalisationError / ProteinParseError
        return str(exc)
    return f"malformed record (a FORMAT or INFO value does not match the header): {exc}"


def _first_line(path: Path) -> bytes:
    try:
        opener = gzip.open if is_gzip(path) else open
        with opener(path, "rb") as handle:
            return handle.readline(200)
    except (OSError, EOFError) as exc:
        raise UserInputError(
            path, [Problem("line 1", f"cannot read the file: {exc}")]
        ) from None


def read_vcf(
    path: Path,
    *,
    sample_id: str | None = None,
    tumor_sample: str | None = None,
    specimen: str | None = None,
    collected=None,  # noqa: ANN001
) -> VariantImport:
    """Read an annotated VCF into normalised alterations.

    Parameters
    ----------
    path
        VCF, plain or bgzipped.
    sample_id
        Sample id given to every alteration (default: the tumor column's name).
    tumor_sample
        Name of the tumor sample column; needed when several columns exist and
        none is recognisably the tumor (``TUMOR``, Mutect2 ``##tumor_sample``).

    Raises
    ------
    UserInputError
        Unannotated VCF (with how to fix it), unknown tumor sample, malformed
        records (record and line named).
    """
    if not _FORMAT_RE.match(_first_line(path).decode("latin-1")):
        raise UserInputError(
            path, [Problem("line 1", "not a VCF: expected '##fileformat=VCFv4.x'")]
        )
    scan_vcf(path)  # record length, record count and decompressed size, before htslib
    from cyvcf2 import VCF  # lazily: heavy C extension

    try:
        vcf = VCF(str(path), lazy=True, threads=1)
    except Exception as exc:  # noqa: BLE001 - htslib raises bare OSError/Exception
        raise UserInputError(
            path, [Problem("header", f"cannot read the VCF header: {exc}")]
        ) from None
    try:
        return _read(vcf, path, sample_id, tumor_sample, specimen, collected)
    finally:
        vcf.close()


def _header(vcf, path: Path, tumor_sample: str | None):  # noqa: ANN001, ANN202
    """Annotation layout, tumor column and field reader; header damage is a user error."""
    try:
        header_lines = vcf.raw_header.count("\n")
        annotation = parse_annotation_header(vcf)
        if annotation is None:
            raise UserInputError(
                path,
                [Problem("header", "no CSQ or ANN INFO field")],
                hint=UNANNOTATED_HINT,
            )
        tumor = choose_tumor_sample(vcf, tumor_sample, path)
        return (
            header_lines,
            annotation,
            tumor,
            SampleReader(vcf, tumor),
            len(vcf.samples),
        )
    except UserInputError:
        raise
    except Exception as exc:  # noqa: BLE001 - cyvcf2 raises bare Exception / decode errors
        raise UserInputError(
            path, [Problem("header", f"the VCF header is damaged: {exc}")]
        ) from None


def _read(vcf, path, sample_id, tumor_sample, specimen, collected) -> VariantImport:  # noqa: ANN001
    header_lines, annotation, tumor, reader, n_samples = _header(
        vcf, path, tumor_sample
    )
    somatic_default = "somatic" if n_samples >= 2 else "unknown"
    alterations: list[NormalisedAlteration] = []
    flags: dict[str, ProfileFlag] = {}
    skipped: Counter[str] = Counter()
    problems: list[Problem] = []
    records = 0
    iterator = iter(vcf)
    while True:
        try:
            variant = next(iterator)
        except StopIteration:
            break
        except Exception as exc:  # noqa: BLE001 - htslib errors carry no type
            problems.append(Problem(f"record {records + 1} (line {header_lines + records + 1})",
                                    f"unreadable record: {exc}"))  # fmt: skip
            break
        records += 1
        line = header_lines + records
        try:
            _record(variant, annotation, reader, f"{path.name}:line {line}", sample_id or tumor or None,
                    specimen, collected, somatic_default, alterations, flags, skipped)  # fmt: skip
        except RECORD_ERRORS as exc:
            # cyvcf2 hands malformed FORMAT data back as None or short arrays
            problems.append(Problem(f"record {records} (line {line})", _describe(exc)))
        except UserInputError:
            raise
        except Exception as exc:  # noqa: BLE001 - cyvcf2 raises bare Exception on bad records
            problems.append(
                Problem(f"record {records} (line {line})", f"unreadable record: {exc}")
            )
    raise_problems(path, problems)
    return VariantImport(str(path), "vcf", records, tuple(alterations), dict(skipped),
                         tuple(flags.values()))  # fmt: skip


def _record(
    variant,
    annotation,
    reader,
    source,
    sample,
    specimen,
    collected,  # noqa: ANN001
    somatic_default,
    alterations,
    flags,
    skipped,
) -> None:  # noqa: ANN001
    filt = variant.FILTER
    if filt not in (None, "PASS", "."):
        skipped[f"FILTER {filt}"] += 1
        return
    raw = variant.INFO.get(annotation.key)
    if not raw:
        skipped["not annotated"] += 1
        return
    origin = (
        "somatic"
        if reader.has_somatic and variant.INFO.get("SOMATIC")
        else somatic_default
    )
    ctx = nz.Context(sample, specimen, collected, origin, source)
    alts = variant.ALT or []
    for index in range(len(alts)):
        entry = choose_entry(annotation, str(raw), variant.REF, alts, index)
        if entry is None:
            skipped["no transcript for allele"] += 1
            continue
        alt = _alteration(entry, reader, variant, index, ctx, flags, skipped)
        if alt is not None:
            alterations.append(alt)


def _alteration(
    entry, reader, variant, index, ctx, flags, skipped
) -> NormalisedAlteration | None:  # noqa: ANN001
    symbol = entry.symbol
    consequence = entry.consequence
    if not symbol:
        skipped["intergenic"] += 1
        return None
    protein = entry.hgvsp
    splice = any(term in consequence for term in SPLICE_TERMS)
    if not protein or protein.endswith("=") or "%3D" in protein:
        if not ("splice_acceptor" in consequence or "splice_donor" in consequence
                or (splice and symbol == "MET")):  # fmt: skip
            skipped[
                "synonymous"
                if any(t in consequence for t in NON_PROTEIN) or protein
                else "non-coding"
            ] += 1
            return None
    gene, original, flag = nz.resolve_gene(symbol)
    if flag:
        flags.setdefault(gene, flag)
    vaf, depth = reader.vaf_depth(variant, index)
    if vaf is not None and (math.isnan(vaf) or not 0 <= vaf <= 1):
        raise ValueError(f"allele fraction {vaf!r} is not between 0 and 1")
    if protein:
        try:
            return nz.mutation(gene, protein, ctx, cdna=entry.hgvsc, vaf=vaf, depth=depth,
                               exon=entry.exon, intron=entry.intron, splice_site=splice,
                               original_gene=original)  # fmt: skip
        except nz.NormalisationError as exc:
            raise ValueError(f"{entry.field} protein change: {exc}") from None
    if gene == "MET" and (entry.exon == 14 or entry.intron in (13, 14)):
        return nz.exon_skipping(gene, 14, ctx, original_gene=original, vaf=vaf, depth=depth,
                                cdna=entry.hgvsc)  # fmt: skip
    return nz.gene_level_mutation(gene, "splice", ctx, vaf=vaf, depth=depth,
                                  original_gene=original, cdna=entry.hgvsc)  # fmt: skip
