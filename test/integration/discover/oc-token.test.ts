import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, IncomingHttpHeaders } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from './run-cli';

// The token of the cluster `oc` is logged in to is sent to that cluster's own routes only: a
// registry named on the command line elsewhere never gets it unasked.
test('the oc token is not sent to a registry that is not one of the logged-in cluster\'s https routes', async () => {
  const seen: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    seen.push(req.headers);
    res.setHeader('Content-Type', 'application/json');
    res.end(req.url?.startsWith('/v2/_catalog') ? '{"repositories":[]}' : '{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const bin = mkdtempSync(join(tmpdir(), 'fake-oc-'));
  writeFileSync(join(bin, 'oc'), '#!/bin/sh\n[ "$2" = "--show-server" ] && echo https://api.prod.example.com:6443 || echo sha256~CLUSTERTOKEN\n');
  chmodSync(join(bin, 'oc'), 0o755);
  try {
    const { port } = server.address() as AddressInfo;
    const result = await cli(['--registry', `http://127.0.0.1:${port}`, '--format', 'json'], { PATH: `${bin}:/usr/bin:/bin` });
    expect(result.status).toBe(0);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((h) => h.authorization === undefined)).toBe(true);
    expect(result.stderr).toContain('not sending the token of `oc` (logged in to https://api.prod.example.com:6443) to 127.0.0.1');
    expect(result.stderr).not.toContain('CLUSTERTOKEN');
  } finally {
    server.close();
  }
}, 60_000);
