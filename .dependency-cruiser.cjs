/**
 * The layers of DESIGN §14 as rules, checked by `npm test` (npm run deps):
 * entry points (remediator, central, cli, hook) -> guard/ -> core/ and ports.ts, seal-ports.ts <- aws/.
 * Arrows point down only, and no two files import each other (type-only imports count).
 */
const ENTRY = '^functions/(remediator|central|cli|hook)/';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No two modules import each other, directly or through others.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-is-pure',
      comment: 'core/ is the pure domain: no AWS SDK, Powertools or middy, and nothing above it.',
      severity: 'error',
      from: { path: '^functions/core/' },
      to: {
        pathNot: ['^functions/core/', '^node_modules/(zod|ipaddr\\.js|jsonc-parser|csv-stringify|yaml)/'],
        dependencyTypesNot: ['core'],
      },
    },
    {
      name: 'ports-know-only-core',
      comment:
        'ports.ts (and seal-ports.ts) say what the guard needs in the terms of core; they know no adapter.',
      severity: 'error',
      from: { path: '^functions/(seal-)?ports\\.ts$' },
      to: { pathNot: ['^functions/core/', '^functions/(seal-)?ports\\.ts$'] },
    },
    {
      name: 'adapters-import-core-and-ports',
      comment: 'aws/ implements the ports with the SDK: it imports only core, the ports and itself.',
      severity: 'error',
      from: { path: '^functions/aws/' },
      to: { path: '^functions/', pathNot: ['^functions/(aws|core)/', '^functions/(seal-)?ports\\.ts$'] },
    },
    {
      name: 'guard-uses-ports-not-adapters',
      comment: 'The application layer reaches AWS only through the ports.',
      severity: 'error',
      from: { path: '^functions/guard/' },
      to: { path: '^functions/', pathNot: ['^functions/(guard|core)/', '^functions/(seal-)?ports\\.ts$'] },
    },
    {
      name: 'guard-uses-no-sdk',
      comment: 'The application layer sequences I/O through the ports, never the SDK itself.',
      severity: 'error',
      from: { path: '^functions/guard/' },
      to: { path: '^node_modules/@aws-sdk/' },
    },
    {
      name: 'wiring-below-entry-points',
      comment: 'wiring/ composes adapters into ports for the entry points; it imports no entry point.',
      severity: 'error',
      from: { path: '^functions/wiring/' },
      to: { path: ENTRY },
    },
    {
      name: 'nothing-imports-an-entry-point',
      comment: 'Entry points parse, wire and call; nothing in functions/, infra/ or scripts/ builds on one.',
      severity: 'error',
      from: { path: '^(functions|infra|scripts)/', pathNot: ENTRY },
      to: { path: ENTRY },
    },
    {
      name: 'entry-points-stay-apart',
      comment: 'One entry point does not import another.',
      severity: 'error',
      from: { path: '^functions/remediator/' },
      to: { path: '^functions/(central|cli|hook)/' },
    },
    {
      name: 'entry-points-stay-apart-central',
      severity: 'error',
      from: { path: '^functions/central/' },
      to: { path: '^functions/(remediator|cli|hook)/' },
    },
    {
      name: 'entry-points-stay-apart-cli',
      severity: 'error',
      from: { path: '^functions/cli/' },
      to: { path: '^functions/(remediator|central|hook)/' },
    },
    {
      name: 'entry-points-stay-apart-hook',
      severity: 'error',
      from: { path: '^functions/hook/' },
      to: { path: '^functions/(remediator|central|cli)/' },
    },
  ],
  options: {
    // swc parses the TypeScript 7 sources (tsc 7.0 has no API to read them with) and keeps
    // type-only imports, which count for cycles.
    parser: 'swc',

    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
    exclude: { path: '^(cdk\\.out|coverage|dist)/' },
  },
};
