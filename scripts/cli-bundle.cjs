// The CLI bundle: where it lives, when it is stale and how to build it. Shared by
// bin/eks-endpoint-guard.js (rebuilds a stale bundle before running it) and scripts/build-cli.mjs.
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const bundle = path.join(root, 'dist', 'cli.cjs');
/** The commands live in a second file, loaded only when a command runs: `--help` stays quick. */
const commandsBundle = path.join(root, 'dist', 'cli-commands.cjs');
const entry = path.join(root, 'functions', 'cli', 'main.ts');
const COMMANDS_IMPORT = './cli-commands.cjs';
/** Besides every file under functions/: what the bundle embeds or depends on. */
const extraInputs = ['infra/default-policy.json', 'package-lock.json', 'scripts/cli-bundle.cjs'].map((p) =>
  path.join(root, p),
);

function newestInput(dir = path.join(root, 'functions'), newest = 0) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = newestInput(full, newest);
    else if (entry.isFile()) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** True when the bundle is missing or older than a source under functions/ or an extra input. */
function isStale() {
  let built;
  try {
    built = Math.min(fs.statSync(bundle).mtimeMs, fs.statSync(commandsBundle).mtimeMs);
  } catch {
    return true;
  }
  let newest = newestInput();
  for (const file of extraInputs) {
    try {
      newest = Math.max(newest, fs.statSync(file).mtimeMs);
    } catch {
      // An optional input that does not exist cannot make the bundle stale.
    }
  }
  return newest > built;
}

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // Bundled (middy is ESM-only, esbuild converts it); node builtins stay external, and the commands
  // leave the AWS SDK to node_modules (below).
  packages: 'bundle',
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  write: false,
  // jsonc-parser's UMD build requires its parts at run time, which a bundle cannot follow.
  alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
};

/** The commands first, then the entry that loads them: a concurrent run never finds the entry alone. */
const buildOptions = [
  {
    ...common,
    entryPoints: [path.join(root, 'functions', 'cli', 'commands.ts')],
    outfile: commandsBundle,
    // The AWS SDK is loaded from node_modules when a client is first used: parsing a bundled copy of
    // every client (~5 MB) would delay every command's first AWS call. playwright-core (the PDF
    // report only) loads its parts at run time, which a bundle cannot follow.
    external: ['@aws-sdk/*', '@smithy/*', 'playwright-core'],
  },
  {
    ...common,
    entryPoints: [entry],
    outfile: bundle,
    define: { 'globalThis.CLI_COMMANDS_BUNDLE': JSON.stringify(COMMANDS_IMPORT) },
    // Folds the constant above, so that the import of the commands from source is dropped.
    minifySyntax: true,
    external: [COMMANDS_IMPORT],
  },
];

/** Builds with esbuild's synchronous API and replaces each file atomically (parallel runs are safe). */
function build(esbuild = require('esbuild')) {
  fs.mkdirSync(path.dirname(bundle), { recursive: true });
  for (const options of buildOptions) {
    const result = esbuild.buildSync(options);
    for (const file of result.outputFiles) {
      const temporary = `${file.path}.${process.pid}.tmp`;
      fs.writeFileSync(temporary, file.contents);
      fs.renameSync(temporary, file.path);
    }
  }
  return bundle;
}

/** Rebuilds a stale bundle when esbuild is installed; returns false when it cannot. */
function ensureFresh() {
  if (!isStale()) return true;
  let esbuild;
  try {
    esbuild = require('esbuild');
  } catch {
    return fs.existsSync(bundle);
  }
  build(esbuild);
  return true;
}

module.exports = { root, bundle, commandsBundle, entry, buildOptions, isStale, build, ensureFresh };
