import { join } from 'node:path';
import { buildSync } from 'esbuild';

/**
 * `policy validate` and `policy scp` are offline: their module graphs (what the CLI bundle runs for
 * them) hold no AWS SDK and no Powertools code. Read from esbuild's metafile of each command module,
 * so that an import added anywhere down the graph fails here.
 */
const ROOT = join(__dirname, '..', '..', '..');

function inputsOf(entry: string): string[] {
  const result = buildSync({
    entryPoints: [join(ROOT, entry)],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    write: false,
    metafile: true,
    logLevel: 'silent',
    alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
  });
  return Object.keys(result.metafile?.inputs ?? {});
}

describe('offline policy commands', () => {
  it.each(['functions/cli/commands/policy/validate.ts', 'functions/cli/commands/policy/scp.ts'])(
    '%s loads no AWS SDK code',
    (entry) => {
      // Act
      const inputs = inputsOf(entry);

      // Assess: the graph is real (it holds the linter), and holds nothing of AWS
      expect(inputs).toContain('functions/core/policy/lint.ts');
      expect(
        inputs.filter((path) => /node_modules\/@(aws-sdk|smithy|aws-lambda-powertools)\//.test(path)),
      ).toEqual([]);
    },
  );

  it('the entry of the CLI (help, parsing) loads no AWS SDK code either', () => {
    // Act
    const inputs = inputsOf('functions/cli/commands/policy/program.ts');

    // Assess
    expect(inputs.filter((path) => path.includes('@aws-sdk/'))).toEqual([]);
  });
});
