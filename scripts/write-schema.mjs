#!/usr/bin/env node
// Writes schema/cluster-config.schema.json from the zod schema in app/config/schema.ts, so that
// editors (yaml-language-server) complete and check config files. A test keeps it up to date.
import { build } from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'node_modules', '.cache', 'image-registry-synth', 'schema.cjs');
mkdirSync(dirname(bundle), { recursive: true });
await build({ entryPoints: [join(root, 'app/config/schema.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: bundle, logLevel: 'error' });
const { configJsonSchema } = createRequire(import.meta.url)(bundle);
mkdirSync(join(root, 'schema'), { recursive: true });
writeFileSync(join(root, 'schema', 'cluster-config.schema.json'), JSON.stringify(configJsonSchema(), null, 2) + '\n');
console.log('wrote schema/cluster-config.schema.json');
