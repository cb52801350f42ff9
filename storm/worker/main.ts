/**
 * One Lambda execution environment of the storm: loads the function's bundle (the `cdk synth`
 * asset) once, as the runtime does, then handles one invocation at a time from the parent over
 * IPC. The parent kills it with SIGKILL at crash points or when an invocation runs past the
 * function's timeout, and starts a fresh one (a cold start).
 */
interface Invocation {
  id: number;
  event: unknown;
  requestId: string;
  timeoutMs: number;
}

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

const bundle = process.argv[2];
if (!bundle || !process.send) {
  process.stderr.write('usage: worker <asset index.js> (as a child process with IPC)\n');
  process.exit(2);
}
const { handler } = require(bundle) as { handler: Handler };

function contextOf(invocation: Invocation): Record<string, unknown> {
  const deadline = Date.now() + invocation.timeoutMs;
  return {
    functionName: 'eks-endpoint-guard-remediator',
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${process.env.AWS_REGION}:${process.env.STORM_ACCOUNT}:function:eks-endpoint-guard-remediator`,
    memoryLimitInMB: '512',
    awsRequestId: invocation.requestId,
    logGroupName: '/aws/lambda/eks-endpoint-guard-remediator',
    logStreamName: `storm/[$LATEST]${process.pid}`,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done() {},
    fail() {},
    succeed() {},
  };
}

process.on('message', (invocation: Invocation) => {
  Promise.resolve()
    .then(() => handler(invocation.event, contextOf(invocation)))
    .then(
      (response) => process.send?.({ id: invocation.id, ok: true, response }),
      (error: unknown) =>
        process.send?.({
          id: invocation.id,
          ok: false,
          error: `${(error as Error)?.name ?? 'Error'}: ${(error as Error)?.message ?? String(error)}`,
        }),
    );
});
process.send({ ready: true });
