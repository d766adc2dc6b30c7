// Compiles the Typst document written by `go run . set` to PDF with the
// typst.ts node compiler, using only the bundled Noto Serif SC (loaded by
// path; `fallback: false` in the document keeps other fonts out).
//
//   node typst.mjs [out/article.typ] [out/typst.pdf]
import { NodeCompiler } from '@myriaddreamin/typst-ts-node-compiler';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const src = resolve(process.argv[2] ?? 'out/article.typ');
const dst = resolve(process.argv[3] ?? 'out/typst.pdf');
const font = resolve(here, '../../fonts/NotoSerifSC-Regular.ttf');

const compiler = NodeCompiler.create({
  workspace: dirname(src),
  fontArgs: [{ fontPaths: [font] }],
});
const result = compiler.compile({ mainFileContent: readFileSync(src, 'utf8') });
const doc = result.result;
if (!doc || result.hasError()) {
  result.printErrors();
  process.exit(1);
}
const warnings = result.takeWarnings();
if (warnings) console.error('warnings:', JSON.stringify(warnings.shortDiagnostics, null, 1));
// A fixed creation date keeps the file the same from run to run.
const pdf = compiler.pdf(doc, { creationTimestamp: Date.UTC(2023, 4, 1) / 1000 });
writeFileSync(dst, pdf);
console.log(`${dst}: ${pdf.length} bytes`);
