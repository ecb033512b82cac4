"""Audit reports (issue #7): registration dossier, consent proof per number, program report — PDF and CSV.

The pieces, in the order a report flows through them:

- ``dossier`` / ``consent`` / ``program`` read the database and return a :class:`~.model.Built`: a frozen,
  plain-data context for the template (no ORM object ever reaches a template) plus the report's detail tables
  as row streams;
- ``produce`` streams each detail table once into a CSV file (hashing it as it goes), renders the summary with
  WeasyPrint through a fetcher that serves only ``templates/reports/assets``, renders medium-sized tables as
  appendix pages in parallel processes and merges them, and appends the CSVs to the PDF as embedded files
  without loading them into memory;
- ``cli`` (``registry report …``), ``views`` (``/reports``) and ``tasks`` (Huey, for big reports) are the edges.

Importing this package is cheap (the chunk workers import ``registry.reports.render`` only).
"""
