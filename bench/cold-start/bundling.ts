import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type BuildOptions, build, type Metafile, type Plugin } from 'esbuild';
import { ROOT, tmpDir } from '../lib/env';
import { ENTRY } from './settings';

/** The remediator bundle built as the stack's NodejsFunction builds it, in the variants measured. */

export interface StackBundling {
  runtime: string;
  target: string;
  bundleAwsSdk: boolean;
  /** Whether the source map carries a copy of the sources (`sourcesContent`). */
  sourcesInMap: boolean;
  /** What NodejsFunction leaves out when the SDK is not bundled (depends on a cdk.json feature flag). */
  sdkExternals: string[];
}

/** Reads the runtime and the SDK choice from the stack itself, and the SDK externals flag from cdk.json. */
export async function stackBundling(): Promise<StackBundling> {
  const stack = await import('../../infra/stack');
  const runtime = stack.REMEDIATOR_RUNTIME.name;
  const version = /nodejs(\d+)/.exec(runtime)?.[1];
  if (!version) throw new Error(`cannot derive an esbuild target from runtime ${runtime}`);
  const context = JSON.parse(readFileSync(join(ROOT, 'cdk.json'), 'utf8')).context ?? {};
  const excludeSmithy = context['@aws-cdk/aws-lambda-nodejs:sdkV3ExcludeSmithyPackages'] === true;
  return {
    runtime,
    target: `node${version}`,
    bundleAwsSdk: stack.BUNDLE_AWS_SDK,
    sourcesInMap: stack.SOURCES_IN_MAP,
    sdkExternals: excludeSmithy ? ['@aws-sdk/*', '@smithy/*'] : ['@aws-sdk/*'],
  };
}

export interface Variant {
  key: string;
  label: string;
  /** What differs from the stack's options (what-if variants only). */
  change?: string;
  sdkExternal: boolean;
  plugins?: Plugin[];
  mainFields?: string[];
  /** NodejsFunction's `sourcesContent` (default true: the sources are copied into the map). */
  sourcesContent?: boolean;
}

export interface Built {
  variant: Variant;
  file: string;
  bytes: number;
  gzipBytes: number;
  mapBytes: number;
  mapGzipBytes: number;
  metafile: Metafile;
  sha256: string;
}

/** The options NodejsFunction passes to esbuild (`--bundle --target --platform=node --format=cjs --minify --sourcemap --external:…`). */
function stackOptions(stack: StackBundling, variant: Variant, outfile: string): BuildOptions {
  return {
    entryPoints: [ENTRY],
    bundle: true,
    target: stack.target,
    platform: 'node',
    format: 'cjs',
    outfile,
    minify: true,
    sourcemap: true,
    external: variant.sdkExternal ? stack.sdkExternals : [],
    absWorkingDir: ROOT,
    metafile: true,
    logLevel: 'error',
    ...(variant.mainFields ? { mainFields: variant.mainFields } : {}),
    sourcesContent: variant.sourcesContent ?? stack.sourcesInMap,
    ...(variant.plugins ? { plugins: variant.plugins } : {}),
  };
}

export async function buildVariant(stack: StackBundling, variant: Variant): Promise<Built> {
  // Under the repository root, so that an external @aws-sdk resolves from node_modules.
  const file = join(tmpDir('cold-start', variant.key), 'index.js');
  const result = await build(stackOptions(stack, variant, file));
  if (!result.metafile) throw new Error('esbuild returned no metafile');
  const code = readFileSync(file);
  const map = readFileSync(`${file}.map`);
  return {
    variant,
    file,
    bytes: code.length,
    gzipBytes: gzipSync(code).length,
    mapBytes: map.length,
    mapGzipBytes: gzipSync(map).length,
    metafile: result.metafile,
    sha256: createHash('sha256').update(code).digest('hex'),
  };
}

/** The bundle as the stack deploys it (its `BUNDLE_AWS_SDK`) and the other way, built in that order. */
export async function buildBothWays(stack: StackBundling): Promise<{ deployed: Built; other: Built }> {
  const deployedVariant: Variant = {
    key: stack.bundleAwsSdk ? 'sdk-bundled' : 'sdk-external',
    label: stack.bundleAwsSdk ? 'SDK bundled (as deployed)' : 'runtime SDK (as deployed)',
    sdkExternal: !stack.bundleAwsSdk,
  };
  const otherVariant: Variant = {
    key: stack.bundleAwsSdk ? 'sdk-external' : 'sdk-bundled',
    label: stack.bundleAwsSdk
      ? 'runtime SDK (`BUNDLE_AWS_SDK = false`)'
      : 'SDK bundled (`BUNDLE_AWS_SDK = true`)',
    sdkExternal: stack.bundleAwsSdk,
  };
  const deployed = await buildVariant(stack, deployedVariant);
  const other = await buildVariant(stack, otherVariant);
  return { deployed, other };
}
