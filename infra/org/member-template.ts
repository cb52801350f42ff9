import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  App,
  Aws,
  type DockerImageAssetLocation,
  type FileAssetLocation,
  FileAssetPackaging,
  type FileAssetSource,
  type ISynthesisSession,
  StackSynthesizer,
  Validations,
} from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { EndpointGuardStack, type EndpointGuardStackProps } from '../stack';
import { OrgConfigError } from './config';

/** Where the member template and its code are written, under the org app's cloud assembly. */
export const MEMBER_ASSEMBLY_DIR = 'stackset-member';

/** A file the member template refers to, to be published to every target region's asset bucket. */
export interface MemberAsset {
  /** The object key in each regional bucket: the asset hash plus the packaging's extension. */
  objectKey: string;
  sourceHash: string;
  /** Relative to the org app's cloud assembly directory. */
  fileName: string;
  packaging: FileAssetPackaging;
}

export interface MemberTemplate {
  /** Absolute path of the synthesised template. */
  templateFile: string;
  /** Relative to the org app's cloud assembly directory. */
  templateFileName: string;
  /** sha256 of the template text. */
  templateHash: string;
  templateBytes: number;
  assets: MemberAsset[];
}

/**
 * Synthesises a stack for StackSets: no bootstrap version rule (member accounts are not
 * bootstrapped), and every file asset points at `<bucketPrefix>-<region>`, the organisation-readable
 * bucket the org app creates in each target region, under the asset's hash.
 */
export class StackSetMemberSynthesizer extends StackSynthesizer {
  readonly assets: MemberAsset[] = [];

  constructor(
    private readonly bucketPrefix: string,
    private readonly assemblyPrefix: string,
  ) {
    super();
  }

  addFileAsset(asset: FileAssetSource): FileAssetLocation {
    if (!asset.fileName || asset.executable) {
      throw new OrgConfigError('a StackSet member can only use file assets built at synth time');
    }
    const extension =
      asset.packaging === FileAssetPackaging.ZIP_DIRECTORY ? '.zip' : path.extname(asset.fileName);
    const objectKey = `${asset.sourceHash}${extension}`;
    if (!this.assets.some((known) => known.objectKey === objectKey)) {
      this.assets.push({
        objectKey,
        sourceHash: asset.sourceHash,
        fileName: path.posix.join(this.assemblyPrefix, asset.fileName),
        packaging: asset.packaging ?? FileAssetPackaging.FILE,
      });
    }
    const bucketName = `${this.bucketPrefix}-${Aws.REGION}`;
    return {
      bucketName,
      objectKey,
      httpUrl: `https://${bucketName}.s3.${Aws.REGION}.${Aws.URL_SUFFIX}/${objectKey}`,
      s3ObjectUrl: `s3://${bucketName}/${objectKey}`,
    };
  }

  addDockerImageAsset(): DockerImageAssetLocation {
    throw new OrgConfigError('a StackSet member cannot use container image assets');
  }

  synthesize(session: ISynthesisSession): void {
    this.synthesizeTemplate(session);
  }
}

export interface MemberTemplateOptions {
  /** The org app's cloud assembly directory: the member's is a subdirectory of it. */
  readonly outdir: string;
  readonly bucketPrefix: string;
  /** Context of the org app (feature flags, bundling switches) for the member's own app. */
  readonly context: Record<string, unknown>;
  /** The central event bus the member sends its decisions to. */
  readonly decisionBusArn?: string;
}

/**
 * The member guard as a StackSet template: the same `EndpointGuardStack` as a single account,
 * synthesised in an app of its own (so that `cdk deploy --all` never deploys it directly).
 */
export function synthesizeMemberTemplate(
  props: EndpointGuardStackProps,
  options: MemberTemplateOptions,
): MemberTemplate {
  if (props.createTrail) {
    throw new OrgConfigError(
      'createTrail: a StackSet would create one multi-region trail per account and region; use the organisation trail',
    );
  }
  const outdir = path.join(options.outdir, MEMBER_ASSEMBLY_DIR);
  const app = new App({ outdir, context: options.context });
  const synthesizer = new StackSetMemberSynthesizer(options.bucketPrefix, MEMBER_ASSEMBLY_DIR);
  // With a central account the member is in organisation mode: the centre alarms and graphs.
  const decisionBusArn = options.decisionBusArn ?? props.decisionBusArn;
  const stack = new EndpointGuardStack(app, 'Member', {
    ...props,
    decisionBusArn,
    organizationMode: props.organizationMode ?? decisionBusArn !== undefined,
    synthesizer,
    description: 'eks-endpoint-guard member (StackSet): keeps EKS API server endpoints compliant',
  });
  // The same checks as the single-account app: the member template is deployed everywhere.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  app.synth();
  const templateFile = path.join(outdir, stack.templateFile);
  const text = readFileSync(templateFile, 'utf8');
  return {
    templateFile,
    templateFileName: path.posix.join(MEMBER_ASSEMBLY_DIR, stack.templateFile),
    templateHash: createHash('sha256').update(text).digest('hex'),
    templateBytes: Buffer.byteLength(text),
    assets: synthesizer.assets,
  };
}
