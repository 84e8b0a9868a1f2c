"""The command line's help in English, for ``--lang en`` or ``MTQG_LANG=en``: each command's text by its path
('schema check'), each option's by '<path>.<name>', options shared by every command by '*.<name>'. The Vietnamese
text is the one written beside the command; ``tests/test_cli.py`` checks that every one has its English here."""

from __future__ import annotations

_STORE = (
    "Ledger: a folder (default ./.mtqg, or MTQG_STORE) or a PostgreSQL address (postgresql+psycopg://user:pw@host/db)."
)
_PERIOD = (
    "Reporting period: 2024, 2024-06, 2024-Q2, 2024-H1, 2024-CN (update of a year's figures), 2021-2023 (evaluation), "
    "2024-03-20 (ad hoc), den-2023-11-30 (to a cut-off date) or the code of one of the form's report kinds."
)
_LEVEL = "Level: commune (communes, wards, special zones), district (before 1/7/2025), province."

HELP_EN: dict[str, str] = {
    "": (
        "mtqg — check, compile and report the figures of the National Target Programmes from the units' Excel "
        "files.\n\nExamples: mtqg validate reports/  ·  mtqg aggregate reports/ -o totals.xlsx  ·  "
        "mtqg report reports/ -o report.docx -o annex.xlsx"
    ),
    ".version": "Print mtqg's version and exit.",
    "*.help": "Show this message and exit.",
    "*.lang": "Language of the messages: vi (default) or en.",
    "*.fmt": "table: readable tables (default); json: for machines, to stdout.",
    "*.jobs": (
        "Processes reading files in parallel (0: mtqg chooses — one per CPU core when the batch is large enough to "
        "repay the start-up; 1: none)."
    ),
    "*.schema": "Form id (see `mtqg schema list`) or path of a .yaml file. Empty: recognised from the table's title.",
    "*.store": _STORE,
    "*.period": _PERIOD,
    "*.paths": "Files or folders; empty when reading from the ledger (--period).",
    "validate": (
        "Check the units' report files against the form: find the table, recognise the units, check every cell "
        "and every sum.\n\nEach problem names the file, sheet, cell, what is wrong and how to fix it. Exit codes: 0 "
        "no problems, 1 problems in the data,\n2 could not run.\n\nExamples:\n\n    mtqg validate "
        "sample_data/son-la-du-an-8\n\n    mtqg validate reports/*.xlsx --schema son-la-du-an-8 --format json > "
        "result.json\n\n    mtqg validate reports/ --annotate send-back/"
    ),
    "validate.paths": ".xlsx/.xls/.ods files or folders holding them.",
    "validate.annotate": (
        "Folder for copies of the files with problems, to send back to the units: cells in error in red (warnings "
        "in yellow) with a note on the fix, and a first sheet listing what to fix. The originals are never changed."
    ),
    "aggregate": (
        "Compile the accepted files into province totals: per unit, per indicator, against the phase targets.\n\n"
        "Files with errors are not added and are listed; units that have not reported are named. Exit code 1 when "
        "a file is rejected.\n\nExamples:\n\n    mtqg aggregate sample_data/son-la-du-an-8 -o totals.xlsx\n\n    "
        "mtqg aggregate reports/ --format json\n\n    mtqg aggregate --period 2024 --schema son-la-du-an-8     "
        "(from the ledger: cumulative figures, change since the period before)"
    ),
    "aggregate.output": "Excel workbook of the totals to write (.xlsx).",
    "aggregate.period": "Read this period's figures from the ledger (mtqg ingest): 2024, 2024-06, ...",
    "aggregate.by_former": "Add up by former district (communes formed on 1/7/2025) to compare with earlier figures.",
    "report": (
        "Write the compiled report (Word, laid out as an administrative document) and the Excel annex from the "
        "units' files.\n\nExamples:\n\n    mtqg report sample_data/son-la-du-an-8 -o report.docx -o annex.xlsx "
        "--period 2024\n\n    mtqg report reports/ -o report.docx --template my-template.docx --pdf --html "
        "preview.html\n\n    mtqg report --list-variables"
    ),
    "report.outputs": "Files to write: .docx (Word report) and/or .xlsx (Excel annex). Repeat to write both.",
    "report.period": "Reporting period (e.g. 2024); without files, this period is read from the ledger.",
    "report.config": "Settings file (default ./mtqg.toml when present), section \\[report].",
    "report.template": "Your own Word template (.docx with Jinja tags) instead of the default one.",
    "report.list_variables": "Print the variables a Word template can use, then exit.",
    "report.pdf": "Also write a PDF copy (needs LibreOffice).",
    "report.outline": "Report outline (mtqg outline list); default: the form's, or the general outline.",
    "report.by_former": "Add a table of the communes' figures added up by former district (before 01/7/2025).",
    "report.html": "Also write a self-contained HTML page (tables, charts) for a quick look.",
    "sample": (
        "Write a set of sample report files, one per unit, as units usually send them (to try things out and to "
        "test).\n\nExample:\n\n    mtqg sample try/ && mtqg validate try/"
    ),
    "sample.folder": "Folder to write the sample files into.",
    "sample.schema": "Form id.",
    "sample.period": "Reporting period written in the files.",
    "template": (
        "Write blank forms to send to the units: title, unit and period filled in, header cells locked, input "
        "cells with Excel's\ndata validation, a total row with formulas and a «Hướng dẫn» (guide) sheet.\n\n"
        "Examples:\n\n    mtqg template son-la-du-an-8 --all -o to-send/ --period 2025\n\n    "
        'mtqg template son-la-du-an-8 --unit "Mộc Châu" -o to-send/'
    ),
    "template.schema": "Form id (see `mtqg schema list`) or a .yaml file.",
    "template.output": "Folder to write the blank forms into.",
    "template.unit": "Unit name (repeat for several units).",
    "template.all_units": "Write a form for every unit of the form.",
    "template.period": "Reporting period written in the forms (default: this year).",
    "ingest": (
        "Check and record the files received: unit, period, form, hash, date received, result of the check, "
        "figures.\n\nThe originals are kept by their hash, never overwritten or deleted. The same file sent again "
        "is not recorded twice. A corrected file\nsent again becomes a new version; the latest accepted version "
        "counts.\n\nExample:  mtqg ingest received/ --schema son-la-du-an-8 --period 2024 --received 2024-09-08"
    ),
    "ingest.paths": "Files or folders received.",
    "ingest.schema": "Form id.",
    "ingest.received": "Date received (YYYY-MM-DD), default today.",
    "history": (
        "The versions of one unit's report for a period, and the figures changed between versions.\n\n"
        'Example:  mtqg history --unit "Mộc Châu" --period 2024 --schema son-la-du-an-8'
    ),
    "history.unit": "Unit (name or code).",
    "history.schema": "Form id.",
    "status": (
        "Who has reported for a period: on time, late (by how many days), returned, missing; the reporting rate."
        "\n\nExample:  mtqg status --period 2024 --schema son-la-du-an-8 -o submissions.xlsx"
    ),
    "status.schema": "Form id.",
    "status.output": "Write the table of submissions to .xlsx.",
    "schema": "Forms (schemas): list, show, check.",
    "schema list": "List the forms available.\n\nExample:  mtqg schema list",
    "schema show": (
        "What a form needs: units, indicators, phase targets, checks.\n\nExample:  mtqg schema show son-la-du-an-8"
    ),
    "schema show.schema_id": "Form id or .yaml file.",
    "schema check": (
        "Check a form: each problem names the key and line (.yaml) or the sheet, row and column (.xlsx). TODO marks "
        "left\nin a draft are errors (exit code 1).\n\nExample:  mtqg schema check schemas/son-la-du-an-8.yaml\n\n"
        "        mtqg schema check form-project-7.xlsx"
    ),
    "schema check.file": "Form file to check: .yaml or an .xlsx definition workbook.",
    "schema new": (
        "Write a blank form definition workbook (Excel): a guide sheet, the sheets to fill, drop-down lists.\n\n"
        "Example:  mtqg schema new -o form-project-7.xlsx"
    ),
    "schema new.output": ".xlsx file to write.",
    "schema from-xlsx": (
        "Turn a form definition workbook (.xlsx) into a .yaml file (after checking it).\n\n"
        "Example:  mtqg schema from-xlsx form-project-7.xlsx -o schemas/bac-son-du-an-7.yaml"
    ),
    "schema from-xlsx.workbook": "Form definition workbook (.xlsx).",
    "schema from-xlsx.output": ".yaml file to write.",
    "schema to-xlsx": (
        "Write a form as an Excel definition workbook, to edit it in Excel.\n\n"
        "Example:  mtqg schema to-xlsx son-la-du-an-8-xa -o son-la-du-an-8-xa.xlsx"
    ),
    "schema to-xlsx.schema_id": "Form id or .yaml file.",
    "schema to-xlsx.output": ".xlsx file to write.",
    "schema infer": (
        "Draft a form (.yaml) from an Excel workbook in use: column headings, indicators, units or lines.\n\n"
        "The draft needs finishing (source, phase targets, checks), then checking with `mtqg schema check`.\n\n"
        "Example:  mtqg schema infer old-form.xlsx -o schemas/new-form.yaml"
    ),
    "schema infer.workbook": "The form in use (.xlsx/.xls/.ods), blank or filled in.",
    "schema infer.output": "Draft to write: .yaml, or .xlsx (an Excel definition workbook).",
    "schema infer.schema_id": "Form id (default: from the file name).",
    "store": "The ledger: check, export to files.",
    "store check": (
        "Check every archived file against its hash, and the ledger's consistency.\n\nExample:  mtqg store check"
    ),
    "store export": (
        "Export the whole ledger to plain files (CSV and the originals), readable without any software.\n\n"
        "Example:  mtqg store export backup/"
    ),
    "store export.folder": "Folder to write: submissions.csv, figures.csv, files/.",
    "units": "The country's administrative units, before and after 1/7/2025: list, show, recognise names.",
    "units list": (
        "The units of a province (or the country) that exist on a day.\n\n"
        'Examples:  mtqg units list "Lai Châu" --on 2026-01-01  ·  mtqg units list "Sơn La" --level district '
        "--on 2025-06-30"
    ),
    "units list.province": "Province or city (name or code); empty: the whole country.",
    "units list.level": _LEVEL,
    "units list.on": "Date (YYYY-MM-DD); empty: today.",
    "units show": (
        "One unit: kind, GSO code, when it existed, what it was formed from, what it became.\n\n"
        'Examples:  mtqg units show "Mường Bú"  ·  mtqg units show 04045'
    ),
    "units show.name": "Name (with or without accents, «Xã …») or GSO code.",
    "units match": (
        "Which unit each name stands for (as units write them: «X. Mường Bú», «MUONG BU», a GSO code), and how "
        'sure.\n\nExamples:  mtqg units match "X. Mường Bú" "Chieng Mung" -t "Sơn La"  ·  '
        'mtqg units match report.xlsx -t "Sơn La"'
    ),
    "units match.names": "The names to recognise, or a spreadsheet file.",
    "units match.province": "Province or city.",
    "units match.level": _LEVEL,
    "units match.on": "Date (YYYY-MM-DD); empty: today.",
    "outline": "Report outlines: list, show.",
    "outline list": "List the report outlines available (mtqg report --outline ID).\n\nExample:  mtqg outline list",
    "outline show": "The headings of an outline, in order.\n\nExample:  mtqg outline show du-an-8",
    "outline show.outline_id": "Outline id or .yaml file.",
    "serve": (
        "Run the web pages: a unit signs in with its access code, downloads its blank form, sends its workbook and "
        "sees "
        "at once what to fix; the officer follows who has reported and downloads the compiled report.\n\n"
        "Example:  mtqg serve --store ledger/ --host 0.0.0.0 --port 8000"
    ),
    "serve.host": "Address to listen on (0.0.0.0: the whole office network).",
    "serve.port": "Port.",
    "serve.upload_mb": "Largest file a unit may send (MB).",
    "serve.minutes": "Sessions expire after this many minutes.",
    "serve codes": (
        "Issue access codes to the units of a form and period (one per unit; earlier ones revoked), written to .xlsx."
        "\n\nExample:  mtqg serve codes --form son-la-du-an-8 --period 2024 -o codes.xlsx"
    ),
    "serve codes.form": "Form id.",
    "serve codes.period": "Reporting period.",
    "serve codes.output": ".xlsx file to write the codes into (keep it private).",
    "serve codes.unit": "Only for this unit (repeat for several).",
    "serve officer": (
        "Issue the officer's access code (the earlier one is revoked); it is shown once.\n\n"
        "Example:  mtqg serve officer --store ledger/"
    ),
    "serve revoke": (
        "Revoke a unit's access code (a unit signed in is signed out).\n\n"
        'Example:  mtqg serve revoke --form son-la-du-an-8 --period 2024 --unit "Mộc Châu"'
    ),
    "serve revoke.form": "Form id.",
    "serve revoke.period": "Reporting period.",
    "serve revoke.unit": "Unit (name or code).",
}


def help_en(path: str, name: str | None = None) -> str | None:
    """The English help of a command (``name`` None) or of one of its options; None when there is none."""
    if name is None:
        return HELP_EN.get(path)
    return HELP_EN.get(f"{path}.{name}") or HELP_EN.get(f"*.{name}")
