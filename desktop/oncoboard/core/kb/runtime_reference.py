"""Stage the reference tables the app reads at run time into the package.

In a source checkout, profiles read ``knowledgebase/reference/`` and
``../shared/data/reference/`` directly.  An installed bundle has neither, so
``make kb`` copies exactly the files needed into
``desktop/oncoboard/data/reference/`` (a build artefact, not committed) with a
manifest of SHA-256 checksums; PyInstaller ships that folder.

    python -m oncoboard.core.kb.runtime_reference [SHARED_DATA] [OUT]
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
from pathlib import Path

from oncoboard.core.paths import package_data_dir, repo_root, shared_data_dir

SHARED_FILES = (
    "reference/egfr/EGFR_LRG_304_NM_005228.3_exons.tsv",
    "reference/vcf2maf/isoform_overrides_mane_grch38.tsv",
    "reference/vcf2maf/isoform_overrides_at_mskcc.tsv",
    "reference/vcf2maf/isoform_overrides_at_mskcc_grch38.tsv",
    "reference/vcf2maf/isoform_overrides_uniprot.tsv",
    "reference/vcf2maf/LICENSE.Apache-2.0",
    # Pharmacogenomics (issue 23): CPIC content only (CC0), with the licences.
    # Must equal oncoboard.core.pgx.tables.SHARED_FILES (tests/core/pgx checks).
    *(
        f"pgx/pharmcat/v2.10.0/phenotype/cpic/{gene}.json"
        for gene in ("DPYD", "UGT1A1", "CYP2D6", "TPMT", "NUDT15")
    ),
    *(
        f"pgx/pharmcat/v2.6.0/reporter/guidelines/cpic/{drug}.json"
        for drug in (
            "fluorouracil",
            "capecitabine",
            "tamoxifen",
            "mercaptopurine",
            "thioguanine",
            "azathioprine",
        )
    ),
    "pgx/pharmcat/LICENSE",
    "pgx/cpic-data/LICENSE.md",
)


def stage(shared_data: Path, curated_reference: Path, out: Path) -> dict[str, str]:
    """Copy the runtime reference tables to ``out``; return {relative path: sha256}."""
    if out.exists():
        shutil.rmtree(out)
    manifest: dict[str, str] = {}
    pairs = [(shared_data / rel, Path("shared") / rel) for rel in SHARED_FILES]
    pairs += [
        (p, Path("curated") / p.name)
        for p in sorted(curated_reference.iterdir())
        if p.is_file()
    ]
    for source, rel in pairs:
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        manifest[rel.as_posix()] = hashlib.sha256(target.read_bytes()).hexdigest()
    (out / "MANIFEST.json").write_text(
        json.dumps(manifest, indent=2, sort_keys=True) + "\n"
    )
    return manifest


def main(argv: list[str]) -> int:
    shared = Path(argv[0]) if argv else shared_data_dir(packaged_fallback=False)
    out = Path(argv[1]) if len(argv) > 1 else package_data_dir() / "reference"
    manifest = stage(shared.resolve(), repo_root() / "knowledgebase" / "reference", out)
    print(f"staged {len(manifest)} reference files -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
