#!/usr/bin/env node
// Runs the bundled CLI (dist/cli.cjs), rebuilding it first when a source is newer: a run never
// pays for compiling TypeScript unless something changed.
const { bundle, ensureFresh } = require('../scripts/cli-bundle.cjs');

const fail = (message) => {
  process.stderr.write(`eks-endpoint-guard: ${String(message).split('\n')[0]}\n`);
  process.exit(1);
};

let fresh;
try {
  fresh = ensureFresh();
} catch (error) {
  // esbuild has already printed where the sources do not build.
  fail(`the CLI bundle could not be built: ${error?.message ?? error}`);
}
if (!fresh) fail('dist/cli.cjs is missing and esbuild is not installed; run "npm ci", then "npm run build"');

require(bundle)
  .main(process.argv)
  .then(
    (code) => {
      process.exitCode = code;
    },
    (error) => fail(error?.message ?? error),
  );
