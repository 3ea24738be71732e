import { benchApi } from './api';
console.log(JSON.stringify(await benchApi({ iterations: 100, log: console.log }), null, 1));
