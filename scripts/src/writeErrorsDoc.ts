import { writeFileSync } from 'node:fs';
import { renderErrorsDoc } from './errorsDoc.js';

// `npm run errors:doc`: run from the repository root.
writeFileSync('docs/errors.md', renderErrorsDoc());
console.log('wrote docs/errors.md');
