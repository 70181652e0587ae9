"""The user's case database (SQLite through sqlite-utils). All SQL lives in this package."""

from oncoboard.core.db.store import CASE_STATUSES, CaseStore, CaseSummary, StoredCase

__all__ = ["CASE_STATUSES", "CaseStore", "CaseSummary", "StoredCase"]
