import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { freePort } from '@shop/testing';
import { MongoClient } from 'mongodb';
import { createMongoProductRepository } from '../src/repository/mongo.js';
import { describeRepositoryContract } from './contract.js';

const mongoUrl = process.env.MONGO_URL;

describe('MongoDB adapter', () => {
  it('fails to start with a hint when no server answers, naming the URL without its password', async () => {
    const port = await freePort();
    const attempt = createMongoProductRepository({
      url: `mongodb://shop:s3cret-pw@127.0.0.1:${port}/?directConnection=true`,
      dbName: 'shop_products',
      serverSelectionTimeoutMS: 300,
    });
    const error = (await attempt.then(
      () => new Error('connected to a port nothing listens on'),
      (reason: unknown) => reason,
    )) as Error;
    expect(error.message).toContain(`Could not reach MongoDB at mongodb://shop:***@127.0.0.1:${port}/`);
    expect(error.message).toContain('unset MONGO_URL');
    expect(error.message).not.toContain('s3cret-pw');
  });
});

if (mongoUrl) {
  describeRepositoryContract('MongoDB', async () => {
    const dbName = `shop_products_test_${randomBytes(4).toString('hex')}`;
    const repository = await createMongoProductRepository({ url: mongoUrl, dbName });
    return {
      repository,
      dispose: async () => {
        await repository.close();
        const client = await MongoClient.connect(mongoUrl);
        await client.db(dbName).dropDatabase();
        await client.close();
      },
    };
  });
} else {
  console.log('skipped: no MONGO_URL (set MONGO_URL=mongodb://... to run the MongoDB adapter contract)');
  describe.skip('ProductRepository contract: MongoDB (skipped: no MONGO_URL)', () => {
    it('runs the adapter contract against a real MongoDB', () => undefined);
  });
}
