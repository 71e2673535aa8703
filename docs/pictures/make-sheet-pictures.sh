#!/usr/bin/env bash
# Render the pictures on docs/sheets.md from the examples (needs the pdf extra and
# pdftoppm from poppler-utils). Run from the project root: bash docs/pictures/make-sheet-pictures.sh
# The pictures are made by a test, from the same sheets it checks for legibility.
set -euo pipefail
CEREMONY_UPDATE_SCREENSHOTS=1 python -m pytest -q tests/test_sheet_legibility.py -k pictures
