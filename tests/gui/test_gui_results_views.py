"""Results: applicability in the option rows, the Not-recommended and Alterations
tables (model-tested), and ctDNA trends of plasma only with tissue markers."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from oncoboard.core.report.charts import (
    ctdna_series,  # one function for the PDF and the GUI
)
from oncoboard.gui.options_model import OPTION_ROLE, OptionsModel, OptionsProxy
from oncoboard.gui.result_labels import (
    CATEGORIES,
    REASONS,
    applicability_text,
    condition_short,
    percent,
)
from oncoboard.gui.results import NOT_RECOMMENDED_TAB, ResultsScreen
from oncoboard.gui.results_detail import detail_html, not_recommended_html
from oncoboard.gui.results_models import (
    ROW_ROLE,
    AlterationsModel,
    NotRecommendedModel,
    RowsProxy,
)

RELAPSED = (
    "demo-01-luad-egfr-t790m.json"  # EGFR ex19del + T790M, progressed on erlotinib
)


@pytest.fixture
def relapsed(kb):
    from conftest import REPO
    from oncoboard.core import api
    from oncoboard.core.case import load_case

    case = load_case(REPO / "assets" / "demo" / RELAPSED)
    return api.analyse(api.Context.create(), case)


def _option(rank: int, applicability: str = "fits", conditions=()):  # noqa: ANN001, ANN202
    from oncoboard.core.matching.result import Option

    return Option.model_validate(
        {  # SYNTHETIC
            "rank": rank, "drugs": [f"drug {rank}"], "direction": "sensitive",
            "amp_tier": "IA", "matched": ["EGFR L858R"], "tumor_match": "same",
            "evidence": [{"source": "test", "citation": "PMID:1", "summary": "fixture"}],
            "applicability": applicability,
            "conditions": [{"code": c, "message": m} for c, m in conditions],
        }
    )  # fmt: skip


def test_the_relapsed_case_gives_every_group(relapsed):
    match = relapsed.match
    assert any(o.applicability == "conditional" for o in match.options)
    assert match.not_recommended and match.alteration_view


def test_models_pass_the_model_tester(qtmodeltester, relapsed):
    match = relapsed.match
    for model_cls, rows in (
        (NotRecommendedModel, match.not_recommended),
        (AlterationsModel, match.alteration_view),
    ):
        model = model_cls()
        model.set_rows(rows)
        qtmodeltester.check(model)
        proxy = RowsProxy()
        proxy.setSourceModel(model)
        qtmodeltester.check(proxy)
        model.set_rows([])
        qtmodeltester.check(model)
    options = OptionsModel()
    options.set_options(match.options)
    qtmodeltester.check(options)


def test_a_conditional_option_shows_its_condition_in_the_row():
    condition = (
        "first_line_after_treatment",
        "First-line indication; the patient has had 1 prior line(s) in the advanced setting.",
    )
    model = OptionsModel()
    model.set_options([_option(1), _option(2, "conditional", [condition])])
    column = OptionsModel.APPLICABILITY_COLUMN
    fits, conditional = (model.index(r, column) for r in range(2))
    assert model.data(fits) == "Fits"
    assert model.data(conditional) == "First-line indication; already treated"
    assert condition[1] in model.data(conditional, Qt.ItemDataRole.ToolTipRole)
    assert not model.data(conditional, Qt.ItemDataRole.DecorationRole).isNull()
    # the filter finds rows by their condition
    proxy = OptionsProxy()
    proxy.setSourceModel(model)
    proxy.setFilterFixedString("first-line")
    assert proxy.rowCount() == 1


def test_condition_short_text_keeps_the_status_that_was_not_established():
    from oncoboard.core.matching.result import Condition

    ras = Condition(
        code="status_not_established",
        message="RAS status not established: test KRAS/NRAS exons 2-4.",
    )
    assert condition_short(ras) == "RAS status not established"
    more = _option(3, "conditional", [("status_not_established", ras.message)] * 1
                   + [("conflicting_evidence", "CIViC resistance evidence.")])  # fmt: skip
    assert applicability_text(more) == "RAS status not established (+1 more)"


def test_the_screen_keeps_the_core_order_fits_before_conditional(qtbot, relapsed):
    screen = ResultsScreen()
    qtbot.addWidget(screen)
    screen.set_case(relapsed.case)
    with qtbot.waitSignal(screen.analysis_ready, timeout=60_000):
        screen.run()
    shown = [
        screen.proxy.data(screen.proxy.index(r, 0), OPTION_ROLE)
        for r in range(screen.proxy.rowCount())
    ]
    assert [o.rank for o in shown] == sorted(o.rank for o in shown)
    for tier in {o.amp_tier for o in shown}:
        kinds = [o.applicability for o in shown if o.amp_tier == tier]
        assert kinds == sorted(kinds, key=lambda k: k != "fits")
    assert (
        "conditional" in screen.title.text()
        and "not recommended" in screen.title.text()
    )
    # Not recommended: every entry, with reason and citations, no rank or survival column
    nr = screen.not_recommended
    assert nr.rows() and sorted(map(repr, nr.rows())) == sorted(
        map(repr, screen.analysis.match.not_recommended)
    )
    headers = [
        nr.model.headerData(c, Qt.Orientation.Horizontal)
        for c in range(nr.model.columnCount())
    ]
    assert headers == ["Therapy", "Reason", "Why", "Citations"]
    first = nr.rows()[0]
    assert nr.model.data(nr.model.index(0, 1)) in REASONS.values()
    assert first.citations[0] in nr.detail.toPlainText()
    assert (
        screen.views.tabText(NOT_RECOMMENDED_TAB)
        == f"Not recommended ({len(nr.rows())})"
    )
    # Alterations: every alteration of the view, with its category in words
    alts = screen.alterations
    assert len(alts.rows()) == len(screen.analysis.match.alteration_view)
    categories = {alts.model.data(alts.model.index(r, AlterationsModel.CATEGORY_COLUMN))
                  for r in range(alts.model.rowCount())}  # fmt: skip
    assert categories <= set(CATEGORIES.values()) and "Actionable" in categories
    # the category sort groups actionable first
    assert alts.rows()[0].category == "actionable"


def test_not_recommended_detail_has_no_rank_or_survival(relapsed):
    item = relapsed.match.not_recommended[0]
    text = not_recommended_html(item)
    assert item.citations[0] in text and REASONS[item.reason] in text
    assert "median" not in text.lower() and "RMST" not in text


def test_detail_opens_with_applicability():
    option = _option(
        4, "conditional", [("prerequisite_not_recorded", "Requires prior platinum.")]
    )
    text = detail_html(option)
    assert text.index("Conditional") < text.index("AMP tier")
    assert "Requires prior platinum." in text


def test_ctdna_trend_is_plasma_only_with_tissue_apart():
    d = dt.date
    series = {
        "EGFR exon 19 deletion": [
            (d(2025, 2, 10), "T1", 0.38), (d(2026, 8, 4), "P1", 0.091), (d(2026, 10, 27), "P2", 0.142)
        ],
        "TP53 R248Q": [(d(2025, 2, 10), "T1", 0.35)],
        "KRAS G12D": [(d(2026, 8, 4), "P1", 0.02)],  # one plasma point: no trend
    }  # fmt: skip
    specimens = {"T1": "tissue", "P1": "plasma", "P2": "plasma"}
    plasma, tissue = ctdna_series(series, specimens)
    assert plasma == {"EGFR exon 19 deletion": series["EGFR exon 19 deletion"][1:]}
    assert tissue == {"EGFR exon 19 deletion": [series["EGFR exon 19 deletion"][0]]}
    from oncoboard.gui.plots import vaf_trend_figure

    figure = vaf_trend_figure(plasma, tissue)
    ax = figure.axes[0]
    plasma_line = next(
        line for line in ax.get_lines() if "(plasma)" in str(line.get_label())
    )
    assert list(plasma_line.get_ydata()) == pytest.approx(
        [9.1, 14.2]
    )  # 38% never joined
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels == ["2025-02-10", "2026-08-04", "2026-10-27"]
    assert any("tissue T1: 38.0%" in t.get_text() for t in ax.texts)


def test_percent_has_one_decimal():
    assert percent(0.310344827) == "31.0%"
    assert percent(None) == ""
    assert ROW_ROLE == OPTION_ROLE
