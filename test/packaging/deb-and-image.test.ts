// Issue 19, packaging: the edge agent's Debian package (packaging/deb, built with dpkg-deb into a
// temp dir and read back with dpkg-deb --info/--contents) and the cloud's container image
// definition (packaging/cloud/Dockerfile: no image is built here, so its structure is checked:
// stages, every file it copies from the repository exists, its command runs the cloud bundle).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { NODE_ENTRIES } from '../../app/build/build-node';
import { buildDeb } from '../../packaging/deb/build-deb';

const root = join(import.meta.dirname, '../..');
const hasDpkg = spawnSync('dpkg-deb', ['--version']).status === 0;

describe.skipIf(!hasDpkg)('edge agent .deb', () => {
  let deb = '';
  let info = '';
  let contents = '';
  const extracted = mkdtempSync(join(tmpdir(), 'edge-agent-deb-x-'));
  beforeAll(async () => {
    deb = await buildDeb({ outDir: mkdtempSync(join(tmpdir(), 'edge-agent-deb-')), version: '1.2.3', lean: true });
    info = spawnSync('dpkg-deb', ['--info', deb], { encoding: 'utf8' }).stdout;
    contents = spawnSync('dpkg-deb', ['--contents', deb], { encoding: 'utf8' }).stdout;
    spawnSync('dpkg-deb', ['--raw-extract', deb, extracted]);
  }, 60_000);

  it('is named and described for dpkg', () => {
    expect(deb).toMatch(/edge-agent_1\.2\.3_(amd64|arm64|armhf)\.deb$/);
    expect(info).toMatch(/^ Package: edge-agent$/m);
    expect(info).toMatch(/^ Version: 1\.2\.3$/m);
    expect(info).toMatch(/^ Depends: .*nodejs \(>= 20\.19\)/m);
    expect(info).toMatch(/postinst/);
    expect(info).toMatch(/prerm/);
  });

  it('ships the built agent, its assets, the unit and the command, owned by root', () => {
    for (const path of [
      './opt/edge-agent/dist/node/edge-agent.mjs',
      './opt/edge-agent/dist/node/edge-agent-cli.mjs',
      './opt/edge-agent/bin/edge-agent.mjs',
      './opt/edge-agent/edge-agent/service/camera-page/camera-page.html',
      './opt/edge-agent/models/manifest.json',
      './opt/edge-agent/models/runtime/inference-worker.mjs',
      './lib/systemd/system/edge-agent.service',
    ])
      expect(contents).toContain(path);
    expect(contents).toMatch(/\.\/usr\/bin\/edge-agent -> \.\.\/\.\.\/opt\/edge-agent\/bin\/edge-agent\.mjs/);
    // No TypeScript and not the till's or cloud's bundles.
    expect(contents).not.toMatch(/\.ts$/m);
    expect(contents).not.toContain('till.mjs');
    for (const line of contents.trim().split('\n')) expect(line).toMatch(/ root\/root /);
  });

  it('runs as its own user with a data dir, restarts on failure and logs to the journal', () => {
    const unit = readFileSync(join(extracted, 'lib/systemd/system/edge-agent.service'), 'utf8');
    expect(unit).toMatch(/^User=edge-agent$/m);
    expect(unit).toMatch(/^Restart=on-failure$/m);
    expect(unit).toMatch(/^StandardOutput=journal$/m);
    expect(unit).toMatch(/^StateDirectory=edge-agent$/m);
    expect(unit).toMatch(/^Environment=EDGE_DATA_DIR=\/var\/lib\/edge-agent$/m);
    // The box announces its hub on the store LAN for the tills' first-run wizard (docs/technician.md).
    expect(unit).toMatch(/^Environment=HUB_MDNS=1$/m);
    // Plain node on the built file, and that file is in the package.
    const exec = /^ExecStart=\/usr\/bin\/node (\S+)$/m.exec(unit)?.[1];
    expect(exec).toBe('/opt/edge-agent/dist/node/edge-agent.mjs');
    expect(existsSync(join(extracted, exec!))).toBe(true);

    const postinst = readFileSync(join(extracted, 'DEBIAN/postinst'), 'utf8');
    expect(spawnSync('sh', ['-n', join(extracted, 'DEBIAN/postinst')]).status).toBe(0);
    expect(spawnSync('sh', ['-n', join(extracted, 'DEBIAN/prerm')]).status).toBe(0);
    expect(postinst).toMatch(/adduser --system --group .* edge-agent/s);
    expect(postinst).toMatch(/install -d -o edge-agent -g edge-agent -m 0750 \/var\/lib\/edge-agent/);
    expect(postinst).toContain('systemctl enable edge-agent.service');
  });
});

describe('cloud Dockerfile', () => {
  const text = readFileSync(join(root, 'packaging/cloud/Dockerfile'), 'utf8');
  // Instructions, with continuation lines joined and comments dropped.
  const instructions = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const [op, ...rest] = l.split(/\s+/);
      return { op: op!.toUpperCase(), args: rest.join(' ') };
    });
  const KNOWN = ['FROM', 'WORKDIR', 'COPY', 'RUN', 'ENV', 'EXPOSE', 'USER', 'CMD', 'HEALTHCHECK', 'ARG', 'LABEL'];

  it('uses only known instructions, a pinned Node major and two stages', () => {
    for (const i of instructions) expect(KNOWN, i.op).toContain(i.op);
    const froms = instructions.filter((i) => i.op === 'FROM').map((i) => i.args);
    expect(froms).toEqual(['node:20-bookworm-slim AS build', 'node:20-bookworm-slim']);
    expect(instructions[0]!.op).toBe('FROM');
  });

  it('copies only files that exist in the repository or that build:node writes', () => {
    const copies = instructions.filter((i) => i.op === 'COPY');
    expect(copies.length).toBeGreaterThan(3);
    const built = Object.keys(NODE_ENTRIES).flatMap((n) => [`/src/dist/node/${n}.mjs`, `/src/dist/node/${n}.mjs.map`]);
    for (const { args } of copies) {
      const parts = args.split(/\s+/);
      const fromStage = parts[0]!.startsWith('--from=') ? parts.shift()!.slice('--from='.length) : null;
      const sources = parts.slice(0, -1);
      expect(sources.length).toBeGreaterThan(0);
      for (const src of sources) {
        if (fromStage) {
          expect(fromStage).toBe('build');
          expect(built).toContain(src);
        } else expect(existsSync(join(root, src)), `${src} missing`).toBe(true);
      }
    }
    // Every entry's source folder is copied into the build stage.
    const copied = new Set(copies.flatMap((c) => c.args.split(/\s+/).slice(0, -1)));
    for (const entry of Object.values(NODE_ENTRIES)) expect(copied, entry).toContain(entry.split('/')[0]);
  });

  it('runs the cloud bundle with plain node as a non-root user', () => {
    const cmd = instructions.filter((i) => i.op === 'CMD').at(-1)!;
    expect(JSON.parse(cmd.args)).toEqual(['node', '--enable-source-maps', 'dist/node/cloud.mjs']);
    expect(instructions.filter((i) => i.op === 'USER').at(-1)!.args).toBe('node');
    expect(instructions.some((i) => i.op === 'RUN' && i.args.includes('npm ci --omit=dev'))).toBe(true);
    expect(instructions.some((i) => i.op === 'RUN' && i.args.includes('npm run build:node'))).toBe(true);
  });
});
