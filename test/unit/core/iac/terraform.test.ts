import { jsonSource } from '../../../../functions/core/iac/json-source';
import { IacInputError } from '../../../../functions/core/iac/source';
import { splitAddress, terraformClusters } from '../../../../functions/core/iac/terraform';
import { TERRAFORM_PLAN, TERRAFORM_PLAN_TEXT } from './fixtures/terraform-plan';

function clustersOf(plan: unknown) {
  const text = typeof plan === 'string' ? plan : JSON.stringify(plan);
  return terraformClusters(jsonSource(text, 'plan.json'), 'plan.json');
}

describe('terraformClusters', () => {
  it('finds the managed clusters of every module, leaving out data sources and clusters being destroyed', () => {
    // Act
    const clusters = clustersOf(TERRAFORM_PLAN_TEXT);

    // Assess
    expect(clusters.map((c) => c.resource)).toEqual([
      'aws_eks_cluster.prod',
      'module.eks["blue"].aws_eks_cluster.this[0]',
      'module.lab.aws_eks_cluster.this',
    ]);
    expect(clusters.map((c) => c.name)).toEqual([
      { value: 'prod-api', from: 'name' },
      { value: 'blue-api', from: 'name' },
      { value: 'lab-01', from: 'name' },
    ]);
  });

  it('reads public_access_cidrs left out of the configuration as absent: EKS opens the endpoint to 0.0.0.0/0', () => {
    // Act
    const [prod] = clustersOf(TERRAFORM_PLAN_TEXT);

    // Assess
    expect(prod?.publicAccessCidrs).toMatchObject({ state: 'absent' });
    expect(prod?.publicAccess).toMatchObject({ state: 'set', value: true });
    expect(prod?.privateAccess).toMatchObject({ state: 'set', value: false });
    expect(prod?.tags).toEqual({ team: 'platform' });
  });

  it('reads public_access_cidrs from an expression evaluated at apply as unknown, naming its references', () => {
    // Act
    const blue = clustersOf(TERRAFORM_PLAN_TEXT)[1];

    // Assess
    expect(blue?.publicAccessCidrs).toMatchObject({
      state: 'unknown',
      expression:
        'public_access_cidrs = an expression of aws_eip.nat.public_ip, aws_eip.nat (known after apply)',
    });
  });

  it('accepts the strings "true" and "false" for booleans', () => {
    // Act
    const lab = clustersOf(TERRAFORM_PLAN_TEXT)[2];

    // Assess
    expect(lab?.publicAccess).toMatchObject({ state: 'set', value: false });
    expect(lab?.privateAccess).toMatchObject({ state: 'set', value: true });
  });

  it('points each cluster and setting at its place in the one-line plan file', () => {
    // Act
    const [prod] = clustersOf(TERRAFORM_PLAN_TEXT);
    const offset =
      TERRAFORM_PLAN_TEXT.indexOf('"resource_changes":[{"address"') + '"resource_changes":[{'.length;

    // Assess
    expect(prod?.at).toMatchObject({ line: 1, column: offset + 1 });
    expect(prod?.publicAccess.at?.line).toBe(1);
    expect(prod?.publicAccess.at?.column).toBeGreaterThan(offset);
  });

  it('keeps an unknown value unknown when the plan has no configuration to tell it apart from a default', () => {
    // Prepare
    const { configuration: _dropped, ...plan } = TERRAFORM_PLAN;

    // Act
    const [prod] = clustersOf(plan);

    // Assess
    expect(prod?.publicAccessCidrs).toMatchObject({ state: 'unknown' });
    expect(prod?.notes).toEqual([
      'the plan has no configuration section: settings unknown until apply stay unknown',
    ]);
  });

  it('reads planned_values when the plan has no resource_changes, and names a cluster by its address when its name is unknown', () => {
    // Prepare
    const { resource_changes: _dropped, ...plan } = TERRAFORM_PLAN;
    const unnamed = structuredClone(TERRAFORM_PLAN);
    const change = unnamed.resource_changes[0] as {
      change: { after: { name?: string }; after_unknown: object };
    };
    delete change.change.after.name;
    change.change.after_unknown = { ...change.change.after_unknown, name: true };

    // Act
    const planned = clustersOf(plan);
    const [prod] = clustersOf(unnamed);

    // Assess
    expect(planned.map((c) => c.resource)).toEqual([
      'aws_eks_cluster.prod',
      'module.eks["blue"].aws_eks_cluster.this[0]',
      'module.lab.aws_eks_cluster.this',
    ]);
    expect(prod?.name).toEqual({
      value: 'aws_eks_cluster.prod',
      from: 'address',
      note: 'the name is known only at apply: the policy is applied to the resource address aws_eks_cluster.prod',
    });
  });

  it('refuses JSON that is not a plan', () => {
    // Act
    const read = () => clustersOf({ format_version: '1.0', values: {} });

    // Assess
    expect(read).toThrow(IacInputError);
    expect(read).toThrow('plan.json: not a Terraform plan');
  });
});

describe('splitAddress', () => {
  it.each([
    ['aws_eks_cluster.prod', { modules: [], resource: 'aws_eks_cluster.prod' }],
    ['module.eks["blue"].aws_eks_cluster.this[0]', { modules: ['eks'], resource: 'aws_eks_cluster.this' }],
    ['module.a.module.b[2].aws_eks_cluster.c', { modules: ['a', 'b'], resource: 'aws_eks_cluster.c' }],
    ['not an address', undefined],
  ])('splits %s', (address, expected) => {
    // Act
    const parts = splitAddress(address);

    // Assess
    expect(parts).toEqual(expected);
  });
});
