"""The tumor-board report (PDF), built with reportlab platypus; no Qt.

``render_case_report`` writes one case, ``render_board_pack`` an agenda and one
section per case.  reportlab loads only when a report is built; the report
never imports matplotlib (its plots are reportlab graphics).
"""

from oncoboard.core.report.model import PAGE_SIZES, ReportInput, ReportOptions


def render_case_report(item: ReportInput, options: ReportOptions) -> bytes:
    from oncoboard.core.report.document import render_case_report as render
    from oncoboard.core.report.glyphs import check_case_text

    check_case_text(item.case, deidentified=options.deidentified)  # never a wrong glyph
    return render(item, options)


def render_board_pack(items: list[ReportInput], options: ReportOptions) -> bytes:
    from oncoboard.core.report.document import render_board_pack as render
    from oncoboard.core.report.glyphs import check_case_text

    for item in items:
        check_case_text(item.case, deidentified=options.deidentified)
    return render(items, options)


__all__ = [
    "PAGE_SIZES",
    "ReportInput",
    "ReportOptions",
    "render_board_pack",
    "render_case_report",
]
