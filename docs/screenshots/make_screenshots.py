"""Take screenshots of every OncoBoard screen and dialog, as real windows.

Run under Xvfb at the smallest supported size:

    xvfb-run -s "-screen 0 1366x768x24" .venv/bin/python docs/screenshots/make_screenshots.py

It uses a throw-away data folder seeded with the spec example cases, so no
real profile is touched.  The knowledge base is the one the app would use
(``ONCOBOARD_KB`` to pick another).  PNGs are written beside this script.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
EXAMPLES = REPO.parent / "shared" / "spec" / "examples"
SIZE = (1366, 768)
RELAPSED = REPO / "assets" / "demo" / "demo-01-luad-egfr-t790m.json"


def main() -> int:
    home = Path(tempfile.mkdtemp(prefix="oncoboard-shots-"))
    os.environ["ONCOBOARD_HOME"] = str(home)
    os.environ.setdefault("ONCOBOARD_SYSTEM_CONFIG", str(home / "none.toml"))
    sys.path.insert(0, str(REPO / "desktop"))
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QWidget

    from oncoboard.gui.app import make_app

    app = make_app([])
    try:
        return Shooter(app, QWidget, QTimer).run()
    finally:
        shutil.rmtree(home, ignore_errors=True)


class Shooter:
    def __init__(self, app, widget_cls, timer_cls) -> None:  # noqa: ANN001
        self.app, self.timer_cls = app, timer_cls
        self.taken: list[Path] = []

    def settle(self, ms: int = 300) -> None:
        from PySide6.QtCore import QEventLoop, QTimer

        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def wait(self, condition: Callable[[], bool], timeout_s: float = 90) -> None:
        import time

        end = time.monotonic() + timeout_s
        while not condition():
            if time.monotonic() > end:
                raise TimeoutError("screen did not become ready")
            self.settle(100)

    def shoot(self, widget, name: str) -> None:  # noqa: ANN001
        self.settle()
        path = HERE / f"{name}.png"
        widget.grab().save(str(path))
        self.taken.append(path)
        print("wrote", path.relative_to(REPO))

    def shoot_screen(self, name: str) -> None:
        """The whole (virtual) screen: popups such as completers are separate windows."""
        self.settle()
        path = HERE / f"{name}.png"
        self.app.primaryScreen().grabWindow(0).save(str(path))
        self.taken.append(path)
        print("wrote", path.relative_to(REPO))

    def seed(self, service) -> None:  # noqa: ANN001
        from oncoboard.core.case import load_case

        statuses = {
            "luad-egfr-exon19-tissue.json": "ready",
            "crc-plasma-serial.json": "ready",
            "breast-her2-low-after-chemo.json": "draft",
            "luad-panel-from-maf.json": "discussed",
        }
        for name, status in statuses.items():
            case = load_case(EXAMPLES / name)
            if (
                name == "luad-panel-from-maf.json"
            ):  # variant files need the case file's folder
                case = case.model_copy(
                    update={
                        "samples": [
                            s.model_copy(update={"variant_files": []})
                            for s in case.samples
                        ]
                    }
                )
            service.create(case, status)
        # A relapsed case: EGFR exon 19 deletion + T790M after erlotinib (synthetic).
        relapsed = load_case(RELAPSED).model_copy(
            update={
                "board_question": "Next line after progression on erlotinib with "
                "EGFR T790M in plasma: osimertinib, or chemotherapy first?"
            }
        )
        service.create(relapsed, "ready")

    def run(self) -> int:
        from oncoboard.gui.main_window import EDITOR, KB, REPORT, RESULTS, MainWindow

        window = MainWindow()
        window.resize(*SIZE)
        window.show()
        self.wait(lambda: not window.startup.busy)
        self.seed(window.service)
        window.cases.refresh()
        window.cases.table.selectRow(0)
        self.shoot(window, "01-case-list")
        self.editor_shots(window)
        window.open_case("EX-LUAD-001")
        window.tabs.setCurrentIndex(RESULTS)
        self.analyse(window)
        self.shoot(window, "07-results")
        window.results.views.setCurrentIndex(3)
        self.wait(lambda: not window.results.plot_jobs.busy)
        self.shoot(window, "08-results-survival")
        self.relapsed_shots(window)
        window.open_case("EX-CRC-003")
        window.tabs.setCurrentIndex(RESULTS)
        self.analyse(window)
        window.results.views.setCurrentIndex(0)
        window.results.lower_tabs.setCurrentIndex(0)
        self.shoot(window, "09-results-flags")
        window.results.views.setCurrentIndex(4)
        self.shoot(window, "09a-results-ctdna-trends")
        window.tabs.setCurrentIndex(REPORT)
        if window.report.preview_button.isEnabled():
            window.report.render_preview()
            self.wait(lambda: not window.report.jobs.busy, 180)
            if window.report.pdf is None:
                print(
                    "warning: the report could not be rendered (see the log)",
                    file=sys.stderr,
                )
        self.shoot(window, "10-report")
        window.tabs.setCurrentIndex(KB)
        self.wait(lambda: window.kb.kb is not None or not window.kb.jobs.busy)
        window.kb.search.setText("EGFR")  # more matches than shown: "Showing 200 of …"
        self.settle(500)
        self.shoot(window, "11-knowledge-base")
        self.ownership_and_import_shots(window)
        self.dialog_shots(window)
        self.recovery_shot(window)
        window.tabs.setCurrentIndex(EDITOR)
        window.close()
        return 0

    def relapsed_shots(self, window) -> None:  # noqa: ANN001
        """Issues 14/16: a relapsed case's options with their conditions in the rows,
        what is not recommended and why, every alteration with its category, the
        plasma-only ctDNA trend with the tissue result apart, and the editor's
        board question, tested scope and unknown-OncoTree refusal."""
        from oncoboard.gui.main_window import EDITOR, RESULTS

        window.open_case("DEMO-LUAD-01")
        editor = window.editor
        self.shoot(window, "02a-editor-board-question")
        editor.tabs.setCurrentWidget(editor.samples)
        editor.samples.samples.selectRow(1)
        editor.samples.scope.genes.setText(
            "EGFR, ALK, ROS1, BRAF, MET, RET, ERBB2, TP53"
        )
        editor.samples.scope.exons.setText("KRAS 2-4; NRAS 2-4")
        self.shoot(window, "05b-editor-tested-scope")
        editor.tabs.setCurrentWidget(editor.page_patient)
        editor.patient.oncotree.set_code("LAUD")
        editor.save()
        self.shoot(window, "03a-editor-unknown-oncotree")
        editor.patient.oncotree.set_code("LUAD")
        editor.save()
        window.tabs.setCurrentIndex(RESULTS)
        self.analyse(window)
        results = window.results
        results.views.setCurrentIndex(0)
        results.table.selectRow(2)  # a conditional option, its detail beside it
        self.shoot(window, "07b-results-relapsed-conditions")
        results.views.setCurrentIndex(1)
        self.shoot(window, "07c-results-not-recommended")
        results.views.setCurrentIndex(2)
        self.shoot(window, "07d-results-alterations")
        results.views.setCurrentIndex(4)
        self.shoot(window, "09b-results-ctdna-tissue-apart")
        results.views.setCurrentIndex(0)
        window.tabs.setCurrentIndex(EDITOR)

    def ownership_and_import_shots(self, window) -> None:  # noqa: ANN001
        """Issue 16: a case not analysed yet shows nothing of another case; the
        import choice for an existing id; one tumor sample of a cohort MAF;
        rows without a protein change skipped and listed; a long error scrolls."""
        from oncoboard.gui.case_list import existing_case_box
        from oncoboard.gui.main_window import RESULTS
        from oncoboard.gui.variant_import_dialog import VariantImportDialog

        window.open_case("EX-BRCA-002")
        window.tabs.setCurrentIndex(RESULTS)
        window.results.views.setCurrentIndex(0)
        self.shoot(window, "07a-results-not-analysed")
        box, _, _ = existing_case_box(window, ["EX-LUAD-001"])
        box.show()
        self.shoot(box, "01a-import-existing-id")
        box.close()
        maftools = REPO.parent / "shared" / "data" / "examples" / "maftools"
        cohort = VariantImportDialog("T1", maftools / "tcga_laml.maf.gz", window)
        cohort.show()
        self.shoot(cohort, "06b-variant-import-cohort-maf")
        cohort.close()
        brca = VariantImportDialog("T1", maftools / "brca.maf.gz", window)
        brca.show()
        brca.read()
        self.wait(lambda: not brca.jobs.busy)
        self.shoot(brca, "06c-variant-import-skipped-rows")
        listing = brca.show_skipped()
        self.shoot(listing, "06d-skipped-rows-list")
        listing.close()
        brca.banner.show_message(
            "Analysis failed: 62 problems\n"
            + "\n".join(
                f"  - samples[0].alterations[{i}].protein: not readable"
                for i in range(62)
            ),
            "error",
        )
        self.shoot(brca, "06e-long-error-scrolls")
        brca.close()

    def recovery_shot(self, window) -> None:  # noqa: ANN001
        """The editor after restoring edits a crash left unsaved (an invalid age)."""
        import copy

        from oncoboard.core.case.io import case_to_dict
        from oncoboard.gui.draft_recovery import UnsavedEdits
        from oncoboard.gui.main_window import EDITOR

        stored = window.service.get("EX-BRCA-002")
        data = copy.deepcopy(case_to_dict(stored.case))
        data["patient"]["age"] = "fifty"
        data["tumor"]["stage"] = "IV (liver)"
        edits = UnsavedEdits(
            data, stored.case_id, stored.version, stored.status, "2026-11-22 09:14:03"
        )
        window.editor.restore(edits)
        window.tabs.setCurrentIndex(EDITOR)
        self.shoot(window, "15a-restored-edits")
        window.editor.discard_unsaved()

    def analyse(self, window) -> None:  # noqa: ANN001
        results = window.results
        results.run()
        self.wait(lambda: not results.jobs.busy)
        self.wait(lambda: not results.plot_jobs.busy)

    def editor_shots(self, window) -> None:  # noqa: ANN001
        from oncoboard.gui.alteration_dialog import AlterationDialog
        from oncoboard.gui.variant_import_dialog import VariantImportDialog

        window.open_case("EX-BRCA-002")
        editor = window.editor
        self.shoot(window, "02-editor-patient-tumor-therapies")
        editor.tabs.setCurrentWidget(editor.page_markers)
        self.shoot(window, "04-editor-her2-biomarkers")
        editor.patient.age.setText("5l")
        editor.tabs.setCurrentWidget(editor.page_patient)
        self.shoot(window, "03-editor-inline-error")
        editor.patient.age.setText("51")
        window.open_case("EX-LUAD-001")
        editor.tabs.setCurrentWidget(editor.samples)
        self.shoot(window, "05-editor-samples")
        dialog = AlterationDialog(
            {"gene": "EGFR", "kind": "mutation", "protein": "L858R"}, window
        )
        dialog.edits["vaf"].setText("170")  # VAF is typed as a percent, 0-100
        dialog.show()
        self.shoot(dialog, "05a-alteration-dialog-invalid")
        dialog.close()
        picker = editor.patient.oncotree
        editor.tabs.setCurrentWidget(editor.page_patient)
        window.activateWindow()
        picker.edit.setFocus()
        picker.edit.setText("lung ad")
        picker._search("lung ad")
        self.settle()
        self.shoot_screen("06-oncotree-picker")
        picker.completer.popup().hide()
        picker.set_code("LUAD")
        editor.save()
        vdialog = VariantImportDialog("T1", EXAMPLES / "luad-panel.maf", window)
        vdialog.show()
        vdialog.read()
        self.wait(lambda: not vdialog.jobs.busy)
        self.shoot(vdialog, "06a-variant-import")
        vdialog.close()

    def dialog_shots(self, window) -> None:  # noqa: ANN001
        from oncoboard.gui.about_dialog import AboutDialog
        from oncoboard.gui.board_pack_dialog import BoardPackDialog
        from oncoboard.gui.conflict_dialog import ConflictDialog
        from oncoboard.gui.errors import ErrorDialog
        from oncoboard.gui.settings_dialog import SettingsDialog

        about = AboutDialog(window)
        about.show()
        self.shoot(about, "12-about")
        about.tabs.setCurrentIndex(1)
        self.shoot(about, "12a-about-licences")
        about.close()
        settings = SettingsDialog(window)
        settings.show()
        self.shoot(settings, "13-settings")
        settings.close()
        pack = BoardPackDialog(window.service, window)
        pack.show()
        self.shoot(pack, "14-board-pack")
        pack.close()
        mine = '{\n  "case_id": "EX-LUAD-001",\n  "patient": {"ecog": 1}\n}'
        theirs = '{\n  "case_id": "EX-LUAD-001",\n  "patient": {"ecog": 2}\n}'
        conflict = ConflictDialog("EX-LUAD-001", mine, theirs, 5, window)
        conflict.show()
        self.shoot(conflict, "15-conflict")
        conflict.close()
        error = ErrorDialog(
            "case editor: KeyError: 'ecog'",
            "Traceback (most recent call last):\n  ...\nKeyError: 'ecog'",
            window,
        )
        error.show()
        self.shoot(error, "16-unexpected-error")
        error.close()


if __name__ == "__main__":
    raise SystemExit(main())
