"""Thresholds and gene lists are data with a source per value."""

from __future__ import annotations

import pytest

from oncoboard.core.profiles import reference
from oncoboard.core.profiles.reference import read_tsv, reference_dir, thresholds


@pytest.mark.parametrize(
    "name",
    ["gene_aliases.tsv", "hotspots.tsv", "braf_classes.tsv", "fusion_drivers.tsv", "exon_codon_spans.tsv",
     "chip_genes.tsv", "predisposition_genes.tsv"],
)  # fmt: skip
def test_every_row_names_its_source(name: str) -> None:
    rows = read_tsv(reference_dir() / name)
    assert rows
    assert all(row.get("source", "").strip() for row in rows), name


def test_no_oncokb_content() -> None:
    for path in reference_dir().iterdir():
        text = path.read_text(encoding="utf-8").lower()
        assert "oncokb.org" not in text and "moalmanac" not in text.replace(
            "never oncokb", ""
        )


def test_every_threshold_has_a_source_and_defaults_are_labelled() -> None:
    values = thresholds()
    assert values["liquid_biopsy_min_tumor_fraction"].value == 0.01
    assert all(t.source for t in values.values())
    assert "not a guideline value" in values["near_detection_limit_vaf"].source


def test_alias_targets_are_known_symbols() -> None:
    known = reference.known_gene_symbols()
    targets = {row["symbol"] for row in read_tsv(reference_dir() / "gene_aliases.tsv")}
    assert targets <= known


def test_invalid_size_limit_setting_is_a_user_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from oncoboard.core.errors import UserInputError
    from oncoboard.core.profiles.files import max_file_bytes

    monkeypatch.setenv("ONCOBOARD_MAX_VARIANT_FILE_BYTES", "two gigs")
    with pytest.raises(UserInputError, match="whole number of bytes"):
        max_file_bytes()
