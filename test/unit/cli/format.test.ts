import {
  AUDIT_CSV_HEADERS,
  auditCells,
  auditCsvFields,
  changeOf,
  csvRecord,
  finalStatusOf,
  JsonArrayWriter,
  OutcomeCounter,
  renderTable,
  shortArn,
  shortTime,
  summaryLine,
  tableRow,
  triggerOf,
} from '../../../functions/cli/format';
import type { CheckResult } from '../../../functions/core/result';

const OPEN = { publicAccess: true, privateAccess: false, publicAccessCidrs: ['0.0.0.0/0'] };
const PRIVATE = { publicAccess: false, privateAccess: true, publicAccessCidrs: ['0.0.0.0/0'] };

function result(overrides: Partial<CheckResult> = {}): CheckResult {
  return {
    cluster: 'prod-api',
    region: 'us-east-1',
    outcome: 'remediated',
    reason: 'public endpoint is enabled; changed public (0.0.0.0/0) → private',
    time: '2025-06-03T10:17:05.123Z',
    correlationId: 'f4b6d8e0',
    trigger: {
      source: 'event',
      eventName: 'UpdateClusterConfig',
      actorArn: 'arn:aws:sts::111122223333:assumed-role/PlatformAdmin/jdoe',
    },
    attempt: 0,
    before: OPEN,
    after: PRIVATE,
    ...overrides,
  };
}

describe('renderTable', () => {
  it('aligns every column to its widest cell and leaves the last unpadded', () => {
    // Prepare
    const rows = [
      ['prod-api', 'remediated', 'changed'],
      ['payments-eu-west', 'compliant', 'ok'],
    ];

    // Act
    const table = renderTable(['CLUSTER', 'OUTCOME', 'REASON'], rows);

    // Assess
    expect(table).toBe(
      [
        'CLUSTER           OUTCOME     REASON',
        'prod-api          remediated  changed',
        'payments-eu-west  compliant   ok',
        '',
      ].join('\n'),
    );
  });

  it('prints only the header for no rows', () => {
    // Act
    const table = renderTable(['A', 'B'], []);

    // Assess
    expect(table).toBe('A  B\n');
  });
});

describe('tableRow', () => {
  it('pads to the given widths and lets a longer cell push the rest right', () => {
    // Act
    const row = tableRow(['a-very-long-cluster', 'ok', 'why'], [5, 4, 0]);

    // Assess
    expect(row).toBe('a-very-long-cluster  ok    why');
  });

  it('styles padded cells without counting the styling towards the width', () => {
    // Act
    const row = tableRow(['x', 'y', 'z'], [3, 3, 0], (index, padded) =>
      index === 1 ? `<${padded}>` : padded,
    );

    // Assess
    expect(row).toBe('x    <y  >  z');
  });
});

describe('CSV', () => {
  it.each([
    ['a plain value', 'prod-api', 'prod-api\r\n'],
    ['a comma', 'a, b', '"a, b"\r\n'],
    ['a quote', 'say "hi"', '"say ""hi"""\r\n'],
    ['a line break', 'one\ntwo', '"one\ntwo"\r\n'],
    ['an empty value', '', '\r\n'],
    ['a formula', '=HYPERLINK("http://evil.example")', `"'=HYPERLINK(""http://evil.example"")"\r\n`],
    ['a plus', '+1+cmd', "'+1+cmd\r\n"],
    ['a minus', '-2+3', "'-2+3\r\n"],
    ['an at sign', '@SUM(A1)', "'@SUM(A1)\r\n"],
    ['a leading tab', '\t=1', "'\t=1\r\n"],
    ['a leading carriage return', '\r=1', `"'\r=1"\r\n`],
  ])('writes %s safely', (_name, value, expected) => {
    // Act
    const record = csvRecord([value]);

    // Assess
    expect(record).toBe(expected);
  });

  it('ends a record with CRLF', () => {
    // Act
    const record = csvRecord(['a', 'b,c', '']);

    // Assess
    expect(record).toBe('a,"b,c",\r\n');
  });

  it('writes an audit record as one row of the header columns, with the final update status', () => {
    // Prepare
    const issued = result({ account: '111122223333', updateId: 'u-1', updateStatus: 'InProgress' });
    const followed = result({ updateId: 'u-1', updateStatus: 'Successful' });

    // Act
    const fields = auditCsvFields(issued, finalStatusOf([followed, issued]));

    // Assess
    expect(Object.fromEntries(AUDIT_CSV_HEADERS.map((h, i) => [h, fields[i]]))).toEqual({
      time: '2025-06-03T10:17:05.123Z',
      cluster: 'prod-api',
      region: 'us-east-1',
      account: '111122223333',
      outcome: 'remediated',
      trigger: 'UpdateClusterConfig',
      eventId: '',
      eventTime: '',
      actor: 'arn:aws:sts::111122223333:assumed-role/PlatformAdmin/jdoe',
      actorSource: 'event',
      sourceIp: '',
      userAgent: '',
      correlationId: expect.any(String),
      policyVersion: '',
      policyDigest: '',
      before: 'public (0.0.0.0/0)',
      after: 'private',
      updateId: 'u-1',
      updateStatus: 'InProgress',
      finalStatus: 'Successful',
      reason: 'public endpoint is enabled; changed public (0.0.0.0/0) → private',
    });
  });
});

