// Jest's global setup: every core kind's model, bundled into one file for the test files to load
// (see jest.config.js), rebuilt when its sources change.
import { bundleIfStale } from '../scripts/bundle.mjs';

export default async function globalSetup() {
  await bundleIfStale('app/validate/core-models-all.ts');
}
