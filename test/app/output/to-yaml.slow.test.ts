import { roundTrips } from './to-yaml-properties';

// The integration tier's part of to-yaml.test.ts: the round-trip property over 2000 runs.
roundTrips(2000);
