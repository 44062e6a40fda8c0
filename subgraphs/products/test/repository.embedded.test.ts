import { createEmbeddedProductRepository } from '../src/repository/embedded.js';
import { describeRepositoryContract } from './contract.js';

describeRepositoryContract('embedded store', async () => {
  const repository = createEmbeddedProductRepository();
  return { repository, dispose: () => repository.close() };
});
