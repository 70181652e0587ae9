"""HER2 status from IHC and dual-probe ISH.

Breast: ASCO/CAP 2018 focused update (Wolff et al., J Clin Oncol 2018;36:2105-2122,
PMID 29846122), affirmed by the 2023 update (PMID 37284804), which also states
the IHC 0 versus 1+ distinction now matters (HER2-low: IHC 1+ or IHC 2+ with ISH
not amplified; DESTINY-Breast04).  HER2-ultralow (IHC 0 with faint, incomplete
membrane staining in <=10% of tumor cells) follows the DESTINY-Breast06 entry
criteria; the 2023 update calls such categories premature, so the rule string
says where the category comes from.

Dual-probe ISH groups (2018 update):

====== ==================== ====================== ==========================
group  HER2/CEP17 ratio     mean HER2 copies/cell  result
====== ==================== ====================== ==========================
1      >= 2.0               >= 4.0                 positive
2      >= 2.0               < 4.0                  positive only with IHC 3+
3      < 2.0                >= 6.0                 positive with IHC 2+ or 3+
4      < 2.0                >= 4.0 and < 6.0       positive only with IHC 3+
5      < 2.0                < 4.0                  negative
====== ==================== ====================== ==========================

Gastric / gastroesophageal junction adenocarcinoma: CAP/ASCP/ASCO guideline
(Bartley et al., J Clin Oncol 2017;35:446-464; Arch Pathol Lab Med 2016;140:1345,
PMID 27841667): IHC 3+ positive, 2+ equivocal (ISH needed), 0/1+ negative; ISH
positive at HER2/CEP17 ratio >= 2.0.  HER2-low categories are not defined there.
"""

from __future__ import annotations

from oncoboard.core.case.model import Her2
from oncoboard.core.profiles.model import Her2Assessment, ProfileFlag

BREAST = "ASCO/CAP 2018 (Wolff et al., J Clin Oncol 2018, PMID 29846122; affirmed 2023, PMID 37284804)"
GASTRIC = "CAP/ASCP/ASCO 2016 gastroesophageal (Bartley et al., J Clin Oncol 2017;35:446; PMID 27841667)"
DB06 = "HER2-ultralow as defined by DESTINY-Breast06 entry criteria (IHC 0 with faint, incomplete staining in <=10% of cells)"

# OncoTree 2025_10_03 codes of gastric / GEJ / esophageal adenocarcinoma (main type
# "Esophagogastric Cancer", adenocarcinoma branches only).
GASTROESOPHAGEAL_CODES = frozenset({
    "EGC", "STAD", "PSTAD", "MSTAD", "DSTAD", "ISTAD", "TSTAD", "GRC", "ESCA", "USTAD",
    "SSRCC", "SPDAC", "GEJ",
})  # fmt: skip


def ish_group(ratio: float | None, copies: float | None) -> int | None:
    """ASCO/CAP 2018 dual-probe ISH group 1-5, or None when ratio or copies is missing."""
    if ratio is None or copies is None:
        return None
    if ratio >= 2.0:
        return 1 if copies >= 4.0 else 2
    if copies >= 6.0:
        return 3
    if copies >= 4.0:
        return 4
    return 5


def assess_her2(
    her2: Her2 | None, oncotree_code: str | None, is_gastric: bool = False
) -> Her2Assessment | None:
    """Derive HER2 status with the guideline rule that decided it.

    Parameters
    ----------
    her2
        The case's ``biomarkers.her2`` (IHC score, IHC-0 staining, ISH).
    oncotree_code
        Tumor type; gastric/GEJ adenocarcinoma codes use the gastric guideline.
    is_gastric
        Force the gastroesophageal guideline.

    Returns
    -------
    Her2Assessment or None
        ``None`` when there is no HER2 result at all.  ``status`` is ``None``
        when the result is indeterminate (e.g. IHC 2+ without ISH, which also
        raises ``her2_ish_required``).
    """
    if her2 is None or (her2.ihc is None and her2.ish is None):
        return None
    if is_gastric or (oncotree_code or "").upper() in GASTROESOPHAGEAL_CODES:
        return _gastric(her2)
    return _breast(her2)


def _ish_values(her2: Her2) -> tuple[float | None, float | None]:
    if her2.ish is None:
        return None, None
    return her2.ish.ratio, her2.ish.her2_copies


def _result(status: str | None, her2: Her2, group: int | None, rule: str, guideline: str = BREAST,
            flags: tuple[ProfileFlag, ...] = ()) -> Her2Assessment:  # fmt: skip
    return Her2Assessment(status, her2.ihc, group, rule, guideline, flags)


def _negative_by_ihc(her2: Her2, group: int | None, why: str) -> Her2Assessment:
    """HER2-negative: split into low / ultralow / null by the IHC score."""
    if her2.ihc in ("1+", "2+"):
        return _result("HER2-low", her2, group, f"{why}; HER2-low = IHC {her2.ihc} without "
                       "amplification (2023 update, DESTINY-Breast04 definition)")  # fmt: skip
    if her2.ihc == "0":
        if her2.ihc0_staining == "faint_incomplete_le10pct":
            return _result("HER2-ultralow", her2, group, f"{why}; IHC 0 with faint, incomplete staining "
                           f"in <=10% of cells: {DB06}")  # fmt: skip
        if her2.ihc0_staining == "absent":
            return _result(
                "HER2-null", her2, group, f"{why}; IHC 0 with no membrane staining"
            )
        flag = ProfileFlag("her2_ihc0_staining_unknown", "HER2 IHC 0: record whether there is faint, "
                           "incomplete staining in <=10% of cells (ultralow) or none (null)")  # fmt: skip
        return _result(None, her2, group, f"{why}; IHC 0 but staining pattern not given, so ultralow "
                       "and null cannot be told apart", flags=(flag,))  # fmt: skip
    flag = ProfileFlag("her2_ihc_required", "HER2 is ISH-negative but no IHC score is given; "
                       "IHC is needed to tell HER2-low, -ultralow and -null apart")  # fmt: skip
    return _result(
        None,
        her2,
        group,
        f"{why}; no IHC score to classify the negative result",
        flags=(flag,),
    )


