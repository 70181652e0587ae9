"""Knowledge base browser: search by gene, drug or tumor type; entry details
with citations; version, sources and licences (OncoTree attribution); install
a signed update bundle, or roll back."""

from __future__ import annotations

import html
import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from oncoboard.gui import context as session
from oncoboard.gui.errors import is_expected, report_unexpected, user_message
from oncoboard.gui.results_panes import table_view
from oncoboard.gui.table_model import ROW_ROLE, Column, RowsModel, RowsProxy
from oncoboard.gui.widgets import Banner, BusyBar
from oncoboard.gui.worker import JobRunner

log = logging.getLogger(__name__)
SHOWN_MAX = 200  # search hits shown, best first; the count says how many matched
UNMAPPED_HELP = (
    "Not used for matching: this CIViC item's disease has no OncoTree code. "
    "Shown for reference only."
)


def open_kb(*, progress: Any, cancelled: Any) -> Any:
    from oncoboard.core.config import load_config
    from oncoboard.core.kb.store import KnowledgeBase

    progress(0.3, "Opening the knowledge base")
    kb = KnowledgeBase.open(configured=load_config()["kb.path"])
    kb.entries()  # load once, off the GUI thread
    return kb


def biomarker_text(entry: Any) -> str:
    b = entry.biomarker
    detail = b.variant or b.status or (f"exon {b.exon}" if b.exon else "") or b.kind
    return " ".join(x for x in (b.gene, detail) if x)


def _grey(entry: Any) -> str | None:
    return None if entry.matchable else "#808080"


def _column(header: str, text: Any) -> Column:
    return Column(
        header,
        text,
        tooltip=lambda e: text(e) if e.matchable else UNMAPPED_HELP,
        colour=_grey,
    )


class KbEntriesModel(RowsModel):
    """Knowledge-base entries; CIViC items not used for matching in grey."""

    COLUMNS = (
        _column("Biomarker", biomarker_text),
        _column("Tumor", lambda e: e.tumor),
        _column("Therapy", lambda e: " + ".join(e.therapy)),
        _column("Direction", lambda e: e.direction),
        _column("AMP level", lambda e: e.amp_level),
        _column("Source", lambda e: e.source),
    )


def count_text(shown: int, total: int, term: str) -> str:
    """``355 entries matching “EGFR”``, or ``showing 200 of 355 …`` when cut."""
    noun = "entry" if total == 1 else "entries"
    matching = f" matching “{term}”" if term else ""
    if shown < total:
        return (
            f"Showing {shown} of {total} {noun}{matching} (best matches first; "
            "refine the search to see the others)"
        )
    return f"{total} {noun}{matching}"


def citation_text(citation: Any) -> str:
    kind = {
        "pmid": "PMID",
        "label": "Label",
        "guideline": "Guideline",
        "civic": "CIViC",
    }
    note = f" ({citation.note})" if citation.note else ""
    prefix = kind.get(citation.type, citation.type)
    if citation.id.lower().startswith(prefix.lower()) or citation.type == "label":
        return f"{citation.id}{note}"
    return f"{prefix} {citation.id}{note}"


def outcome_text(outcome: Any) -> str:
    if outcome.value_percent is not None:
        value = f"{outcome.value_percent:g}%"
    elif outcome.median_months is not None:
        value = f"median {outcome.median_months:g} months"
    else:
        value = "no summary figure"
    return f"{outcome.trial}: {outcome.endpoint} {value}"


def entry_html(entry: Any) -> str:
    e = html.escape
    parts = [
        f"<h3>{e(biomarker_text(entry))} — {e(' + '.join(entry.therapy))}</h3>",
        f"<p>{e(entry.summary)}</p>",
        f"<p><b>Tumor</b> {e(entry.tumor)} &nbsp; <b>Direction</b> {e(entry.direction)}"
        f" &nbsp; <b>AMP level</b> {e(entry.amp_level)} &nbsp; <b>ESCAT</b> "
        f"{e(entry.escat or '—')}</p>",
        f"<p><b>Source</b> {e(entry.source)} ({e(entry.source_file)}); id {e(entry.id)}</p>",
    ]
    if entry.approvals:
        parts.append(
            "<p><b>Approvals</b></p><ul>"
            + "".join(
                f"<li>{e(a.agency)} {a.date}: {e(a.label)}</li>"
                for a in entry.approvals
            )
            + "</ul>"
        )
    if entry.outcomes:
        parts.append(
            "<p><b>Outcomes</b></p><ul>"
            + "".join(
                f"<li>{e(outcome_text(o))} ({e(citation_text(o.citation))})</li>"
                for o in entry.outcomes
            )
            + "</ul>"
        )
    parts.append(
        "<p><b>Citations</b></p><ol>"
        + "".join(f"<li>{e(citation_text(c))}</li>" for c in entry.citations)
        + "</ol>"
    )
    if entry.note:
        parts.append(f"<p><i>{e(entry.note)}</i></p>")
    return "".join(parts)


