import { createEmbeddedSearchRepository } from '../src/repository/embedded.js';
import { describeEngineContract } from './contract.js';

describeEngineContract('embedded repository', async () => {
  const repository = createEmbeddedSearchRepository();
  return { repository, dispose: () => repository.close() };
});
