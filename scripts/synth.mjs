#!/usr/bin/env node
// Kept for older scripts: same as `node bin/cli.mjs synth`.
process.argv.splice(2, 0, "synth");
await import("../bin/cli.mjs");
