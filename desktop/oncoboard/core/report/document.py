"""Assemble case reports and board packs into PDF bytes (reportlab platypus)."""

from __future__ import annotations

import datetime as dt
import io
import logging
from collections.abc import Sequence
from typing import Any

from oncoboard import __version__
from oncoboard.core.report import sections, summary
from oncoboard.core.report.fonts import SANS, SANS_BOLD, register_fonts
from oncoboard.core.report.model import ReportInput, ReportOptions
from oncoboard.core.report.refs import References
from oncoboard.core.report.styles import ACCENT, DEID_RED, MUTED, esc, fmt_date, styles
from oncoboard.core.report.trials_section import trials_section

log = logging.getLogger(__name__)
MARGIN = 42.0  # points (~15 mm)


def _page_size(options: ReportOptions) -> tuple[float, float]:
    from reportlab.lib.pagesizes import A4, letter

    return A4 if options.page_size == "A4" else letter


def _case_flowables(
    item: ReportInput, options: ReportOptions, width: float, caveat: str
) -> list[Any]:
    from reportlab.platypus import Paragraph, Spacer

    st = styles()
    refs = References()
    case = item.case
    out: list[Any] = [
        _Bookmark(
            f"case-{case.case_id}", f"{case.case_id} — {case.tumor.oncotree_code}"
        ),
        Paragraph(esc(f"Molecular tumor board report — {case.case_id}"), st.title),
        Paragraph(
            esc(
                " · ".join(
                    p
                    for p in (
                        options.institution or "Institution not configured",
                        f"board date {fmt_date(options.board_date)}",
                        f"prepared by {options.prepared_by or 'not set'}",
                    )
                )
            ),
            st.muted,
        ),
        Paragraph(
            esc(f"Knowledge base {item.match.kb.version} · OncoBoard {__version__}"),
            st.muted,
        ),
    ]
    if options.deidentified:
        out.append(
            Paragraph("DE-IDENTIFIED: no pseudonym; age shown as a band.", st.mark)
        )
    if item.synthetic:
        out.append(
            Paragraph(
                "SYNTHETIC CASE: invented for demonstration; not a real patient.",
                st.mark,
            )
        )
    out.append(Spacer(1, 2))
    out += summary.summary_section(item, refs, width, options.deidentified)
    out += summary.alteration_view_section(item, width)
    out += sections.ctdna_section(item, width)
    out += sections.patient_section(item, options, width)
    out += sections.samples_section(item, width)
    out += sections.her2_section(item, width)
    out += sections.options_section(item, refs, width, caveat)
    out += sections.not_recommended_section(item, refs, width)
    out += sections.resistance_section(item, refs, width)
    out += trials_section(item, width)
    out += _appendix(case.case_id)
    out += sections.evidence_section(item, refs)
    out += sections.references_section(refs)
    out += sections.methods_section(item, width)
    return _headings_split_tables(out)


def _headings_split_tables(flowables: list[Any]) -> list[Any]:
    """A heading over a table: a conditional page break instead of keep-with-next.

    Keep-with-next wraps the heading and the whole table in one KeepTogether,
    which moves a long table to the next page and leaves the rest of the page
    blank; the table may split (its header repeats), so it only needs room for the
    heading and its first rows.
    """
    from reportlab.platypus import CondPageBreak, Table

    out: list[Any] = []
    for i, f in enumerate(flowables):
        nxt = flowables[i + 1] if i + 1 < len(flowables) else None
        if getattr(f, "keepWithNext", 0) and isinstance(nxt, Table):
            f.keepWithNext = 0
            out.append(CondPageBreak(110))
        out.append(f)
    return out


APPENDIX_TITLE = "Appendix: evidence, references and methods"


def _appendix(case_id: str) -> list[Any]:
    """A page break and the appendix heading (full evidence, references, methods)."""
    from reportlab.platypus import PageBreak, Paragraph

    return [
        PageBreak(),
        _Bookmark(f"appendix-{case_id}", f"{case_id} — appendix", level=1),
        Paragraph(esc(APPENDIX_TITLE), styles().title),
    ]


