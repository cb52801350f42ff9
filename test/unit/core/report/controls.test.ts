import { buildReport } from '../../../../functions/core/report/summary';
import { history } from './history';

const JDOE = 'arn:aws:sts::111122223333:assumed-role/PlatformAdmin/jdoe';

function report(records = history([[{ kind: 'compliant' }, '2026-11-03T10:00:00Z']])) {
  return buildReport({
    period: { since: new Date('2026-11-01T00:00:00Z'), until: new Date('2026-12-01T00:00:00Z') },
    now: new Date('2026-12-01T08:00:00Z'),
    region: 'us-east-1',
    records,
    sweeps: [],
    markers: [],
    sweepIntervalSeconds: 3600,
    verification: {
      status: 'intact',
      checkedAt: '2026-12-01T08:00:00.000Z',
      digests: 3,
      sealedRecords: 9,
      unsealedRecords: 0,
      findingCount: 0,
      findings: [],
    },
  });
}

describe('control mapping', () => {
  it('maps the evidence to FSBP EKS.1, CIS EKS, PCI DSS 1.4, NIST SC-7 and ISO 27001 A.8.20 / A.8.22', () => {
    // Act
    const { controls } = report();

    // Assess
    expect(controls.map((c) => `${c.framework} ${c.control}`)).toEqual([
      'AWS Foundational Security Best Practices EKS.1',
      'CIS Amazon EKS Benchmark 5.4.1 / 5.4.2',
      'PCI DSS v4.0.1 Requirement 1.4',
      'NIST SP 800-53 Rev. 5 SC-7 Boundary Protection',
      'ISO/IEC 27001:2022 A.8.20 Networks security',
      'ISO/IEC 27001:2022 A.8.22 Segregation of networks',
    ]);
    const figures = new Set(controls.flatMap((c) => c.figures.map((f) => f.name)));
    for (const needed of [
      'Time to remediate',
      'Exposure per cluster',
      'Proof of continuous checking',
      'Exemptions',
    ])
      expect(figures).toContain(needed);
  });

  it('names exemptions with reason, approver where known and expiry, and the exceptions to look at', () => {
    // Prepare: a tag exemption set by jdoe's TagResource, and a cluster still exposed
    const records = [
      ...history([[{ kind: 'exempt' }, '2026-11-05T10:00:00Z']], 'legacy-batch').map((r) => ({
        ...r,
        trigger: { source: 'event' as const, eventName: 'TagResource', actorArn: JDOE, eventTime: r.time },
        exemption: { source: 'tag' as const, reason: 'OPS-123 migration', expires: '2026-12-31' },
      })),
      ...history([[{ kind: 'blocked' }, '2026-11-20T10:00:00Z']], 'edge-proxy'),
    ];

    // Act
    const { controls } = report(records);

    // Assess
    const eks1 = controls.find((c) => c.id === 'fsbp-eks-1');
    expect(eks1?.figures.find((f) => f.name === 'Exemptions')?.value).toBe(
      `legacy-batch: OPS-123 migration (tag, tagged the cluster by ${JDOE}, expires 2026-12-31)`,
    );
    expect(eks1?.exceptions).toEqual(['still exposed at the end of the period: edge-proxy']);
    const sc7 = controls.find((c) => c.id === 'nist-800-53-sc-7');
    expect(sc7?.figures.find((f) => f.name === 'Integrity of the records')?.value).toBe(
      'intact: 9 sealed record(s) match 3 digest(s)',
    );
    expect(sc7?.figures.every((f) => f.source.length > 0)).toBe(true);
  });

  it('names who published the policy version that grants a policy exemption, when the history says', () => {
    // Prepare
    const records = history([[{ kind: 'exempt' }, '2026-11-05T10:00:00Z']], 'legacy-batch');

    // Act
    const result = buildReport({
      period: { since: new Date('2026-11-01T00:00:00Z'), until: new Date('2026-12-01T00:00:00Z') },
      now: new Date('2026-12-01T08:00:00Z'),
      region: 'us-east-1',
      records,
      sweeps: [],
      markers: [],
      sweepIntervalSeconds: 3600,
      policyVersions: [{ version: 7, modifiedBy: 'arn:aws:iam::111122223333:user/sec-lead' }],
    });

    // Assess
    expect(result.clusters[0]?.exemptions[0]?.grantedBy).toEqual({
      arn: 'arn:aws:iam::111122223333:user/sec-lead',
      how: 'published policy version 7',
    });
  });
});
