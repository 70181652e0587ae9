"""Embedded matplotlib canvases.  matplotlib and its Qt backend load lazily,
the first time a plot is shown; figures are built by core code (or in a
worker), the canvas is made here on the GUI thread."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class FigurePane(QWidget):
    """Shows one matplotlib Figure, or a message when there is nothing to draw."""

    def __init__(self, empty_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.message = QLabel(empty_text)
        self.message.setWordWrap(True)
        self.canvas: Any = None
        self._layout = QVBoxLayout(self)
        self._layout.addWidget(self.message)
        self._layout.addStretch(1)

    def show_figure(self, figure: Any) -> None:
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg

        self.clear()
        self.canvas = FigureCanvasQTAgg(figure)
        self.message.hide()
        self._layout.setStretch(self._layout.count() - 1, 0)
        self._layout.insertWidget(0, self.canvas, 1)

    def show_message(self, text: str) -> None:
        self.clear()
        self.message.setText(text)
        self.message.show()
        self._layout.setStretch(self._layout.count() - 1, 1)

    def clear(self) -> None:
        if self.canvas is not None:
            self._layout.removeWidget(self.canvas)
            self.canvas.setParent(None)
            self.canvas.deleteLater()
            self.canvas = None


def vaf_trend_figure(series: dict[str, list[tuple[Any, str, float]]]) -> Any:
    """Serial ctDNA VAFs, one line per alteration (labels with ≥ 2 points)."""
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7, 3.6), layout="constrained")
    ax = figure.add_subplot()
    for label, points in sorted(series.items()):
        if len(points) < 2:
            continue
        dates = [p[0] for p in points]
        ax.plot(dates, [100 * p[2] for p in points], marker="o", label=label)
    ax.set_ylabel("VAF (%)")
    ax.set_xlabel("Collection date")
    locator = AutoDateLocator(maxticks=6)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="best")
    ax.set_title("Serial ctDNA: variant allele fraction over time", fontsize=10)
    return figure
