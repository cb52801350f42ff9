/**
 * The region whose SSM endpoint serves a policy parameter: a shared parameter (through AWS RAM)
 * is named by its full ARN and lives in the ARN's region, which may differ from the guard's.
 * A plain name is the guard's own parameter, in the guard's region.
 */
export function parameterRegion(nameOrArn: string, ownRegion: string): string {
  if (!nameOrArn.startsWith('arn:')) return ownRegion;
  const [, , service, region] = nameOrArn.split(':');
  return service === 'ssm' && region ? region : ownRegion;
}
