import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * The layer rules of .dependency-cruiser.cjs (run over the real tree by `npm run deps` in `npm test`)
 * must catch what they promise: a small tree that breaks one rule at a time fails, the same tree
 * without the break passes.
 */
const ROOT = join(__dirname, '..', '..');
const CRUISER = join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruiser.mjs');
const supported = Number(process.versions.node.split('.')[0]) >= 22;

function cruise(files: Record<string, string>): { ok: boolean; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'layers-'));
  try {
    const all = {
      'tsconfig.json': '{"compilerOptions":{"module":"preserve","moduleResolution":"bundler"}}',
      ...files,
    };
    for (const [path, text] of Object.entries(all)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const args = [
      CRUISER,
      '--config',
      join(ROOT, '.dependency-cruiser.cjs'),
      '--output-type',
      'err',
      'functions',
    ];
    try {
      return { ok: true, output: execFileSync(process.execPath, args, { cwd: dir, encoding: 'utf8' }) };
    } catch (error) {
      return { ok: false, output: String((error as { stdout?: string }).stdout ?? error) };
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const LAYERED = {
  'functions/core/evaluate.ts': 'export const evaluate = (n: number) => n > 0;\n',
  'functions/ports.ts':
    "import type { evaluate } from './core/evaluate';\nexport type Port = typeof evaluate;\n",
  'functions/aws/eks.ts': "import type { Port } from '../ports';\nexport const eks = (p: Port) => p;\n",
  'functions/guard/check.ts':
    "import { evaluate } from '../core/evaluate';\nexport const check = () => evaluate(1);\n",
  'functions/remediator/handler.ts':
    "import { check } from '../guard/check';\nexport const handler = check;\n",
};

(supported ? describe : describe.skip)('layer rules', () => {
  it('a tree that keeps the layers passes', () => {
    // Act
    const { ok, output } = cruise(LAYERED);

    // Assess
    expect(output).toContain('no dependency violations found (5 modules, 4 dependencies cruised)');
    expect(ok).toBe(true);
  });

  it.each([
    [
      'no-circular',
      'a type-only import back up closes a cycle',
      {
        'functions/core/evaluate.ts':
          "import type { Port } from '../ports';\nexport type P = Port;\nexport const evaluate = (n: number) => n > 0;\n",
      },
    ],
    [
      'core-is-pure',
      'core imports the AWS SDK',
      {
        'functions/core/evaluate.ts':
          "import '@aws-sdk/client-eks';\nexport const evaluate = (n: number) => n > 0;\n",
      },
    ],
    [
      'adapters-import-core-and-ports',
      'an adapter imports the application layer',
      { 'functions/aws/eks.ts': "import { check } from '../guard/check';\nexport const eks = check;\n" },
    ],
    [
      'guard-uses-ports-not-adapters',
      'the application layer imports an adapter',
      { 'functions/guard/check.ts': "import { eks } from '../aws/eks';\nexport const check = eks;\n" },
    ],
    [
      'nothing-imports-an-entry-point',
      'the application layer imports the handler',
      {
        'functions/guard/check.ts':
          "import { handler } from '../remediator/handler';\nexport const check = handler;\n",
      },
    ],
  ])('%s: %s', (rule, _case, broken) => {
    // Act
    const { ok, output } = cruise({ ...LAYERED, ...broken });

    // Assess
    expect(ok).toBe(false);
    expect(output).toContain(rule);
  });
});
