import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { parseJson, readJsonInput } from '../../../functions/cli/input';

describe('parseJson', () => {
  it('returns the parsed value', () => {
    // Act
    const value = parseJson('{"a": [1, true, null]}', 'event.json');

    // Assess
    expect(value).toEqual({ a: [1, true, null] });
  });

  it.each([
    [
      'an unquoted word',
      '{\n  "source": aws.events\n}',
      2,
      13,
      "expected a value (a string in double quotes, a number, an object, a list, true, false or null), found 'aws.events'",
    ],
    [
      'a trailing comma',
      '{\n  "a": 1,\n}',
      2,
      9,
      "trailing ',' after the last entry: JSON allows none, remove it",
    ],
    ['a missing colon', '{"a" 1}', 1, 6, "missing ':' after the name, before '1'"],
    ['a missing comma', '{\n  "a": 1\n  "b": 2\n}', 3, 3, 'missing \',\' after the value at 2:8, before "b"'],
    ['an unterminated list', '[1, 2', 1, 6, 'the list opened at 1:1 is not closed: the text ends first'],
    ['text after the value', '{}\n{}', 2, 1, "more text after the end of the JSON value: '{'"],
    [
      'a bad escape',
      '{"a": "\\x"}',
      1,
      8,
      "'\\x' is not an escape JSON knows (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)",
    ],
  ])('names the line, the column and the fault of %s', (_name, text, line, column, fault) => {
    // Act
    const act = () => parseJson(text, 'event.json');

    // Assess
    expect(act).toThrow(`event.json: invalid JSON at line ${line}, column ${column}: ${fault}`);
  });

  it('keeps the reason short: no excerpt of the input beyond the word at fault', () => {
    // Act
    const act = () => parseJson(`{"source": aws.events, "detail": "${'x'.repeat(500)}"}`, 'event.json');

    // Assess
    expect(act).toThrow(
      /^event\.json: invalid JSON at line 1, column 12: expected a value .*, found 'aws\.events'$/,
    );
  });

  it('says an empty input is empty', () => {
    // Act
    const act = () => parseJson('  \n', 'standard input');

    // Assess
    expect(act).toThrow('standard input: is empty, expected a JSON event');
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
