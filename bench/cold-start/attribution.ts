import { statSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { ROOT, tmpDir } from '../lib/env';
import type { Summary } from '../lib/stats';
import type { StackBundling } from './bundling';
import { type Measured, measure } from './measure';
import { NO_OP_EVENT } from './settings';

/** Load time of one dependency bundled alone. */
export interface Attributed {
  label: string;
  bytes: number;
  load: Summary;
  cpu: Summary;
}

/** One dependency alone, to attribute load time (shared SDK code is counted in each SDK row). */
const ATTRIBUTION: { label: string; source: string }[] = [
  {
    label: '@aws-sdk/client-ec2',
    source: "import { EC2Client } from '@aws-sdk/client-ec2'; new EC2Client({});",
  },
  {
    label: '@aws-sdk/client-ssm',
    source: "import { SSMClient } from '@aws-sdk/client-ssm'; new SSMClient({});",
  },
  {
    label: '@aws-sdk/client-eks',
    source: "import { EKSClient } from '@aws-sdk/client-eks'; new EKSClient({});",
  },
  {
    label: '@aws-sdk/client-dynamodb + lib-dynamodb',
    source:
      "import { DynamoDBClient } from '@aws-sdk/client-dynamodb'; import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'; DynamoDBDocumentClient.from(new DynamoDBClient({}));",
  },
  {
    label: '@aws-sdk/client-sns',
    source: "import { SNSClient } from '@aws-sdk/client-sns'; new SNSClient({});",
  },
  {
    label: '@aws-sdk/client-sqs',
    source: "import { SQSClient } from '@aws-sdk/client-sqs'; new SQSClient({});",
  },
  {
    label: 'zod (classic), `import { z }`',
    source: "import { z } from 'zod'; z.object({ a: z.string().min(1) }).parse({ a: 'x' });",
  },
  {
    label: 'zod/mini',
    source:
      "import * as z from 'zod/mini'; z.object({ a: z.string().check(z.minLength(1)) }).parse({ a: 'x' });",
  },
  {
    label: 'Powertools Logger + middleware',
    source:
      "import { Logger } from '@aws-lambda-powertools/logger'; import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware'; injectLambdaContext(new Logger());",
  },
  {
    label: 'Powertools Metrics + middleware',
    source:
      "import { Metrics } from '@aws-lambda-powertools/metrics'; import { logMetrics } from '@aws-lambda-powertools/metrics/middleware'; logMetrics(new Metrics({ namespace: 'x' }));",
  },
  {
    label: 'Powertools Tracer + middleware (X-Ray SDK)',
    source:
      "import { Tracer } from '@aws-lambda-powertools/tracer'; import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware'; captureLambdaHandler(new Tracer());",
  },
  { label: '@middy/core', source: "import middy from '@middy/core'; middy(() => undefined);" },
];

export async function attribute(
  stack: StackBundling,
  probe: string,
  runs: number,
  log: (text: string) => void,
): Promise<Attributed[]> {
  const bundles: { label: string; file: string; bytes: number }[] = [];
  for (const [index, item] of ATTRIBUTION.entries()) {
    const file = join(tmpDir('cold-start', 'attribution'), `${index}.js`);
    await build({
      stdin: { contents: item.source, resolveDir: ROOT, loader: 'ts', sourcefile: `attribution-${index}.ts` },
      bundle: true,
      target: stack.target,
      platform: 'node',
      format: 'cjs',
      outfile: file,
      minify: true,
      absWorkingDir: ROOT,
      logLevel: 'error',
    });
    bundles.push({ label: item.label, file, bytes: statSync(file).size });
  }
  const measured = await measure(
    probe,
    bundles.map((b, index) => ({
      key: String(index),
      bundle: b.file,
      events: () => [NO_OP_EVENT],
      expect: [],
    })),
    runs,
    log,
  );
  return bundles.map((b, index) => {
    const m = measured.get(String(index)) as Measured;
    return { label: b.label, bytes: b.bytes, load: m.load, cpu: m.cpu };
  });
}
