import { isRecord } from './source';

/**
 * CloudFormation values as far as they can be known before deploy, never guessed: literals;
 * `Ref` to a parameter (its value from `--parameters`, else its default); `Fn::Sub`, `Fn::Join`,
 * `Fn::Split` and `Fn::Select` over known values; `Fn::If` as the set of its two branches.
 * Everything else (a resource's attribute, an import, a pseudo parameter) is known only at deploy.
 */
export type Resolved =
  | { kind: 'known'; value: unknown; via?: string }
  | { kind: 'absent' }
  | { kind: 'unknown'; expression: string; candidates?: Candidate[] };

/** One value an expression may take; `absent` for a branch that is `AWS::NoValue`. */
export type Candidate = { absent: true } | { absent?: false; value: unknown };

export interface TemplateParameter {
  type: string;
  default?: unknown;
  allowed?: unknown[];
}

export interface ResolveContext {
  parameters: Record<string, TemplateParameter>;
  /** Values given on the command line (`--parameters Key=Value`), which win over the defaults. */
  given: Record<string, string>;
}

const NO_VALUE = 'AWS::NoValue';

/** The template's `Parameters` section, as far as it is well formed. */
export function templateParameters(section: unknown): Record<string, TemplateParameter> {
  const parameters: Record<string, TemplateParameter> = {};
  if (!isRecord(section)) return parameters;
  for (const [name, spec] of Object.entries(section)) {
    if (!isRecord(spec)) continue;
    parameters[name] = {
      type: typeof spec.Type === 'string' ? spec.Type : 'String',
      ...(Object.hasOwn(spec, 'Default') ? { default: spec.Default } : {}),
      ...(Array.isArray(spec.AllowedValues) ? { allowed: spec.AllowedValues } : {}),
    };
  }
  return parameters;
}

/** The function of a one-key object such as `{ "Fn::Sub": ... }`, or undefined. */
export function intrinsicOf(value: unknown): { name: string; argument: unknown } | undefined {
  if (!isRecord(value)) return undefined;
  const keys = Object.keys(value);
  const name = keys[0];
  if (keys.length !== 1 || name === undefined) return undefined;
  if (name !== 'Ref' && name !== 'Condition' && !name.startsWith('Fn::')) return undefined;
  return { name, argument: value[name] };
}

export function resolveValue(value: unknown, context: ResolveContext): Resolved {
  const intrinsic = intrinsicOf(value);
  if (!intrinsic) {
    if (Array.isArray(value)) return resolveList(value, context);
    return { kind: 'known', value };
  }
  const { name, argument } = intrinsic;
  const unknown = (): Resolved => ({ kind: 'unknown', expression: expressionText(value) });
  switch (name) {
    case 'Ref':
      return typeof argument === 'string' ? resolveRef(argument, context) : unknown();
    case 'Fn::If': {
      if (!Array.isArray(argument) || argument.length !== 3) return unknown();
      const branches = [resolveValue(argument[1], context), resolveValue(argument[2], context)];
      const candidates: Candidate[] = [];
      for (const branch of branches) {
        if (branch.kind === 'known') candidates.push({ value: branch.value });
        else if (branch.kind === 'absent') candidates.push({ absent: true });
        else if (branch.candidates) candidates.push(...branch.candidates);
        else return unknown();
      }
      return { kind: 'unknown', expression: expressionText(value), candidates };
    }
    case 'Fn::Sub':
      return resolveSub(argument, context) ?? unknown();
    case 'Fn::Join': {
      if (!Array.isArray(argument) || argument.length !== 2 || typeof argument[0] !== 'string')
        return unknown();
      const list = resolveValue(argument[1], context);
      if (list.kind !== 'known' || !Array.isArray(list.value) || !list.value.every(isScalarText))
        return unknown();
      return { kind: 'known', value: list.value.map(String).join(argument[0]), ...via(list) };
    }
    case 'Fn::Split': {
      if (!Array.isArray(argument) || argument.length !== 2 || typeof argument[0] !== 'string')
        return unknown();
      const text = resolveValue(argument[1], context);
      if (text.kind !== 'known' || typeof text.value !== 'string' || argument[0] === '') return unknown();
      return { kind: 'known', value: text.value.split(argument[0]), ...via(text) };
    }
    case 'Fn::Select': {
      if (!Array.isArray(argument) || argument.length !== 2) return unknown();
      const index = resolveValue(argument[0], context);
      const list = resolveValue(argument[1], context);
      const at = index.kind === 'known' ? Number(index.value) : Number.NaN;
      if (list.kind !== 'known' || !Array.isArray(list.value) || !Number.isInteger(at)) return unknown();
      return at >= 0 && at < list.value.length
        ? { kind: 'known', value: list.value[at], ...via(list) }
        : unknown();
    }
    default:
      return unknown();
  }
}

