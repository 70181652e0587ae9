"""The offline knowledge base: curated entries, open-source imports, build and updates."""
