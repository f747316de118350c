"""Ingestion: read corpus files → chunk → embed → store in Chroma (incremental, crash-safe)."""
