import { Arn, ArnFormat, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';

/** The environment variable that tells the remediator where to send its decision events. */
export const DECISION_BUS_ENV = 'DECISION_BUS_ARN';

/** A central bus ARN that cannot work: the message is one line. */
export class DecisionForwardingError extends Error {
  override readonly name = 'DecisionForwardingError';
}

/**
 * Lets a guard function send its decisions to the organisation's central event bus: the bus ARN
 * in its environment and `events:PutEvents` on that one bus, nothing else. The construct calls it
 * for its `decisionBusArn` prop.
 */
export function addDecisionForwarding(fn: lambda.Function, busArn: string): void {
  if (!Token.isUnresolved(busArn)) {
    const parts =
      busArn.split(':').length === 6 ? Arn.split(busArn, ArnFormat.SLASH_RESOURCE_NAME) : undefined;
    if (parts?.service !== 'events' || parts.resource !== 'event-bus' || !parts.region || !parts.account) {
      throw new DecisionForwardingError(`decisionBusArn ${busArn}: expected an EventBridge event bus ARN`);
    }
  }
  fn.addEnvironment(DECISION_BUS_ENV, busArn);
  fn.role?.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'SendDecisionsToCentralBus',
      actions: ['events:PutEvents'],
      resources: [busArn],
    }),
  );
}
