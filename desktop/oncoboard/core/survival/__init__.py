"""Survival models for ranking therapy options (GitHub issue 6).

Submodules, each imported on demand so that ``oncoboard match`` starts fast
(lifelines, scikit-survival, pandas and matplotlib are imported lazily inside
the functions that need them):

``build``
    Fit trial-derived curves at knowledge-base build time.
``predict``
    Per-case figures in the trial population, with population-fit warnings.
``caveats``
    The cross-trial caveat (the ranking policy lives in ``core/matching/ranking.py``).
``plots``
    Figures for the GUI (the report draws its own with reportlab).
``cohort``
    Institutional cohort models (Cox PH, random survival forest).
"""
