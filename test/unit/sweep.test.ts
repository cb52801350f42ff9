import { mapBounded } from '../../functions/sweep';

describe('mapBounded', () => {
  it('never has more than the limit in flight and yields every result', async () => {
    // Prepare
    let inFlight = 0;
    let peak = 0;
    const work = async (n: number) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, (n % 3) * 2));
      inFlight -= 1;
      return n * 10;
    };

    // Act
    const results: number[] = [];
    for await (const r of mapBounded([1, 2, 3, 4, 5, 6, 7, 8, 9], 3, work)) results.push(r);

    // Assess
    expect(peak).toBe(3);
    expect(results.sort((a, b) => a - b)).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90]);
  });

  it('pulls from an async source lazily', async () => {
    // Prepare
    let pulled = 0;
    async function* source() {
      for (let i = 0; i < 100; i++) {
        pulled += 1;
        yield i;
      }
    }

    // Act
    const iterator = mapBounded(source(), 2, async (n) => n);
    await iterator.next();

    // Assess
    expect(pulled).toBeLessThanOrEqual(3);
    await iterator.return(undefined);
  });
});
