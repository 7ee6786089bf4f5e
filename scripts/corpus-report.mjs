#!/usr/bin/env node
// Prints the validate corpus's score table (test/corpus/validate) and never fails on the scores:
// `node scripts/corpus-report.mjs [--details] [CASE...]`. `npm test` asserts the same figures
// (test/integration/validate-corpus.test.ts).
import { runTs } from './bundle.mjs';

await runTs('test/corpus/report.ts');
