"""From a variant file to case-file alterations: which tumor sample, which rows.

A file read for a case must describe one tumor: :func:`tumor_samples` lists
the tumor samples a MAF or VCF holds, so the user picks one (a multi-sample
MAF is often a whole cohort).  :func:`case_alterations` turns the imported
alterations into case-file alteration dicts; a mutation whose protein change
the file does not give cannot be stored in a case (the analysis would reject
it), so it is skipped, counted and listed with where it came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from oncoboard.core.errors import Problem, UserInputError
from oncoboard.core.profiles.model import NormalisedAlteration, VariantImport
from oncoboard.core.profiles.tables import Table

NO_PROTEIN = "protein change not given"
FIELDS_BY_KIND: dict[str, tuple[str, ...]] = {
    "mutation": ("protein", "cdna", "vaf", "depth", "phase"),
    "amplification": ("copy_number",),
    "deletion": (),
    "fusion": ("partner",),
    "exon_skipping": ("exon",),
    "expression": ("level",),
}


@dataclass(frozen=True)
class TumorSamples:
    """The tumor samples in a variant file and the one its header marks, if any."""

    names: tuple[str, ...]
    marked: str | None = None  # VCF: Mutect2 ``##tumor_sample`` or a column named TUMOR

    @property
    def must_choose(self) -> bool:
        return len(self.names) > 1 and self.marked is None


@dataclass(frozen=True)
class SkippedRow:
    label: str
    source: str  # file and line
    reason: str


@dataclass(frozen=True)
class CaseAlterations:
    alterations: tuple[dict[str, Any], ...]  # case-file alteration dicts
    kept: tuple[NormalisedAlteration, ...]  # the same alterations, normalised
    skipped: tuple[SkippedRow, ...]


def tumor_samples(path: Path, fmt: str) -> TumorSamples:
    """The tumor samples of a MAF (``Tumor_Sample_Barcode``) or VCF (sample columns).

    Panel tables describe one sample: an empty list.
    """
    path = Path(path)
    if fmt == "maf":
        from oncoboard.core.profiles.tables import read_table

        return maf_tumor_samples(read_table(path))
    if fmt == "vcf":
        return _vcf_samples(path)
    return TumorSamples(())


def maf_tumor_samples(table: Table) -> TumorSamples:
    """The distinct ``Tumor_Sample_Barcode`` values of a MAF already read."""
    column = table.find("Tumor_Sample_Barcode")
    if column is None:
        return TumorSamples(())
    names = sorted({row.get(column, "").strip() for _, row in table.rows} - {""})
    return TumorSamples(tuple(names))


def _vcf_samples(path: Path) -> TumorSamples:
    from cyvcf2 import VCF

    from oncoboard.core.profiles.vcf_fields import choose_tumor_sample

    try:
        vcf = VCF(str(path), lazy=True, threads=1)
    except Exception as exc:  # noqa: BLE001 - htslib raises bare OSError/Exception
        raise UserInputError(
            path, [Problem("header", f"cannot read the VCF header: {exc}")]
        ) from None
    try:
        names = tuple(vcf.samples)
        try:
            marked = choose_tumor_sample(vcf, None, path) if len(names) > 1 else None
        except UserInputError:
            marked = None
    finally:
        vcf.close()
    return TumorSamples(names, marked)


def to_case_alteration(alt: NormalisedAlteration) -> dict[str, Any]:
    """A normalised alteration as a case-file alteration dict (the fields of its kind)."""
    out: dict[str, Any] = {"gene": alt.gene, "kind": alt.kind}
    for name in FIELDS_BY_KIND.get(alt.kind, ()):
        value = getattr(alt, name, None)
        if value is not None:
            out[name] = value
    return out


def case_alterations(result: VariantImport) -> CaseAlterations:
    """Alterations a case file can hold; mutations without a protein change are skipped."""
    kept: list[NormalisedAlteration] = []
    skipped: list[SkippedRow] = []
    for alt in result.alterations:
        if alt.kind == "mutation" and not alt.protein:
            skipped.append(
                SkippedRow(
                    alt.label.replace(f" ({NO_PROTEIN})", ""), alt.source, NO_PROTEIN
                )
            )
        else:
            kept.append(alt)
    return CaseAlterations(
        tuple(to_case_alteration(a) for a in kept), tuple(kept), tuple(skipped)
    )
