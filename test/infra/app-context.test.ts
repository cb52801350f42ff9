import { App } from 'aws-cdk-lib';
import { buildApp } from '../../infra/app';
import { appShape, checkContextKeys } from '../../infra/app-context';
import { newApp } from './helpers';

/** The context of `cdk synth` with cdk.json's feature flags, plus `extra` as `-c` gives it. */
const appWith = (extra: Record<string, unknown>) => {
  const app = newApp();
  for (const [key, value] of Object.entries(extra)) app.node.setContext(key, value);
  return app;
};

describe('the context keys of the one app', () => {
  test("accepts the project's keys, cdk.json's feature flags and the CDK's own keys", () => {
    // Prepare
    const app = appWith({
      regions: 'us-east-1,eu-west-1',
      notificationEmails: 'ops@example.com',
      'aws:cdk:bundling-stacks': [],
      'aws:cdk:version-reporting': false,
      'availability-zones:account=123456789012:region=eu-west-1': ['eu-west-1a'],
      'acknowledged-issue-numbers': [32775],
    });

    // Act / Assess
    expect(() => checkContextKeys(app.node)).not.toThrow();
  });

  test('refuses a key it does not know in one line that lists the known ones', () => {
    // Prepare: "region" for "regions" would otherwise make one stack, silently
    const app = appWith({ region: 'eu-west-1' });

    // Act
    const check = () => checkContextKeys(app.node);

    // Assess
    expect(check).toThrow(
      /^unknown context key region: the app knows policyFile, policyParameter, .*, alertTopicKeyArn, deadLetterOperatorRoleArn, cfnHook, cfnHookFailureMode, cfnHookOnError, activeClients, regions, organizationId, organizationalUnits, .*, centralTeamsChannels$/,
    );
  });

  test('names every unknown key at once', () => {
    // Act
    const check = () => checkContextKeys(appWith({ organisationId: 'o-x', notifcationEmails: 'a@b.c' }).node);

    // Assess
    expect(check).toThrow(/^unknown context keys notifcationEmails, organisationId: the app knows /);
  });

  test('refuses an organisation key without organizationId, which would be ignored', () => {
    // Act
    const check = () => checkContextKeys(appWith({ centralAccount: '222233334444' }).node);

    // Assess
    expect(check).toThrow(
      'context centralAccount: only for an organisation; give -c organizationId=o-... too, or leave it out',
    );
  });
});

describe('appShape', () => {
  test.each([
    [{}, 'account'],
    [{ regions: 'us-east-1,eu-west-1' }, 'regions'],
    [{ organizationId: 'o-a1b2c3d4e5', regions: 'us-east-1' }, 'organisation'],
  ])('%j is the %s shape', (context, shape) => {
    // Act / Assess
    expect(appShape(new App({ context }).node)).toBe(shape);
  });
});

describe('buildApp', () => {
  test('without context: the one stack of one account', () => {
    // Prepare
    const app = newApp();

    // Act
    buildApp(app);

    // Assess
    expect(app.node.children.map((c) => c.node.id)).toEqual(['EksEndpointGuard']);
  }, 120_000);

  test('-c regions=…: one stack per region', () => {
    // Prepare
    const app = appWith({ regions: 'us-east-1,eu-west-1' });

    // Act
    buildApp(app);

    // Assess
    expect(app.node.children.map((c) => c.node.id)).toEqual([
      'EksEndpointGuard-us-east-1',
      'EksEndpointGuard-eu-west-1',
    ]);
  }, 120_000);
});
