import { parameterRegion } from '../../../functions/core/parameter-region';

describe('policy parameter region', () => {
  test.each([
    ['/eks-endpoint-guard/policy', 'us-east-1'],
    ['arn:aws:ssm:eu-west-1:111122223333:parameter/eks-endpoint-guard/organisation/policy', 'eu-west-1'],
    ['arn:aws:sns:eu-west-1:111122223333:topic', 'us-east-1'],
    ['arn:aws:ssm::111122223333:parameter/x', 'us-east-1'],
  ])('%s is read in %s', (name, region) => {
    // Act / Assess
    expect(parameterRegion(name, 'us-east-1')).toBe(region);
  });
});
