"""The tumor-board PDF, checked through what a reader sees (extracted text).

All match results here are SYNTHETIC TEST FIXTURES (see report_fixtures.py).
"""

from __future__ import annotations

import dataclasses
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from oncoboard.core.report import ReportOptions, render_board_pack, render_case_report
from oncoboard.core.report.fonts import FontsMissingError, find_fonts

from . import report_fixtures as fx

OPTS = ReportOptions(
    institution="Example Institute",
    prepared_by="Dr. Fixture",
    creation_date=fx.FIXED,
)


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_case_report_shows_every_section() -> None:
    text = flat(text_of(render_case_report(fx.luad_input(), OPTS)))
    for expected in [
        "Molecular tumor board report — EX-LUAD-001",
        "Example Institute",
        "prepared by Dr. Fixture",
        "Patient summary",
        "58 years",
        "Lung Adenocarcinoma (LUAD)",
        "IVA",
        "Hybrid-capture panel, 523 genes",
        "EGFR E746_A750del",
        "42.0%",
        "possible_germline",
        "Summary for the board",
        "Options: what can be offered now",
        "alpha-fixture",
        "ESCAT",
        "I-A",
        "✓ fits",
        "PFS median 11.0 mo (95% CI 9.0–13.5)",
        "Resistance",
        "gamma-fixture",
        "Flags and caveats",
        "Appendix: evidence, references and methods",
        "Evidence per option",
        "[3] TEST-FIXTURE-REF-3",
        "Methods",
        "TEST-FIXTURE",
        "random_state=0",
        "Disclaimer",
        "verified by the treating team",
        "Page 1 of 3",
    ]:
        assert expected in text, expected


def test_cross_trial_caveat_only_with_two_predictions() -> None:
    with_two = flat(text_of(render_case_report(fx.luad_input(), OPTS)))
    assert "different trials" in with_two
    none = flat(text_of(render_case_report(fx.crc_input(), OPTS)))
    assert "different trials" not in none


def test_survival_plot_is_vector_text() -> None:
    pdf = render_case_report(fx.luad_input(), OPTS)
    text = flat(text_of(pdf))
    for expected in (
        "SYNTHETIC TEST FIXTURE curves",
        "Progression-free survival",
        "Months",
        "alpha-fixture (TRIAL-A, PFS) (cohort model)",
        "dotted: extrapolated beyond 18.0 mo",
        "beta-fixture (TRIAL-B, PFS) [approx.]",
        "Numbers at risk (trial data)",
        "alpha-fixture (TRIAL-A) 120 81 47 22",
    ):
        assert expected in text, expected
    reader = PdfReader(io.BytesIO(pdf))
    for page in reader.pages:
        xobjects = page.get("/Resources", {}).get("/XObject", {})
        for obj in xobjects.values():
            assert obj.get_object().get("/Subtype") != "/Image"


def test_user_text_is_escaped() -> None:
    nasty = "<font size=40>X</font> & co"
    text = text_of(render_case_report(fx.luad_input(pseudonym=nasty), OPTS))
    assert nasty in text


def test_unicode_names_render_with_embedded_dejavu() -> None:
    name = "Zoë Ångström-Łukasiewicz β≥2 €"
    pdf = render_case_report(fx.luad_input(pseudonym=name), OPTS)
    assert name in text_of(pdf)
    fonts = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for f in page["/Resources"]["/Font"].values():
            desc = f.get_object().get("/FontDescriptor")
            if desc is not None:
                assert "/FontFile2" in desc.get_object()
            fonts.add(str(f.get_object()["/BaseFont"]))
    assert fonts and all("DejaVu" in f for f in fonts)


def test_deidentified_mode_hides_pseudonym_and_age() -> None:
    item = fx.luad_input(pseudonym="Patient Zeta")
    options = dataclasses.replace(OPTS, deidentified=True)
    text = flat(text_of(render_case_report(item, options)))
    assert "Patient Zeta" not in text
    assert "58 years" not in text
    assert "50–59 (age band)" in text
    assert "DE-IDENTIFIED" in text
    assert "DE-IDENTIFIED" not in flat(text_of(render_case_report(item, OPTS)))


def test_no_options_section_still_lists_flags() -> None:
    text = flat(text_of(render_case_report(fx.crc_input(), OPTS)))
    assert "No actionable finding" in text
    assert "Possible clonal hematopoiesis (CHIP)" in text
    assert "CHIP flag message" in text
    assert "Ranked options" not in text


