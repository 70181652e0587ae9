"""Survival models for ranking therapy options (GitHub issue 6).

Submodules, each imported on demand so that ``oncoboard match`` starts fast
(lifelines, scikit-survival, pandas and matplotlib are imported lazily inside
the functions that need them):

``build``
    Fit trial-derived curves at knowledge-base build time.
``predict``
    Per-case figures in the trial population, with population-fit warnings.
``ranking``
    The ranking policy, its text and the cross-trial caveat.
``plots``
    Matplotlib figures for the GUI and the PDF report.
``cohort``
    Institutional cohort models (Cox PH, random survival forest).
"""
