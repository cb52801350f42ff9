import type * as z from 'zod/mini';
import { quote as show } from '../quote';
import { WHOLE_NUMBER_FIELDS } from './limits';

/**
 * A policy's schema issues in words that state the rule in the field's terms: "must be a whole
 * number of at least 1, got 0", "has 41 entries, at most 40".
 */

/** One schema issue in words, without its path (the linter reports every issue with its own position). */
export function describeIssue(issue: z.core.$ZodIssue): string {
  const field = issue.path.at(-1);
  const range = typeof field === 'string' ? WHOLE_NUMBER_FIELDS[field] : undefined;
  const got = issue.input === undefined ? '' : `, got ${show(issue.input)}`;
  // A whole-number field: one rule, whatever part of it was broken (type, fraction, range).
  if (range && issue.input !== undefined && ['invalid_type', 'too_small', 'too_big'].includes(issue.code)) {
    return `must be a whole number ${rangeWords(range)}${got}`;
  }
  switch (issue.code) {
    case 'invalid_value':
      if (issue.input === undefined) return 'is required';
      return issue.values.length === 1
        ? `must be ${JSON.stringify(issue.values[0])}${got}`
        : `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}${got}`;
    case 'invalid_type':
      return issue.input === undefined
        ? 'is required'
        : `must be ${TYPE_WORDS[issue.expected] ?? issue.expected}${got}`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => show(k)).join(', ')}`;
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'array') {
        const count = Array.isArray(issue.input) ? issue.input.length : 0;
        return `has ${entries(count)}, at least ${min}`;
      }
      if (issue.origin === 'string')
        return min <= 1 ? 'must not be empty' : `must be at least ${min} characters long`;
      return `must be at least ${min}${got}`;
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'array') {
        const count = Array.isArray(issue.input) ? issue.input.length : max + 1;
        return `has ${entries(count)}, at most ${max}`;
      }
      if (issue.origin === 'string') {
        const length = typeof issue.input === 'string' ? [...issue.input].length : max + 1;
        return `is ${length} characters long, at most ${max}`;
      }
      return `must be at most ${max}${got}`;
    }
    case 'invalid_format':
      return issue.format === 'date' ? `must be a date YYYY-MM-DD${got}` : issue.message;
    case 'invalid_union':
      // Only `expires` is a union: a date or a UTC timestamp.
      return `must be a date YYYY-MM-DD or a UTC time YYYY-MM-DDTHH:MM:SSZ${got}`;
    default:
      return issue.message;
  }
}

const TYPE_WORDS: Record<string, string> = {
  string: 'text in double quotes',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list [...]',
  object: 'an object {...}',
  null: 'null',
};

function rangeWords(range: { min: number; max?: number }): string {
  return range.max === undefined ? `of at least ${range.min}` : `from ${range.min} to ${range.max}`;
}

function entries(count: number): string {
  return `${count} entr${count === 1 ? 'y' : 'ies'}`;
}
