import { build } from 'esbuild';
import { handlerBuildOptions } from '../../infra/bundling';
const name = process.argv[2];
const r = await build({ ...handlerBuildOptions(`functions/${name}.ts`, `/tmp/qb/${name}/index.mjs`), metafile: true });
const out = Object.values(r.metafile.outputs)[0];
const pk: Record<string, number> = {};
for (const [p, v] of Object.entries(out.inputs)) {
  const m = p.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  const k = m ? m[1] : p.split('/').slice(0, 2).join('/');
  pk[k] = (pk[k] ?? 0) + v.bytesInOutput;
}
console.log(name, out.bytes);
for (const [k, v] of Object.entries(pk).sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log('  ', k, v);
