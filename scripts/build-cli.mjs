// Builds the CLI bundle (dist/cli.cjs). `--if-stale` skips the build when the bundle is newer
// than every source under functions/ and infra/default-policy.json.
import { createRequire } from 'node:module';
import { relative } from 'node:path';

const require = createRequire(import.meta.url);
const { build, bundle, isStale, root } = require('./cli-bundle.cjs');

const ifStale = process.argv.includes('--if-stale');
if (ifStale && !isStale()) {
  process.exit(0);
}
const started = performance.now();
try {
  build();
} catch (error) {
  // esbuild has already printed the errors with their locations.
  process.stderr.write(
    `eks-endpoint-guard: the CLI bundle could not be built (${error.message.split('\n')[0]})\n`,
  );
  process.exit(1);
}
process.stderr.write(`built ${relative(root, bundle)} in ${Math.round(performance.now() - started)} ms\n`);
