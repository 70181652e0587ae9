"""The board report: content a reader sees (text extraction), escaping, pagination,
de-identification, reproducibility, board packs with bookmarks."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from oncoboard.core.case import parse_case
from oncoboard.core.pipeline import analyse_case, open_kb, report_input
from oncoboard.core.report import ReportOptions, render_board_pack, render_case_report
from shared_paths import REPO, SPEC_EXAMPLES
from vignette_dsl import alt, make_case

FIXED = dt.datetime(2026, 11, 20, 9, 0, 0)
OPTIONS = ReportOptions(
    institution="Test Hospital MTB",
    prepared_by="Dr Test",
    board_date=dt.date(2026, 11, 25),
    creation_date=FIXED,
)
DEMO = REPO / "assets" / "demo" / "demo-01-luad-egfr-t790m.json"
GOLDEN = REPO / "tests" / "data" / "report" / "demo-01.golden.txt"


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture(scope="module")
def kb():
    return open_kb()


def _input(case, kb, case_file: Path | None = None):
    return report_input(analyse_case(case, case_file, kb=kb))


@pytest.fixture(scope="module")
def demo_pdf(kb) -> bytes:
    from oncoboard.core.case import load_case

    return render_case_report(_input(load_case(DEMO), kb, DEMO), OPTIONS)


def test_demo_report_has_every_section(demo_pdf: bytes) -> None:
    text = text_of(demo_pdf)
    for expected in (
        "Molecular tumor board report — DEMO-LUAD-01",
        "Test Hospital MTB",
        "2026-11-25",
        "Dr Test",
        "Patient summary",
        "Lung Adenocarcinoma (LUAD)",
        "Prior therapies",
        "erlotinib",
        "Samples",
        "Alterations",
        "EGFR T790M",
        "Serial plasma VAF",
        "Summary for the board",
        "Options: what can be offered now",
        "Not recommended",
        "osimertinib",
        "AURA3",
        "Resistance",
        "Flags and caveats",
        "possible_chip",
        "Evidence per option",
        "References",
        "PMID:27959700",
        "Methods",
        "Ranking policy",
        "Threshold TMB-H",
        "Disclaimer",
        "SYNTHETIC",
        "Page 1 of",
    ):
        assert expected in text, expected
    assert "Numbers at risk" in text  # reconstructed patient-level data exist for AURA3


def test_the_report_command_path_never_imports_matplotlib(kb) -> None:
    # The real path of `oncoboard report`: analyse the demo case, draw the survival
    # plot (with numbers at risk), write the PDF; matplotlib costs ~0.7 s to import.
    code = (
        "import sys; from pathlib import Path; "
        "from oncoboard.core import api; "
        "from oncoboard.core.report import ReportOptions, render_case_report; "
        "item = api.report_input(api.analyse_file(api.Context.create(), Path(sys.argv[1]))); "
        "assert item.survival_curves; "
        "pdf = render_case_report(item, ReportOptions()); "
        "assert pdf.startswith(b'%PDF'); "
        "bad = [m for m in sys.modules if m.split('.')[0] == 'matplotlib']; "
        "print(bad); assert not bad"
    )
    subprocess.run([sys.executable, "-c", code, str(DEMO)], check=True)


def test_pdf_metadata_and_page_numbers(demo_pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(demo_pdf))
    assert reader.metadata.title == "Tumor board report DEMO-LUAD-01"
    assert reader.metadata.creation_date.replace(tzinfo=None) == FIXED
    n = len(reader.pages)
    assert f"Page {n} of {n}" in reader.pages[-1].extract_text()


def test_fonts_are_embedded(demo_pdf: bytes) -> None:
    fonts = set()
    for page in PdfReader(io.BytesIO(demo_pdf)).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            fonts.add(font["/BaseFont"])
            assert "/FontDescriptor" in font or font["/Subtype"] == "/Type0"
    assert fonts and all(
        "DejaVu" in f or "OncoBoard" in f or "+" in f for f in fonts
    ), fonts


def test_same_inputs_and_creation_date_give_the_same_bytes(kb, demo_pdf: bytes) -> None:
    from oncoboard.core.case import load_case

    assert render_case_report(_input(load_case(DEMO), kb, DEMO), OPTIONS) == demo_pdf


def _without_kb_hash(text: str) -> str:
    # The KB checksum changes with every curation edit; the text around it must not.
    import re

    return re.sub(r"\b[0-9a-f]{12,64}\b", "<sha256>", text)


def test_golden_text_of_the_demo_case(demo_pdf: bytes) -> None:
    text = _without_kb_hash(text_of(demo_pdf))
    if os.environ.get("ONCOBOARD_UPDATE_GOLDEN"):
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8"), (
        "report text changed; look at the rendered pages, then regenerate with ONCOBOARD_UPDATE_GOLDEN=1"
    )


def test_user_text_is_escaped(kb) -> None:
    case = parse_case(
        {
            "schema": "oncoboard.case/1",
            "case_id": "ESC<b>1</b>",
            "patient": {"pseudonym": "<font size=40>X</font> & co"},
            "tumor": {"oncotree_code": "LUAD", "stage": "IV <br/> & more"},
        }
    )
    text = text_of(render_case_report(_input(case, kb), OPTIONS))
    assert "<font size=40>X</font> & co" in text
    assert "ESC<b>1</b>" in text and "IV <br/> & more" in text


def test_deidentified_mode(kb) -> None:
    case = make_case("LUAD", [alt("EGFR L858R")])
    case = case.model_copy(
        update={
            "patient": case.patient.model_copy(
                update={"pseudonym": "Jane Roe", "age": 67}
            )
        }
    )
    deid = ReportOptions(deidentified=True, creation_date=FIXED)
    text = text_of(render_case_report(_input(case, kb), deid))
    assert "Jane Roe" not in text and "67" not in text.split("Age")[1][:20]
    assert "60–69 (age band)" in text and "DE-IDENTIFIED" in text


def test_no_actionable_finding_still_lists_flags(kb) -> None:
    case = make_case("PAAD", None, plasma=[], tumor_fraction=0.004)
    text = text_of(render_case_report(_input(case, kb), OPTIONS))
    assert "No actionable finding" in text
    assert "noninformative_negative_liquid_biopsy" in text


def test_long_tables_paginate_with_repeated_headers(kb) -> None:
    alts = [alt(f"TP53 R{100 + i}H", 0.1) for i in range(150)]
    text_pages = [
        p.extract_text()
        for p in PdfReader(
            io.BytesIO(render_case_report(_input(make_case("LUAD", alts), kb), OPTIONS))
        ).pages
    ]
    table_pages = [t for t in text_pages if "TP53 R1" in t]
    assert len(table_pages) >= 3
    assert all(
        "Alteration" in t and "Sample VAF" in t and "Category" in t for t in table_pages
    )


@pytest.mark.parametrize("size,width", [("A4", 595), ("Letter", 612)])
def test_page_sizes(kb, size: str, width: int) -> None:
    pdf = render_case_report(
        _input(make_case("LUAD", [alt("EGFR L858R")]), kb),
        ReportOptions(page_size=size, creation_date=FIXED),
    )  # type: ignore[arg-type]
    assert round(float(PdfReader(io.BytesIO(pdf)).pages[0].mediabox.width)) == width


def test_board_pack_has_agenda_sections_and_bookmarks(kb) -> None:
    from oncoboard.core.case import load_case

    paths = sorted(SPEC_EXAMPLES.glob("*.json"))
    pdf = render_board_pack([_input(load_case(p), kb, p) for p in paths], OPTIONS)
    reader = PdfReader(io.BytesIO(pdf))
    titles = [
        o.title for o in reader.outline if not isinstance(o, list)
    ]  # lists: each appendix
    assert titles[0] == "Agenda"
    assert [t.split(" — ")[0] for t in titles[1:]] == [
        load_case(p).case_id for p in paths
    ]
    first = reader.pages[0].extract_text()
    assert "Tumor board — 2026-11-25" in first and "EX-LUAD-001" in first


# --- Summary first (issue 16): page 1, the three groups, references, page budget ---

DEMOS = sorted((REPO / "assets" / "demo").glob("demo-*.json"))
APPENDIX = "Appendix: evidence, references and methods"


@pytest.fixture(scope="module")
def demo_reports(kb) -> dict[str, tuple[object, bytes]]:
    """Each demo case: (its analysis, its PDF)."""
    from oncoboard.core.case import load_case

    out = {}
    for path in DEMOS:
        analysis = analyse_case(load_case(path), path, kb=kb)
        out[path.name] = (analysis, render_case_report(report_input(analysis), OPTIONS))
    return out


def _pages(pdf: bytes) -> list[str]:
    return [
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages
    ]


@pytest.mark.parametrize("name", [p.name for p in DEMOS])
def test_page_one_lets_the_board_state_the_options(demo_reports, name: str) -> None:
    from oncoboard.core.report.labels import applicability_text

    analysis, pdf = demo_reports[name]
    m, case = analysis.match, analysis.case
    first = _pages(pdf)[0]
    assert "Summary for the board" in first
    assert case.board_question, "every demo case carries a board question"
    assert " ".join(case.board_question.split())[:60] in first
    for (
        o
    ) in m.options:  # every option, with its applicability (and condition) in its row
        assert " + ".join(o.drugs) in first, o.drugs
        assert " ".join(applicability_text(o).split(": ")[0].split()) in first
    assert sum(o.applicability == "conditional" for o in m.options) == first.count(
        "⚠ conditional"
    )
    assert sum(o.applicability == "fits" for o in m.options) == first.count("✓ fits")
    for nr in m.not_recommended:
        assert " + ".join(nr.drugs) in first, nr.drugs
    for f in m.flags:
        assert f.code in first
    for v in m.alteration_view:  # the alteration view is on page 1 or 2
        assert v.label in first or v.label in _pages(pdf)[1]


def test_page_one_of_the_luad_demo_shows_conditions_and_reasons(demo_reports) -> None:
    first = _pages(demo_reports["demo-01-luad-egfr-t790m.json"][1])[0]
    assert "⚠ conditional: first-line indication; already treated" in first
    assert "✗ progressed on" in first
    assert "The patient progressed on erlotinib" in first
    assert "PFS 9.7 mo (95% CI 8.2–12.3), AURA3" in first


@pytest.mark.parametrize("name", [p.name for p in DEMOS])
def test_each_demo_case_fits_five_pages_before_the_appendix(
    demo_reports, name: str
) -> None:
    pages = _pages(demo_reports[name][1])
    appendix = next(i for i, text in enumerate(pages) if APPENDIX in text)
    assert appendix <= 5, f"{name}: {appendix} pages before the appendix"


def test_a_reference_appears_once_in_the_list(demo_reports) -> None:
    import re

    for name, (_, pdf) in demo_reports.items():
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
        refs = text.split("\nReferences\n", 1)[1].split("\nMethods\n", 1)[0]
        pmids = re.findall(r"^\[\d+\] PMID:(\d+)", refs, flags=re.MULTILINE)
        assert pmids and len(pmids) == len(set(pmids)), name
        assert "Further source for KB entry" not in text, name


def test_an_all_empty_column_is_left_out(demo_reports) -> None:
    def body(
        pdf: bytes,
    ) -> str:  # the pages before the appendix (Methods mention ESCAT)
        pages = _pages(pdf)
        return " ".join(pages[: next(i for i, t in enumerate(pages) if APPENDIX in t)])

    luad = demo_reports["demo-01-luad-egfr-t790m.json"]
    assert not any(o.escat for o in luad[0].match.options + luad[0].match.resistance)
    assert "AMP tier" in body(luad[1]) and "ESCAT" not in body(luad[1])
    brca = demo_reports["demo-02-breast-her2-low.json"]
    assert any(o.escat for o in brca[0].match.options)
    assert "ESCAT" in body(brca[1])


def test_vafs_are_percent_with_one_decimal(demo_reports) -> None:
    crc = " ".join(_pages(demo_reports["demo-03-crc-kras-g12c.json"][1]))
    assert "T1: 31.0%" in crc  # KRAS G12C from the MAF: 252/812 reads
