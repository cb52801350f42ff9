import { centralStore } from '../aws/central-store';
import { lazy, sdk } from '../aws/clients';
import { stackSetClient } from '../aws/stack-instances';
import { notifier } from './notifier';
import { recorder } from './recorder';
import { watchdog } from './watchdog';

/**
 * The central account's small functions: `record` writes each member event from the central bus
 * to the central audit table, `watch` (on a schedule) counts the members that stopped sweeping or
 * never reported and emits those counts as metrics, which alarms watch, and `notify` (with chat
 * channels) publishes each member decision to the central chat topic. `record` and `notify` are
 * separate targets of the decision rule, so that a chat publish that fails can never lose the record.
 */

export interface CentralEnv {
  tableName: string;
  region: string;
  /** The StackSet's regions (MEMBER_REGIONS, comma-separated): the only sources the recorder believes. */
  regions: string[];
}

/** The environment the central stack sets; a missing or invalid value is one line. */
export function centralEnv(env: NodeJS.ProcessEnv): CentralEnv {
  const tableName = env.CENTRAL_AUDIT_TABLE_NAME;
  const region = env.AWS_REGION;
  const regions = (env.MEMBER_REGIONS ?? '').split(',').filter(Boolean);
  if (!tableName || !region) throw new Error('CENTRAL_AUDIT_TABLE_NAME and AWS_REGION must be set');
  if (regions.length === 0 || !regions.every((r) => /^[a-z]{2}(-[a-z]+)+-\d$/.test(r))) {
    throw new Error('MEMBER_REGIONS must list the StackSet regions, e.g. us-east-1,eu-west-1');
  }
  return { tableName, region, regions };
}

const clients = lazy(() => {
  const env = centralEnv(process.env);
  const dynamodb = lazy(() => new (sdk.dynamodb().DynamoDBClient)({ region: env.region, maxAttempts: 5 }));
  const sns = lazy(() => new (sdk.sns().SNSClient)({ region: env.region, maxAttempts: 5 }));
  return { env, dynamodb, sns, store: centralStore(dynamodb, env.tableName) };
});

const recordOnce = lazy(() => {
  const { env, dynamodb, sns, store } = clients();
  const topicArn = process.env.CENTRAL_TOPIC_ARN;
  return recorder(dynamodb, env.tableName, {
    regions: env.regions,
    ...(topicArn && { notices: { store, sns, topicArn } }),
  });
});
const watchOnce = lazy(() => {
  const {
    STACKSET_NAME: name,
    STACKSET_REGION: region,
    MEMBER_SWEEP_SCHEDULE,
    MANAGEMENT_ACCOUNT_ID,
  } = process.env;
  return watchdog(clients().store, {
    ...(name &&
      region && {
        stackSet: {
          name,
          client: stackSetClient(region),
          memberSchedule: MEMBER_SWEEP_SCHEDULE ?? 'rate(1 hour)',
          ...(MANAGEMENT_ACCOUNT_ID && { managementAccount: MANAGEMENT_ACCOUNT_ID }),
        },
      }),
  });
});
const notifyOnce = lazy(() => {
  const topicArn = process.env.CENTRAL_CHAT_TOPIC_ARN;
  if (!topicArn) throw new Error('CENTRAL_CHAT_TOPIC_ARN must be set');
  const { env, sns, store } = clients();
  return notifier(sns, topicArn, { regions: env.regions, store });
});

/** Lambda entry points (the central stack's functions). */
export const record = (event: unknown) => recordOnce()(event);
export const watch = () => watchOnce()();
export const notify = (event: unknown) => notifyOnce()(event);
