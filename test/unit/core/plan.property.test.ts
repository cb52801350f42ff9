import fc from 'fast-check';
import { canonicalCidr, cidrWithinAny } from '../../../functions/core/cidr';
import { type EffectivePolicy, effectivePolicyFor } from '../../../functions/core/effective';
import { type EndpointConfig, sameEndpointConfig } from '../../../functions/core/endpoint';
import { evaluateEndpoint } from '../../../functions/core/evaluate';
import { planOf, planTarget } from '../../../functions/core/plan';
import { validatePolicy } from '../../../functions/core/policy/policy';
import { cidrsOf, clusterNameArb, endpointConfigArb, policyInputArb } from './arbitraries';

const RUNS = { numRuns: 1000 };

/** A validated policy, the rules it gives one cluster, and a configuration that cluster could have. */
const caseArb: fc.Arbitrary<{ policy: EffectivePolicy; config: EndpointConfig }> = fc
  .tuple(policyInputArb, clusterNameArb, fc.date({ noInvalidDate: true }))
  .chain(([input, name, now]) => {
    const policy = effectivePolicyFor(validatePolicy(input, 'property'), { name, tags: {} }, now);
    return endpointConfigArb(cidrsOf(input)).map((config) => ({ policy, config }));
  });

/** Planned targets comply by (a): mixed with random draws they give (e) plenty of compliant input. */
const compliantCaseArb = caseArb.map(({ policy, config }) => ({
  policy,
  config: planTarget(config, policy),
}));

describe('planTarget properties', () => {
  it('(a) plans a target that complies with the effective policy', () => {
    fc.assert(
      fc.property(caseArb, ({ policy, config }) => {
        // Act
        const target = planTarget(config, policy);

        // Assess
        expect(evaluateEndpoint(target, policy)).toEqual({ compliant: true, violations: [] });
      }),
      RUNS,
    );
  });

  it('(b) never turns both endpoints off', () => {
    fc.assert(
      fc.property(caseArb, ({ policy, config }) => {
        // Act
        const target = planTarget(config, policy);

        // Assess
        expect(target.publicAccess || target.privateAccess).toBe(true);
      }),
      RUNS,
    );
  });

  it('(c) never turns public access on', () => {
    fc.assert(
      fc.property(caseArb, ({ policy, config }) => {
        // Act
        const target = planTarget(config, policy);

        // Assess
        if (!config.publicAccess) expect(target.publicAccess).toBe(false);
      }),
      RUNS,
    );
  });

  it('(d) only narrows public CIDRs: every target block lies inside a current block, or (beyond 40) inside the allowed list', () => {
    fc.assert(
      fc.property(caseArb, ({ policy, config }) => {
        // Act
        const { target, note } = planOf(config, policy);

        // Assess
        if (!target.publicAccess) return;
        // The 40-block rule: the allowed list itself, which covers every allowed network in use.
        const within = note ? policy.allowedPublicCidrs : config.publicAccessCidrs;
        for (const cidr of target.publicAccessCidrs) {
          expect(cidrWithinAny(cidr, within)).toBe(true);
        }
        expect(target.publicAccessCidrs.length).toBeLessThanOrEqual(40);
      }),
      RUNS,
    );
  });

  it('(e) changes nothing in a configuration that already complies', () => {
    fc.assert(
      fc.property(fc.oneof(caseArb, compliantCaseArb), ({ policy, config }) => {
        // Prepare
        fc.pre(evaluateEndpoint(config, policy).compliant);

        // Act
        const target = planTarget(config, policy);

        // Assess
        expect(sameEndpointConfig(target, config)).toBe(true);
        expect(target).toEqual(config);
      }),
      RUNS,
    );
  });

  it('(f) is idempotent', () => {
    fc.assert(
      fc.property(caseArb, ({ policy, config }) => {
        // Prepare
        const once = planTarget(config, policy);

        // Act
        const twice = planTarget(once, policy);

        // Assess
        expect(twice).toEqual(once);
      }),
      RUNS,
    );
  });

  it('(g) sends every block it changes in canonical form, however the policy spells it', () => {
    // Prepare: the same policies with their blocks spelled oddly (`/008`, upper-case IPv6)
    const respell = (cidr: string) => {
      const [address = '', prefix = ''] = cidr.split('/');
      return `${address.toUpperCase()}/${prefix.padStart(3, '0')}`;
    };
    const oddArb = fc.tuple(policyInputArb, clusterNameArb).chain(([input, name]) => {
      const odd = {
        ...input,
        ...(input.allowedPublicCidrs && { allowedPublicCidrs: input.allowedPublicCidrs.map(respell) }),
        overrides: (input.overrides ?? []).map((o) => ({
          ...o,
          ...(o.allowedPublicCidrs && { allowedPublicCidrs: o.allowedPublicCidrs.map(respell) }),
        })),
      };
      const policy = effectivePolicyFor(validatePolicy(odd, 'property'), { name, tags: {} }, new Date(0));
      return endpointConfigArb(cidrsOf(input)).map((config) => ({ policy, config }));
    });

    fc.assert(
      fc.property(oddArb, ({ policy, config }) => {
        // Act
        const target = planTarget(config, policy);

        // Assess
        const changed = target.publicAccessCidrs.filter((cidr) => !config.publicAccessCidrs.includes(cidr));
        for (const cidr of changed) expect(canonicalCidr(cidr)).toBe(cidr);
      }),
      RUNS,
    );
  });
});
