// The search contract on Meilisearch, run only against a real server: set MEILI_URL (and MEILI_KEY if it needs one).
import { randomUUID } from 'node:crypto';
import { describe } from 'vitest';
import { MeiliSearchIndex } from '../../server/modules/search/meili-index.ts';
import { searchContract } from './contract.ts';

const url = process.env.MEILI_URL;
if (!url) console.warn('Meilisearch contract tests SKIPPED: set MEILI_URL to run them against a real server');

describe.skipIf(!url)('meilisearch backend (MEILI_URL)', () => {
  searchContract('meilisearch', async () => {
    const index = new MeiliSearchIndex({ url: url!, key: process.env.MEILI_KEY, indexUid: `test-${randomUUID()}` });
    await index.init();
    return {
      index,
      dispose: async () => {
        await index.drop();
      },
    };
  });
});
