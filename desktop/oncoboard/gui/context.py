"""The GUI session's use-case context (``oncoboard.core.api.Context``).

One context per session: the configuration and data folder resolved once, the
KB opened once (and forgotten after an update is installed or rolled back).  A
changed configuration (another ``ONCOBOARD_HOME``, an edited config file) gives
a new context, so the screens never use a stale data folder.
"""

from __future__ import annotations

from typing import Any

from oncoboard.core.api import Context
from oncoboard.core.config import load_config

_session: Context | None = None


def context() -> Context:
    """The session's context."""
    global _session
    config = load_config()
    if _session is None or _session.config is not config:
        _session = Context.create(config=config)
    return _session


def oncotree() -> Any:
    """The OncoTree release of the session's knowledge base (raises if there is no KB)."""
    return context().kb.oncotree()


def oncotree_release() -> str:
    """The OncoTree version the KB's manifest names."""
    for source in context().kb.manifest.get("sources") or []:
        if source.get("name") == "OncoTree":
            return str(source.get("version"))
    return "not named in the knowledge base's manifest"


def gene_check(symbol: str) -> tuple[bool, str | None]:
    """(is the symbol a known HGNC symbol or alias, nearest symbol)."""
    from oncoboard.core.profiles.genes import is_known_gene, nearest_symbol

    if is_known_gene(symbol):
        return True, None
    return False, nearest_symbol(symbol)
