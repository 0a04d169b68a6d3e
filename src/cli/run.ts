// The process entry of the CLI: `bin/hayon.js` runs the compiled copy, tests run this with tsx.
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2));
