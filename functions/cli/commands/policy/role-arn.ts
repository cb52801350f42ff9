import { CliError } from '../../cli-error';

export const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}|\*):role\/[\w+=,.@/*-]{1,512}$/;

/** An option parser for IAM role ARNs; `many` collects repeats. Loaded with the help: no SDK. */
export function parseRoleArn(option: string, many = false): (text: string, previous?: string[]) => string[] {
  return (text, previous) => {
    if (!ROLE_ARN.test(text)) {
      throw new CliError(
        `${option} "${text}": expected an IAM role ARN such as arn:aws:iam::123456789012:role/BreakGlass`,
      );
    }
    return many ? [...(previous ?? []), text] : [text];
  };
}
