"""Every results and report view belongs to the case shown (issue 16, item 1).

Three cases are analysed (one fails), then shown in every order; each time the
title, table, detail pane, flags, resistance, survival curves, ctDNA trends and
the report's analysis must be that case's own, or empty.
"""

from __future__ import annotations

import itertools

import pytest

from oncoboard.core.errors import Problem, UserInputError
from oncoboard.gui.analysis_memory import AnalysisMemory
from oncoboard.gui.options_model import OPTION_ROLE
from oncoboard.gui.report_screen import ReportScreen
from oncoboard.gui.results import ResultsScreen

LUAD, CRC, MAF = (
    "luad-egfr-exon19-tissue.json",  # options, curves
    "crc-plasma-serial.json",  # serial ctDNA trend
    "luad-panel-from-maf.json",  # names a variant file that is not stored: fails
)


def with_test_curve(analysis):  # noqa: ANN001, ANN201
    """The test KB has no survival data: give LUAD's top option a curve to draw."""
    import dataclasses

    from oncoboard.core.survival.predict import CurvePrediction

    if analysis.case.case_id != "EX-LUAD-001" or not analysis.match.options:
        return analysis
    curve = CurvePrediction(
        label="test curve", times=(0.0, 6.0, 12.0, 24.0), survival=(1.0, 0.8, 0.6, 0.4),
        lower=None, upper=None, median_months=18.0, median_ci=None, rmst_months=15.0,
        horizon_months=24.0, surv_12m=0.6, method="test", source="test", note="",
    )  # fmt: skip
    return dataclasses.replace(analysis, curves={analysis.match.options[0].rank: curve})


@pytest.fixture
def screens(qtbot, kb, service, monkeypatch):
    import oncoboard.core.pipeline as pipeline

    real = pipeline.analyse_case
    monkeypatch.setattr(
        pipeline, "analyse_case", lambda *a, **k: with_test_curve(real(*a, **k))
    )
    memory = AnalysisMemory()
    results = ResultsScreen(memory)
    report = ReportScreen(service, memory=memory, choices=results.choices)
    for widget in (results, report):
        qtbot.addWidget(widget)
    results.resize(1300, 700)
    results.show()
    return results, report


def analyse(qtbot, screen: ResultsScreen, case) -> None:  # noqa: ANN001
    screen.set_case(case)
    with qtbot.waitSignal(screen.jobs.idle, timeout=60_000):
        screen.run()
    qtbot.waitUntil(lambda: not screen.plot_jobs.busy, timeout=30_000)


def items(widget) -> list[str]:  # noqa: ANN001
    return [widget.item(i).text() for i in range(widget.count())]


def assert_shows(qtbot, results, report, case, expected) -> None:  # noqa: ANN001
    """Every view shows ``case``; ``expected`` is its analysis or None (empty)."""
    results.set_case(case)
    report.set_case(case)
    qtbot.waitUntil(lambda: not results.plot_jobs.busy, timeout=30_000)
    assert results.case_id == case.case_id
    assert case.case_id in results.title.text()
    assert f"Case {case.case_id}" in report.case_label.text()
    assert report.analysis is expected
    assert results.analysis is expected
    shown = [
        results.model.data(results.model.index(r, 0), OPTION_ROLE)
        for r in range(results.model.rowCount())
    ]
    detail = results.detail.toPlainText()
    if expected is None:
        assert (
            shown == []
            and items(results.flags) == []
            and items(results.resistance) == []
        )
        assert results.not_recommended.rows() == [] and results.alterations.rows() == []
        assert "not been analysed" in detail or "analysis failed" in detail
        assert results.survival.canvas is None and results.trends.canvas is None
        assert results.survival_owner is None
        return
    match = expected.match
    assert expected.case.case_id == case.case_id
    assert "analysed " in results.title.text()
    assert shown == list(match.options)
    assert items(results.flags) == (
        [f"⚠ {f.message}" for f in match.flags] or ["No flags for this profile."]
    )
    assert len(items(results.resistance)) == max(len(match.resistance), 1)
    assert len(results.not_recommended.rows()) == len(match.not_recommended)
    assert sorted(map(repr, results.alterations.rows())) == sorted(
        map(repr, match.alteration_view)
    )
    if match.options:
        assert match.options[0].drugs[0] in detail
    record = results.memory.get(case.case_id)
    assert record is not None and record.analysis is expected
    if record.trend is None:
        assert results.trends.canvas is None
    else:
        assert results.trends.canvas.figure is record.trend
    if expected.curves:
        assert results.survival_owner == case.case_id
        assert results.survival.canvas is not None
    else:
        assert results.survival.canvas is None


