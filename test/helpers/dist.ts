import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** A file of the built package; the tests of built files need `npm run build` first (`npm test` does it). */
export function distFile(name: string): string {
  const path = fileURLToPath(new URL(`../../dist/${name}`, import.meta.url));
  if (!existsSync(path)) throw new Error(`dist/${name} is missing: run \`npm run build\` first (npm test does).`);
  return path;
}

export function readDist(name: string): string {
  return readFileSync(distFile(name), 'utf8');
}
