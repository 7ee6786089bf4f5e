// The corpus score table, without failing: `node scripts/corpus-report.mjs [--details] [CASE...]`.
// The same runs and scores as test/integration/validate-corpus.test.ts, for before/after figures.
import { details, loadCases, passed, runCases, table } from './corpus';

async function main() {
  const args = process.argv.slice(2);
  const verbose = args.includes('--details');
  const cases = loadCases(args.filter((arg) => arg !== '--details'));
  const started = Date.now();
  const results = await runCases(cases);
  if (verbose) {
    for (const result of results) {
      if (passed(result)) continue;
      console.log(`${result.case.name} (${result.case.verdict}, ${result.case.class}):`);
      for (const line of details(result)) console.log(line);
    }
    console.log('');
  }
  console.log(table(results));
  console.log(`\n${results.length} cases in ${((Date.now() - started) / 1000).toFixed(1)} s; precision = findings matching an expected or acceptable problem / all errors and warnings (notes not counted)`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(2);
});
