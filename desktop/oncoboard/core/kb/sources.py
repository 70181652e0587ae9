"""Where the open source files live, their checksums and their attribution.

The shared data folder is never copied into the repository: the build reads it
in place and records each file's SHA-256 in the manifest so a reviewer can tell
exactly which release went into a knowledge base.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from oncoboard.core.errors import UserInputError
from oncoboard.core.paths import SHARED_DATA_ENV

ONCOTREE_RELEASE = "2025_10_03"
CIVIC_RELEASE = "2026-04-25"

ONCOTREE_TSV = Path("oncotree") / f"oncotree_{ONCOTREE_RELEASE}.tsv"
ONCOTREE_JSON = Path("oncotree") / f"oncotree_{ONCOTREE_RELEASE}.json"
CIVIC_TSV = Path("civic") / f"civic_evidence_nightly_{CIVIC_RELEASE}.tsv"
CIVIC_YAML = Path("civic") / f"civic_evidence_nightly_{CIVIC_RELEASE}.yaml"
KMDATA_CATALOG = Path("survival") / "kmdata_ipd" / "kmdata_catalog.tsv"
KMDATA_DIR = Path("survival") / "kmdata_ipd"
GENE_TABLES = (
    Path("reference") / "vcf2maf" / "isoform_overrides_mane_grch38.tsv",
    Path("reference") / "vcf2maf" / "isoform_overrides_at_mskcc.tsv",
    Path("reference") / "vcf2maf" / "isoform_overrides_uniprot.tsv",
)

ONCOTREE_ATTRIBUTION = (
    f"OncoTree release {ONCOTREE_RELEASE}, Memorial Sloan Kettering Cancer Center "
    "(https://oncotree.mskcc.org), licensed under CC BY 4.0 "
    "(https://creativecommons.org/licenses/by/4.0/). Tumor type names, codes and "
    "hierarchy are used unmodified."
)
CIVIC_ATTRIBUTION = (
    f"CIViC clinical evidence, nightly release of {CIVIC_RELEASE} "
    "(https://civicdb.org), dedicated to the public domain under CC0 1.0. "
    "Griffith M et al. Nat Genet 2017;49:170-174."
)
KMDATA_ATTRIBUTION = (
    "kmdata: reconstructed individual patient data from published Kaplan-Meier "
    "curves (MIT licence)."
)
VCF2MAF_ATTRIBUTION = (
    "vcf2maf canonical transcript tables, Memorial Sloan Kettering Cancer Center "
    "(Apache-2.0), used for the list of known gene symbols."
)


@dataclass(frozen=True)
class SourceInfo:
    """One external source as recorded in the manifest."""

    name: str
    version: str
    licence: str
    attribution: str
    files: tuple[str, ...]


SOURCES: tuple[SourceInfo, ...] = (
    SourceInfo(
        "OncoTree",
        ONCOTREE_RELEASE,
        "CC-BY-4.0",
        ONCOTREE_ATTRIBUTION,
        (str(ONCOTREE_TSV), str(ONCOTREE_JSON)),
    ),
    SourceInfo("CIViC", CIVIC_RELEASE, "CC0-1.0", CIVIC_ATTRIBUTION, (str(CIVIC_TSV),)),
    SourceInfo("kmdata", "catalog", "MIT", KMDATA_ATTRIBUTION, (str(KMDATA_CATALOG),)),
    SourceInfo(
        "vcf2maf gene tables",
        "isoform overrides",
        "Apache-2.0",
        VCF2MAF_ATTRIBUTION,
        tuple(str(p) for p in GENE_TABLES),
    ),
)


def attribution_text() -> str:
    """Return the attribution lines for the About dialog, NOTICE file and report.

    Returns
    -------
    str
        One paragraph per source, separated by blank lines.
    """
    return "\n\n".join(s.attribution for s in SOURCES)


def require_file(shared: Path, relative: Path) -> Path:
    """Return ``shared / relative`` or raise a user error naming the missing file."""
    path = shared / relative
    if not path.is_file():
        raise UserInputError(
            path,
            [],
            hint=f"Source file missing. Point {SHARED_DATA_ENV} at the shared data "
            "folder (it holds oncotree/, civic/, survival/, reference/).",
        )
    return path


def sha256_file(path: Path) -> str:
    """Return the hex SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
