#!/usr/bin/env node
// Kept for older scripts: same as `node bin/cli.mjs`.
await import("../bin/cli.mjs");
