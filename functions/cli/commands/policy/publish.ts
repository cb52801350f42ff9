import { createInterface } from 'node:readline';
import { policySource } from '../../../guard/policy-source';
import { CliError } from '../../cli-error';
import { EXIT_OK } from '../../exit-codes';
import type { CliIo } from '../../io';
import { readCandidate } from './validate';
import { livePolicy, policyRuntime, printWhatIf, whatIf } from './what-if';

export interface PublishOptions {
  /** Publish without asking. */
  yes?: boolean;
  /** Endpoints other than AWS's own or a loopback emulator that it may publish to. */
  allowEndpoint?: string[];
}

/**
 * `policy publish FILE`: validate, preview (what-if), confirm, then one PutParameter (Overwrite,
 * String, the parameter's tier kept). Refuses when the parameter changed since it was previewed.
 */
export async function publishCommand(file: string, options: PublishOptions, io: CliIo): Promise<number> {
  // Offline first: an invalid candidate is refused before any AWS client exists.
  const { text } = await readCandidate(file, io, new Date());
  let endpoint = '';
  const { runtime, admin } = policyRuntime({
    command: 'policy publish',
    allowed: options.allowEndpoint ?? [],
    onEndpoint: (used) => {
      endpoint = used;
    },
  });
  const parameter = await admin.read();
  const name = admin.parameterName;
  if (parameter && parameter.text === text) {
    io.out(`${name} already holds this policy (version ${parameter.version}): nothing published\n`);
    return EXIT_OK;
  }
  const report = await whatIf(
    runtime.ports,
    runtime.processOptions(false).guard,
    livePolicy(parameter, name),
    policySource(text, file),
    runtime.config.SWEEP_CONCURRENCY,
  );
  io.out(
    `What-if: ${file} against ${name} (${parameter ? `version ${parameter.version}` : 'not yet created'})\n`,
  );
  printWhatIf(report, io);
  if (!options.yes) {
    const stdin = io.stdin ?? process.stdin;
    if (!(stdin as NodeJS.ReadStream).isTTY) {
      throw new CliError(
        'standard input is not a terminal, so nobody can confirm: add --yes to publish anyway',
      );
    }
    const answer = await ask(stdin, io, `Publish ${file} to ${name}? [y/N] `);
    if (!/^y(es)?$/i.test(answer.trim())) {
      io.out('not published\n');
      return EXIT_OK;
    }
  }
  const version = await admin.write(text, {
    ...(parameter ? { tier: parameter.tier } : {}),
    expectedVersion: parameter?.version,
  });
  // Where it went: the region and the endpoint the write was sent to.
  io.out(
    `published ${name} in ${runtime.config.AWS_REGION} (${endpoint || 'the AWS endpoint'}): version ${version}\n`,
  );
  return EXIT_OK;
}

async function ask(stdin: NodeJS.ReadableStream, io: CliIo, question: string): Promise<string> {
  io.err(question);
  const lines = createInterface({ input: stdin, terminal: false });
  try {
    for await (const line of lines) return line;
    return '';
  } finally {
    lines.close();
  }
}
