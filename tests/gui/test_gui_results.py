"""Results: the options model, the screen after a real analysis on the test KB."""

from __future__ import annotations

import pytest

from oncoboard.gui.options_model import OPTION_ROLE, OptionsModel, OptionsProxy
from oncoboard.gui.results import ResultsScreen, detail_html


@pytest.fixture
def analysis(kb, example_case):
    from oncoboard.core import api

    return api.analyse(
        api.Context.create(), example_case("luad-egfr-exon19-tissue.json")
    )


def test_options_model_passes_the_model_tester(qtmodeltester, analysis):
    assert analysis.match.options, "the test KB should match this case"
    model = OptionsModel()
    model.set_options(analysis.match.options)
    qtmodeltester.check(model)
    proxy = OptionsProxy()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy)


def test_proxy_sorts_by_rank_and_filters_text(analysis):
    model = OptionsModel()
    model.set_options(analysis.match.options)
    proxy = OptionsProxy()
    proxy.setSourceModel(model)
    proxy.sort(0)
    ranks = [
        proxy.data(proxy.index(r, 0), OPTION_ROLE).rank for r in range(proxy.rowCount())
    ]
    assert ranks == sorted(ranks)
    first_drug = analysis.match.options[0].drugs[0]
    proxy.setFilterFixedString(first_drug)
    assert 0 < proxy.rowCount() <= model.rowCount()
    proxy.setFilterFixedString("zzz-no-such-drug")
    assert proxy.rowCount() == 0


def test_detail_shows_explanation_and_citations(analysis):
    option = analysis.match.options[0]
    text = detail_html(option)
    assert option.evidence[0].citation in text
    assert option.amp_tier in text


def test_screen_runs_the_analysis_in_a_worker(qtbot, kb, example_case):
    screen = ResultsScreen()
    qtbot.addWidget(screen)
    screen.resize(1300, 700)
    screen.show()
    screen.set_case(example_case("luad-egfr-exon19-tissue.json"))
    with qtbot.waitSignal(screen.analysis_ready, timeout=60_000):
        screen.run()
    assert screen.model.rowCount() == len(screen.analysis.match.options) > 0
    assert "Flags (" in screen.lower_tabs.tabText(0)
    assert "Evidence" in screen.detail.toHtml()
    qtbot.waitUntil(lambda: not screen.plot_jobs.busy, timeout=30_000)
    has_curves = bool(screen.analysis.curves)
    assert (screen.survival.canvas is not None) == has_curves


def test_survival_is_the_trial_population_with_no_adjustment_control(
    qtbot, kb, example_case
):
    """Issue 15: no patient adjustment; the detail says what the figure is."""
    screen = ResultsScreen()
    qtbot.addWidget(screen)
    assert not hasattr(screen, "adjusted")
    screen.set_case(example_case("luad-egfr-exon19-tissue.json"))
    with qtbot.waitSignal(screen.analysis_ready, timeout=60_000):
        screen.run()
    assert "trial curves" in screen.title.text()


def test_detail_shows_the_trial_population_and_its_warnings():
    from oncoboard.core.matching.result import Option

    option = Option.model_validate(
        {  # SYNTHETIC figures, not a real trial's
            "rank": 1, "drugs": ["drug x"], "direction": "sensitive", "amp_tier": "IA",
            "matched": ["EGFR L858R"], "tumor_match": "same",
            "evidence": [{"source": "test", "citation": "PMID:1", "summary": "fixture"}],
            "predicted": {
                "endpoint": "PFS", "median_months": None, "median_ci": None,
                "rmst_months": None, "horizon_months": 24.0,
                "method": "reconstructed-ipd", "source": "TRIAL-X, drug x arm",
                "basis": "single-trial", "source_trial": "TRIAL-X",
                "followup_months": 17.6,
                "description": "Modelled progression-free survival in the trial population",
                "warnings": [{"code": "population", "message": "ECOG 2: outside TRIAL-X (ECOG 0–1)"}],
            },
        }
    )  # fmt: skip
    html = detail_html(option)
    assert "in the trial population" in html and "TRIAL-X" in html
    assert "ECOG 2: outside TRIAL-X (ECOG 0–1)" in html


def test_serial_ctdna_trend_is_drawn(qtbot, kb, example_case):
    screen = ResultsScreen()
    qtbot.addWidget(screen)
    screen.set_case(example_case("crc-plasma-serial.json"))
    with qtbot.waitSignal(screen.analysis_ready, timeout=60_000):
        screen.run()
    assert screen.trends.canvas is not None


def test_without_a_case_the_screen_says_so(qtbot):
    screen = ResultsScreen()
    qtbot.addWidget(screen)
    screen.run()
    assert "Open a valid case" in screen.banner.label.text()


def test_plot_and_selection_always_agree(qtbot, kb, example_case):
    screen = ResultsScreen()
    qtbot.addWidget(screen)
    screen.set_case(example_case("luad-egfr-exon19-tissue.json"))
    with qtbot.waitSignal(screen.analysis_ready, timeout=60_000):
        screen.run()
    qtbot.waitUntil(lambda: not screen.plot_jobs.busy, timeout=30_000)
    selected = {o.rank for o in screen.selected_options()}
    plotted = set(sorted(screen.analysis.curves)[:4])
    assert selected == plotted | {1}
    # the survival list shares the table's selection
    assert screen.option_list.selectionModel() is screen.table.selectionModel()
    screen.table.selectRow(screen.proxy.rowCount() - 1)
    only = screen.selected_options()
    assert len(only) == 1
    assert only[0].rank == max(o.rank for o in screen.analysis.match.options)


def test_cohort_choice_is_offered_only_when_a_cohort_is_saved(qtbot, kb, example_case):
    screen = ResultsScreen()
    qtbot.addWidget(screen)
    screen.set_case(example_case("luad-egfr-exon19-tissue.json"))
    with qtbot.waitSignal(screen.analysis_ready, timeout=60_000):
        screen.run()
    assert not screen.cohort.isEnabled()  # a fresh data folder holds no cohort
    assert "No institutional cohort model" in screen.cohort.toolTip()
    assert screen.cohort.itemData(0) is None  # "Trial curves only" is always there
