/** Files esbuild's binary loader puts into a Lambda bundle (infra/bundling.ts): their bytes. */
declare module '*.ttf' {
  const bytes: Uint8Array;
  export default bytes;
}
