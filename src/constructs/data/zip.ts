import { lstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listDirectory } from '../../compiler/spec-files';

/**
 * A deterministic zip writer for Lambda deployment packages. The same files give the same
 * bytes on every run and machine: entries sorted by path, `/` separators, a fixed
 * timestamp (1980-01-01 00:00, the earliest zip can hold), fixed permissions, and entries
 * stored uncompressed (deflate output differs between zlib builds, so compressing would
 * tie the bytes to the Node.js version).
 */

/** One file of a package: its path inside the zip and its bytes. */
export interface ZipEntry {
  readonly path: string;
  readonly data: Uint8Array;
}

/** Lambda's limit for a zip uploaded directly (bigger packages belong in S3). */
export const MAX_DIRECT_ZIP_BYTES = 50 * 1024 * 1024;

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (IEEE 802.3), as zip records it. */
export function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** 1980-01-01 00:00 in MS-DOS date/time format. */
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
/** Bit 11: names are UTF-8. */
const UTF8_FLAG = 0x0800;
/** "Made by" Unix (3), zip spec 2.0: external attributes carry Unix modes. */
const MADE_BY = (3 << 8) | 20;

/** Unix mode of an entry: executables (a custom runtime's `bootstrap`) 0755, the rest 0644. */
function modeOf(path: string): number {
  return path === 'bootstrap' || path.endsWith('/bootstrap') ? 0o100755 : 0o100644;
}

/** A zip archive of the entries, in path order. */
export function zipEntries(entries: readonly ZipEntry[]): Uint8Array {
  const sorted = [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of sorted) {
    const name = Buffer.from(e.path, 'utf8');
    const data = Buffer.from(e.data);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(UTF8_FLAG, 6);
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, name, data);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(MADE_BY, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(UTF8_FLAG, 8);
    central.writeUInt16LE(0, 10);
    central.writeUInt16LE(DOS_TIME, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(0, 30); // extra and comment lengths
    central.writeUInt32LE(0, 34); // disk number and internal attributes
    central.writeUInt32LE((modeOf(e.path) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(sorted.length, 8);
  end.writeUInt16LE(sorted.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, directory, end]));
}

/** Why a directory cannot be packaged (thrown by {@link zipDirectory}). */
export class PackageError extends Error {}

/**
 * The regular files under `dir`, recursively, with paths relative to it. Symbolic links
 * and other special files are refused: what they point to differs between machines.
 */
export function directoryEntries(dir: string): ZipEntry[] {
  let st;
  try {
    st = lstatSync(dir);
  } catch {
    throw new PackageError(`${dir} does not exist`);
  }
  if (!st.isDirectory()) throw new PackageError(`${dir} is not a directory`);
  const listing = listDirectory(dir);
  if (listing.problem !== undefined) throw new PackageError(`${dir}: ${listing.problem}`);
  return listing.files.map((path) => ({ path, data: readFileSync(join(dir, path)) }));
}

/** The deterministic zip of a directory's files. */
export function zipDirectory(dir: string): Uint8Array {
  const zip = zipEntries(directoryEntries(dir));
  if (zip.length > MAX_DIRECT_ZIP_BYTES) {
    throw new PackageError(
      `${dir} packs to ${zip.length} bytes; Lambda takes at most ${MAX_DIRECT_ZIP_BYTES} directly (use code.s3)`,
    );
  }
  return zip;
}
