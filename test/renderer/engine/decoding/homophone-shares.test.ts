import { describe, expect, it } from 'vitest';
import {
  lmLogProbOfTerm,
  lmWeightsSplittingTies,
  sharesOfAlternatives,
} from '../../../../renderer/engine/decoding/homophone-shares';

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

  it("split a log P shared by several spellings (the LM's <unk>) by word count, and leave the others alone", () => {
    // mat (count 3), matte (1), matt (0) all get <unk>'s -9; "the" has its own -2
    const w = lmWeightsSplittingTies([-9, -9, -9, -2], [3, 1, 0, 500]);
    const total = 3 * Math.exp(-9);
    expect(Math.exp(w[0]) / total).toBeCloseTo(4 / 7, 12);
    expect(Math.exp(w[1]) / total).toBeCloseTo(2 / 7, 12);
    expect(Math.exp(w[2]) / total).toBeCloseTo(1 / 7, 12);
    expect(w[3]).toBe(-2);
    expect(lmWeightsSplittingTies([-1, -3], [0, 9])).toEqual([-1, -3]);
  });
});
