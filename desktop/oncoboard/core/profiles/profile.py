"""Use cases: read one variant file; build the whole profile of a case."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from oncoboard.core.case.io import resolve_variant_file
from oncoboard.core.case.model import Case, GermlineFinding, Sample
from oncoboard.core.errors import Problem, UserInputError
from oncoboard.core.profiles import normalise as nz
from oncoboard.core.profiles.ctdna import (
    chip_flags,
    detection_limit_flags,
    empty_plasma_flags,
    germline_flags,
)
from oncoboard.core.profiles.files import check_file
from oncoboard.core.profiles.flags import c797s_flags
from oncoboard.core.profiles.her2 import assess_her2
from oncoboard.core.profiles.model import (
    NormalisedAlteration,
    Profile,
    ProfileFlag,
    SampleInfo,
    VariantImport,
)

FORMATS = ("vcf", "maf", "csv", "tsv")


def import_variant_file(
    path: Path,
    fmt: str,
    *,
    sample_id: str | None = None,
    tumor_sample: str | None = None,
    column_map: dict[str, str] | None = None,
    specimen: str | None = None,
    collected=None,  # noqa: ANN001
    max_bytes: int | None = None,
) -> VariantImport:
    """Read a VCF, MAF or panel table, with record counts, skips and flags.

    Parameters
    ----------
    path
        The file (VCF may be bgzipped, tables may be gzipped).
    fmt
        ``vcf``, ``maf``, ``csv`` or ``tsv`` (the last two are panel tables).
    sample_id, tumor_sample, column_map
        See :func:`read_variant_file`.
    max_bytes
        Size limit; default ``ONCOBOARD_MAX_VARIANT_FILE_BYTES`` or 2 GB.

    Raises
    ------
    UserInputError
        For any problem in the file; nothing is returned half-imported.
    """
    path = Path(path)
    if fmt not in FORMATS:
        raise UserInputError(
            path,
            [Problem("format", f"expected one of {', '.join(FORMATS)}, got {fmt!r}")],
        )
    check_file(path, max_bytes)
    kwargs = {"sample_id": sample_id, "specimen": specimen, "collected": collected}
    if fmt == "vcf":
        from oncoboard.core.profiles.vcf import read_vcf

        return read_vcf(path, tumor_sample=tumor_sample, **kwargs)
    if fmt == "maf":
        from oncoboard.core.profiles.maf import read_maf

        return read_maf(path, tumor_sample=tumor_sample, **kwargs)
    from oncoboard.core.profiles.panel import read_panel

    return read_panel(path, column_map=column_map, **kwargs)


def read_variant_file(
    path: Path,
    fmt: str,
    *,
    sample_id: str | None = None,
    tumor_sample: str | None = None,
    column_map: dict[str, str] | None = None,
) -> list[NormalisedAlteration]:
    """Read a variant file into normalised alterations.

    Parameters
    ----------
    path
        VCF (annotated by VEP or SnpEff), MAF, or panel CSV/TSV.
    fmt
        ``vcf``, ``maf``, ``csv`` or ``tsv``.
    sample_id
        Sample id written on every alteration.
    tumor_sample
        VCF tumor column / MAF ``Tumor_Sample_Barcode`` to import.
    column_map
        Panel tables: ``{field: header}`` for headers not recognised automatically.

    Raises
    ------
    UserInputError
        Unannotated or malformed files (file, line, field and expectation named).
    """
    result = import_variant_file(path, fmt, sample_id=sample_id, tumor_sample=tumor_sample,
                                 column_map=column_map)  # fmt: skip
    return list(result.alterations)


def _manual(
    sample: Sample, index: int, flags: list[ProfileFlag], problems: list[Problem]
) -> list[NormalisedAlteration]:
    ctx = nz.Context(sample=sample.id, specimen=sample.specimen, collected=sample.collected,
                     origin="somatic" if sample.specimen == "tissue" else "unknown")  # fmt: skip
    out = []
    for j, alt in enumerate(sample.alterations):
        where = f"samples[{index}].alterations[{j}]"
        try:
            gene, original, flag = nz.resolve_gene(alt.gene)
            if flag:
                flags.append(flag)
            out.append(_one(alt, gene, original, ctx))
        except nz.NormalisationError as exc:
            field = {
                "mutation": "protein",
                "fusion": "partner",
                "expression": "level",
            }.get(alt.kind, "gene")
            problems.append(Problem(f"{where}.{field}", str(exc)))
    return out


def _one(alt, gene: str, original: str | None, ctx: nz.Context) -> NormalisedAlteration:  # noqa: ANN001
    if alt.kind == "mutation":
        return nz.mutation(gene, alt.protein, ctx, cdna=alt.cdna, vaf=alt.vaf, depth=alt.depth,
                           phase=alt.phase, original_gene=original)  # fmt: skip
    if alt.kind in ("amplification", "deletion"):
        return nz.copy_number(gene, alt.kind, ctx, copies=getattr(alt, "copy_number", None),
                              original_gene=original)  # fmt: skip
    if alt.kind == "fusion":
        return nz.fusion(gene, alt.partner, ctx, original_gene=original)
    if alt.kind == "exon_skipping":
        return nz.exon_skipping(gene, alt.exon, ctx, original_gene=original)
    return nz.expression(gene, alt.level, ctx, original_gene=original)


def _germline(
    findings: list[GermlineFinding], flags: list[ProfileFlag], problems: list[Problem]
) -> list[NormalisedAlteration]:
    """Pathogenic / likely pathogenic germline findings become germline alterations."""
    ctx = nz.Context(origin="germline", source="manual (germline)")
    out = []
    for i, finding in enumerate(findings):
        if finding.classification not in ("pathogenic", "likely_pathogenic"):
            continue
        try:
            gene, original, flag = nz.resolve_gene(finding.gene)
            if flag:
                flags.append(flag)
            if finding.protein:
                alt = nz.mutation(
                    gene,
                    finding.protein,
                    ctx,
                    cdna=finding.cdna,
                    original_gene=original,
                )
            else:
                alt = nz.gene_level_mutation(
                    gene, "other", ctx, cdna=finding.cdna, original_gene=original
                )
                alt = replace(alt, label=f"{gene} {finding.cdna}")
            out.append(
                replace(alt, significance="oncogenic")
            )  # classified pathogenic by the lab
        except nz.NormalisationError as exc:
            problems.append(Problem(f"germline[{i}].protein", str(exc)))
    return out


def _from_files(
    case: Case,
    case_file: Path | None,
    problems: list[Problem],
    flags: list[ProfileFlag],
    biomarkers: dict[str, float | str] | None = None,
) -> list[NormalisedAlteration]:
    if not any(s.variant_files for s in case.samples):
        return []
    if case_file is None:
        problems.append(Problem("samples[].variant_files", "variant files are relative to the case "
                                "file, but no case file location was given"))  # fmt: skip
        return []
    case_file = Path(case_file)
    out: list[NormalisedAlteration] = []
    for i, sample in enumerate(case.samples):
        for j, vf in enumerate(sample.variant_files):
            where = f"samples[{i}].variant_files[{j}]"
            path = resolve_variant_file(
                case_file.parent, vf.path, f"{where}.path", case_file
            )
            ext = vf.extensions or {}
            result = import_variant_file(
                path, vf.format, sample_id=None if vf.format == "maf" else sample.id,
                tumor_sample=ext.get("tumor_sample"), column_map=ext.get("column_map"),
                specimen=sample.specimen, collected=sample.collected,
            )  # fmt: skip
            alts = list(result.alterations)
            if vf.format == "maf":
                alts = _maf_sample(alts, sample.id, where, problems)
            flags.extend(result.flags)
            out.extend(alts)
            if biomarkers is not None:
                _take_biomarkers(
                    result.biomarkers, biomarkers, f"{where}.path", problems
                )
    return out


def _take_biomarkers(found: dict[str, float | str], into: dict[str, float | str], where: str,
                     problems: list[Problem]) -> None:  # fmt: skip
    for name, value in found.items():
        if name in into and into[name] != value:
            problems.append(
                Problem(
                    where, f"{name} is {value} here but {into[name]} in another file"
                )
            )
        into[name] = value


def _case_level(
    case: Case, found: dict[str, float | str], flags: list[ProfileFlag]
) -> dict[str, object]:
    """Case biomarkers win; panel-file values fill what the case leaves empty."""
    bm = case.biomarkers
    pdl1 = bm.pdl1
    given: dict[str, object] = {"tmb": bm.tmb, "msi": bm.msi, "mmr": bm.mmr,
                                "pdl1_tps": pdl1.tps if pdl1 else None,
                                "pdl1_cps": pdl1.cps if pdl1 else None}  # fmt: skip
    for name, value in found.items():
        if given.get(name) is None:
            given[name] = value
        elif given[name] != value:
            flags.append(ProfileFlag("biomarker_conflict", f"{name} is {given[name]} in the case but "
                                     f"{value} in a variant file; the case value is used"))  # fmt: skip
    return given


def _maf_sample(
    alts: list[NormalisedAlteration],
    sample_id: str,
    where: str,
    problems: list[Problem],
) -> list[NormalisedAlteration]:
    """Keep one tumor's rows of a MAF: the barcode equal to the sample id, or the only one."""
    barcodes = {a.sample for a in alts}
    if len(barcodes) > 1:
        if sample_id not in barcodes:
            problems.append(Problem(f"{where}.extensions.tumor_sample", (
                f"the MAF has {len(barcodes)} tumor samples and none is {sample_id!r}; name the one "
                "to import with extensions: {\"tumor_sample\": ...}")))  # fmt: skip
            return []
        alts = [a for a in alts if a.sample == sample_id]
    return [replace(a, sample=sample_id) for a in alts]


