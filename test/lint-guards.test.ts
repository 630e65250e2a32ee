import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './harness/spec';

/**
 * The import guards in eslint.config.mjs, exercised: the pure stages may not import cdktf
 * or its fork CDK Terrain (cdktn) in either package family, and nobody imports a provider
 * package root; the check stage and the catalogs never import normalize. A guard that
 * matches nothing would pass `npm run lint` silently.
 * (ESLint runs in a child process: its config is an ES module, which jest's VM cannot import.)
 */
describe('ESLint import guards', () => {
  /** The no-restricted-imports message of each import, by package name. */
  function restricted(file: string, names: string[]): Record<string, string[]> {
    const source = names
      .map((n, i) => `import * as x${i} from '${n}';\nexport const y${i} = x${i};\n`)
      .join('');
    const r = spawnSync(
      process.execPath,
      [
        join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js'),
        '--stdin',
        '--stdin-filename',
        file,
        '--format',
        'json',
      ],
      { cwd: ROOT, input: source, encoding: 'utf8' },
    );
    const [result] = JSON.parse(r.stdout) as {
      messages: { ruleId: string; line: number; message: string }[];
    }[];
    return Object.fromEntries(
      names.map((n, i) => [
        n,
        result.messages
          .filter((m) => m.ruleId === 'no-restricted-imports' && m.line === 2 * i + 1)
          .map((m) => m.message),
      ]),
    );
  }

  const CDK_IMPORTS = [
    'cdktf',
    'cdktf/lib/terraform-stack',
    '@cdktf/provider-aws/lib/s3-bucket',
    'cdktn',
    'cdktn/lib/terraform-stack',
    '@cdktn/provider-aws/lib/s3-bucket',
    'constructs',
  ];

  test.each(['src/compiler/probe.ts', 'src/model/probe.ts', 'src/spec/probe.ts', 'src/cli.ts'])(
    '%s may import neither cdktf nor cdktn',
    (file) => {
      const found = restricted(file, CDK_IMPORTS);
      for (const name of CDK_IMPORTS)
        expect([name, found[name]]).toEqual([name, [expect.stringContaining('may import cdktf')]]);
    },
  );

  test.each(['src/areas/probe/catalog.ts', 'src/compiler/rules/probe.ts', 'src/compiler/check.ts'])(
    '%s (the check stage and the catalogs) imports no normalize file, and no cdktf',
    (file) => {
      const normalize = ['../normalize', '../normalize/storage', '../../compiler/normalize/data'];
      const found = restricted(file, [...normalize, 'cdktf']);
      for (const name of normalize)
        expect([name, found[name]]).toEqual([name, [expect.stringContaining('import the area catalog')]]);
      expect(found.cdktf).toEqual([expect.stringContaining('may import cdktf')]);
    },
  );

  test('advice (src/advise) imports no normalize file either', () => {
    const normalize = ['../../compiler/normalize/eks', '../../compiler/normalize'];
    const found = restricted('src/advise/rules/probe.ts', normalize);
    for (const name of normalize)
      expect([name, found[name]]).toEqual([name, [expect.stringContaining('import the area catalog')]]);
  });

  test('normalize may import normalize and the catalogs', () => {
    const found = restricted('src/compiler/normalize/probe.ts', ['./storage', '../../areas/storage/catalog']);
    expect(found).toEqual({ './storage': [], '../../areas/storage/catalog': [] });
  });

  test('the construct layer may import both families by deep path, never a provider root', () => {
    const allowed = [
      '@cdktf/provider-aws/lib/s3-bucket',
      '@cdktn/provider-aws/lib/s3-bucket',
      'cdktf',
      'cdktn',
    ];
    const roots = ['@cdktf/provider-aws', '@cdktn/provider-aws'];
    const found = restricted('src/constructs/probe.ts', [...allowed, ...roots]);
    for (const name of allowed) expect([name, found[name]]).toEqual([name, []]);
    for (const name of roots)
      expect([name, found[name]]).toEqual([name, [expect.stringContaining('deep path')]]);
  });
});
