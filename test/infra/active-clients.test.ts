import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { ActiveClientsOptions } from '../../infra/active-clients';
import { EndpointGuard } from '../../infra/endpoint-guard';
import { EndpointGuardStack } from '../../infra/stack';
import { logicalId, newApp, roleGrants } from './helpers';

/** The construct's activeClients option: the function's configuration and exactly the log reads it needs. */
const AUDIT_LOGS = `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:/aws/eks/*/cluster`;

function synth(activeClients?: ActiveClientsOptions) {
  const stack = new EndpointGuardStack(newApp(), 'Guard', activeClients ? { activeClients } : {});
  const template = Template.fromStack(stack);
  const fn = Object.values(template.findResources('AWS::Lambda::Function')).find(
    (r) => r.Properties.Handler === 'index.handler',
  );
  const grants = roleGrants(template, logicalId(template, 'AWS::IAM::Role', 'RemediatorRole'));
  const logReads = Object.fromEntries(
    Object.entries(grants).filter(([action]) =>
      /^logs:(StartQuery|GetQueryResults|StopQuery|FilterLogEvents)$/.test(action),
    ),
  );
  return { environment: fn?.Properties.Environment.Variables as Record<string, unknown>, logReads };
}

describe('activeClients', () => {
  test('by default: Logs Insights on the EKS audit log groups only, and StopQuery for its own queries', () => {
    // Act
    const { environment, logReads } = synth();

    // Assess
    expect(environment.CLIENTS_STRATEGY).toBe('insights');
    expect(logReads).toEqual({
      'logs:GetQueryResults': [AUDIT_LOGS, `${AUDIT_LOGS}:*`],
      'logs:StartQuery': [AUDIT_LOGS, `${AUDIT_LOGS}:*`],
      'logs:StopQuery': ['*'],
    });
  });

  test('scan: FilterLogEvents on the same log groups, and the window, cap, deadline and cache passed on', () => {
    // Act
    const { environment, logReads } = synth({
      strategy: 'scan',
      windowHours: 6,
      maxScanMegabytes: 64,
      deadlineSeconds: 30,
      cacheMinutes: 15,
    });

    // Assess
    expect(logReads).toEqual({ 'logs:FilterLogEvents': [AUDIT_LOGS, `${AUDIT_LOGS}:*`] });
    expect(environment).toMatchObject({
      CLIENTS_STRATEGY: 'scan',
      CLIENTS_WINDOW_HOURS: '6',
      CLIENTS_MAX_SCAN_MB: '64',
      CLIENTS_DEADLINE_SECONDS: '30',
      CLIENTS_CACHE_MINUTES: '15',
    });
  });

  test('off: no permission to read any log', () => {
    // Act
    const { environment, logReads } = synth({ strategy: 'off' });

    // Assess
    expect(environment.CLIENTS_STRATEGY).toBe('off');
    expect(logReads).toEqual({});
  });

  test.each<[ActiveClientsOptions, string]>([
    [{ strategy: 'sometimes' as never }, 'activeClients.strategy sometimes: expected insights, scan or off'],
    [{ windowHours: 0 }, 'activeClients.windowHours 0: expected an integer from 1 to 168'],
    [{ maxScanMegabytes: 1.5 }, 'activeClients.maxScanMegabytes 1.5: expected an integer from 1 to 1000000'],
    [{ deadlineSeconds: 600 }, 'activeClients.deadlineSeconds 600: expected an integer from 1 to 120'],
    [{ cacheMinutes: -1 }, 'activeClients.cacheMinutes -1: expected an integer from 0 to 1440'],
  ])('refuses %j in one line', (activeClients, message) => {
    // Act
    const make = () => new EndpointGuard(new Stack(newApp(), 'Invalid'), 'Guard', { activeClients });

    // Assess
    expect(make).toThrow(message);
  });
});
