import { crc32, directoryEntries, PackageError, type ZipEntry } from './data/zip';

/**
 * A deterministic tar.gz writer for SageMaker script mode (`sourcedir.tar.gz`). The same
 * files give the same bytes on every run and machine: entries sorted by path, ustar headers
 * with a fixed time (1980-01-01, as zip.ts), owner 0:0 without names and mode 0644, and a
 * gzip member without a timestamp or file name whose deflate stream uses stored blocks.
 *
 * Hand-written rather than taken from tar-stream or node-tar for two reasons: the build is
 * synchronous (constructs are built in constructors), which tar-stream's streams are not;
 * and compressed deflate output depends on the zlib build, so gzipping with Node's zlib
 * would tie the archive's bytes (and its content hash, hence the S3 key) to the Node.js
 * version. Stored blocks make the gzip a pure function of the files; source directories
 * are small, so the missing compression costs little.
 */

const BLOCK = 512;
/** 1980-01-01T00:00:00Z. */
const MTIME = 315532800;

/** Writes `value` as a NUL-terminated octal field of `width` bytes. */
function octal(header: Buffer, offset: number, width: number, value: number): void {
  header.write(`${value.toString(8).padStart(width - 1, '0')}\0`, offset, width, 'ascii');
}

/** Splits a path into ustar's prefix (155 bytes) and name (100 bytes) at a `/`. */
function splitPath(path: string): { name: string; prefix: string } {
  if (Buffer.byteLength(path) <= 100) return { name: path, prefix: '' };
  for (let i = path.indexOf('/'); i !== -1; i = path.indexOf('/', i + 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100) return { name, prefix };
  }
  throw new PackageError(`${path}: the path is too long for a tar archive (ustar)`);
}

/** One ustar header for a regular file. */
function header(path: string, size: number): Buffer {
  const h = Buffer.alloc(BLOCK);
  const { name, prefix } = splitPath(path);
  h.write(name, 0, 100, 'utf8');
  octal(h, 100, 8, 0o644);
  octal(h, 108, 8, 0);
  octal(h, 116, 8, 0);
  octal(h, 124, 12, size);
  octal(h, 136, 12, MTIME);
  h.write('        ', 148, 8, 'ascii'); // the checksum counts its own field as spaces
  h.write('0', 156, 1, 'ascii'); // regular file
  h.write('ustar\0', 257, 6, 'ascii');
  h.write('00', 263, 2, 'ascii');
  h.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  return h;
}

/** A tar archive (ustar) of the entries, in path order, ending with two zero blocks. */
export function tarEntries(entries: readonly ZipEntry[]): Uint8Array {
  const sorted = [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const parts: Buffer[] = [];
  for (const e of sorted) {
    parts.push(header(e.path, e.data.length), Buffer.from(e.data));
    const pad = (BLOCK - (e.data.length % BLOCK)) % BLOCK;
    if (pad > 0) parts.push(Buffer.alloc(pad));
  }
  parts.push(Buffer.alloc(2 * BLOCK));
  return new Uint8Array(Buffer.concat(parts));
}

/** Largest stored deflate block. */
const STORED_MAX = 0xffff;

/**
 * A gzip member (RFC 1952) holding `data` in stored deflate blocks (RFC 1951 3.2.4): no
 * modification time, no file name, OS "unknown", so the bytes depend on `data` alone.
 */
export function gzipStored(data: Uint8Array): Uint8Array {
  const head = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
  const blocks: Buffer[] = [];
  let offset = 0;
  do {
    const len = Math.min(STORED_MAX, data.length - offset);
    const last = offset + len >= data.length;
    const b = Buffer.alloc(5);
    b.writeUInt8(last ? 1 : 0, 0);
    b.writeUInt16LE(len, 1);
    b.writeUInt16LE(~len & 0xffff, 3);
    blocks.push(b, Buffer.from(data.subarray(offset, offset + len)));
    offset += len;
  } while (offset < data.length);
  const tail = Buffer.alloc(8);
  tail.writeUInt32LE(crc32(data), 0);
  tail.writeUInt32LE(data.length >>> 0, 4);
  return new Uint8Array(Buffer.concat([head, ...blocks, tail]));
}

/** The deterministic tar.gz of a directory's files. */
export function tarGzDirectory(dir: string): Uint8Array {
  return gzipStored(tarEntries(directoryEntries(dir)));
}
