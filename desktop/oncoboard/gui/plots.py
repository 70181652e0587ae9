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


def vaf_trend_figure(
    plasma: dict[str, list[tuple[Any, str, float]]],
    tissue: dict[str, list[tuple[Any, str, float]]] | None = None,
) -> Any:
    """Serial ctDNA: one line per alteration through its plasma VAFs only.

    Tissue VAFs come from another assay, so they are never joined to the plasma
    line (a drop from a 38% tissue VAF to 9% in plasma is a change of assay, not
    a response): they are separate square markers labelled with the sample.
    Dates are ISO (YYYY-MM-DD) at the sample dates, never "Jul / 2026".
    """
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7, 3.6), layout="constrained")
    ax = figure.add_subplot()
    dates: set[Any] = set()
    for n, (label, points) in enumerate(sorted(plasma.items())):
        colour = f"C{n % 10}"
        ax.plot(
            [p[0] for p in points], [100 * p[2] for p in points],
            marker="o", color=colour, label=f"{label} (plasma)",
        )  # fmt: skip
        dates.update(p[0] for p in points)
        for day, sample, vaf in (tissue or {}).get(label, ()):
            ax.plot([day], [100 * vaf], marker="s", linestyle="none", markersize=8,
                    markerfacecolor="white", markeredgecolor=colour, markeredgewidth=2)  # fmt: skip
            ax.annotate(f"tissue {sample}: {100 * vaf:.1f}%", (day, 100 * vaf),
                        textcoords="offset points", xytext=(6, 4), fontsize=7, color=colour)  # fmt: skip
            dates.add(day)
    if any((tissue or {}).get(label) for label in plasma):
        ax.plot([], [], marker="s", linestyle="none", markerfacecolor="white",
                markeredgecolor="#444", label="tissue result (other assay, not joined)")  # fmt: skip
    ticks = sorted(dates)
    ax.set_xticks(
        ticks, [d.isoformat() for d in ticks], rotation=30, ha="right", fontsize=8
    )
    if len(ticks) > 1:  # room for the labels at both ends
        pad = (ticks[-1] - ticks[0]) * 0.06
        ax.set_xlim(ticks[0] - pad, ticks[-1] + pad * 3)
    ax.set_ylabel("VAF (%)")
    ax.set_xlabel("Collection date (YYYY-MM-DD)")
    ax.set_ylim(0, ax.get_ylim()[1] * 1.12)  # room for the tissue labels
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="best")
    ax.set_title("Serial ctDNA: plasma variant allele fraction over time", fontsize=10)
    return figure
