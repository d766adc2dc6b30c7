#!/bin/sh
# Reproduces the figures and crops of docs/typography.md: sets the
# reference article (and then the whole reference issue) with paiban's two
# line breakers and with Typst, and measures the three PDFs alike.
#
# Needs Go, Node.js >= 18 with npm, poppler-utils (pdftoppm), Ghostscript
# (gs) and ImageMagick (convert). Set PDFMETRICS to a pdfmetrics binary
# (shared/tools/pdfmetrics) to add its report.
set -eu
cd "$(dirname "$0")"
[ -d node_modules ] || npm ci

echo "== tiyanguan.md (5 paragraphs)"
go run . set -out out
node typst.mjs out/article.typ out/typst.pdf
go run . measure -out out -img ../../docs/img

echo "== the whole reference issue (every article's body paragraphs)"
go run . set -out out/issue -article '../../samples/zhenjing-2023-05/articles/*.md'
node typst.mjs out/issue/article.typ out/issue/typst.pdf
go run . measure -out out/issue -img ../../docs/img -crops issue-p30:30-30,issue-p33:33-33

if [ -n "${PDFMETRICS:-}" ]; then
	for d in out out/issue; do
		for f in typst paiban-totalfit paiban-greedy; do
			"$PDFMETRICS" -summary "$d/$f.pdf" "$d/paras.txt"
		done
	done
fi
