import { IacInputError } from '../../../../functions/core/iac/source';
import { yamlSource } from '../../../../functions/core/iac/yaml-source';

function failure(read: () => unknown): IacInputError {
  try {
    read();
  } catch (error) {
    if (error instanceof IacInputError) return error;
    throw error;
  }
  throw new Error('expected an IacInputError');
}

describe('yamlSource', () => {
  it('reads the short-form tags as their long form', () => {
    // Prepare
    const text = [
      'Resources:',
      '  C:',
      '    Properties:',
      `      Name: !Sub "\${Env}-api"`,
      '      Role: !GetAtt Role.Arn',
      '      Public: !Ref Pub',
      '      Cidrs: !Split [",", !Ref Cidrs]',
      '      Both: !If [IsProd, true, !Ref AWS::NoValue]',
      '      Nested: !GetAtt [Res, Outputs.Arn]',
      '',
    ].join('\n');

    // Act
    const doc = yamlSource(text, 't.yaml');

    // Assess
    expect(doc.value).toEqual({
      Resources: {
        C: {
          Properties: {
            Name: { 'Fn::Sub': `\${Env}-api` },
            Role: { 'Fn::GetAtt': ['Role', 'Arn'] },
            Public: { Ref: 'Pub' },
            Cidrs: { 'Fn::Split': [',', { Ref: 'Cidrs' }] },
            Both: { 'Fn::If': ['IsProd', true, { Ref: 'AWS::NoValue' }] },
            Nested: { 'Fn::GetAtt': ['Res', 'Outputs.Arn'] },
          },
        },
      },
    });
  });

  it('gives the line and column of each key and list item', () => {
    // Prepare
    const text = 'Resources:\n  C:\n    Properties:\n      Cidrs:\n        - 10.0.0.0/8\n';

    // Act
    const doc = yamlSource(text, 't.yaml');

    // Assess
    expect(doc.at(['Resources', 'C'])).toMatchObject({ line: 2, column: 3, endLine: 2, endColumn: 4 });
    expect(doc.at(['Resources', 'C', 'Properties', 'Cidrs'])).toMatchObject({ line: 4, column: 7 });
    expect(doc.at(['Resources', 'C', 'Properties', 'Cidrs', 0])).toMatchObject({ line: 5, column: 11 });
    expect(doc.at(['Resources', 'Missing'])).toBeUndefined();
  });

  it.each([
    ['a syntax error', 'Resources:\n  C: [1, 2\n', /^t\.yaml:\d+:\d+: invalid YAML: Flow sequence/],
    ['an alias', 'A: &x 1\nB: *x\n', /^t\.yaml:2:4: CloudFormation does not support YAML aliases \(\*x\)$/],
    ['a merge key', 'A:\n  <<: {b: 1}\n', /^t\.yaml:2:3: CloudFormation does not support YAML merge keys/],
    ['an unknown tag', 'A: !Reff x\n', /^t\.yaml:1:10: unknown tag !Reff: not a CloudFormation function$/],
    ['a duplicate key', 'A: 1\nA: 2\n', /^t\.yaml:2:1: invalid YAML: /],
    ['two documents', 'A: 1\n---\nB: 2\n', /^t\.yaml:\d+:\d+: invalid YAML: /],
  ])('refuses %s with FILE:LINE:COLUMN', (_name, text, message) => {
    // Act
    const error = failure(() => yamlSource(text, 't.yaml'));

    // Assess
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('\n');
  });
});

describe('yamlSource on hostile input', () => {
  it('refuses deep nesting with a clear message instead of exhausting the stack', () => {
    // Prepare
    const text = `A: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`;

    // Act
    const error = failure(() => yamlSource(text, 'deep.yaml'));

    // Assess
    expect(error.message).toMatch(/^deep\.yaml(:\d+:\d+)?: (invalid YAML|nested deeper than 200 levels)/);
  });
});
