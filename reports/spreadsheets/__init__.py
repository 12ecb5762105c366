"""Spreadsheets in and out: the official-layout workbook of one filing and the flat period sheet.

* `safety` — what an uploaded file must be before any parser sees it (type, size, zip bomb,
  formulas) and the neutraliser that keeps exported text from running as a formula;
* `layout` — where every label and value sits in the official-layout workbook (one place, so
  writing and reading cannot disagree);
* `workbook` — writes that workbook (blank or pre-filled);
* `workbook_import` — reads it back into a preview (every change, every problem) and applies it
  all or nothing;
* `flat` — the period sheet: one row per filing, one column per cell code;
* `period_import` — the period sheet imported as a stream, batch by batch (the command line);
* `versions` — what a preview saw, held until its confirmation (no lost update).

Imports go through `reports.services` / `reports.websites`, so they never touch a filing's
status or signatures and are refused for a locked filing.
"""

from reports.spreadsheets.safety import SpreadsheetError

__all__ = ["SpreadsheetError"]
