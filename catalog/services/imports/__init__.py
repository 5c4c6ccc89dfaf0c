"""Spreadsheet import of listings (.xlsx or .csv): the template and reading a file into rows
(`files`), checking every row and writing creates and updates in one transaction (`rows`), and
large files queued for the jobs loop with progress (`jobs`).

A file with errors writes nothing unless the uploader chose "import the good rows"; the same
file imported again updates (the key is the SKU per supplier), never duplicates. Updates of a
listing on sale follow the review rules of catalog.services.listing_changes. Only an approved supplier
(or the cooperative) may have a file read at all (`parse_upload`). The API runs files at once.
"""

from catalog.services.imports.files import check_xlsx_archive, read_rows, template_xlsx
from catalog.services.imports.jobs import IMMEDIATE_ROWS, get_job, import_upload, queue_import, run_queued_imports
from catalog.services.imports.rows import ImportResult, importer_supplier_id, parse_upload, run_import

__all__ = [
    "IMMEDIATE_ROWS",
    "ImportResult",
    "check_xlsx_archive",
    "get_job",
    "import_upload",
    "importer_supplier_id",
    "parse_upload",
    "queue_import",
    "read_rows",
    "run_import",
    "run_queued_imports",
    "template_xlsx",
]
