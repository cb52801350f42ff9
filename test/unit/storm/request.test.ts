import {
  callerOf,
  credentialOf,
  eksOperation,
  eksRoute,
  parseRequest,
  personAccessKey,
  workerAccessKey,
} from '../../../storm/request';

const signed = (key: string, service: string) => ({
  authorization: `AWS4-HMAC-SHA256 Credential=${key}/20260603/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=abc`,
});

describe('parseRequest', () => {
  it('reads a JSON protocol operation from its target header and the caller from its key', () => {
    // Act
    const call = parseRequest(
      'POST',
      '/',
      { ...signed(workerAccessKey(3), 'sqs'), 'x-amz-target': 'AmazonSQS.SendMessage' },
      '{}',
    );

    // Assess
    expect(call).toEqual({ service: 'sqs', operation: 'SendMessage', caller: { kind: 'worker', id: 3 } });
  });

  it('reads a query protocol operation from its Action', () => {
    // Act
    const call = parseRequest(
      'POST',
      '/',
      signed(personAccessKey(2), 'sns'),
      'Action=Publish&Version=2010-03-31',
    );

    // Assess
    expect(call).toEqual({ service: 'sns', operation: 'Publish', caller: { kind: 'person', id: 2 } });
  });

  it('takes any other key for the harness', () => {
    // Act
    const call = parseRequest('GET', '/clusters/prod-api', signed('testing', 'eks'), '');

    // Assess
    expect(call).toEqual({ service: 'eks', operation: 'DescribeCluster', caller: { kind: 'harness' } });
  });

  it('names REST operations of Security Hub and Lambda', () => {
    // Act
    const findings = parseRequest('POST', '/findings/import', signed('k', 'securityhub'), '{}');
    const invoke = parseRequest('POST', '/2015-03-31/functions/f/invocations', signed('k', 'lambda'), '{}');

    // Assess
    expect([findings.operation, invoke.operation]).toEqual(['BatchImportFindings', 'Invoke']);
  });
});

describe('EKS routes', () => {
  it.each([
    ['GET', '/clusters', 'ListClusters'],
    ['POST', '/clusters', 'CreateCluster'],
    ['GET', '/clusters/prod-api', 'DescribeCluster'],
    ['DELETE', '/clusters/prod-api', 'DeleteCluster'],
    ['POST', '/clusters/prod-api/update-config', 'UpdateClusterConfig'],
    ['GET', '/clusters/prod-api/updates', 'ListUpdates'],
    ['GET', '/clusters/prod-api/updates/u-1', 'DescribeUpdate'],
    ['POST', '/tags/arn%3Aaws%3Aeks', 'TagResource'],
    ['DELETE', '/tags/arn%3Aaws%3Aeks', 'UntagResource'],
    ['GET', '/tags/arn%3Aaws%3Aeks', 'ListTagsForResource'],
  ])('%s %s is %s', (method, route, operation) => {
    // Assess
    expect(eksOperation(method, route)).toBe(operation);
  });

  it('names the cluster and the update of a route', () => {
    // Assess
    expect(eksRoute('/clusters/prod-api/updates/u-1?x=1')).toEqual({ cluster: 'prod-api', updateId: 'u-1' });
    expect(eksRoute('/tags/x')).toEqual({});
  });
});

describe('credentials', () => {
  it('reads the key and the service of a SigV4 scope, and nothing from no header', () => {
    // Assess
    expect(credentialOf(signed('AKID', 'dynamodb').authorization)).toEqual({
      accessKeyId: 'AKID',
      service: 'dynamodb',
    });
    expect(credentialOf(undefined)).toEqual({});
    expect(callerOf(undefined)).toEqual({ kind: 'harness' });
  });
});
