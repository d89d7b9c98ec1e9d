import { describe, expect, it } from 'vitest';
import { findJsonErrorPosition } from '../../../models/package/json-error-position';

describe('findJsonErrorPosition', () => {
  it.each(['{}', '[]', ' {"a": [1, -2.5e+3, 0.25, true, false, null, "x\\n\\u00e9"]} ', '"just a string"', '0'])(
    'accepts valid JSON %j',
    (text) => {
      expect(() => JSON.parse(text)).not.toThrow();
      expect(findJsonErrorPosition(text)).toBeNull();
    },
  );

  it.each([
    ['{"a": 1,}', 8],
    ['{"a" 1}', 5],
    ['[1, 2', 5],
    ['{"a": 01}', 7],
    ['{"a": tru}', 6],
    ['{"a": "x\\q"}', 9],
    ['{} extra', 3],
    ["{'a': 1}", 1],
    ['', 0],
    ['{"a": 1.}', 8],
  ])('finds the error in %j at offset %i', (text, offset) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(findJsonErrorPosition(text)?.offset).toBe(offset);
  });

  it('reports 1-based line and column', () => {
    expect(findJsonErrorPosition('{\n  "a": 1\n  "b": 2\n}')).toEqual({ offset: 13, line: 3, column: 3 });
  });
});
