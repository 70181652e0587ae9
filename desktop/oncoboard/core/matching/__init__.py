"""Matching a normalised case against the knowledge base (``oncoboard.match/1``)."""
