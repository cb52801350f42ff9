import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { jsonErrorOffset, lineAndColumn, parseJson, readJsonInput } from '../../../functions/cli/input';

describe('parseJson', () => {
  it('returns the parsed value', () => {
    // Act
    const value = parseJson('{"a": [1, true, null]}', 'event.json');

    // Assess
    expect(value).toEqual({ a: [1, true, null] });
  });

  it.each([
    ['an unquoted word', '{\n  "source": aws.events\n}', 2, 13],
    ['a trailing comma', '{\n  "a": 1,\n}', 3, 1],
    ['a missing colon', '{"a" 1}', 1, 6],
    ['an unterminated array', '[1, 2', 1, 6],
    ['text after the value', '{}\n{}', 2, 1],
    ['a bad escape', '{"a": "\\x"}', 1, 9],
  ])('names the line and column of %s', (_name, text, line, column) => {
    // Act
    const act = () => parseJson(text, 'event.json');

    // Assess
    expect(act).toThrow(
      new RegExp(`^event\\.json: invalid JSON at line ${line}, column ${column} \\(.+\\)$`),
    );
  });

  it('keeps the reason short: no excerpt of the input', () => {
    // Act
    const act = () => parseJson('{"source": aws.events, "detail": {}}', 'event.json');

    // Assess
    expect(act).toThrow(/^event\.json: invalid JSON at line 1, column 12 \(Unexpected token 'a'\)$/);
  });

  it('says an empty input is empty', () => {
    // Act
    const act = () => parseJson('  \n', 'standard input');

    // Assess
    expect(act).toThrow('standard input: is empty, expected a JSON event');
  });
});

describe('jsonErrorOffset', () => {
  it.each([
    ['{"a": tru}', 9],
    ['{"a": 01}', 7],
    ['{"a": "line\nbreak"}', 11],
    ['[1, 2', 5],
  ])('finds the first bad character of %j', (text, offset) => {
    // Act
    const found = jsonErrorOffset(text);

    // Assess
    expect(found).toBe(offset);
  });

  it('agrees with JSON.parse on valid input (offset = length)', () => {
    // Prepare
    const text = '{"a": [1.5e3, -2, "\\u00e9\\n", {"b": false}], "c": null}';

    // Act
    const offset = jsonErrorOffset(text);

    // Assess
    expect(offset).toBe(text.length);
    expect(() => JSON.parse(text)).not.toThrow();
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

describe('readJsonInput', () => {
  it('reads a file', async () => {
    // Prepare
    const file = join(mkdtempSync(join(tmpdir(), 'cli-input-')), 'event.json');
    writeFileSync(file, '{"id": "e-1"}');

    // Act
    const value = await readJsonInput(file);

    // Assess
    expect(value).toEqual({ id: 'e-1' });
  });

  it('reads standard input for -', async () => {
    // Prepare
    const stdin = Readable.from([Buffer.from('{"id": '), Buffer.from('"e-2"}')]);

    // Act
    const value = await readJsonInput('-', stdin);

    // Assess
    expect(value).toEqual({ id: 'e-2' });
  });

  it('says which file is missing', async () => {
    // Act
    const read = readJsonInput('events/does-not-exist.json');

    // Assess
    await expect(read).rejects.toThrow('cannot read events/does-not-exist.json: no such file');
  });

  it('says a directory is not a JSON file', async () => {
    // Act
    const read = readJsonInput(tmpdir());

    // Assess
    await expect(read).rejects.toThrow(`cannot read ${tmpdir()}: is a directory, expected a JSON file`);
  });
});
