import { PolicyError } from '../../../functions/core/policy/policy';
import { policySource } from '../../../functions/guard/policy-source';

describe('policySource', () => {
  it('loads the given text as the guard would load the parameter', async () => {
    // Prepare
    const text = '{"version": 1, "publicAccess": "disabled"}';

    // Act
    const loaded = await policySource(text, 'candidate.json').load();

    // Assess
    expect(loaded).toMatchObject({
      source: 'candidate.json',
      policy: { publicAccess: 'disabled', privateAccess: 'required', mode: 'enforce' },
      digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
    });
  });

  it('fails every load of an invalid text with its PolicyError', async () => {
    // Prepare
    const port = policySource('{"version": 2}', 'candidate.json');

    // Act
    const first = port.load();
    const second = port.load();

    // Assess
    await expect(first).rejects.toThrow(PolicyError);
    await expect(second).rejects.toThrow(/^policy candidate\.json: version: must be 1, got 2/);
    expect(port.parameterName).toBe('candidate.json');
  });
});