def test_serial_vaf_trend_is_drawn() -> None:
    text = text_of(render_case_report(fx.crc_input(), OPTS))
    assert "Serial plasma VAF" in text
    assert "Collection date" in text
    assert "Serial plasma VAF" not in text_of(render_case_report(fx.luad_input(), OPTS))


def test_her2_status_and_derivation() -> None:
    text = flat(text_of(render_case_report(fx.breast_input(), OPTS)))
    assert "HER2 status" in text
    assert "HER2-low (fixture)" in text
    assert "IHC 2+; ISH HER2/CEP17 ratio 1.3; 2.9 HER2 signals/cell" in text
    assert "SYNTHETIC TEST FIXTURE rule" in text


def test_long_alteration_table_paginates_with_repeated_header() -> None:
    item = fx.luad_input(n_extra_alterations=150, figure=False)
    reader = PdfReader(io.BytesIO(render_case_report(item, OPTS)))
    pages = [p.extract_text() for p in reader.pages]
    table_pages = [t for t in pages if "GENE" in t]
    assert len(table_pages) >= 3
    for t in table_pages:
        assert re.search(r"Alteration\s+Sample VAF\s+Category", t)
    everything = "\n".join(pages)
    for i in range(150):
        assert f"GENE{i} X{i}Y" in everything


@pytest.mark.parametrize(("size", "width"), [("A4", 595), ("Letter", 612)])
def test_page_sizes(size: str, width: int) -> None:
    options = dataclasses.replace(OPTS, page_size=size)
    reader = PdfReader(io.BytesIO(render_case_report(fx.luad_input(), options)))
    assert round(float(reader.pages[0].mediabox.width)) == width


def test_same_inputs_and_date_give_same_bytes() -> None:
    first = render_case_report(fx.luad_input(), OPTS)
    second = render_case_report(fx.luad_input(), OPTS)
    assert first == second


def test_metadata() -> None:
    reader = PdfReader(io.BytesIO(render_case_report(fx.luad_input(), OPTS)))
    meta = reader.metadata
    assert "EX-LUAD-001" in meta.title
    assert meta.creator.startswith("OncoBoard")
    assert meta.creation_date.year == 2026 and meta.creation_date.month == 11


def test_board_pack_has_agenda_sections_and_bookmarks() -> None:
    items = [fx.luad_input(), fx.crc_input(), fx.breast_input()]
    pdf = render_board_pack(items, OPTS)
    reader = PdfReader(io.BytesIO(pdf))
    first = reader.pages[0].extract_text()
    assert "EX-LUAD-001" in first and "EX-CRC-003" in first and "EX-BRCA-002" in first
    titles = [o.title for o in reader.outline if not isinstance(o, list)]
    assert titles[0] == "Agenda"
    assert [t.split(" ")[0] for t in titles[1:]] == [
        "EX-LUAD-001",
        "EX-CRC-003",
        "EX-BRCA-002",
    ]
    total = len(reader.pages)
    assert f"Page {total} of {total}" in reader.pages[-1].extract_text()


def test_find_fonts_prefers_env_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    system = find_fonts()
    for f in (system.regular, system.bold, system.italic, system.bold_italic):
        (tmp_path / f.name).write_bytes(f.read_bytes())
    monkeypatch.setenv("ONCOBOARD_FONT_DIR", str(tmp_path))
    assert find_fonts().regular == tmp_path / "DejaVuSans.ttf"


def test_missing_fonts_give_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FontsMissingError) as info:
        find_fonts([tmp_path])
    message = str(info.value)
    assert str(tmp_path) in message and "fonts-dejavu-core" in message
    assert "ONCOBOARD_FONT_DIR" in message


