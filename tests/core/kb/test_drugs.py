"""The shipped generic drug vocabulary (knowledgebase/drugs/common.yaml)."""

from __future__ import annotations

from pathlib import Path

import pytest

from oncoboard.core.kb.drugs import DrugVocabulary, load_drug_vocabulary

REPO = Path(__file__).resolve().parents[3]

REQUIRED = """carboplatin cisplatin paclitaxel docetaxel pemetrexed gemcitabine
capecitabine fluorouracil leucovorin oxaliplatin irinotecan doxorubicin
cyclophosphamide eribulin
bevacizumab ramucirumab pembrolizumab nivolumab atezolizumab durvalumab ipilimumab
cemiplimab dostarlimab tislelizumab letrozole anastrozole exemestane tamoxifen
fulvestrant abiraterone enzalutamide prednisone""".split()


@pytest.fixture(scope="module")
def vocab(tmp_path_factory: pytest.TempPathFactory) -> DrugVocabulary:
    # common.yaml alone, so this test does not depend on the theme files.
    d = tmp_path_factory.mktemp("drugs")
    for name in ("common.yaml", "cross_resistance.yaml"):
        (d / name).write_text((REPO / "knowledgebase/drugs" / name).read_text())
    return load_drug_vocabulary(d)


def test_every_required_generic_drug_is_defined(vocab: DrugVocabulary) -> None:
    assert [d for d in REQUIRED if d not in vocab] == []


@pytest.mark.parametrize(
    ("name", "inn"),
    [
        ("folinic acid", "leucovorin"),
        ("Calcium folinate", "leucovorin"),
        ("Abraxane", "paclitaxel"),
        ("nab-paclitaxel", "paclitaxel"),
        ("5-FU", "fluorouracil"),
        ("Keytruda", "pembrolizumab"),
        ("Zytiga", "abiraterone"),
    ],
)
def test_synonyms_and_brands_resolve(
    vocab: DrugVocabulary, name: str, inn: str
) -> None:
    assert vocab.canonical(name) == inn


def test_classes(vocab: DrugVocabulary) -> None:
    assert {"chemotherapy", "platinum", "oxaliplatin"} <= vocab.classes("oxaliplatin")
    assert vocab.classes("nivolumab") == {"anti_pd1_pdl1"}
    assert "aromatase_inhibitor" in vocab.classes("letrozole")


def test_all_project_drug_files_load_together() -> None:
    vocab = load_drug_vocabulary(REPO / "knowledgebase" / "drugs")
    assert "carboplatin" in vocab


def test_cross_resistance_is_cited_and_required(tmp_path) -> None:
    from oncoboard.core.errors import UserInputError

    vocab = load_drug_vocabulary(REPO / "knowledgebase" / "drugs")
    first_second = vocab.cross_resistance["egfr_tki_1st_2nd_gen"]
    assert first_second.render_citation().startswith("PMID:")
    (tmp_path / "common.yaml").write_text(
        (REPO / "knowledgebase/drugs/common.yaml").read_text()
    )
    with pytest.raises(UserInputError, match="cross_resistance.yaml: missing"):
        load_drug_vocabulary(tmp_path)
    (tmp_path / "cross_resistance.yaml").write_text(
        "cross_resistance:\n  - {class: egfr_tki_1st_2nd_gen, statement: 'a statement long enough here', "
        "citation: {type: pmid}}\n"
    )
    with pytest.raises(UserInputError, match="cross_resistance.0.citation"):
        load_drug_vocabulary(tmp_path)
