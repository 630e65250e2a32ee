/**
 * Which browser the end-to-end tests launch (test/harness/chromium.ts): PIPEFORM_CHROMIUM
 * first, else the build the @sparticuz/chromium devDependency ships, unpacked with what it
 * needs beside it so that nothing from the system but glibc is used.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findChromium } from './harness/chromium';

const saved = process.env.PIPEFORM_CHROMIUM;
afterEach(() => {
  if (saved === undefined) delete process.env.PIPEFORM_CHROMIUM;
  else process.env.PIPEFORM_CHROMIUM = saved;
});

test('PIPEFORM_CHROMIUM wins, and a wrong one says so in one line', () => {
  process.env.PIPEFORM_CHROMIUM = process.execPath;
  expect(findChromium()).toEqual({ executablePath: process.execPath, env: {}, source: 'PIPEFORM_CHROMIUM' });
  process.env.PIPEFORM_CHROMIUM = '/nonexistent/chromium';
  expect(() => findChromium()).toThrow(/^PIPEFORM_CHROMIUM=\/nonexistent\/chromium: no such file$/);
});

const linuxX64 = process.platform === 'linux' && process.arch === 'x64';
(linuxX64 ? test : test.skip)(
  'without it, the devDependency: the binary, its NSS libraries, and fonts fontconfig finds',
  () => {
    delete process.env.PIPEFORM_CHROMIUM;
    const found = findChromium();
    expect(found.source).toMatch(/^@sparticuz\/chromium \d+\.\d+\.\d+$/);
    expect(existsSync(found.executablePath)).toBe(true);
    const [libs] = found.env.LD_LIBRARY_PATH.split(':');
    expect(existsSync(join(libs, 'libnss3.so'))).toBe(true);
    const conf = readFileSync(join(found.env.FONTCONFIG_PATH, 'fonts.conf'), 'utf8');
    const dirs = [...conf.matchAll(/<dir>([^<]+)<\/dir>/g)].map((m) => m[1]);
    expect(existsSync(join(dirs[0], 'Open_Sans', 'OpenSans-Regular.ttf'))).toBe(true);
    // Found again from the cache, not unpacked twice.
    expect(findChromium()).toEqual(found);
  },
);
