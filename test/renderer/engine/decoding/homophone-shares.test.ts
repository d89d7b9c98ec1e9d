import { describe, expect, it } from 'vitest';
import { lmLogProbOfTerm, sharesOfAlternatives } from '../../../../renderer/engine/decoding/homophone-shares';

describe('homophone shares', () => {
  it('are the softmax of the log weights over the chosen word and its alternatives', () => {
    const shares = sharesOfAlternatives(Math.log(6), [Math.log(3), Math.log(1)]);
    expect(shares[0]).toBeCloseTo(0.3, 12);
    expect(shares[1]).toBeCloseTo(0.1, 12);
    // large log weights do not overflow
    expect(sharesOfAlternatives(1000, [1000])[0]).toBeCloseTo(0.5, 12);
    // a chosen word of unknown weight: the alternatives share everything
    const [a, b] = sharesOfAlternatives(-Infinity, [Math.log(1), Math.log(3)]);
    expect(a).toBeCloseTo(0.25, 12);
    expect(b).toBeCloseTo(0.75, 12);
    expect(sharesOfAlternatives(-Infinity, [-Infinity])).toEqual([0]);
  });

  it("take alpha and beta back out of an LM term, leaving the LM's own log P", () => {
    expect(lmLogProbOfTerm(2 * -3 + 0.5, 2, 0.5)).toBeCloseTo(-3, 12);
    expect(lmLogProbOfTerm(-4, 0, 1)).toBe(-4);
  });
});
