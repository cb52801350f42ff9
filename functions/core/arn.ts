/** The 12-digit account of an ARN (`arn:aws:iam::123456789012:role/x`), or undefined. */
export function accountOfArn(arn: string | undefined): string | undefined {
  const account = arn?.split(':')[4];
  return account && /^\d{12}$/.test(account) ? account : undefined;
}
