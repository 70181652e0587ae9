"""Clinical trials open at this site, matched offline (issue 18).

A snapshot of the site's trials — ClinicalTrials.gov API v2 study JSON exported
on a connected machine, or a site file of local studies — is imported into a
trial store kept apart from the case database (``store.py``).  Each study's
conditions are mapped to OncoTree codes (``conditions.py``) and its biomarker,
prior-therapy and performance-status criteria are read from the title,
keywords, conditions and eligibility text by a small rule-based extractor
(``extract.py``); every criterion keeps its source sentence and is ``auto``
until the trial office confirms it.  ``match.py`` sets a case's facts against
the criteria.  Nothing here opens a network connection.
"""
