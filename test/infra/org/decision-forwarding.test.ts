import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { addDecisionForwarding, DecisionForwardingError } from '../../../infra/decision-forwarding';
import { newApp, roleGrants } from '../helpers';

const BUS = 'arn:aws:events:eu-west-1:222233334444:event-bus/eks-endpoint-guard';

function guardFunction(): { stack: Stack; fn: lambda.Function } {
  const stack = new Stack(newApp(), 'Guard');
  const fn = new lambda.Function(stack, 'Remediator', {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => undefined'),
  });
  return { stack, fn };
}

describe('decision forwarding', () => {
  test('names the bus in the environment and grants PutEvents on that bus only', () => {
    // Prepare
    const { stack, fn } = guardFunction();
    // Act
    addDecisionForwarding(fn, BUS);
    // Assess
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { DECISION_BUS_ARN: BUS } },
    });
    const roleId = Object.keys(template.findResources('AWS::IAM::Role'))[0] as string;
    expect(roleGrants(template, roleId)).toEqual({ 'events:PutEvents': [BUS] });
  });

  test.each([
    'eks-endpoint-guard',
    'arn:aws:sns:eu-west-1:222233334444:eks-endpoint-guard',
    'arn:aws:events:eu-west-1:222233334444:rule/eks-endpoint-guard',
    'arn:aws:events:eu-west-1:222233334444',
  ])('refuses %s', (arn) => {
    // Prepare
    const { fn } = guardFunction();
    // Act / Assess
    expect(() => addDecisionForwarding(fn, arn)).toThrow(DecisionForwardingError);
  });
});
