import { EksModel, updateObject, type VpcConfig } from '../../../storm/eks-model';
import { Random } from '../../../storm/random';

const OPEN: VpcConfig = {
  subnetIds: ['subnet-a', 'subnet-b'],
  endpointPublicAccess: true,
  endpointPrivateAccess: false,
  publicAccessCidrs: ['0.0.0.0/0'],
};
const CLOSE = { endpointPublicAccess: false, endpointPrivateAccess: true };
const TIMINGS = { updateMs: [1000, 1000] as [number, number], staleMs: 100, busyTailMs: 200 };

function model(): EksModel {
  return new EksModel(TIMINGS, new Random(1));
}

/** Applies an update the way the proxy does: verdict, then the emulator, then the record. */
function update(m: EksModel, at: number, token = 't-1') {
  const verdict = m.verdict('prod-api', token, CLOSE, OPEN, at);
  if (verdict.kind !== 'apply') throw new Error(`expected apply, got ${verdict.kind}`);
  return {
    merged: verdict.merged,
    update: m.recordUpdate('prod-api', token, OPEN, verdict.merged, at, 'guard', {}),
  };
}

describe('EKS model', () => {
  it('merges the requested endpoint fields into the stored configuration, keeping the subnets', () => {
    // Prepare
    const m = model();
    m.remember('prod-api', OPEN);

    // Act
    const { merged } = update(m, 0);

    // Assess
    expect(merged).toEqual({ ...OPEN, ...CLOSE, securityGroupIds: [] });
  });

  it('replays the update of a repeated token instead of making another', () => {
    // Prepare
    const m = model();
    const { update: first } = update(m, 0);

    // Act
    const verdict = m.verdict('prod-api', 't-1', CLOSE, OPEN, 5000);

    // Assess
    expect(verdict).toEqual({ kind: 'replay', update: first });
    expect(m.updates).toHaveLength(1);
  });

  it('refuses a second update while one runs and for a moment after (ResourceInUseException)', () => {
    // Prepare
    const m = model();
    update(m, 0);

    // Act
    const [during, tail, after] = [500, 1100, 1300].map(
      (t) => m.verdict('prod-api', 't-2', CLOSE, OPEN, t).kind,
    );

    // Assess
    expect([during, tail, after]).toEqual(['in-use', 'in-use', 'apply']);
  });

  it('refuses an update to the configuration the cluster has', () => {
    // Act
    const verdict = model().verdict(
      'prod-api',
      't-1',
      { endpointPublicAccess: true, endpointPrivateAccess: false },
      OPEN,
      0,
    );

    // Assess
    expect(verdict.kind).toBe('already');
  });

  it('reads the old configuration back: ACTIVE for a moment, then UPDATING, then the new one ACTIVE', () => {
    // Prepare
    const m = model();
    m.remember('prod-api', OPEN);
    const { merged } = update(m, 0);
    const dropped = { endpointPublicAccess: false, endpointPrivateAccess: true };

    // Act
    const [stale, updating, done] = [50, 500, 1000].map((t) => m.describe('prod-api', dropped, 'ACTIVE', t));

    // Assess
    expect(stale).toMatchObject({
      status: 'ACTIVE',
      vpc: { endpointPublicAccess: true, subnetIds: OPEN.subnetIds },
    });
    expect(updating).toMatchObject({ status: 'UPDATING', vpc: { endpointPublicAccess: true } });
    expect(done).toEqual({
      status: 'ACTIVE',
      vpc: { ...dropped, subnetIds: merged.subnetIds, securityGroupIds: [] },
    });
  });

  it('answers DescribeUpdate and ListUpdates, newest first', () => {
    // Prepare
    const m = model();
    const { update: first } = update(m, 0);
    const second = m.recordUpdate('prod-api', 't-2', OPEN, { ...OPEN, ...CLOSE }, 2000, 'person', {});

    // Act
    const ids = m.listUpdates('prod-api');
    const [running, finished] = [2500, 3000].map((t) => m.describeUpdate('prod-api', second.id, t)?.status);

    // Assess
    expect(ids).toEqual([second.id, first.id]);
    expect([running, finished]).toEqual(['InProgress', 'Successful']);
    expect(m.describeUpdate('prod-api', 'nope', 0)).toBeUndefined();
    expect(m.anyBusy(2500)).toBe(true);
    expect(m.anyBusy(4000)).toBe(false);
  });

  it('writes an update object as EKS does: params, epoch seconds, no errors', () => {
    // Prepare
    const { update: made } = update(model(), 2000);

    // Act
    const object = updateObject(made, 2500);

    // Assess
    expect(object).toEqual({
      id: made.id,
      status: 'InProgress',
      type: 'EndpointAccessUpdate',
      params: [
        { type: 'EndpointPublicAccess', value: 'false' },
        { type: 'EndpointPrivateAccess', value: 'true' },
      ],
      createdAt: 2,
      errors: [],
    });
  });
});
