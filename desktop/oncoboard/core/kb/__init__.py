"""The offline knowledge base: curated entries, open imports, build, updates."""
