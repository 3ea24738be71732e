/** Entry point of the bundled variant of sdk-calls.ts: `node bundle.mjs <endpoint>` prints the outcomes as JSON. */
import { callEveryOperation } from './sdk-calls';

console.log(JSON.stringify(await callEveryOperation(process.argv[2]!)));
