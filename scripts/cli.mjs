#!/usr/bin/env node
// The command-line tool (`npm run cli -- diff ...`): runs cli.ts, bundled.
import { runTs } from './bundle.mjs';

await runTs('app/cli/cli.ts');