def _cross_trial_caveat() -> str:
    from oncoboard.core.survival.caveats import CROSS_TRIAL_CAVEAT

    return str(CROSS_TRIAL_CAVEAT)


class _Bookmark:
    """A zero-size flowable that adds a PDF bookmark (outline entry) where it sits."""

    def __new__(
        cls, key: str, title: str, level: int = 0
    ) -> Any:  # build lazily: reportlab imports on use
        from reportlab.platypus import Flowable

        class Bookmark(Flowable):  # type: ignore[misc]
            def wrap(self, *_: float) -> tuple[float, float]:
                return 0, 0

            def draw(self) -> None:
                self.canv.bookmarkPage(key)
                self.canv.addOutlineEntry(title, key, level=level)
                if level == 0:
                    self.canv._oncoboard_section = title  # read by the page header

        return Bookmark()


def _numbered_canvas_class(options: ReportOptions, marks: str) -> type:
    """A canvas that knows the page count: pages are kept and drawn at save time."""
    from reportlab.pdfgen.canvas import Canvas

    page_w, page_h = _page_size(options)

    class NumberedCanvas(Canvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._saved_pages: list[dict[str, Any]] = []
            self._oncoboard_section = ""

        def showPage(self) -> None:  # noqa: N802 - reportlab API
            self._saved_pages.append(
                {**self.__dict__, "_section_now": self._oncoboard_section}
            )
            self._startPage()

        def save(self) -> None:
            total = len(self._saved_pages)
            for state in self._saved_pages:
                section = state.pop("_section_now")
                self.__dict__.update(state)
                self._decorate(total, section)
                super().showPage()
            super().save()

        def _decorate(self, total: int, section: str) -> None:
            from reportlab.lib import colors

            self.saveState()
            self.setFont(SANS, 7.5)
            self.setFillColor(colors.HexColor(MUTED))
            self.drawString(
                MARGIN,
                page_h - MARGIN + 14,
                f"OncoBoard · {options.institution or 'tumor board'}",
            )
            self.drawRightString(page_w - MARGIN, page_h - MARGIN + 14, section)
            self.drawString(
                MARGIN,
                MARGIN - 20,
                "Decision support only — verify with the treating team.",
            )
            self.drawRightString(
                page_w - MARGIN, MARGIN - 20, f"Page {self._pageNumber} of {total}"
            )
            if marks:
                self.setFont(SANS_BOLD, 7.5)
                self.setFillColor(colors.HexColor(DEID_RED))
                self.drawCentredString(page_w / 2, MARGIN - 10, marks)
            self.setStrokeColor(colors.HexColor(ACCENT))
            self.setLineWidth(0.4)
            self.line(
                MARGIN, page_h - MARGIN + 10, page_w - MARGIN, page_h - MARGIN + 10
            )
            self.restoreState()

    return NumberedCanvas


def _draw_logo(canv: Any, doc: Any, options: ReportOptions) -> None:
    if options.logo_path is None:
        return
    page_w, page_h = _page_size(options)
    try:
        canv.drawImage(
            str(options.logo_path),
            page_w - MARGIN - 90,
            page_h - MARGIN - 28,
            width=90,
            height=28,
            preserveAspectRatio=True,
            anchor="ne",
            mask="auto",
        )
    except Exception as exc:  # a broken logo must not stop the report
        log.warning("report logo %s could not be drawn: %s", options.logo_path, exc)


def _build(
    flowables: list[Any], options: ReportOptions, title: str, subject: str, marks: str
) -> bytes:
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

    register_fonts()
    page_w, page_h = _page_size(options)
    buffer = io.BytesIO()
    fixed = options.creation_date
    doc = BaseDocTemplate(
        buffer,
        pagesize=(page_w, page_h),
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + 6,
        bottomMargin=MARGIN,
        title=title,
        author="OncoBoard",
        subject=subject,
        creator=f"OncoBoard {__version__}",
        producer=f"OncoBoard {__version__}",
        keywords="tumor board, decision support",
        invariant=1 if fixed else 0,
        initialFontName=SANS,
    )
    frame = Frame(
        MARGIN, MARGIN, page_w - 2 * MARGIN, page_h - 2 * MARGIN - 6, id="body"
    )
    doc.addPageTemplates(
        [
            PageTemplate(
                id="page",
                frames=[frame],
                onPage=lambda c, d: (
                    _draw_logo(c, d, options) if c.getPageNumber() == 1 else None
                ),
            )
        ]
    )
    canvas_class = _numbered_canvas_class(options, marks)

    def canvasmaker(*args: Any, **kwargs: Any) -> Any:
        canv = canvas_class(*args, **kwargs)
        if fixed is not None:
            stamp = fixed.astimezone(dt.UTC) if fixed.tzinfo else fixed
            canv.setDateFormatter(lambda *_: stamp.strftime("D:%Y%m%d%H%M%S+00'00'"))
        return canv

    doc.build(flowables, canvasmaker=canvasmaker)
    return buffer.getvalue()


def _marks(items: Sequence[ReportInput], options: ReportOptions) -> str:
    marks = []
    if options.deidentified:
        marks.append("DE-IDENTIFIED")
    if any(i.synthetic for i in items):
        marks.append("SYNTHETIC DATA")
    return " · ".join(marks)


def render_case_report(item: ReportInput, options: ReportOptions) -> bytes:
    """One case's board report as PDF bytes (same inputs + fixed creation date → same bytes)."""
    register_fonts()
    width = _page_size(options)[0] - 2 * MARGIN
    flowables = _case_flowables(item, options, width, _cross_trial_caveat())
    return _build(
        flowables,
        options,
        title=f"Tumor board report {item.case.case_id}",
        subject="Molecular tumor board report",
        marks=_marks([item], options),
    )


def _agenda(
    items: Sequence[ReportInput], options: ReportOptions, width: float
) -> list[Any]:
    from reportlab.platypus import PageBreak, Paragraph

    from oncoboard.core.report.tables import data_table

    st = styles()
    rows = []
    for n, item in enumerate(items, 1):
        top = item.match.options[0] if item.match.options else None
        top_text = (
            f"{' + '.join(top.drugs)} ({top.amp_tier})"
            if top
            else "no actionable finding"
        )
        rows.append(
            [
                esc(n),
                esc(item.case.case_id),
                esc(item.oncotree_name or item.case.tumor.oncotree_code),
                esc(top_text),
                esc(len(item.match.flags)),
            ]
        )
    out: list[Any] = [
        _Bookmark("agenda", "Agenda"),
        Paragraph(esc(f"Tumor board — {fmt_date(options.board_date)}"), st.title),
        Paragraph(
            esc(
                f"{options.institution or 'Institution not configured'} · "
                f"{len(items)} case(s) · prepared by {options.prepared_by or 'not set'}"
            ),
            st.muted,
        ),
    ]
    if options.deidentified:
        out.append(
            Paragraph(
                "DE-IDENTIFIED BOARD PACK: no pseudonyms; ages shown as bands.", st.mark
            )
        )
    if any(i.synthetic for i in items):
        out.append(
            Paragraph(
                "CONTAINS SYNTHETIC CASES: invented for demonstration; not real patients.",
                st.mark,
            )
        )
    out += [
        data_table(
            ["#", "Case", "Tumor", "Top option (tier)", "Flags"],
            rows,
            [0.5, 2.2, 3.5, 4.2, 0.8],
            width,
        ),
        PageBreak(),
    ]
    return out


def render_board_pack(items: Sequence[ReportInput], options: ReportOptions) -> bytes:
    """An agenda page, then one section per case, with PDF bookmarks."""
    from reportlab.platypus import PageBreak

    register_fonts()
    width = _page_size(options)[0] - 2 * MARGIN
    caveat = _cross_trial_caveat()
    flowables = _agenda(items, options, width)
    for n, item in enumerate(items):
        if n:
            flowables.append(PageBreak())
        flowables += _case_flowables(item, options, width, caveat)
    return _build(
        flowables,
        options,
        title=f"Tumor board pack {fmt_date(options.board_date)}",
        subject=f"Board pack, {len(items)} cases",
        marks=_marks(items, options),
    )
