#!/usr/bin/env bash
# Render the pictures on docs/sheets.md from the examples (needs the pdf extra and
# pdftoppm from poppler-utils). Run from the project root: bash docs/pictures/make-sheet-pictures.sh
set -euo pipefail
out=$(mktemp -d)
at=2024-08-27T14:00+02:00
ceremony sheet examples/paralympic-opening.yaml --tz Asia/Almaty --printed-at "$at" -o "$out/opening.pdf"
ceremony sheet examples/paralympic-opening.yaml --department stage-management --printed-at "$at" -o "$out/sm.pdf"
ceremony sheet examples/paralympic-opening-r2.yaml --since examples/paralympic-opening.yaml \
  --printed-at 2024-08-24T12:00+02:00 -o "$out/r2.pdf"
pdftoppm -r 100 -png -f 1 -l 1 -singlefile "$out/opening.pdf" docs/pictures/sheet-opening
pdftoppm -r 100 -png -f 1 -l 1 -singlefile -y 0 -H 290 -W 827 "$out/sm.pdf" docs/pictures/sheet-stage-management
pdftoppm -r 100 -png -f 2 -l 2 -singlefile "$out/r2.pdf" docs/pictures/sheet-revised
