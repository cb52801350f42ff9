import { readFileSync } from 'node:fs';
import type { Plugin } from 'esbuild';

// What-if variants: the stack's options with one change, made at bundle time by these esbuild plugins.

/** `import * as z from 'zod'` instead of `import { z } from 'zod'` (lets esbuild drop the unused parts). */
export const zodNamespacePlugin: Plugin = {
  name: 'what-if-zod-namespace',
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /[\\/]functions[\\/].*\.ts$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      return {
        contents: source.replace(/import \{ z \} from 'zod';/g, "import * as z from 'zod';"),
        loader: 'ts',
      };
    });
  },
};

/** No X-Ray tracing: Powertools Tracer and its middleware replaced by no-ops. */
export const noTracerPlugin: Plugin = {
  name: 'what-if-no-tracer',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^@aws-lambda-powertools\/tracer(\/middleware)?$/ }, (args) => ({
      path: args.path,
      namespace: 'no-tracer',
    }));
    pluginBuild.onLoad({ filter: /.*/, namespace: 'no-tracer' }, () => ({
      contents: [
        'export class Tracer { captureAWSv3Client(client) { return client; } }',
        'export const captureLambdaHandler = () => ({ before: () => undefined });',
      ].join('\n'),
      loader: 'js',
    }));
  },
};

/** Exports each stubbed SDK package must provide (what functions/ imports from it). */
const DEFERRABLE_CLIENTS: Record<string, string[]> = {
  '@aws-sdk/client-ec2': ['EC2Client', 'DescribeSubnetsCommand', 'DescribeVpcAttributeCommand'],
  '@aws-sdk/client-sns': ['SNSClient', 'PublishCommand'],
  '@aws-sdk/client-sqs': ['SQSClient', 'SendMessageCommand'],
};

/** EC2, SNS and SQS left out of the bundle (inert classes): the most a separate lazy chunk could save. */
export const noRareClientsPlugin: Plugin = {
  name: 'what-if-no-rare-clients',
  setup(pluginBuild) {
    const names = Object.keys(DEFERRABLE_CLIENTS).map((n) => n.replace(/[/-]/g, '\\$&'));
    pluginBuild.onResolve({ filter: new RegExp(`^(${names.join('|')})$`) }, (args) => ({
      path: args.path,
      namespace: 'no-rare-clients',
    }));
    pluginBuild.onLoad({ filter: /.*/, namespace: 'no-rare-clients' }, (args) => ({
      contents: [
        'class Inert { constructor(input) { this.input = input; this.middlewareStack = { add() {}, use() {} }; }',
        "  send() { return Promise.reject(new Error('not in this what-if bundle')); } destroy() {} }",
        ...(DEFERRABLE_CLIENTS[args.path] ?? []).map((name) => `export class ${name} extends Inert {}`),
      ].join('\n'),
      loader: 'js',
    }));
  },
};