def about_html(kb: Any) -> str:
    e = html.escape
    rows = [
        f"<p><b>Version</b> {e(kb.version)} &nbsp; <b>Released</b> {e(kb.release_date)}<br>"
        f"<b>SHA-256</b> <code>{e(kb.sha256)}</code><br><b>File</b> {e(str(kb.path))}</p>",
        "<p><b>Sources and licences</b></p><ul>",
    ]
    for source in kb.manifest.get("sources", []):
        rows.append(
            f"<li><b>{e(source.get('name', ''))}</b> {e(str(source.get('version', '')))}"
            f" — {e(source.get('licence', ''))}<br>{e(source.get('attribution', ''))}</li>"
        )
    rows.append("</ul>")
    return "".join(rows)


class KbBrowser(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("kb_browser")
        self.kb: Any = None
        self.entries: list[Any] = []
        self.jobs = JobRunner(self)
        layout = QVBoxLayout(self)
        self._build(layout)
        self._wire()

    def _build(self, layout: QVBoxLayout) -> None:
        self.search = QLineEdit(
            placeholderText="Search by gene, drug or tumor type, e.g. EGFR, "
            "osimertinib, LUAD"
        )
        self.search.setClearButtonEnabled(True)
        self.install_button = QPushButton("&Install update…")
        self.rollback_button = QPushButton("&Roll back")
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.install_button)
        top.addWidget(self.rollback_button)
        self.model = KbEntriesModel(self)
        self.proxy = RowsProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = table_view(self.proxy, 2)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # best matches first
        self.count = QLabel()
        self.detail = QTextBrowser()
        self.about = QTextBrowser()
        self.about.setMaximumHeight(220)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.table, 1)
        ll.addWidget(self.count)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.detail)
        right.addWidget(self.about)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([700, 560])
        self.banner = Banner()
        self.busy = BusyBar()
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(self.busy)
        layout.addWidget(split, 1)
        self.detail.setHtml("<p>Select an entry to see its evidence and citations.</p>")

    def _wire(self) -> None:
        self._timer = QTimer(self, singleShot=True, interval=200)
        self._timer.timeout.connect(self.run_search)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.table.selectionModel().selectionChanged.connect(self._show_entry)
        self.install_button.clicked.connect(self.choose_bundle)
        self.rollback_button.clicked.connect(self.rollback)
        self.busy.cancel_clicked.connect(self.jobs.cancel)
        self.jobs.progress.connect(self.busy.update_progress)
        self.jobs.failed.connect(self._failed)
        self.jobs.idle.connect(self.busy.stop)
        self.jobs.finished.connect(self._job_done)

    def load(self) -> None:
        """Open the KB in a worker (first time the screen is shown)."""
        if self.kb is not None or self.jobs.busy:
            return
        self.busy.start("Opening the knowledge base…")
        self.jobs.start(open_kb, "open kb")

    def _job_done(self, result: Any) -> None:
        kind, value = result if isinstance(result, tuple) else ("kb", result)
        if kind == "kb":
            self.kb = value
            self.about.setHtml(about_html(value))
            self.run_search()
        else:
            self.banner.show_message(value, "ok")
            self.kb = None
            self.load()

    def run_search(self) -> None:
        if self.kb is None:
            return
        term = self.search.text().strip()
        if term:
            found = self.kb.search(term, limit=1_000_000)
            self.entries, total = found[:SHOWN_MAX], len(found)
        else:
            self.entries = self.kb.entries()
            total = len(self.entries)
        self.model.set_rows(self.entries)
        self.count.setText(count_text(len(self.entries), total, term))
        if self.entries:
            self.table.selectRow(0)
            self._show_entry()
        else:
            self.detail.setHtml(
                "<p>No entry matches. Try a gene symbol (EGFR), a generic drug "
                "name (osimertinib) or an OncoTree code (LUAD).</p>"
            )

    def _show_entry(self, *_args: object) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.detail.setHtml(entry_html(self.proxy.data(rows[0], ROW_ROLE)))

    # --- updates -------------------------------------------------------------
    def choose_bundle(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self,
            "Install a signed knowledge-base update",
            "",
            "KB update bundles (*.zip *.obkb);;All files (*)",
        )
        if name:
            self.install(Path(name))

    def install(self, bundle: Path) -> None:
        def job(*, progress, cancelled):  # noqa: ANN001, ANN202
            from oncoboard.core.api import install_kb_update

            info = install_kb_update(session.context(), bundle, progress=progress)
            return (
                "message",
                f"Installed knowledge base {info.version}. Analyses started from now on use it.",
            )

        self.busy.start("Installing the update…")
        self.jobs.start(job, "install kb")

    def rollback(self) -> None:
        answer = QMessageBox.question(
            self,
            "Roll back the knowledge base",
            "Switch back to the previously installed knowledge base?",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return

        def job(*, progress, cancelled):  # noqa: ANN001, ANN202
            from oncoboard.core.api import rollback_kb

            old, new = rollback_kb(session.context())
            return (
                "message",
                f"Rolled back from {old} to {new}. Analyses started from now on use it.",
            )

        self.jobs.start(job, "rollback kb")

    def _failed(self, exc: object) -> None:
        assert isinstance(exc, BaseException)
        if is_expected(exc):
            self.banner.show_message(user_message(exc), "error")
        else:
            report_unexpected(exc, "knowledge base")
