// Serves the built renderer (dist/renderer) for web mode: content types, SPA fallback to
// index.html, no directory traversal, and long caching only for hashed assets.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { ServerResponse } from 'node:http';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

export interface StaticFile {
  path: string;
  headers: Record<string, string>;
}

/** The file that answers this path (SPA fallback included), or null: outside the root, or a missing asset. */
export function findStatic(root: string, urlPath: string): StaticFile | null {
  const base = resolve(root);
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath.split('?')[0] ?? '/');
  } catch {
    return null;
  }
  let file = resolve(join(base, normalize(rel)));
  if (file !== base && !file.startsWith(base + sep)) return null;
  if (!existsSync(file) || statSync(file).isDirectory()) {
    // Client-side routes fall back to the app shell; missing assets are a real 404.
    if (extname(rel) !== '') return null;
    file = join(base, 'index.html');
    if (!existsSync(file)) return null;
  }
  const hashed = file.includes(`${sep}assets${sep}`);
  return {
    path: file,
    headers: {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Cache-Control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
    },
  };
}

/** Pipes the file onto the response. */
export function sendStatic(found: StaticFile, res: ServerResponse): void {
  res.writeHead(200, found.headers);
  // A file that vanishes or cannot be read mid-way ends this response, not the process.
  createReadStream(found.path)
    .on('error', () => res.destroy())
    .pipe(res);
}
