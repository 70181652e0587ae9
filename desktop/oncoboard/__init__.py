"""OncoBoard: offline molecular tumor board assistant."""

__version__ = "0.1.0"
