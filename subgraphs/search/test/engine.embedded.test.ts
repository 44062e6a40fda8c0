import { createEmbeddedSearchEngine } from '../src/engine/embedded.js';
import { describeEngineContract } from './contract.js';

describeEngineContract('embedded engine', async () => {
  const engine = createEmbeddedSearchEngine();
  return { engine, dispose: () => engine.close() };
});
