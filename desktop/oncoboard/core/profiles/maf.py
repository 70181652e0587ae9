"""MAF import (GDC / vcf2maf / maftools columns).

Recognised columns (case-insensitive): ``Hugo_Symbol``; the protein change
from ``HGVSp_Short``, ``HGVSp``, ``Protein_Change`` or ``AAChange``;
``Variant_Classification``; ``t_alt_count``, ``t_ref_count``, ``t_depth``;
``t_vaf``/``tumor_f``/``i_TumorVAF_WU`` (percent) when counts are absent;
``Tumor_Sample_Barcode``; ``HGVSc``; ``Exon_Number``/``EXON``, ``INTRON``;
``Mutation_Status`` (``Germline`` marks germline origin).

A MAF without a gene column and without a protein column is unannotated and
refused.  Rows whose class cannot carry therapy evidence (intronic, UTR,
flanking, intergenic, silent, RNA) are counted as skipped, not imported.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from pathlib import Path

from oncoboard.core.errors import Problem, UserInputError
from oncoboard.core.profiles import normalise as nz
from oncoboard.core.profiles.files import parse_float, parse_int, raise_problems
from oncoboard.core.profiles.model import (
    NormalisedAlteration,
    ProfileFlag,
    VariantImport,
)
from oncoboard.core.profiles.tables import Table, read_table

NONCODING = {
    "silent", "intron", "igr", "3'utr", "5'utr", "3'flank", "5'flank", "rna", "lincrna",
    "targeted_region", "splice_region", "de_novo_start_inframe", "de_novo_start_outofframe",
    "unknown",
}  # fmt: skip
CLASS_OF = {
    "missense_mutation": "missense", "nonsense_mutation": "truncating",
    "frame_shift_del": "truncating", "frame_shift_ins": "truncating",
    "translation_start_site": "truncating", "nonstop_mutation": "other",
    "in_frame_del": "inframe_deletion", "in_frame_ins": "inframe_insertion",
    "splice_site": "splice",
}  # fmt: skip
UNANNOTATED_HINT = (
    "This MAF has no gene and protein-change columns (Hugo_Symbol, HGVSp_Short). "
    "Annotate it first, e.g. with vcf2maf (VEP), or export a MAF with HGVSp_Short."
)


class _Columns:
    def __init__(self, table: Table) -> None:
        f = table.find
        self.gene = f("Hugo_Symbol", "gene", "SYMBOL")
        self.protein = f(
            "HGVSp_Short", "HGVSp", "Protein_Change", "AAChange", "amino_acid_change"
        )
        self.vclass = f("Variant_Classification")
        self.alt = f("t_alt_count")
        self.ref = f("t_ref_count")
        self.depth = f("t_depth")
        self.vaf = f("t_vaf", "tumor_f", "VAF")
        self.vaf_pct = f("i_TumorVAF_WU")
        self.sample = f("Tumor_Sample_Barcode")
        self.cdna = f("HGVSc")
        self.exon = f("Exon_Number", "EXON")
        self.intron = f("INTRON")
        self.consequence = f("Consequence")
        self.status = f("Mutation_Status")


def _rank(text: str | None) -> int | None:
    """``"19/28"`` -> 19 (VEP/MAF exon and intron numbers)."""
    if not text or text in (".", "NA"):
        return None
    head = text.split("/")[0].split("-")[0]
    return int(head) if head.isdigit() else None


def read_maf(
    path: Path,
    *,
    sample_id: str | None = None,
    tumor_sample: str | None = None,
    specimen: str | None = None,
    collected=None,  # noqa: ANN001
) -> VariantImport:
    """Read a MAF into normalised alterations.

    Parameters
    ----------
    path
        The MAF (plain or gzipped).
    sample_id
        Sample id given to every alteration (default: the row's barcode).
    tumor_sample
        Only rows with this ``Tumor_Sample_Barcode`` are imported.

    Raises
    ------
    UserInputError
        Unannotated MAF, unknown tumor sample, or any bad row (line and column named).
    """
    table = read_table(path)
    cols = _Columns(table)
    if cols.gene is None and cols.protein is None:
        raise UserInputError(
            path,
            [Problem("header", "no Hugo_Symbol or HGVSp_Short column")],
            hint=UNANNOTATED_HINT,
        )
    if cols.gene is None:
        raise UserInputError(
            path, [Problem("header", "no Hugo_Symbol column; expected the gene symbol")]
        )
    if tumor_sample is not None:
        barcodes = {row.get(cols.sample or "", "") for _, row in table.rows}
        if tumor_sample not in barcodes:
            raise UserInputError(path, [Problem(
                "Tumor_Sample_Barcode", f"no rows for tumor sample {tumor_sample!r}; "
                f"the file has {', '.join(sorted(barcodes)[:5]) or 'none'}")])  # fmt: skip
    alterations: list[NormalisedAlteration] = []
    flags: dict[str, ProfileFlag] = {}
    skipped: Counter[str] = Counter()
    problems: list[Problem] = []
    for lineno, row in table.rows:
        barcode = row.get(cols.sample, "") if cols.sample else ""
        if tumor_sample is not None and barcode != tumor_sample:
            skipped["other sample"] += 1
            continue
        ctx = nz.Context(
            sample=sample_id or barcode or None, specimen=specimen, collected=collected,
            origin="germline" if row.get(cols.status or "", "").lower() == "germline" else "somatic",
            source=f"{path.name}:line {lineno}",
        )  # fmt: skip
        try:
            alt = _row(row, cols, ctx, flags, skipped)
        except (ValueError, nz.NormalisationError) as exc:
            problems.append(Problem(f"line {lineno}", str(exc)))
            continue
        if alt is not None:
            alterations.append(alt)
    raise_problems(path, problems)
    return VariantImport(str(path), "maf", len(table.rows), tuple(alterations), dict(skipped),
                         tuple(flags.values()))  # fmt: skip


def _row(
    row: Mapping[str, str],
    cols: _Columns,
    ctx: nz.Context,
    flags: dict[str, ProfileFlag],
    skipped: Counter[str],
) -> NormalisedAlteration | None:
    symbol = row[cols.gene].strip() if cols.gene else ""
    vclass_raw = row.get(cols.vclass, "").strip() if cols.vclass else ""
    vclass_key = vclass_raw.lower()
    if not symbol or symbol.lower() in ("unknown", "."):
        skipped["no gene"] += 1
        return None
    protein = (row.get(cols.protein, "") if cols.protein else "").strip()
    if protein in (".", "NA", "p.?", "p.="):
        protein = ""
    consequence = row.get(cols.consequence or "", "")
    splice = (
        vclass_key == "splice_site"
        or "splice_donor" in consequence
        or "splice_acceptor" in consequence
    )
    if vclass_key in NONCODING and not (splice and symbol == "MET"):
        skipped[vclass_raw or "non-coding"] += 1
        return None
    gene, original, flag = nz.resolve_gene(symbol)
    if flag:
        flags.setdefault(gene, flag)
    vaf, depth = _vaf_depth(row, cols)
    cdna = (row.get(cols.cdna, "") if cols.cdna else "").strip() or None
    if protein:
        try:
            return nz.mutation(
                gene, protein, ctx, cdna=cdna, vaf=vaf, depth=depth,
                exon=_rank(row.get(cols.exon or "")), intron=_rank(row.get(cols.intron or "")),
                splice_site=splice, original_gene=original,
            )  # fmt: skip
        except nz.NormalisationError as exc:
            raise nz.NormalisationError(f"{cols.protein}: {exc}") from None
    exon, intron = _rank(row.get(cols.exon or "")), _rank(row.get(cols.intron or ""))
    if splice and gene == "MET" and (exon == 14 or intron in (13, 14)):
        return nz.exon_skipping(
            gene, 14, ctx, original_gene=original, vaf=vaf, depth=depth, cdna=cdna
        )
    if vclass_key in CLASS_OF:
        return nz.gene_level_mutation(gene, CLASS_OF[vclass_key], ctx, vaf=vaf, depth=depth,
                                      original_gene=original, cdna=cdna)  # fmt: skip
    if not vclass_key:
        raise nz.NormalisationError(
            f"{cols.protein or 'HGVSp_Short'} is empty and there is no Variant_Classification"
        )
    skipped[vclass_raw] += 1
    return None


def _vaf_depth(
    row: Mapping[str, str], cols: _Columns
) -> tuple[float | None, int | None]:
    def cell(col: str | None, parse):  # noqa: ANN001, ANN202
        if col is None:
            return None
        try:
            return parse(row.get(col))
        except ValueError as exc:
            raise ValueError(f"{col}: {exc}") from None

    alt, ref, depth = (
        cell(cols.alt, parse_int),
        cell(cols.ref, parse_int),
        cell(cols.depth, parse_int),
    )
    if depth is None and alt is not None and ref is not None:
        depth = alt + ref
    if alt is not None and depth:
        if alt > depth:
            raise ValueError(
                f"{cols.alt} ({alt}) is larger than {cols.depth or 'the depth'} ({depth})"
            )
        return alt / depth, depth
    vaf = cell(cols.vaf, parse_float)
    if vaf is None and cols.vaf_pct:
        pct = cell(cols.vaf_pct, parse_float)
        vaf = None if pct is None else pct / 100.0
    if vaf is not None and not 0 <= vaf <= 1:
        raise ValueError(f"VAF must be between 0 and 1, got {vaf}")
    return vaf, depth