def test_importing_the_report_package_loads_neither_reportlab_nor_matplotlib() -> None:
    code = (
        "import sys, oncoboard.core.report, oncoboard.core.report.model;"
        "bad = [m for m in sys.modules if m.split('.')[0] in "
        "('reportlab', 'matplotlib', 'PySide6')]; print(bad); assert not bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_survival_drawing_shows_curves_bands_steps_and_one_risk_row_per_arm() -> None:
    from reportlab.graphics.shapes import Polygon, PolyLine, String

    from oncoboard.core.report.survival_chart import survival_drawing

    def shapes(node: object) -> list[object]:
        out = [node]
        for child in getattr(node, "contents", []):
            out += shapes(child)
        return out

    curves = fx.survival_curves()
    drawing = survival_drawing(curves, 500, title="T")
    everything = shapes(drawing)
    texts = [s.text for s in everything if isinstance(s, String)]
    # two curves share the arm TRIAL-A: one numbers-at-risk row; 3 is at 36 months,
    # past the 24-month axis, so it is not shown
    assert texts.count("alpha-fixture (TRIAL-A)") == 1
    assert "120" in texts and "22" in texts and "3" not in texts
    assert [t for t in texts if t in ("0", "6", "12", "18", "24")] == [
        "0",
        "6",
        "12",
        "18",
        "24",
    ]
    bands = [s for s in everything if isinstance(s, Polygon)]
    assert len(bands) == 1 and bands[0].fillOpacity == 0.15
    lines = [s for s in everything if isinstance(s, PolyLine)]
    assert len(lines) == 5  # KM steps + three curves + the extrapolated tail
    tails = [s for s in lines if s.strokeDashArray == [1.0, 2.0]]
    assert len(tails) == 1  # TRIAL-A beyond its 18 months of follow-up, dotted
    dashed = [s for s in lines if s.strokeDashArray == [5.5, 2.5]]
    assert len(dashed) == 1  # the approximation
    right = max(s.points[-2] for s in lines)
    assert all(s.points[-2] <= right for s in lines)  # cut at the axis end
    assert max(tails[0].points[0::2]) == right
    assert max(lines[1].points[0::2]) < right  # the observed part stops at 18 months
    no_risk = survival_drawing(curves, 500, show_at_risk=False)
    assert "Numbers at risk (trial data)" not in [
        s.text for s in shapes(no_risk) if isinstance(s, String)
    ]


def test_pfs_and_os_are_never_on_one_plot() -> None:
    import dataclasses

    from oncoboard.core.report.survival_chart import survival_drawing

    curves = fx.survival_curves()
    mixed = [curves[0], dataclasses.replace(curves[2], endpoint="OS")]
    with pytest.raises(ValueError, match="never drawn together"):
        survival_drawing(mixed, 500)


def test_rendering_a_report_does_not_import_matplotlib() -> None:
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import report_fixtures as fx; "
        "from oncoboard.core.report import ReportOptions, render_case_report; "
        "pdf = render_case_report(fx.luad_input(), ReportOptions()); "
        "assert b'%PDF' in pdf[:8]; "
        "bad = [m for m in sys.modules if m.split('.')[0] == 'matplotlib']; "
        "print(bad); assert not bad"
    )
    here = str(Path(__file__).resolve().parent)
    subprocess.run([sys.executable, "-c", code, here], check=True)


def test_a_row_taller_than_a_page_is_split_not_lost() -> None:
    item = fx.luad_input(figure=False)
    codes = [f"fixture_flag_{i:03d}" for i in range(1000)]
    item = dataclasses.replace(item, flags_by_label={"TP53 R273H": codes})
    text = flat(text_of(render_case_report(item, OPTS)))
    assert "fixture_flag_000" in text and "fixture_flag_999" in text


def test_cli_report_writes_a_reproducible_pdf(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from oncoboard.cli.report import board, report

    case = fx.EXAMPLES / "luad-egfr-exon19-tissue.json"
    args = [
        "--creation-date",
        "2026-11-20T09:00:00",
        "--board-date",
        "2026-11-25",
        "--deidentified",
        "--page-size",
        "Letter",
    ]
    runner = CliRunner()
    one, two = tmp_path / "a.pdf", tmp_path / "b.pdf"
    for out in (one, two):
        result = runner.invoke(report, [str(case), "-o", str(out), *args])
        assert result.exit_code == 0, result.output
    assert one.read_bytes() == two.read_bytes()
    text = text_of(one.read_bytes())
    assert "EX-LUAD-001" in text and "50–59 (age band)" in text
    pack = tmp_path / "pack.pdf"
    crc = fx.EXAMPLES / "crc-plasma-serial.json"
    result = runner.invoke(board, [str(case), str(crc), "-o", str(pack), *args])
    assert result.exit_code == 0, result.output
    assert "Agenda" in [
        o.title for o in PdfReader(pack).outline if not isinstance(o, list)
    ]
