import { digestConfig, parseSettle, verifyText } from '../../../../functions/cli/commands/seal';
import type { VerifyResult } from '../../../../functions/core/seal/verify';

const ENV = { AUDIT_TABLE_NAME: 'audit', AWS_REGION: 'us-east-1' };

describe('audit digest and audit verify, offline', () => {
  it('needs the digest bucket, and says where to get it', () => {
    // Act / Assess
    expect(() => digestConfig(ENV)).toThrow(
      'DIGEST_BUCKET_NAME is not set: give --stack (its DigestBucketName output) or set it to the digest bucket',
    );
    expect(digestConfig({ ...ENV, DIGEST_BUCKET_NAME: 'b' })).toEqual({
      tableName: 'audit',
      region: 'us-east-1',
      bucket: 'b',
    });
  });

  it.each([
    ['0s', 0],
    ['90s', 90],
    ['5m', 300],
    ['1h', 3600],
  ])('reads --settle %s as %d seconds', (text, seconds) => {
    // Act / Assess
    expect(parseSettle(text)).toBe(seconds);
  });

  it('refuses a --settle that is not a duration, in one line', () => {
    // Act / Assess
    expect(() => parseSettle('soon')).toThrow('--settle "soon": expected a duration such as 0s, 5m or 1h');
  });

  it('prints each finding, the verdict and the records not sealed yet', () => {
    // Prepare
    const result: VerifyResult = {
      intact: false,
      findings: [
        {
          kind: 'changed',
          message: 'record of prod-api at 2026-11-03T10:00:00.000Z changed after it was sealed (digest k1)',
        },
      ],
      digests: 2,
      digestsChecked: 2,
      sealedRecords: 5,
      unsealed: [{ key: 'k', cluster: 'payments', time: '2026-11-03T12:00:00.000Z' }],
      expired: [],
      sealedUntil: '2026-11-03T11:45:00.000Z',
    };

    // Act
    const text = verifyText(result, 'guard-digests');

    // Assess
    expect(text.split('\n')).toEqual([
      'CHANGED: record of prod-api at 2026-11-03T10:00:00.000Z changed after it was sealed (digest k1)',
      '1 finding(s): the audit trail does not match what was sealed in s3://guard-digests',
      '1 record(s) not sealed yet, written after 2026-11-03T11:45:00.000Z (not a failure):',
      '  2026-11-03T12:00:00.000Z payments',
      '',
    ]);
  });
});
