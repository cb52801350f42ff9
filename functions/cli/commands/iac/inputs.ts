import type { Dirent } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { cloudFormationClusters } from '../../../core/iac/cloudformation';
import type { IacCluster } from '../../../core/iac/cluster';
import { jsonSource } from '../../../core/iac/json-source';
import { IacInputError, isRecord } from '../../../core/iac/source';
import { isTerraformPlan, terraformClusters } from '../../../core/iac/terraform';
import { yamlSource } from '../../../core/iac/yaml-source';
import { CliError } from '../../cli-error';

/** Larger than any template (1 MB in S3) or plan worth reading; a limit on what is held in memory. */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;
/** The most templates read from one CDK assembly. */
export const MAX_ASSEMBLY_TEMPLATES = 500;

export interface ReadInputs {
  clusters: IacCluster[];
  errors: IacInputError[];
  /** Files read (each template of an assembly counts). */
  files: number;
}

/** Reads every input: a file is a template or a plan, a directory a CDK cloud assembly. */
export async function readIacInputs(
  inputs: readonly string[],
  parameters: Record<string, string>,
): Promise<ReadInputs> {
  const result: ReadInputs = { clusters: [], errors: [], files: 0 };
  for (const input of inputs) {
    try {
      const kind = await stat(input).catch((error: unknown) => {
        throw new IacInputError(input, fileFault(error), undefined, { cause: error });
      });
      const files = kind.isDirectory() ? await assemblyTemplates(input) : [input];
      for (const file of files) {
        result.files++;
        try {
          result.clusters.push(...(await readOne(file, parameters, kind.isDirectory())));
        } catch (error) {
          if (!(error instanceof IacInputError)) throw error;
          result.errors.push(error);
        }
      }
    } catch (error) {
      if (!(error instanceof IacInputError)) throw error;
      result.errors.push(error);
    }
  }
  return result;
}

async function readOne(
  file: string,
  parameters: Record<string, string>,
  inAssembly: boolean,
): Promise<IacCluster[]> {
  const size = (await stat(file)).size;
  if (size > MAX_INPUT_BYTES)
    throw new IacInputError(file, `larger than ${MAX_INPUT_BYTES / 1024 / 1024} MB`);
  const text = await readFile(file, 'utf8').catch((error: unknown) => {
    throw new IacInputError(file, fileFault(error), undefined, { cause: error });
  });
  if (inAssembly) return cloudFormationClusters(jsonSource(text, file), file, { format: 'cdk', parameters });
  const extension = path.extname(file).toLowerCase();
  const json =
    extension === '.json' || (extension !== '.yaml' && extension !== '.yml' && /^\s*\{/.test(text));
  if (!json)
    return cloudFormationClusters(yamlSource(text, file), file, { format: 'cloudformation', parameters });
  const doc = jsonSource(text, file);
  if (isTerraformPlan(doc.value)) return terraformClusters(doc, file);
  if (isRecord(doc.value) && isRecord(doc.value.Resources)) {
    return cloudFormationClusters(doc, file, { format: 'cloudformation', parameters });
  }
  throw new IacInputError(
    file,
    'neither a CloudFormation template (no Resources section) nor a Terraform plan (terraform show -json)',
    { line: 1, column: 1 },
  );
}

/** Every `*.template.json` of a CDK cloud assembly, nested stacks and stage assemblies included. */
async function assemblyTemplates(directory: string): Promise<string[]> {
  const found: string[] = [];
  const visit = async (dir: string, depth: number) => {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      throw new IacInputError(dir, fileFault(error), undefined, { cause: error });
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      // Assets are the functions' code and files, never templates.
      if (entry.isDirectory() && !entry.name.startsWith('asset.') && depth < 5) await visit(full, depth + 1);
      else if (entry.isFile() && entry.name.endsWith('.template.json')) found.push(full);
      if (found.length > MAX_ASSEMBLY_TEMPLATES) {
        throw new IacInputError(
          directory,
          `more than ${MAX_ASSEMBLY_TEMPLATES} templates: name the assembly's templates`,
        );
      }
    }
  };
  await visit(directory, 0);
  if (found.length === 0) {
    throw new IacInputError(
      directory,
      'a folder without *.template.json files: not a CDK cloud assembly (cdk.out)',
    );
  }
  return found;
}

/**
 * `--parameters Key=Value` (repeatable) and `--parameters FILE.json`: a JSON object of values, or
 * the CloudFormation CLI's `[{ "ParameterKey": ..., "ParameterValue": ... }]`.
 */
export async function readParameters(values: readonly string[]): Promise<Record<string, string>> {
  const parameters: Record<string, string> = {};
  for (const value of values) {
    const pair = /^([A-Za-z0-9]+)=(.*)$/s.exec(value);
    if (pair) {
      parameters[pair[1] as string] = pair[2] as string;
      continue;
    }
    if (!value.toLowerCase().endsWith('.json')) {
      throw new CliError(`--parameters ${JSON.stringify(value)}: expected Key=Value or a JSON file`);
    }
    let data: unknown;
    try {
      data = JSON.parse(await readFile(value, 'utf8'));
    } catch (error) {
      throw new CliError(
        `--parameters ${value}: ${error instanceof SyntaxError ? 'not valid JSON' : fileFault(error)}`,
      );
    }
    Object.assign(parameters, parametersOf(data, value));
  }
  return parameters;
}

function parametersOf(data: unknown, file: string): Record<string, string> {
  const entries: [unknown, unknown][] = Array.isArray(data)
    ? data.map((item) => (isRecord(item) ? [item.ParameterKey, item.ParameterValue] : [undefined, undefined]))
    : isRecord(data)
      ? Object.entries(data)
      : [];
  if (entries.length === 0 && !(isRecord(data) || Array.isArray(data))) {
    throw new CliError(
      `--parameters ${file}: expected a JSON object or [{ "ParameterKey", "ParameterValue" }]`,
    );
  }
  const parameters: Record<string, string> = {};
  for (const [key, value] of entries) {
    if (typeof key !== 'string' || !['string', 'number', 'boolean'].includes(typeof value)) {
      throw new CliError(`--parameters ${file}: each parameter needs a name and a string value`);
    }
    parameters[key] = String(value);
  }
  return parameters;
}

function fileFault(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return (error as Error).message;
}
