import { Random } from '../../../storm/random';

describe('Random', () => {
  it('gives the same sequence for the same seed', () => {
    // Prepare
    const [a, b] = [new Random(42), new Random(42)];

    // Act
    const draws = [Array.from({ length: 5 }, () => a.next()), Array.from({ length: 5 }, () => b.next())];

    // Assess
    expect(draws[0]).toEqual(draws[1]);
    expect(new Set(draws[0]).size).toBe(5);
  });

  it('gives another sequence for another seed', () => {
    // Act
    const [a, b] = [new Random(1).next(), new Random(2).next()];

    // Assess
    expect(a).not.toBe(b);
  });

  it('keeps integers within their bounds and reaches both ends', () => {
    // Prepare
    const random = new Random(7);

    // Act
    const values = new Set(Array.from({ length: 500 }, () => random.int(3, 6)));

    // Assess
    expect([...values].sort()).toEqual([3, 4, 5, 6]);
  });

  it('picks by weight, never a key weighted zero', () => {
    // Prepare
    const random = new Random(9);

    // Act
    const picks = Array.from({ length: 2000 }, () => random.weighted({ often: 9, rarely: 1, never: 0 }));

    // Assess
    const often = picks.filter((p) => p === 'often').length;
    expect(picks).not.toContain('never');
    expect(often).toBeGreaterThan(1600);
    expect(often).toBeLessThan(1990);
  });

  it('forks independent sources that depend only on the seed and the label', () => {
    // Act
    const a = new Random(5).fork('faults').next();
    const b = new Random(5).fork('faults').next();
    const c = new Random(5).fork('workload').next();

    // Assess
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });

  it('makes UUID-shaped ids', () => {
    // Act
    const id = new Random(3).uuid();

    // Assess
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('refuses to pick from nothing', () => {
    // Assess
    expect(() => new Random(1).pick([])).toThrow('cannot pick from an empty list');
  });
});
