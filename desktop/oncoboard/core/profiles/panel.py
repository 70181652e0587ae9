"""Panel tables (CSV/TSV): small variants, copy number, fusions, exon skipping,
expression, one alteration per row.

Header names are detected case-insensitively from :data:`HEADER_NAMES`; any
other layout is read with ``column_map`` (``{field: header}``), e.g.
``{"gene": "Gen", "protein": "AA-Änderung"}``.  The row's kind comes from a
``kind``/``type`` column when present, otherwise from which cells are filled
(a fusion name, a copy number, a protein change).
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
from oncoboard.core.profiles.reference import threshold
from oncoboard.core.profiles.tables import Table, read_table

HEADER_NAMES: dict[str, tuple[str, ...]] = {
    "gene": ("gene", "Hugo_Symbol", "gene_symbol", "symbol", "gene_name", "genes"),
    "kind": ("kind", "alteration_type", "variant_type", "type", "alteration_kind", "category"),
    "protein": ("protein", "protein_change", "HGVSp_Short", "HGVSp", "hgvs_p", "aa_change",
                "AAChange", "amino_acid_change", "alteration", "variant"),
    "cdna": ("cdna", "HGVSc", "hgvs_c", "cdna_change", "c_change", "coding_change"),
    "vaf": ("vaf", "allele_frequency", "allele_fraction", "af", "tumor_vaf", "variant_allele_frequency"),
    "depth": ("depth", "dp", "coverage", "read_depth", "t_depth", "total_depth"),
    "copy_number": ("copy_number", "cn", "copies", "copy_number_value", "estimated_copy_number"),
    "call": ("call", "cnv_call", "cna_call", "copy_number_call"),
    "fusion": ("fusion", "FusionGene", "fusion_name", "fusion_gene", "fusion_genes"),
    "partner": ("partner", "fusion_partner", "partner_gene"),
    "exon": ("exon", "skipped_exon"),
    "level": ("level", "expression", "expression_level", "result"),
    "value": ("value", "biomarker_value", "score", "result_value"),
    "origin": ("origin", "variant_origin", "somatic_germline"),
}  # fmt: skip
AMP_CALLS = {
    "amplification",
    "amp",
    "amplified",
    "gain_high",
    "high_level_gain",
    "amplification_high",
}
DEL_CALLS = {
    "deletion",
    "del",
    "homdel",
    "deep_deletion",
    "homozygous_deletion",
    "loss_homozygous",
    "hom_del",
}
NEUTRAL_CALLS = {
    "neutral",
    "gain",
    "loss",
    "hetloss",
    "shallow_deletion",
    "none",
    "no_call",
    "wt",
    "wildtype",
}
# Case-level biomarkers written as rows (gene cell or kind cell names them).
BIOMARKER_ROWS = {
    "TMB": "tmb", "TUMORMUTATIONALBURDEN": "tmb", "MSI": "msi", "MSISTATUS": "msi",
    "PDL1TPS": "pdl1_tps", "TPS": "pdl1_tps", "PDL1CPS": "pdl1_cps", "CPS": "pdl1_cps",
    "MMR": "mmr", "MMRSTATUS": "mmr",
}  # fmt: skip
MSI_WORDS = {"MSI-H": "MSI-H", "MSIH": "MSI-H", "HIGH": "MSI-H", "MSS": "MSS", "STABLE": "MSS",
             "MSI-L": "MSI-L", "MSIL": "MSI-L", "LOW": "MSI-L"}  # fmt: skip
MMR_WORDS = {"DEFICIENT": "deficient", "DMMR": "deficient", "PROFICIENT": "proficient",
             "PMMR": "proficient"}  # fmt: skip
KIND_WORDS = {
    "mutation": "mutation", "snv": "mutation", "indel": "mutation", "short_variant": "mutation",
    "amplification": "amplification", "amp": "amplification", "deletion": "deletion",
    "homdel": "deletion", "fusion": "fusion", "rearrangement": "fusion",
    "exon_skipping": "exon_skipping", "splice_variant": "exon_skipping",
    "expression": "expression",
}  # fmt: skip


def detect_columns(
    table: Table, column_map: dict[str, str] | None = None
) -> dict[str, str]:
    """Field -> header for this table; ``column_map`` entries win."""
    found: dict[str, str] = {}
    for field, names in HEADER_NAMES.items():
        hit = table.find(*names)
        if hit is not None:
            found[field] = hit
    for field, header in (column_map or {}).items():
        if field not in HEADER_NAMES:
            raise UserInputError(
                "column_map",
                [
                    Problem(
                        field,
                        f"unknown field; expected one of {', '.join(HEADER_NAMES)}",
                    )
                ],
            )
        if header not in table.header:
            raise UserInputError(
                "column_map", [Problem(field, f"column {header!r} is not in the file")]
            )
        found[field] = header
    return found


def read_panel(
    path: Path,
    *,
    sample_id: str | None = None,
    specimen: str | None = None,
    collected=None,
    column_map: dict[str, str] | None = None,  # noqa: ANN001
) -> VariantImport:
    """Read a panel table into normalised alterations (all rows or an error).

    Raises
    ------
    UserInputError
        When no gene/fusion column is found (the message lists the headers and
        how to map them) or any row is invalid (line and column named).
    """
    table = read_table(path)
    cols = detect_columns(table, column_map)
    if "gene" not in cols and "fusion" not in cols:
        if {"Chromosome", "Start", "End"} <= set(table.header):
            raise UserInputError(
                path,
                [Problem("header", "copy-number segments without gene symbols")],
                hint="Supply gene-level copy-number calls (gene, copy_number or call).",
            )
        raise UserInputError(
            path,
            [
                Problem(
                    "header", f"no gene column found among {', '.join(table.header)}"
                )
            ],
            hint='Name the columns with a column mapping, e.g. {"gene": "Your gene column"}.',
        )
    alterations: list[NormalisedAlteration] = []
    flags: dict[str, ProfileFlag] = {}
    skipped: Counter[str] = Counter()
    problems: list[Problem] = []
    biomarkers: dict[str, float | str] = {}
    for lineno, row in table.rows:
        try:
            if _biomarker_row(row, cols, biomarkers):
                continue
        except ValueError as exc:
            problems.append(Problem(f"line {lineno}", str(exc)))
            continue
        ctx = nz.Context(
            sample=sample_id,
            specimen=specimen,
            collected=collected,
            origin=_origin(row, cols),
            source=f"{path.name}:line {lineno}",
        )
        try:
            alt, new_flags = _row(row, cols, ctx)
        except (ValueError, nz.NormalisationError) as exc:
            problems.append(Problem(f"line {lineno}", str(exc)))
            continue
        for flag in new_flags:
            flags.setdefault(flag.alteration or flag.message, flag)
        if alt is None:
            skipped["no alteration (neutral or empty)"] += 1
        else:
            alterations.append(alt)
    raise_problems(path, problems)
    return VariantImport(str(path), "csv", len(table.rows), tuple(alterations), dict(skipped),
                         tuple(flags.values()), biomarkers)  # fmt: skip


def _squash(text: str) -> str:
    return "".join(c for c in text.upper() if c.isalnum())


def _biomarker_row(
    row: Mapping[str, str], cols: dict[str, str], out: dict[str, float | str]
) -> bool:
    """Read a TMB / MSI / MMR / PD-L1 row into ``out``; False if the row is not one."""
    name = BIOMARKER_ROWS.get(_squash(_cell(row, cols, "kind"))) or BIOMARKER_ROWS.get(
        _squash(_cell(row, cols, "gene"))
    )
    if name is None:
        return False
    header = cols.get("value") or cols.get("level") or "value"
    text = _cell(row, cols, "value") or _cell(row, cols, "level")
    if not text:
        raise ValueError(f"{header}: a {name} row needs a value")
    value: float | str
    if name in ("msi", "mmr"):
        words = MSI_WORDS if name == "msi" else MMR_WORDS
        if text.upper().replace(" ", "") not in words:
            raise ValueError(
                f"{header}: {name} must be one of {', '.join(sorted(set(words.values())))}, got {text!r}"
            )
        value = words[text.upper().replace(" ", "")]
    else:
        try:
            value = float(text.rstrip("%").strip())
        except ValueError:
            raise ValueError(
                f"{header}: expected a number for {name}, got {text!r}"
            ) from None
        limit = 10000.0 if name == "tmb" else 100.0
        if not 0 <= value <= limit:
            raise ValueError(
                f"{header}: {name} must be between 0 and {limit:g}, got {value:g}"
            )
    if name in out and out[name] != value:
        raise ValueError(
            f"{name} is given twice with different values ({out[name]} and {value})"
        )
    out[name] = value
    return True


def _cell(row: Mapping[str, str], cols: dict[str, str], field: str) -> str:
    header = cols.get(field)
    return row.get(header, "").strip() if header else ""


def _origin(row: Mapping[str, str], cols: dict[str, str]) -> str:
    text = _cell(row, cols, "origin").lower()
    return text if text in ("somatic", "germline") else "unknown"


def _number(row: Mapping[str, str], cols: dict[str, str], field: str, parse):  # noqa: ANN001, ANN202
    try:
        return parse(_cell(row, cols, field))
    except ValueError as exc:
        raise ValueError(f"{cols[field]}: {exc}") from None


def _kind(row: Mapping[str, str], cols: dict[str, str]) -> str | None:
    text = _cell(row, cols, "kind").lower().replace(" ", "_").replace("-", "_")
    if text:
        if text not in KIND_WORDS:
            raise ValueError(
                f"{cols['kind']}: unknown kind {text!r}; expected one of "
                "mutation, amplification, deletion, fusion, exon_skipping, expression"
            )
        return KIND_WORDS[text]
    if _cell(row, cols, "fusion") or _cell(row, cols, "partner"):
        return "fusion"
    if _cell(row, cols, "protein"):
        return "mutation"
    if _cell(row, cols, "call") or _cell(row, cols, "copy_number"):
        return "copy_number"
    if _cell(row, cols, "exon"):
        return "exon_skipping"
    if _cell(row, cols, "level"):
        return "expression"
    return None


def _row(
    row: Mapping[str, str], cols: dict[str, str], ctx: nz.Context
) -> tuple[NormalisedAlteration | None, list[ProfileFlag]]:  # noqa: C901
    kind = _kind(row, cols)
    if kind is None:
        return None, []
    if kind == "fusion":
        text = _cell(row, cols, "fusion") or _cell(row, cols, "gene")
        if not text:
            raise ValueError("a fusion row needs a fusion name (EML4::ALK) or a gene")
        left, right = nz.split_fusion(text)
        partner = _cell(row, cols, "partner")
        if right is None and partner:
            return _fusion_with_partner(left, partner, ctx)
        return nz.fusion_from_pair(left, right, ctx)
    gene, original, flag = nz.resolve_gene(_cell(row, cols, "gene"))
    flags = [flag] if flag else []
    if kind == "mutation":
        protein = _cell(row, cols, "protein")
        if not protein:
            raise ValueError(
                f"{cols.get('protein', 'protein')}: empty; a mutation needs its protein change"
            )
        vaf = _number(row, cols, "vaf", parse_float)
        if vaf is not None and not 0 <= vaf <= 1:
            raise ValueError(
                f"{cols['vaf']}: expected a fraction between 0 and 1 (or a percentage), got {vaf:g}"
            )
        try:
            alt = nz.mutation(
                gene,
                protein,
                ctx,
                cdna=_cell(row, cols, "cdna") or None,
                vaf=vaf,
                depth=_number(row, cols, "depth", parse_int),
                original_gene=original,
            )
        except nz.NormalisationError as exc:
            raise ValueError(f"{cols.get('protein', 'protein')}: {exc}") from None
        return alt, flags
    if kind in ("copy_number", "amplification", "deletion"):
        return _copy_number(row, cols, ctx, gene, original, kind), flags
    if kind == "exon_skipping":
        exon = _number(row, cols, "exon", parse_int)
        if exon is None:
            raise ValueError("exon skipping needs an exon number (e.g. 14)")
        return nz.exon_skipping(gene, exon, ctx, original_gene=original), flags
    return nz.expression(
        gene, _cell(row, cols, "level"), ctx, original_gene=original
    ), flags


def _fusion_with_partner(
    gene: str, partner: str, ctx: nz.Context
) -> tuple[NormalisedAlteration, list[ProfileFlag]]:
    g, original, flag = nz.resolve_gene(gene)
    return nz.fusion(g, partner, ctx, original_gene=original), [flag] if flag else []


def _copy_number(row, cols, ctx, gene, original, kind):  # noqa: ANN001, ANN202
    copies = _number(row, cols, "copy_number", parse_float)
    call = _cell(row, cols, "call").lower().replace(" ", "_").replace("-", "_")
    if kind == "copy_number":
        if call in AMP_CALLS:
            kind = "amplification"
        elif call in DEL_CALLS:
            kind = "deletion"
        elif call in NEUTRAL_CALLS:
            return None
        elif call:
            raise ValueError(
                f"{cols['call']}: unknown copy-number call {call!r}; expected "
                "amplification, deletion (homozygous) or neutral"
            )
        elif copies is not None and copies >= threshold(
            "amplification_min_copy_number"
        ):
            kind = "amplification"
        elif copies is not None and copies <= threshold(
            "deep_deletion_max_copy_number"
        ):
            kind = "deletion"
        else:
            return None
    return nz.copy_number(gene, kind, ctx, copies=copies, original_gene=original)
