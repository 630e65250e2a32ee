import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { ROOT } from './harness/spec';

/**
 * The library's public surface: what the exports map publishes, that every export is
 * documented, and that the root entry loads cdktf only when the cdktf half is used.
 * (test/compose-cdktf.test.ts uses it as a user does, from the packed package.)
 */
const ENTRIES = ['src/index.ts', 'src/constructs/index.ts'];

describe('public entry points', () => {
  test('package.json exports the root, pipeform/constructs, the schema and package.json, each of which exists', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      main: string;
      types: string;
      exports: Record<string, string | { types: string; default: string }>;
      typesVersions: Record<string, Record<string, string[]>>;
    };
    expect(Object.keys(pkg.exports)).toEqual(['.', './constructs', './schema', './package.json']);
    expect(pkg.exports['.']).toEqual({ types: `./${pkg.types}`, default: `./${pkg.main}` });
    expect(pkg.exports['./constructs']).toEqual({
      types: './dist/src/constructs/index.d.ts',
      default: './dist/src/constructs/index.js',
    });
    // moduleResolution "node" reads no exports map: typesVersions maps the subpath for it.
    expect(pkg.typesVersions['*'].constructs).toEqual(['dist/src/constructs/index.d.ts']);
    expect(pkg.exports['./schema']).toBe('./schemas/pipeline.schema.json');
    // The sources of the compiled entries.
    for (const entry of ENTRIES) expect(() => readFileSync(join(ROOT, entry))).not.toThrow();
  });

  test('every export of the root and of pipeform/constructs has JSDoc', () => {
    const program = ts.createProgram(
      ENTRIES.map((e) => join(ROOT, e)),
      {
        strict: true,
        resolveJsonModule: true,
        esModuleInterop: true,
        module: ts.ModuleKind.CommonJS,
        moduleResolution: ts.ModuleResolutionKind.Node10,
        types: ['node'],
        noEmit: true,
      },
    );
    const checker = program.getTypeChecker();
    const undocumented: string[] = [];
    const names: Record<string, string[]> = {};
    for (const entry of ENTRIES) {
      const file = program.getSourceFile(join(ROOT, entry));
      const module = file && checker.getSymbolAtLocation(file);
      if (!module) throw new Error(`${entry}: not a module`);
      names[entry] = [];
      for (const symbol of checker.getExportsOfModule(module)) {
        names[entry].push(symbol.name);
        const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
        const doc = [target, symbol]
          .map((s) => ts.displayPartsToString(s.getDocumentationComment(checker)))
          .join('');
        if (doc.trim() === '') undocumented.push(`${entry}: ${symbol.name}`);
      }
    }
    expect(undocumented).toEqual([]);
    // What the issue asks of the root: the stack, the compiler and the resolved-spec types.
    expect(names['src/index.ts']).toEqual(
      expect.arrayContaining([
        'PipelineStack',
        'compileSpec',
        'ResolvedSpec',
        'ResolvedBucket',
        'ResolvedServing',
      ]),
    );
    expect(names['src/constructs/index.ts']).toEqual(expect.arrayContaining(['PipelineStack', 'synthesize']));
  });

  test('every file of src/model is re-exported by src/model/index.ts', () => {
    const index = readFileSync(join(ROOT, 'src', 'model', 'index.ts'), 'utf8');
    const files = readdirSync(join(ROOT, 'src', 'model')).filter(
      (f) => f.endsWith('.ts') && f !== 'index.ts',
    );
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) expect(index).toContain(`export type * from './${f.replace(/\.ts$/, '')}';`);
  });

  test('require of the root loads no cdktf until the cdktf half is used, then the same objects as pipeform/constructs', () => {
    const r = spawnSync(
      process.execPath,
      [
        '-e',
        `const cdktf = () => Object.keys(require.cache).filter((f) => /node_modules[\\\\/](cdktf|@cdktf|cdktn|@cdktn)[\\\\/]/.test(f)).length;
         const root = require('./dist/src/index.js');
         const spec = root.compileSpec('examples/quickstart/pipeline.yaml', root.readSpecFile('examples/quickstart/pipeline.yaml'));
         const compiled = cdktf();
         const Stack = root.PipelineStack;
         const provider = Object.keys(require.cache).some((f) => /provider-aws[\\\\/]lib[\\\\/]index\\.js$/.test(f));
         const constructs = require('./dist/src/constructs/index.js');
         console.log(JSON.stringify({ name: spec.resolved.name, compiled, used: cdktf() > 0, provider,
           same: Stack === constructs.PipelineStack && root.synthesize === constructs.synthesize,
           main: root.MAIN_FILE, keys: Object.keys(root).includes('PipelineStack') }));`,
      ],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({
      name: 'quickstart',
      compiled: 0,
      used: true,
      // Deep imports only: the provider's package root (~5 s, ~500 MB) is never loaded.
      provider: false,
      same: true,
      main: 'main.tf.json',
      keys: true,
    });
  });
});