def _dedupe(alterations: list[NormalisedAlteration]) -> list[NormalisedAlteration]:
    # The same finding typed by hand and present in a file is one finding.
    seen: set[tuple[str, str | None, str]] = set()
    out = []
    for alt in alterations:
        key = (alt.label, alt.sample, alt.origin)
        if key not in seen:
            seen.add(key)
            out.append(alt)
    return out


def build_profile(case: Case, case_file: Path | None = None) -> Profile:
    """Build the normalised genomic profile of a case.

    Reads the case's alterations, its ``variant_files`` (relative to
    ``case_file``) and pathogenic germline findings; derives HER2 status and
    the profile flags (``unknown_gene``, ``possible_chip``,
    ``possible_germline``, ``near_detection_limit``, ``c797s_phase_unknown``,
    HER2 flags, and ``noninformative_negative_liquid_biopsy`` for plasma
    samples with no non-CHIP alteration; the matcher adds the actionable-aware
    version with :func:`~oncoboard.core.profiles.ctdna.liquid_biopsy_flags`).

    Raises
    ------
    UserInputError
        Every problem in the case's alterations or its files, with locations.
    """
    flags: list[ProfileFlag] = []
    problems: list[Problem] = []
    alterations: list[NormalisedAlteration] = []
    for i, sample in enumerate(case.samples):
        alterations.extend(_manual(sample, i, flags, problems))
    alterations.extend(_germline(case.germline, flags, problems))
    if problems:
        raise UserInputError(case_file or "<case>", problems)
    found: dict[str, float | str] = {}
    alterations.extend(_from_files(case, case_file, problems, flags, found))
    if problems:
        raise UserInputError(case_file or "<case>", problems)
    alts = tuple(_dedupe(alterations))
    her2 = assess_her2(case.biomarkers.her2, case.tumor.oncotree_code)
    flags += (
        chip_flags(alts)
        + germline_flags(alts)
        + detection_limit_flags(alts)
        + c797s_flags(alts)
    )
    if her2 is not None:
        flags.extend(her2.flags)
    level = _case_level(case, found, flags)
    profile = Profile(
        alterations=alts, flags=(), her2=her2, samples=_samples_in_time_order(case),
        tmb=level["tmb"], msi=level["msi"], mmr=level["mmr"],  # type: ignore[arg-type]
        pdl1_tps=level["pdl1_tps"], pdl1_cps=level["pdl1_cps"],  # type: ignore[arg-type]
    )  # fmt: skip
    interim = replace(profile, flags=tuple(flags))
    flags += empty_plasma_flags(interim)
    return replace(profile, flags=tuple(_unique_flags(flags)))


def _samples_in_time_order(case: Case) -> tuple[SampleInfo, ...]:
    """Samples by collection date (undated last, case order kept among equals)."""
    infos = [
        SampleInfo(s.id, s.specimen, s.collected, s.tumor_fraction, s.assay)
        for s in case.samples
    ]
    return tuple(
        sorted(infos, key=lambda s: (s.collected is None, s.collected or dt.date.min))
    )


def _unique_flags(flags: list[ProfileFlag]) -> list[ProfileFlag]:
    seen: set[tuple[str, str, str | None]] = set()
    out = []
    for flag in flags:
        key = (flag.code, flag.message, flag.alteration)
        if key not in seen:
            seen.add(key)
            out.append(flag)
    return out
