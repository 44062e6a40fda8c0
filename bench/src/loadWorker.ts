// Runs one closed-loop load in its own process, so the load generator does not share an event
// loop with what it measures; prints the result as JSON on stdout.
import { load } from './support.js';

const options = JSON.parse(process.argv[2]!) as Parameters<typeof load>[0];
const result = await load(options);
process.stdout.write(`${JSON.stringify(result)}\n`);
