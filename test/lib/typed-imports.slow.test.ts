import { publishedToJsonMatches } from './typed-imports-properties';

// The integration tier's part of typed-imports.test.ts: published and rewritten toJson on 1000
// generated inputs of each type.
publishedToJsonMatches(1000);
