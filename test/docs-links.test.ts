/**
 * Every relative link in README.md and docs/*.md resolves: the file exists and, for `#anchor`,
 * the target has a heading (GitHub's slug) or an `<a id>` of that name. The README was split
 * into docs/ pages (issue 18); this keeps the links between them from rotting.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { ROOT } from './harness/spec';

/** Markdown with fenced code blocks and inline code removed: links inside them are text, not links. */
function withoutCode(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '');
}

/** GitHub's heading anchor: lowercase, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').split('\n')) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading !== null) {
      const base = heading[1]
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, '')
        .replace(/\s/g, '-');
      const count = seen.get(base) ?? 0;
      seen.set(base, count + 1);
      anchors.add(count === 0 ? base : `${base}-${count}`);
    }
    for (const m of line.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(m[1]);
  }
  return anchors;
}

/** The broken relative links of one markdown file, as `target: reason`. */
function brokenLinks(file: string, markdown: string): string[] {
  const broken: string[] = [];
  for (const m of withoutCode(markdown).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    const target = m[1];
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
    const [pathPart, anchor] = target.split('#', 2);
    const path = pathPart === '' ? file : resolve(dirname(file), decodeURIComponent(pathPart));
    if (path !== file && !existsSync(path)) {
      broken.push(`${target}: no such file`);
      continue;
    }
    if (anchor === undefined || anchor === '') continue;
    if (path !== file && (statSync(path).isDirectory() || !path.endsWith('.md'))) {
      broken.push(`${target}: an anchor on a file that is not markdown`);
      continue;
    }
    const text = path === file ? markdown : readFileSync(path, 'utf8');
    if (!anchorsOf(text).has(anchor)) broken.push(`${target}: no heading #${anchor}`);
  }
  return broken;
}

const docs = readdirSync(join(ROOT, 'docs'))
  .filter((name) => name.endsWith('.md'))
  .map((name) => join(ROOT, 'docs', name));

describe('markdown links', () => {
  test.each([join(ROOT, 'README.md'), ...docs].map((f) => [relative(ROOT, f), f]))(
    '%s: every relative link resolves',
    (_name, file) => {
      expect(brokenLinks(file, readFileSync(file, 'utf8'))).toEqual([]);
    },
  );

  test('the checker finds a missing file, a missing heading, and accepts good links', () => {
    const file = join(ROOT, 'docs', 'probe.md');
    const text = [
      '# Probe: one, two',
      '## Probe: one, two',
      '[ok](#probe-one-two) [ok](#probe-one-two-1) [ok](cli.md#exit-codes) [ok](../examples/)',
      '[bad](nope.md) [bad](cli.md#no-such-heading) [bad](#probe-one-two-2)',
      '`[not a link](nope.md)`',
      '```',
      '[not a link](nope.md)',
      '```',
    ].join('\n');
    expect(brokenLinks(file, text)).toEqual([
      'nope.md: no such file',
      'cli.md#no-such-heading: no heading #no-such-heading',
      '#probe-one-two-2: no heading #probe-one-two-2',
    ]);
  });

  test('the README indexes every docs/ page', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const unlisted = docs.map((f) => relative(ROOT, f)).filter((page) => !readme.includes(`](${page})`));
    expect(unlisted).toEqual([]);
  });

  test('the README stays a front page: at most 150 lines', () => {
    const lines = readFileSync(join(ROOT, 'README.md'), 'utf8').trimEnd().split('\n');
    expect(lines.length).toBeLessThanOrEqual(150);
  });
});
