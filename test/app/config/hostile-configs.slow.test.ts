import { manyProblems } from './hostile-config-sizes';

// The integration tier's part of hostile-configs.test.ts: the sweeps at full size.
manyProblems(40_000);
