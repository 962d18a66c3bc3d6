import { decode } from '@jridgewell/sourcemap-codec';

/** What one source file contributes to a minified bundle. */
export interface Share {
  source: string;
  /** Minified bytes that the source map traces to this file. */
  bytes: number;
  /** Its share of the bundle's gzip size, in proportion to `bytes`. */
  gzip: number;
}

/**
 * Splits a minified bundle between the source files its map names, so the size test can say
 * what each concern costs. Gzip compresses across file boundaries, so a file's gzip figure is
 * its share of the whole (in proportion to its minified bytes), not what it would gzip to alone.
 */
export function attribute(code: string, map: { sources: string[]; mappings: string }, gzipTotal: number): Share[] {
  const lines = code.split('\n');
  const bytes = new Map<string, number>();
  decode(map.mappings).forEach((segments, index) => {
    const length = lines[index]?.length ?? 0;
    segments.forEach((segment, i) => {
      const end = segments[i + 1]?.[0] ?? length;
      const source = segment[1] === undefined ? '(no source)' : (map.sources[segment[1]] ?? '(no source)');
      bytes.set(source, (bytes.get(source) ?? 0) + end - segment[0]);
    });
  });
  const total = [...bytes.values()].reduce((a, b) => a + b, 0);
  return [...bytes]
    .map(([source, n]) => ({ source, bytes: n, gzip: Math.round((gzipTotal * n) / total) }))
    .sort((a, b) => b.bytes - a.bytes);
}
