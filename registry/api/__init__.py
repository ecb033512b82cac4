"""JSON endpoints (the same engine and operations as the pages)."""
