import { firstJsonFault, jsonFault, lineAndColumn } from '../../../functions/core/json-syntax';

describe('firstJsonFault', () => {
  it.each([
    ['{"a": tru}', 6, 'expected a value'],
    ['{"a": 01}', 6, 'not a number JSON accepts'],
    ['{"a": "line\nbreak"}', 11, 'a line break or control character inside a string'],
    ['[1, 2', 5, 'the list opened at 1:1 is not closed'],
    ['{"a": [1, 2}', 11, "missing ',' after the value at 1:11"],
    ['{"a": "open}', 6, 'this string is not closed'],
    ["{'a': 1}", 1, 'strings and names need double quotes'],
    ['{"a": 1 // why\n}', 8, 'comments are not allowed in JSON'],
    ['[1, 2,]', 5, "trailing ',' after the last entry"],
    ['   ', 0, 'is empty'],
  ])('finds the first fault of %j at its offset, in words', (text, offset, words) => {
    // Act
    const fault = firstJsonFault(text);

    // Assess
    expect(fault?.offset).toBe(offset);
    expect(fault?.message).toContain(words);
  });

  it('finds none in what JSON.parse accepts', () => {
    // Prepare
    const text = '{"a": [1.5e3, -2, "\\u00e9\\n", {"b": false}], "c": null}';

    // Act
    const fault = firstJsonFault(text);

    // Assess
    expect(fault).toBeUndefined();
    expect(() => JSON.parse(text)).not.toThrow();
  });

  it.each(['{"a": 1,}', '{"a" 1}', '[1 2]', '{"a": [}', '"\\x"', '01', '{} x', '', '{"a": "\t"}'])(
    'faults exactly what JSON.parse refuses: %j',
    (text) => {
      // Act
      const fault = firstJsonFault(text);

      // Assess
      expect(fault).toBeDefined();
      expect(() => JSON.parse(text)).toThrow();
    },
  );

  it('says where the value before a missing comma starts, however long it is', () => {
    // Prepare
    const text = '{\n  "allowedPublicCidrs": [\n    "203.0.113.0/24"\n  ]\n  "mode": "notify"\n}';

    // Act
    const fault = firstJsonFault(text);

    // Assess
    expect(fault).toMatchObject({ line: 5, column: 3 });
    expect(fault?.message).toBe(`missing ',' after the value at 2:25, before "mode"`);
  });
});

describe('jsonFault', () => {
  it('names the unclosed object by where it opened', () => {
    // Act
    const fault = jsonFault('unclosed', '{"a": {"b": 1}', 14);

    // Assess
    expect(fault.message).toBe('the object opened at 1:1 is not closed: the text ends first');
  });
});

describe('lineAndColumn', () => {
  it('counts lines and columns from 1', () => {
    // Act
    const at = lineAndColumn('ab\ncd\nef', 4);

    // Assess
    expect(at).toEqual({ line: 2, column: 2 });
  });
});

describe('what the message quotes', () => {
  it.each(['\u0085', '\u200b', '\u202e', '\u0007'])(
    'shows %j as an escape: the message stays one plain line',
    (char) => {
      // Act
      const fault = firstJsonFault(`{"a": x${char}y}`);

      // Assess
      expect(fault?.message).toContain(`found 'x\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}y'`);
    },
  );
});
