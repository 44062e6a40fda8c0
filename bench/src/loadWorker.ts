// Runs one closed-loop load in its own process (pinned away from the gateway under test), so
// the load generator does not share an event loop or a core with what it measures; prints the
// result as JSON on stdout. Its options come on stdin (per-user request lists can be large).
import { generateLoad, type LoadOptions } from './loadGenerator.js';

let input = '';
for await (const chunk of process.stdin) input += chunk;
const result = await generateLoad(JSON.parse(input) as LoadOptions);
process.stdout.write(`${JSON.stringify(result)}\n`);
