import fc from 'fast-check';
import { matchesGlob } from '../../../functions/core/glob';

/** The textbook dynamic-programming matcher: slow but obviously right, the reference. */
function reference(name: string, glob: string): boolean {
  // at(i, j): name[i..] matches glob[j..]; one flat row-major table.
  const width = glob.length + 1;
  const can = new Array<boolean>((name.length + 1) * width).fill(false);
  const at = (i: number, j: number) => can[i * width + j] === true;
  can[name.length * width + glob.length] = true;
  for (let i = name.length; i >= 0; i--) {
    for (let j = glob.length - 1; j >= 0; j--) {
      const g = glob[j];
      can[i * width + j] =
        g === '*'
          ? at(i, j + 1) || (i < name.length && at(i + 1, j))
          : i < name.length && (g === '?' || g === name[i]) && at(i + 1, j + 1);
    }
  }
  return at(0, 0);
}

describe('matchesGlob', () => {
  it.each([
    ['dev-api', 'dev-*', true],
    ['dev-', 'dev-*', true],
    ['prod-a', 'prod-?', true],
    ['prod-ab', 'prod-?', false],
    ['Dev-api', 'dev-*', false],
    ['team-a-web', 'team-?-*', true],
    ['x-dev-api', 'dev-*', false],
    ['dev-api-x', '*api', false],
    ['anything', '*', true],
    ['', '*', true],
    ['a', '', false],
    ['a-b-c', '*-*-*', true],
    ['a-b', '*-*-*', false],
    ['ab', '**?*', true],
  ])('%s against %s → %s', (name, glob, expected) => {
    // Act
    const result = matchesGlob(name, glob);

    // Assess
    expect(result).toBe(expected);
  });

  it('answers the pathological many-star glob against a long name of dashes', () => {
    // Prepare: a backtracking RegExp takes minutes on this pair
    const name = '-'.repeat(100);

    // Act
    const results = [
      matchesGlob(name, '*-*-*-*-*-*-*-prod'),
      matchesGlob(`${'-'.repeat(96)}prod`, '*-*-*-*-*-*-*-prod'),
    ];

    // Assess
    expect(results).toEqual([false, true]);
  });

  it('agrees with the reference matcher on any name and glob', () => {
    // Prepare
    const nameArb = fc.string({ unit: fc.constantFrom('a', 'b', '-', '_'), maxLength: 12 });
    const globArb = fc.string({ unit: fc.constantFrom('a', 'b', '-', '*', '?'), maxLength: 8 });

    // Act / Assess
    fc.assert(
      fc.property(nameArb, globArb, (name, glob) => {
        expect(matchesGlob(name, glob)).toBe(reference(name, glob));
      }),
      { numRuns: 2000 },
    );
  });

  it('treats every other character, braces and brackets included, as itself', () => {
    // Act
    const results = [matchesGlob('a{b,c}', 'a{b,c}'), matchesGlob('ab', 'a{b,c}'), matchesGlob('a.b', 'a?b')];

    // Assess
    expect(results).toEqual([true, false, true]);
  });
});