describe('changeOf', () => {
  it('shows before → after when the target differs', () => {
    // Act
    const change = changeOf({ before: OPEN, after: PRIVATE });

    // Assess
    expect(change).toBe('public (0.0.0.0/0) → private');
  });

  it('shows only what was seen when nothing would change', () => {
    // Act
    const change = changeOf({ before: PRIVATE, after: { ...PRIVATE, publicAccessCidrs: ['10.0.0.0/8'] } });

    // Assess
    expect(change).toBe('private');
  });

  it('shows a dash when the cluster was never read', () => {
    // Act
    const change = changeOf({});

    // Assess
    expect(change).toBe('-');
  });
});

describe('triggerOf and shortArn', () => {
  it('names the event and the actor without the ARN prefix', () => {
    // Act
    const trigger = triggerOf(result().trigger);

    // Assess
    expect(trigger).toBe('UpdateClusterConfig by assumed-role/PlatformAdmin/jdoe');
  });

  it.each([
    [{ source: 'sweep' as const }, 'sweep'],
    [{ source: 'cli' as const }, 'check'],
    [{ source: 'recheck' as const, eventName: 'CreateCluster' }, 'CreateCluster'],
  ])('names a trigger without an actor by its source (%j)', (trigger, expected) => {
    // Act
    const text = triggerOf(trigger);

    // Assess
    expect(text).toBe(expected);
  });

  it("names the guard for its own change, whoever's session made it", () => {
    // Act
    const text = triggerOf({ ...result().trigger, byGuard: true });

    // Assess
    expect(text).toBe('UpdateClusterConfig by the guard');
  });

  it('keeps a value that is not an ARN', () => {
    // Act
    const short = shortArn('eks.amazonaws.com');

    // Assess
    expect(short).toBe('eks.amazonaws.com');
  });
});

describe('audit table cells', () => {
  it('show time, cluster, outcome, trigger, change and reason', () => {
    // Act
    const cells = auditCells(result());

    // Assess
    expect(cells).toEqual([
      '2025-06-03 10:17:05Z',
      'prod-api',
      'remediated',
      'UpdateClusterConfig by assumed-role/PlatformAdmin/jdoe',
      'public (0.0.0.0/0) → private',
      'public endpoint is enabled; changed public (0.0.0.0/0) → private',
    ]);
    expect(shortTime('2025-06-03T10:17:05Z')).toBe('2025-06-03 10:17:05Z');
  });
});

describe('summaryLine', () => {
  it('counts outcomes in their canonical order', () => {
    // Prepare
    const counter = new OutcomeCounter();
    for (const outcome of ['blocked', 'compliant', 'remediated', 'compliant'] as const)
      counter.add({ outcome });

    // Act
    const line = summaryLine(counter.counts);

    // Assess
    expect(line).toBe('4 clusters: 2 compliant, 1 remediated, 1 blocked');
  });

  it('uses the singular for one', () => {
    // Act
    const line = summaryLine(new Map([['failed', 1]]), 'result');

    // Assess
    expect(line).toBe('1 result: 1 failed');
  });
});

describe('JsonArrayWriter', () => {
  function written(values: unknown[]): string {
    let text = '';
    const writer = new JsonArrayWriter((chunk) => {
      text += chunk;
    });
    for (const value of values) writer.push(value);
    writer.close();
    writer.close();
    return text;
  }

  it('streams elements into one valid JSON array', () => {
    // Act
    const text = written([{ a: 1 }, { b: [2, 3] }, 'x']);

    // Assess
    expect(JSON.parse(text)).toEqual([{ a: 1 }, { b: [2, 3] }, 'x']);
  });

  it('writes an empty array when nothing came, and closes only once', () => {
    // Act
    const text = written([]);

    // Assess
    expect(text).toBe('[]\n');
  });
});