def test_views_follow_the_case_in_every_order(
    qtbot, screens, example_case, monkeypatch
):
    results, report = screens
    cases = {name: example_case(name) for name in (LUAD, CRC, MAF)}
    analyse(qtbot, results, cases[LUAD])
    analyse(qtbot, results, cases[CRC])
    analyse(qtbot, results, cases[MAF])
    assert "not stored with this case" in results.banner.label.text()
    done = {
        name: (results.memory.get(c.case_id).analysis if name != MAF else None)
        for name, c in cases.items()
    }
    assert done[LUAD].match.options and done[LUAD].curves
    assert results.memory.get(cases[CRC].case_id).trend is not None
    for order in itertools.permutations(cases):
        for name in order:
            assert_shows(qtbot, results, report, cases[name], done[name])

    # Re-analysing CRC fails now: its earlier analysis is gone from every view.
    import oncoboard.core.pipeline as pipeline

    real = pipeline.analyse_case

    def failing(case, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        if case.case_id == cases[CRC].case_id:
            raise UserInputError(case.case_id, [Problem("samples", "test failure")])
        return real(case, *args, **kwargs)

    monkeypatch.setattr(pipeline, "analyse_case", failing)
    analyse(qtbot, results, cases[CRC])
    assert "test failure" in results.banner.label.text()
    assert results.memory.get(cases[CRC].case_id) is None
    done[CRC] = None
    for order in itertools.permutations(cases):
        for name in order:
            assert_shows(qtbot, results, report, cases[name], done[name])


def test_an_analysis_finishing_after_a_switch_is_not_shown(
    qtbot, screens, example_case
):
    results, report = screens
    luad, crc = example_case(LUAD), example_case(CRC)
    results.set_case(luad)
    results.run()
    results.set_case(crc)  # before the LUAD analysis can finish
    qtbot.waitUntil(lambda: not results.jobs.busy, timeout=60_000)
    from PySide6.QtCore import QThreadPool

    QThreadPool.globalInstance().waitForDone(60_000)
    qtbot.wait(50)  # deliver any late signal (the runner must drop it)
    assert_shows(qtbot, results, report, crc, None)
    assert not results.banner.isVisibleTo(results)  # no "cancelled" under CRC


def test_report_uses_the_results_screen_analysis_and_its_choices(
    qtbot, screens, example_case, monkeypatch
):
    results, report = screens
    case = example_case(LUAD)
    report.set_case(case)
    assert "trial curves" in report.case_label.text()
    analyse(qtbot, results, case)
    report.set_case(case)
    assert report.analysis is results.analysis  # the same object, not a re-analysis
    seen = []
    monkeypatch.setattr(
        "oncoboard.gui.report_screen.renderers",
        lambda: (lambda analysis, options: seen.append(analysis) or b"%PDF", None),
    )
    monkeypatch.setattr("oncoboard.gui.report_screen.have_pdftoppm", lambda: False)
    with qtbot.waitSignal(report.jobs.idle, timeout=60_000):
        report.render_preview()
    assert seen == [results.analysis]
    # edited since: the report analyses again with the Results screen's choices
    edited = case.model_copy(
        update={
            "patient": case.patient.model_copy(update={"age": case.patient.age + 1})
        }
    )
    assert edited != case
    report.set_case(edited)
    with qtbot.waitSignal(report.jobs.idle, timeout=60_000):
        report.render_preview()
    assert seen[-1] is not results.analysis
    assert seen[-1].case == edited