def _breast(her2: Her2) -> Her2Assessment:  # noqa: C901
    ratio, copies = _ish_values(her2)
    group = ish_group(ratio, copies)
    ihc = her2.ihc
    if ihc == "3+":
        return _result("HER2-positive", her2, group, "IHC 3+ (complete, intense membrane staining in "
                       ">10% of cells) is HER2-positive")  # fmt: skip
    if her2.ish is not None and group is None:
        if ihc == "2+":
            flag = ProfileFlag("her2_ish_required", "HER2 IHC 2+: the ISH result needs both the "
                               "HER2/CEP17 ratio and the mean HER2 copy number")  # fmt: skip
            return _result(None, her2, None, "IHC 2+ with an incomplete dual-probe ISH result "
                           "(ratio and HER2 copies are both required)", flags=(flag,))  # fmt: skip
        if ihc in ("0", "1+"):
            return _negative_by_ihc(her2, None, f"IHC {ihc} is HER2-negative")
        return _result(None, her2, None, "incomplete dual-probe ISH result (ratio and HER2 copies are "
                       "both required) and no IHC")  # fmt: skip
    if group == 1:
        return _result("HER2-positive", her2, 1, f"ISH group 1 (ratio {ratio} >= 2.0, HER2 copies "
                       f"{copies} >= 4.0) is HER2-positive")  # fmt: skip
    if group == 5:
        return _negative_by_ihc(her2, 5, f"ISH group 5 (ratio {ratio} < 2.0, HER2 copies {copies} < 4.0) "
                                "is HER2-negative")  # fmt: skip
    if group in (2, 3, 4):
        return _groups_2_to_4(her2, group, ratio, copies)
    # IHC only
    if ihc == "2+":
        flag = ProfileFlag("her2_ish_required", "HER2 IHC 2+ is equivocal: order reflex ISH "
                           "on the same specimen")  # fmt: skip
        return _result(
            None,
            her2,
            None,
            "IHC 2+ is equivocal; reflex ISH is required",
            flags=(flag,),
        )
    return _negative_by_ihc(her2, None, f"IHC {ihc} is HER2-negative")


def _groups_2_to_4(
    her2: Her2, group: int, ratio: float | None, copies: float | None
) -> Her2Assessment:
    pattern = {2: f"ratio {ratio} >= 2.0 with HER2 copies {copies} < 4.0",
               3: f"ratio {ratio} < 2.0 with HER2 copies {copies} >= 6.0",
               4: f"ratio {ratio} < 2.0 with HER2 copies {copies} >= 4.0 and < 6.0"}[group]  # fmt: skip
    head = f"ISH group {group} ({pattern})"
    if her2.ihc is None:
        flag = ProfileFlag("her2_ihc_required", f"HER2 {head}: concomitant IHC review is required "
                           "to decide HER2 status")  # fmt: skip
        return _result(
            None,
            her2,
            group,
            f"{head} needs concomitant IHC; none given",
            flags=(flag,),
        )
    if group == 3 and her2.ihc == "2+":
        return _result("HER2-positive", her2, 3, f"{head} with concomitant IHC 2+ is HER2-positive "
                       "(after recount by a second reviewer)")  # fmt: skip
    return _negative_by_ihc(
        her2,
        group,
        f"{head} with concomitant IHC {her2.ihc} is HER2-negative"
        + (" (after recount by a second reviewer)" if her2.ihc == "2+" else ""),
    )


def _gastric(her2: Her2) -> Her2Assessment:
    ratio, _ = _ish_values(her2)
    if her2.ihc == "3+":
        return _result(
            "HER2-positive",
            her2,
            None,
            "gastroesophageal: IHC 3+ is HER2-positive",
            GASTRIC,
        )
    if ratio is not None and her2.ihc in ("2+", None):
        if ratio >= 2.0:
            return _result("HER2-positive", her2, None, f"gastroesophageal: ISH HER2/CEP17 ratio {ratio} "
                           ">= 2.0 is HER2-positive", GASTRIC)  # fmt: skip
        return _result("HER2-negative", her2, None, f"gastroesophageal: ISH HER2/CEP17 ratio {ratio} "
                       "< 2.0 is HER2-negative", GASTRIC)  # fmt: skip
    if her2.ihc == "2+":
        flag = ProfileFlag("her2_ish_required", "HER2 IHC 2+ (gastroesophageal) is equivocal: "
                           "order ISH")  # fmt: skip
        return _result(None, her2, None, "gastroesophageal: IHC 2+ is equivocal; ISH is required",
                       GASTRIC, (flag,))  # fmt: skip
    if her2.ihc in ("0", "1+"):
        return _result("HER2-negative", her2, None, f"gastroesophageal: IHC {her2.ihc} is HER2-negative",
                       GASTRIC)  # fmt: skip
    return _result(None, her2, None, "gastroesophageal: ISH without a HER2/CEP17 ratio cannot be "
                   "interpreted", GASTRIC)  # fmt: skip