function resolveList(items: unknown[], context: ResolveContext): Resolved {
  const values: unknown[] = [];
  const vias: string[] = [];
  for (const item of items) {
    const resolved = resolveValue(item, context);
    if (resolved.kind === 'unknown') return { kind: 'unknown', expression: expressionText(items) };
    if (resolved.kind === 'absent') continue;
    // A list parameter inside a list is spliced in, as CloudFormation does for `!Ref` to a list.
    if (Array.isArray(resolved.value) && intrinsicOf(item)) values.push(...resolved.value);
    else values.push(resolved.value);
    if (resolved.via) vias.push(resolved.via);
  }
  return { kind: 'known', value: values, ...(vias.length > 0 ? { via: [...new Set(vias)].join(', ') } : {}) };
}

function resolveRef(name: string, context: ResolveContext): Resolved {
  if (name === NO_VALUE) return { kind: 'absent' };
  const parameter = context.parameters[name];
  const expression = `!Ref ${name}`;
  if (!parameter) {
    const what = name.startsWith('AWS::') ? 'a pseudo parameter' : 'a resource';
    return { kind: 'unknown', expression: `${expression} (${what}, known at deploy)` };
  }
  if (parameter.type.startsWith('AWS::SSM::Parameter::Value')) {
    return { kind: 'unknown', expression: `${expression} (read from Parameter Store at deploy)` };
  }
  const list = parameter.type === 'CommaDelimitedList' || parameter.type.startsWith('List<');
  const typed = (text: unknown) =>
    list && typeof text === 'string' ? text.split(',').map((item) => item.trim()) : text;
  if (Object.hasOwn(context.given, name)) {
    return { kind: 'known', value: typed(context.given[name]), via: `parameter ${name}, as given` };
  }
  if (parameter.default !== undefined) {
    return { kind: 'known', value: typed(parameter.default), via: `parameter ${name}'s default` };
  }
  if (parameter.allowed && parameter.allowed.length > 0) {
    return {
      kind: 'unknown',
      expression: `${expression} (no default: one of its allowed values)`,
      candidates: parameter.allowed.map((value) => ({ value: typed(value) })),
    };
  }
  return {
    kind: 'unknown',
    expression: `${expression} (a parameter without a default; give it with --parameters)`,
  };
}

/** `Fn::Sub` over parameters and its own variables; undefined when any part is known only at deploy. */
function resolveSub(argument: unknown, context: ResolveContext): Resolved | undefined {
  const [template, variables] = Array.isArray(argument) ? argument : [argument, {}];
  if (typeof template !== 'string' || !isRecord(variables)) return undefined;
  const vias: string[] = [];
  let failed = false;
  const text = template.replace(/\$\{([^}]*)\}/g, (whole, inner: string) => {
    if (inner.startsWith('!')) return `\${${inner.slice(1)}}`;
    const name = inner.trim();
    const resolved = Object.hasOwn(variables, name)
      ? resolveValue(variables[name], context)
      : name.includes('.')
        ? undefined
        : resolveRef(name, context);
    if (resolved?.kind !== 'known' || !isScalarText(resolved.value)) {
      failed = true;
      return whole;
    }
    if (resolved.via) vias.push(resolved.via);
    return String(resolved.value);
  });
  if (failed) return undefined;
  return { kind: 'known', value: text, ...(vias.length > 0 ? { via: [...new Set(vias)].join(', ') } : {}) };
}

function isScalarText(value: unknown): boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function via(resolved: Resolved): { via?: string } {
  return resolved.kind === 'known' && resolved.via ? { via: resolved.via } : {};
}

/** An expression as people write it in YAML: `!Ref X`, `!GetAtt A.B`, `!Sub "..."`; clipped. */
export function expressionText(value: unknown): string {
  const intrinsic = intrinsicOf(value);
  let text: string;
  if (!intrinsic) text = JSON.stringify(value) ?? String(value);
  else if (intrinsic.name === 'Ref') text = `!Ref ${String(intrinsic.argument)}`;
  else if (intrinsic.name === 'Fn::GetAtt' && Array.isArray(intrinsic.argument))
    text = `!GetAtt ${intrinsic.argument.map(String).join('.')}`;
  else text = `!${intrinsic.name.replace(/^Fn::/, '')} ${JSON.stringify(intrinsic.argument)}`;
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 100 ? `${flat.slice(0, 97)}...` : flat;
}
