// Decompresses the Chromium that the @sparticuz/chromium devDependency ships (brotli inside
// the npm package, so `npm ci` is the whole install) into a cache directory and prints, as
// JSON, the binary and what it needs beside it. A separate process because the package is
// ESM only, which jest's CommonJS runtime cannot import.
//
// The package is built for Amazon Linux; it unpacks into os.tmpdir() and, off Lambda,
// leaves out the NSS libraries it bundles (al2023.tar.br). Both are handled here: TMPDIR
// points it at a versioned cache (argv[2]), and the libraries are unpacked too so the
// binary needs nothing from the system beyond glibc.
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cache = process.argv[2];
const ready = () => ({
  executablePath: join(cache, 'chromium'),
  libraryPath: join(cache, 'al2023', 'lib'),
  fontconfigPath: join(cache, 'fontconfig'),
});
const complete = (dir) =>
  existsSync(join(dir, 'chromium')) &&
  existsSync(join(dir, 'al2023', 'lib', 'libnss3.so')) &&
  existsSync(join(dir, 'fontconfig', 'fonts.conf'));

if (!complete(cache)) {
  // A cache left incomplete (files deleted by a temp cleaner) is unpacked again.
  rmSync(cache, { recursive: true, force: true });
  // Unpack into a private directory and rename it into place, so a run that starts while
  // another is unpacking never sees a half-written binary.
  mkdirSync(dirname(cache), { recursive: true });
  const partial = mkdtempSync(`${cache}.partial-`);
  process.env.TMPDIR = partial;
  const { default: chromium, inflate } = await import('@sparticuz/chromium');
  await chromium.executablePath();
  const bin = join(dirname(fileURLToPath(import.meta.resolve('@sparticuz/chromium'))), '..', 'bin');
  await inflate(join(bin, 'al2023.tar.br'));
  // The package's fonts.conf names /tmp/fonts only (Lambda's layout): without a font that
  // fontconfig finds, every label renders at zero width. This one names the bundled Open
  // Sans where it is after the rename, and the system's fonts.
  mkdirSync(join(partial, 'fontconfig'));
  writeFileSync(
    join(partial, 'fontconfig', 'fonts.conf'),
    `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n` +
      `  <dir>${join(cache, 'fonts', 'fonts')}</dir>\n  <dir>/usr/share/fonts</dir>\n` +
      `  <cachedir>${join(cache, 'fontconfig', 'cache')}</cachedir>\n</fontconfig>\n`,
  );
  try {
    renameSync(partial, cache);
  } catch (e) {
    rmSync(partial, { recursive: true, force: true });
    if (!complete(cache)) throw e;
  }
}
process.stdout.write(JSON.stringify(ready()));
