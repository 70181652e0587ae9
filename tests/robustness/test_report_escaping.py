"""Cross-check that user text cannot inject reportlab markup into the PDF.

The report engineer owns the report tests (``tests/core/report``).  This is an
independent check of the one function every user string goes through,
``core.report.styles.esc``: whatever the text, the paragraph shows exactly that
text, and markup in it (``<font>``, ``<a href>``, ``<img>``, entities) is
printed, not obeyed.  An end-to-end check through ``oncoboard report`` runs
when that command exists.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fuzz.mutations import FAST, NASTY
from shared_paths import SPEC_EXAMPLES

esc = pytest.importorskip("oncoboard.core.report.styles").esc

HOSTILE = [
    '<font size="80" color="red">BIG</font>',
    '<a href="file:///etc/passwd">click</a>',
    '<img src="/etc/passwd" width="500" height="500"/>',
    "a & b &amp; &#65; &lt;",
    "<b>bold</b><i>italic</i><super>up</super>",
    "]]> <!-- comment --> <![CDATA[x]]>",
    "<para>nested</para><br/>",
    "\u202eevil\u202c \ufeff \U0001f9ec",
]


def _plain(markup: str) -> str:
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph

    return Paragraph(markup, getSampleStyleSheet()["Normal"]).getPlainText()


@pytest.mark.parametrize("text", HOSTILE)
def test_markup_in_user_text_is_printed_not_obeyed(text: str) -> None:
    assert _plain(esc(text)) == text


@FAST
@given(
    text=st.text(
        st.one_of(
            st.characters(blacklist_categories=("Cs",)),
            st.sampled_from(NASTY + "<>&;#"),
        ),
        max_size=60,
    )
)
def test_any_text_round_trips_through_a_paragraph(text: str) -> None:
    # reportlab collapses whitespace (and a line break becomes <br/>): compare the rest
    assert "".join(_plain(esc(text)).split()) == "".join(text.split())


def test_report_command_prints_hostile_text_literally(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from oncoboard.cli.main import cli, main

    if "report" not in cli.commands:
        pytest.skip("`oncoboard report` is not registered yet")
    pypdf = pytest.importorskip("pypdf")
    case = json.loads((SPEC_EXAMPLES / "luad-panel-from-maf.json").read_text())
    case["patient"]["pseudonym"] = "<b>PSEUDO</b>&amp;"
    case["samples"][0]["assay"] = '<a href="file:///etc/passwd">ASSAYLINK</a>'
    shutil.copy(SPEC_EXAMPLES / "luad-panel.maf", tmp_path / "luad-panel.maf")
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(case))
    out = tmp_path / "hostile.pdf"
    try:
        main(["report", str(path), "-o", str(out)])
    except SystemExit as exc:
        assert not exc.code, capsys.readouterr().err
    reader = pypdf.PdfReader(out)
    text = "".join(page.extract_text() for page in reader.pages)
    assert "<b>PSEUDO</b>&amp;" in text or "ASSAYLINK</a>" in text.replace("\n", "")
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A") or {}
            assert "file:" not in str(action.get("/URI", ""))
