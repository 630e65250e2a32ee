import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A Chromium to launch: the binary and the environment it needs. */
export interface ChromiumBinary {
  readonly executablePath: string;
  /** Added to the launched browser's environment (the bundled build's libraries and fonts). */
  readonly env: Readonly<Record<string, string>>;
  /** Where it came from, for messages. */
  readonly source: string;
}

const SYSTEM_CHROMIUM = '/usr/bin/chromium';

/**
 * The browser for the end-to-end tests, in this order: the binary PIPEFORM_CHROMIUM names;
 * the build the @sparticuz/chromium devDependency ships (Linux x64, so `npm ci` is the whole
 * install); Debian's /usr/bin/chromium. Throws one line saying what to do when none is there.
 */
export function findChromium(): ChromiumBinary {
  const named = process.env.PIPEFORM_CHROMIUM;
  if (named) {
    if (!existsSync(named)) throw new Error(`PIPEFORM_CHROMIUM=${named}: no such file`);
    return { executablePath: named, env: {}, source: 'PIPEFORM_CHROMIUM' };
  }
  const bundled = bundledChromium();
  if (bundled) return bundled;
  if (existsSync(SYSTEM_CHROMIUM))
    return { executablePath: SYSTEM_CHROMIUM, env: {}, source: SYSTEM_CHROMIUM };
  throw new Error(
    `no Chromium: run 'npm ci' (it installs @sparticuz/chromium, Linux x64), or install one (apt-get install -y chromium) or point PIPEFORM_CHROMIUM at a Chromium binary`,
  );
}

function bundledChromium(): ChromiumBinary | undefined {
  // The package ships an x64 Linux build only.
  if (process.platform !== 'linux' || process.arch !== 'x64') return undefined;
  let version: string;
  try {
    // The package's exports hide package.json; its location is found from the entry point.
    const entry = require.resolve('@sparticuz/chromium');
    version = (
      JSON.parse(readFileSync(join(entry, '..', '..', 'package.json'), 'utf8')) as { version: string }
    ).version;
  } catch {
    return undefined;
  }
  // Versioned, so an upgrade unpacks afresh; kept between runs (about 210 MB, unpacked once).
  const cache = join(tmpdir(), `pipeform-chromium-${version}`);
  const r = spawnSync(process.execPath, [join(__dirname, 'chromium-path.mjs'), cache], {
    encoding: 'utf8',
    timeout: 120000,
  });
  if (r.status !== 0)
    throw new Error(`unpacking @sparticuz/chromium failed: ${r.stderr || r.error?.message}`);
  const found = JSON.parse(r.stdout) as {
    executablePath: string;
    libraryPath: string;
    fontconfigPath: string;
  };
  return {
    executablePath: found.executablePath,
    env: {
      LD_LIBRARY_PATH: [found.libraryPath, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':'),
      FONTCONFIG_PATH: found.fontconfigPath,
    },
    source: `@sparticuz/chromium ${version}`,
  };
}
