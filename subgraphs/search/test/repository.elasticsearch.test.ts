import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { freePort } from '@shop/testing';
import { createElasticsearchRepository } from '../src/repository/elasticsearch.js';
import { describeEngineContract } from './contract.js';

const elasticsearchUrl = process.env.ELASTICSEARCH_URL;

describe('Elasticsearch adapter', () => {
  it('fails to start with a hint when no node answers, naming the URL without its password', async () => {
    const port = await freePort();
    const error = (await createElasticsearchRepository({
      url: `http://elastic:s3cret-pw@127.0.0.1:${port}`,
      index: 'products',
      requestTimeoutMs: 1000,
      maxRetries: 0,
    }).then(
      () => new Error('connected to a port nothing listens on'),
      (reason: unknown) => reason,
    )) as Error;
    expect(error.message).toContain(`Could not reach Elasticsearch at http://elastic:***@127.0.0.1:${port}/`);
    expect(error.message).toContain('unset ELASTICSEARCH_URL');
    expect(error.message).not.toContain('s3cret-pw');
  });
});

if (elasticsearchUrl) {
  describeEngineContract('Elasticsearch', async () => {
    const index = `search_test_${randomBytes(4).toString('hex')}`;
    const repository = await createElasticsearchRepository({ url: elasticsearchUrl, index });
    return {
      repository,
      dispose: async () => {
        await repository.close();
        await fetch(new URL(index, elasticsearchUrl.endsWith('/') ? elasticsearchUrl : `${elasticsearchUrl}/`), { method: 'DELETE' });
      },
    };
  });
} else {
  console.log('skipped: no ELASTICSEARCH_URL (set ELASTICSEARCH_URL=http://localhost:9200 to run the Elasticsearch repository contract)');
  describe.skip('SearchRepository contract: Elasticsearch (skipped: no ELASTICSEARCH_URL)', () => {
    it('runs the repository contract against a real Elasticsearch', () => undefined);
  });
}
