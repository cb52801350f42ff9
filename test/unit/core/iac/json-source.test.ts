import { jsonSource } from '../../../../functions/core/iac/json-source';
import { IacInputError } from '../../../../functions/core/iac/source';

function failure(read: () => unknown): IacInputError {
  try {
    read();
  } catch (error) {
    if (error instanceof IacInputError) return error;
    throw error;
  }
  throw new Error('expected an IacInputError');
}

describe('jsonSource', () => {
  it('gives the position of each key, on one line as on many', () => {
    // Prepare
    const text = '{"Resources":{"C":{"Type":"AWS::EKS::Cluster"}}}';

    // Act
    const doc = jsonSource(text, 't.json');

    // Assess
    expect(doc.at(['Resources', 'C'])).toEqual({ line: 1, column: 15, endLine: 1, endColumn: 18 });
    expect(doc.at(['Resources', 'C', 'Type'])).toEqual({ line: 1, column: 20, endLine: 1, endColumn: 26 });
  });

  it.each([
    [
      'a missing comma',
      '{\n  "a": 1\n  "b": 2\n}',
      't.json:3:3: invalid JSON: expected ",", found "\\"b\\":"',
    ],
    [
      'a comment',
      '{\n  // no\n  "a": 1\n}',
      't.json:2:3: invalid JSON: comments are not allowed in JSON, found "//"',
    ],
    ['an empty file', '', 't.json:1:1: invalid JSON: expected a value, found the end of the file'],
  ])('refuses %s with FILE:LINE:COLUMN', (_name, text, message) => {
    // Act
    const error = failure(() => jsonSource(text, 't.json'));

    // Assess
    expect(error.message).toBe(message);
  });

  it.each([
    [300, /^deep\.json:1:202: nested deeper than 200 levels$/],
    [100_000, /^deep\.json: invalid JSON: nested too deeply$/],
  ])(
    'refuses %i levels of nesting with a clear message instead of exhausting the stack',
    (depth, message) => {
      // Prepare
      const text = `${'['.repeat(depth)}${']'.repeat(depth)}`;

      // Act
      const error = failure(() => jsonSource(text, 'deep.json'));

      // Assess
      expect(error.message).toMatch(message);
    },
  );
});
