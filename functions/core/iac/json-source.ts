import { type Node, type ParseError, parseTree, printParseErrorCode } from 'jsonc-parser';
import { lineIndex } from '../line-index';
import { quote } from '../quote';
import { type DocPath, IacInputError, type Position, pathKey, type SourceDoc, spanOf } from './source';

/**
 * A JSON document (a CloudFormation template, a CDK assembly's template, a Terraform plan) with
 * the position of every member. Strict JSON: no comments, no trailing commas, as CloudFormation
 * and Terraform write and read it. Throws IacInputError at the first fault.
 */
export function jsonSource(text: string, file: string): SourceDoc {
  const index = lineIndex(text);
  const errors: ParseError[] = [];
  let root: Node | undefined;
  try {
    root = parseTree(text, errors, {
      disallowComments: true,
      allowTrailingComma: false,
      allowEmptyContent: false,
    });
  } catch (error) {
    // Only a pathological nesting depth exhausts the parser's stack.
    throw new IacInputError(file, 'invalid JSON: nested too deeply', undefined, { cause: error });
  }
  const first = errors[0];
  if (first || !root) {
    const offset = first?.offset ?? 0;
    const code = first ? printParseErrorCode(first.error) : 'ValueExpected';
    throw new IacInputError(file, `invalid JSON: ${syntaxMessage(code, text, offset)}`, index(offset));
  }
  let value: unknown;
  try {
    // What the services parse: anything JSON.parse refuses is refused here too.
    value = JSON.parse(text);
  } catch (error) {
    throw new IacInputError(file, `invalid JSON: ${(error as Error).message.split('\n')[0]}`, index(0), {
      cause: error,
    });
  }
  const positions = new Map<string, Position>();
  const visit = (node: Node, path: (string | number)[], at: Position) => {
    if (path.length > MAX_DEPTH) {
      throw new IacInputError(file, `nested deeper than ${MAX_DEPTH} levels`, {
        line: at.line,
        column: at.column,
      });
    }
    positions.set(pathKey(path), at);
    if (node.type === 'object') {
      for (const property of node.children ?? []) {
        const [key, child] = property.children ?? [];
        if (!key || !child) continue;
        visit(child, [...path, String(key.value)], spanOf(index, key.offset, key.offset + key.length));
      }
    } else if (node.type === 'array') {
      (node.children ?? []).forEach((child, i) => {
        visit(child, [...path, i], spanOf(index, child.offset, child.offset + child.length));
      });
    }
  };
  visit(root, [], spanOf(index, root.offset, root.offset + root.length));
  return { value, at: (path: DocPath) => positions.get(pathKey(path)) };
}

/** Far deeper than any template or plan: a limit that keeps hostile input from exhausting the stack. */
export const MAX_DEPTH = 200;

const SYNTAX_MESSAGES: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'expected a property name in double quotes',
  ValueExpected: 'expected a value',
  ColonExpected: 'expected ":"',
  CommaExpected: 'expected ","',
  CloseBraceExpected: 'expected "}"',
  CloseBracketExpected: 'expected "]"',
  EndOfFileExpected: 'expected the end of the document',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'unterminated comment',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'unterminated number',
  InvalidUnicode: 'invalid \\u escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'invalid character in a string',
};

function syntaxMessage(code: string, text: string, offset: number): string {
  const message = SYNTAX_MESSAGES[code] ?? code;
  if (offset >= text.length) return `${message}, found the end of the file`;
  const found = text.slice(offset).match(/^(\S{1,20})/)?.[1];
  return found ? `${message}, found ${quote(found)}` : message;
}
