import { TagResourceCommand, UntagResourceCommand, UpdateClusterConfigCommand } from '@aws-sdk/client-eks';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { type AwsClients, createAwsClients } from '../functions/aws/clients';
import { personAccessKey } from './request';
import { type Action, EXEMPTION_TAG, POLICIES } from './workload';

/**
 * Plays the people's actions through the proxy, each person with their own credentials, so
 * CloudTrail (trail.ts) names them. A person whose change EKS refuses because the cluster is busy
 * tries again a little later, a few times, as people do.
 */
export interface PeopleStats {
  changes: number;
  busyRetries: number;
  gaveUp: number;
  alreadySet: number;
  policyChanges: { at: number; text: string }[];
}

export class People {
  readonly stats: PeopleStats = { changes: 0, busyRetries: 0, gaveUp: 0, alreadySet: 0, policyChanges: [] };
  readonly #clients = new Map<number, AwsClients>();

  constructor(
    private readonly endpoint: string,
    private readonly region: string,
    private readonly policyParameterName: string,
    private readonly arns: ReadonlyMap<string, string>,
  ) {}

  async play(action: Exclude<Action, { kind: 'sweep' }>): Promise<void> {
    const clients = this.#clientsOf(action.person);
    switch (action.kind) {
      case 'open':
      case 'close':
        return this.#update(clients, action.cluster, action.config);
      case 'exempt':
        await clients.eks.send(
          new TagResourceCommand({
            resourceArn: this.#arn(action.cluster),
            tags: { [EXEMPTION_TAG]: action.reason },
          }),
        );
        break;
      case 'unexempt':
        await clients.eks.send(
          new UntagResourceCommand({ resourceArn: this.#arn(action.cluster), tagKeys: [EXEMPTION_TAG] }),
        );
        break;
      case 'tag':
        await clients.eks.send(
          new TagResourceCommand({ resourceArn: this.#arn(action.cluster), tags: { team: action.value } }),
        );
        break;
      case 'policy': {
        const text = JSON.stringify(POLICIES[action.policy]);
        await clients.ssm.send(
          new PutParameterCommand({
            Name: this.policyParameterName,
            Type: 'String',
            Overwrite: true,
            Value: text,
          }),
        );
        this.stats.policyChanges.push({ at: Date.now(), text });
        break;
      }
    }
    this.stats.changes += 1;
  }

  async #update(
    clients: AwsClients,
    cluster: string,
    config: { publicAccess: boolean; privateAccess: boolean; publicAccessCidrs: string[] },
  ): Promise<void> {
    for (let attempt = 0; attempt < 4; attempt++) {
      try {
        await clients.eks.send(
          new UpdateClusterConfigCommand({
            name: cluster,
            resourcesVpcConfig: {
              endpointPublicAccess: config.publicAccess,
              endpointPrivateAccess: config.privateAccess,
              ...(config.publicAccess ? { publicAccessCidrs: config.publicAccessCidrs } : {}),
            },
          }),
        );
        this.stats.changes += 1;
        return;
      } catch (error) {
        const name = (error as Error).name;
        if (name === 'InvalidParameterException') {
          this.stats.alreadySet += 1;
          return;
        }
        if (name !== 'ResourceInUseException') throw error;
        this.stats.busyRetries += 1;
        await new Promise((resolve) => setTimeout(resolve, 300 * (attempt + 1)));
      }
    }
    this.stats.gaveUp += 1;
  }

  #arn(cluster: string): string {
    const arn = this.arns.get(cluster);
    if (!arn) throw new Error(`no ARN for cluster ${cluster}`);
    return arn;
  }

  #clientsOf(person: number): AwsClients {
    let clients = this.#clients.get(person);
    if (!clients) {
      clients = createAwsClients(this.region, undefined, {
        endpoint: this.endpoint,
        credentials: { accessKeyId: personAccessKey(person), secretAccessKey: 'storm' },
      });
      this.#clients.set(person, clients);
    }
    return clients;
  }
}
