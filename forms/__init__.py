"""WTForms classes, one module per feature. Field validators check shape only; business rules come from
``registry.rules`` (never re-implemented here). Only the web edge (``registry/*/views.py``) imports forms."""
