#!/usr/bin/env node
// The synth command (`npm run synth`, and cdk8s.yaml's `app:`): runs main.ts, bundled.
import { runTs } from './bundle.mjs';

await runTs('main.ts');
