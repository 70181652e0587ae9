"""Figures: curves, bands, numbers at risk, caveat, vector output; no pyplot/Qt."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from oncoboard.core.survival.caveats import CROSS_TRIAL_CAVEAT
from oncoboard.core.survival.plots import (
    figure_to_pdf_bytes,
    figure_to_svg_bytes,
    survival_figure,
)
from oncoboard.core.survival.predict import predict_option

from ._helpers import fits_of, make_case


@pytest.fixture
def two_trials(kb_fits: list[dict[str, Any]]) -> list[Any]:
    case = make_case("LUAD", age=70, ecog=1)
    # the SYNTHETIC summary relabelled PFS: PFS and OS never share a plot
    synthetic = [
        dict(f, endpoint="PFS") for f in fits_of(kb_fits, "TEST-SYNTHETIC-SUMMARY")
    ]
    return [
        predict_option(fits_of(kb_fits, "TEST-AURA3"), case, horizon_months=12.0),
        predict_option(synthetic, case),
    ]


def _texts(fig: Any) -> str:
    return " ".join(t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text")))


def test_figure_shows_curves_bands_at_risk_and_caveat(two_trials: list[Any]) -> None:
    fig = survival_figure(two_trials, title="T")
    main, risk = fig.axes
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert len(labels) == 2 and "[approx.]" in labels[1]
    assert len(main.collections) == 2  # one band per curve
    assert "279" in _texts(risk)  # numbers at risk of the IPD arm
    assert "not available: no patient-level data" in _texts(risk)  # a row for every arm
    assert CROSS_TRIAL_CAVEAT.split()[0] in _texts(fig)


def test_the_caveat_and_the_legend_do_not_overlap(two_trials: list[Any]) -> None:
    fig = survival_figure(two_trials, title="T")
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    caveat = [t for t in fig.texts if t.get_text().startswith("Cross-trial")][0]
    legend = fig.legends[0]
    assert not caveat.get_window_extent(renderer).overlaps(
        legend.get_window_extent(renderer)
    )


def test_the_tail_beyond_follow_up_is_dotted_without_a_band(
    two_trials: list[Any],
) -> None:
    aura3 = two_trials[0]
    assert aura3.followup_months is not None and aura3.followup_months < 24
    fig = survival_figure(two_trials[:1], show_at_risk=False)
    (ax,) = fig.axes
    dotted = [ln for ln in ax.get_lines() if ln.get_linestyle() == ":"]
    assert len(dotted) == 1
    assert min(dotted[0].get_xdata()) == pytest.approx(aura3.followup_months, abs=0.5)
    band = ax.collections[0].get_paths()[0].vertices[:, 0]
    assert band.max() <= aura3.followup_months + 0.5
    assert "extrapolated beyond" in fig.legends[0].get_texts()[0].get_text()


def test_pfs_and_os_are_never_on_one_plot(two_trials: list[Any]) -> None:
    import dataclasses

    mixed = [two_trials[0], dataclasses.replace(two_trials[1], endpoint="OS")]
    with pytest.raises(ValueError, match="never drawn together"):
        survival_figure(mixed)


def test_single_curve_without_at_risk_has_one_axes_and_no_caveat(
    two_trials: list[Any],
) -> None:
    fig = survival_figure(two_trials[:1], show_at_risk=False)
    assert len(fig.axes) == 1
    assert "Cross-trial" not in _texts(fig)


def test_vector_outputs(two_trials: list[Any]) -> None:
    fig = survival_figure(two_trials)
    svg = figure_to_svg_bytes(fig)
    assert b"<svg" in svg[:500]
    assert figure_to_pdf_bytes(fig).startswith(b"%PDF")


def test_plots_use_neither_pyplot_nor_qt() -> None:
    code = (
        "import sys; import oncoboard.core.survival.plots as p; "
        "from oncoboard.core.survival.predict import CurvePrediction as C; "
        "c = C('x', (0.0, 1.0), (1.0, 0.5), None, None, 1.0, None, 0.75, 1.0, 0.5, "
        "'reconstructed-ipd', 's', 'n'); "
        "p.figure_to_svg_bytes(p.survival_figure([c])); "
        "bad = [m for m in sys.modules "
        "if m.startswith(('PySide6', 'matplotlib.pyplot'))]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
