import { lstatSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, relative as relativePath, isAbsolute, sep } from 'node:path';

/**
 * The files beside a spec, as the check stage sees them. A spec names local scripts, code
 * directories and certificates relative to its own file; the check stage asks this view
 * whether each one is there and may be shipped, so `pipeform validate` reports a missing
 * file at its line and column instead of the build failing later. Rules stay functions of
 * their inputs: tests give them a view of their own.
 */
export interface SpecFiles {
  /**
   * Why the path `relative` (relative to the spec file's directory, already known not to
   * climb out of it with `..`) cannot be shipped as a `kind`; undefined when it can.
   */
  problem(relative: string, kind: 'file' | 'directory'): string | undefined;
}

/** What a directory holds, for packaging: its regular files (relative paths, sorted), or why it cannot be packed. */
export type DirectoryListing =
  { readonly files: readonly string[]; readonly problem?: undefined } | { readonly problem: string };

/**
 * The regular files under `dir`, recursively, sorted by path with `/` separators. Symbolic
 * links and other special files are refused (what they point to differs between machines),
 * and so is a directory without files.
 */
export function listDirectory(dir: string): DirectoryListing {
  const files: string[] = [];
  const walk = (abs: string, rel: string): string | undefined => {
    for (const name of readdirSync(abs).sort()) {
      const path = join(abs, name);
      const relPath = rel === '' ? name : `${rel}/${name}`;
      const st = lstatSync(path);
      if (st.isDirectory()) {
        const problem = walk(path, relPath);
        if (problem) return problem;
      } else if (st.isFile()) files.push(relPath);
      else return `${relPath} is not a regular file or directory (symbolic links are not packaged)`;
    }
    return undefined;
  };
  const problem = walk(dir, '');
  if (problem) return { problem };
  if (files.length === 0) return { problem: 'it holds no files' };
  return { files: files.sort() };
}

/** True when `path` is `root` or inside it. */
function inside(root: string, path: string): boolean {
  const rel = relativePath(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** The real file system beside `specFile`. */
export function nodeSpecFiles(specFile: string): SpecFiles {
  const base = dirname(specFile);
  return {
    problem(relative, kind) {
      const abs = join(base, relative);
      let real: string;
      let root: string;
      try {
        root = realpathSync(base);
        real = realpathSync(abs);
      } catch {
        return 'it does not exist';
      }
      if (!inside(root, real)) {
        return `it resolves (through a symbolic link) to ${real}, outside the spec's folder ${root}`;
      }
      const st = statSync(real);
      if (kind === 'file') {
        if (st.isDirectory()) return 'it is a directory, not a file';
        return st.isFile() ? undefined : 'it is not a regular file';
      }
      if (!st.isDirectory()) return 'it is not a directory';
      return listDirectory(real).problem;
    },
  };
}
