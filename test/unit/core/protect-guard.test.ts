import { formatPolicy, renderProtectionScp } from '../../../functions/core/protect-guard';
import { SCP_MAX_CHARACTERS } from '../../../functions/core/scp';

describe('renderProtectionScp', () => {
  it.each(['single', 'organization'] as const)('fits within the SCP limit as printed, in %s mode', (mode) => {
    // Act
    const rendered = renderProtectionScp({ mode });
    // Assess
    expect(rendered.fits).toBe(true);
    expect(rendered.size).toBe(formatPolicy(rendered.document).length);
    expect(rendered.size).toBeLessThanOrEqual(SCP_MAX_CHARACTERS);
    expect(JSON.parse(formatPolicy(rendered.document))).toEqual(rendered.document);
  });

  it('keeps every eks-endpoint-guard role to the deployers: created, passed, tagged, rewritten or deleted', () => {
    // Act
    const [resources] = renderProtectionScp({ mode: 'organization' }).document.Statement;
    // Assess
    expect(resources?.Resource).toContain('arn:aws:iam::*:role/eks-endpoint-guard-*');
    for (const action of [
      'iam:CreateRole',
      'iam:PassRole',
      'iam:Put*',
      'iam:Attach*',
      'iam:Tag*',
      'iam:Update*',
      'iam:Delete*',
    ])
      expect(resources?.Action).toContain(action);
  });

  it('says it does not fit when the deployers named make it too long', () => {
    // Act
    const rendered = renderProtectionScp({
      mode: 'single',
      deployerRoles: Array.from(
        { length: 40 },
        (_, i) => `arn:aws:iam::*:role/pipeline-deployer-number-${i}`,
      ),
    });
    // Assess
    expect(rendered.fits).toBe(false);
  });
});
