import {
  expressionText,
  type ResolveContext,
  resolveValue,
  templateParameters,
} from '../../../../functions/core/iac/intrinsics';

const CONTEXT: ResolveContext = {
  parameters: templateParameters({
    Env: { Type: 'String', Default: 'prod' },
    Public: { Type: 'String', AllowedValues: ['true', 'false'] },
    Private: { Type: 'String' },
    Cidrs: { Type: 'CommaDelimitedList', Default: '203.0.113.0/24, 198.51.100.0/24' },
    FromSsm: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/platform/public' },
  }),
  given: {},
};

describe('resolveValue', () => {
  it.each([
    ['a literal', true, { kind: 'known', value: true }],
    [
      'a parameter with a default',
      { Ref: 'Env' },
      { kind: 'known', value: 'prod', via: "parameter Env's default" },
    ],
    [
      'a list parameter',
      { Ref: 'Cidrs' },
      { kind: 'known', value: ['203.0.113.0/24', '198.51.100.0/24'], via: "parameter Cidrs's default" },
    ],
    ['AWS::NoValue', { Ref: 'AWS::NoValue' }, { kind: 'absent' }],
    [
      'Fn::Sub over parameters',
      { 'Fn::Sub': `\${Env}-api-\${!Literal}` },
      { kind: 'known', value: `prod-api-\${Literal}`, via: "parameter Env's default" },
    ],
    [
      'Fn::Sub with its own variables',
      { 'Fn::Sub': [`\${Prefix}-x`, { Prefix: 'team' }] },
      { kind: 'known', value: 'team-x' },
    ],
    [
      'Fn::Join',
      { 'Fn::Join': ['-', ['a', { Ref: 'Env' }]] },
      { kind: 'known', value: 'a-prod', via: "parameter Env's default" },
    ],
    [
      'Fn::Split',
      { 'Fn::Split': [',', '10.0.0.0/8,10.1.0.0/16'] },
      { kind: 'known', value: ['10.0.0.0/8', '10.1.0.0/16'] },
    ],
    ['Fn::Select', { 'Fn::Select': ['1', ['a', 'b']] }, { kind: 'known', value: 'b' }],
  ])('knows %s before deploy', (_name, value, expected) => {
    // Act
    const resolved = resolveValue(value, CONTEXT);

    // Assess
    expect(resolved).toEqual(expected);
  });

  it.each([
    ['a resource', { Ref: 'Vpc' }, '!Ref Vpc (a resource, known at deploy)'],
    ['a pseudo parameter', { Ref: 'AWS::Region' }, '!Ref AWS::Region (a pseudo parameter, known at deploy)'],
    [
      'a parameter read from Parameter Store',
      { Ref: 'FromSsm' },
      '!Ref FromSsm (read from Parameter Store at deploy)',
    ],
    [
      'a parameter without a default',
      { Ref: 'Private' },
      '!Ref Private (a parameter without a default; give it with --parameters)',
    ],
    ['an attribute', { 'Fn::GetAtt': ['Role', 'Arn'] }, '!GetAtt Role.Arn'],
    ['a Sub over an attribute', { 'Fn::Sub': `\${Role.Arn}` }, `!Sub "\${Role.Arn}"`],
    ['an import', { 'Fn::ImportValue': 'shared-cidrs' }, '!ImportValue "shared-cidrs"'],
  ])('never guesses %s', (_name, value, expression) => {
    // Act
    const resolved = resolveValue(value, CONTEXT);

    // Assess
    expect(resolved).toEqual({ kind: 'unknown', expression });
  });

  it('takes a value given on the command line over the default', () => {
    // Act
    const resolved = resolveValue({ Ref: 'Env' }, { ...CONTEXT, given: { Env: 'dev' } });

    // Assess
    expect(resolved).toEqual({ kind: 'known', value: 'dev', via: 'parameter Env, as given' });
  });

  it('turns an Fn::If into the set of its branches, and a parameter without a default into its allowed values', () => {
    // Act
    const branches = resolveValue({ 'Fn::If': ['IsProd', false, { Ref: 'AWS::NoValue' }] }, CONTEXT);
    const allowed = resolveValue({ Ref: 'Public' }, CONTEXT);

    // Assess
    expect(branches).toMatchObject({ kind: 'unknown', candidates: [{ value: false }, { absent: true }] });
    expect(allowed).toMatchObject({ kind: 'unknown', candidates: [{ value: 'true' }, { value: 'false' }] });
  });

  it('leaves an Fn::If unknown without candidates when a branch is itself known only at deploy', () => {
    // Act
    const resolved = resolveValue({ 'Fn::If': ['IsProd', { Ref: 'Vpc' }, false] }, CONTEXT);

    // Assess
    expect(resolved).toEqual({ kind: 'unknown', expression: '!If ["IsProd",{"Ref":"Vpc"},false]' });
  });
});

describe('expressionText', () => {
  it('clips a long expression to one short line', () => {
    // Act
    const text = expressionText({ 'Fn::Join': ['\n', Array.from({ length: 40 }, (_, i) => `part-${i}`)] });

    // Assess
    expect(text.length).toBeLessThanOrEqual(100);
    expect(text).toMatch(/^!Join \["\\n",\["part-0".*\.\.\.$/);
  });
});
