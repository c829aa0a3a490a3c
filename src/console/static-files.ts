// Serves the built web UI (dist/console-ui, made by `make build`): files by path, any other path
// that is not under /api/ gets index.html so the UI's own router shows the page; when the UI has
// not been built, a plain 503 page says how to build it.

import { createReadStream, statSync } from 'node:fs';
import { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Console not built</title></head>
<body><h1>The console's web UI is not built</h1><p>Run <code>make build</code>, then reload this page.</p></body></html>
`;

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

export function serveStatic(uiDir: string, urlPath: string, method: string, res: ServerResponse): void {
  const index = join(uiDir, 'index.html');
  if (!isFile(index)) {
    res.writeHead(503, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(NOT_BUILT);
    return;
  }
  let file = index;
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    decoded = '/';
  }
  const candidate = normalize(join(uiDir, decoded));
  if (candidate.startsWith(uiDir + sep) && isFile(candidate)) file = candidate;
  const immutable = file !== index && file.includes(`${sep}assets${sep}`);
  res.writeHead(200, {
    'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
    'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    'X-Content-Type-Options': 'nosniff',
  });
  if (method === 'HEAD') res.end();
  else createReadStream(file).pipe(res);
}
