/** Configuration of the organisation and multi-region apps: `-c` context values, checked at synth. */

/** A context value or prop that cannot work: the message is one line. */
export class OrgConfigError extends Error {
  override readonly name = 'OrgConfigError';
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const OU = /^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/;
const ROOT = /^r-[0-9a-z]{4,32}$/;
const ACCOUNT = /^\d{12}$/;

export function validOrganizationId(value: string): boolean {
  return /^o-[a-z0-9]{10,32}$/.test(value);
}

/** A comma-separated string (from `-c`) or an array (from cdk.json): trimmed, de-duplicated, in order. */
export function list(value: unknown): string[] {
  if (value === undefined || value === null || value === '') return [];
  const items = Array.isArray(value) ? value : String(value).split(',');
  return [...new Set(items.map((item) => String(item).trim()).filter(Boolean))];
}

function checked(name: string, values: string[], pattern: RegExp, example: string): string[] {
  const bad = values.find((value) => !pattern.test(value));
  if (bad !== undefined)
    throw new OrgConfigError(`${name}: "${bad}" is not valid (expected e.g. ${example})`);
  return values;
}

export function regionList(value: unknown, name = 'regions'): string[] {
  return checked(name, list(value), REGION, 'us-east-1,eu-west-1');
}

/** Organisational unit ids, or the organisation root (`r-…`) for every account. */
export function organizationalUnitList(value: unknown): string[] {
  const units = list(value);
  const bad = units.find((unit) => !OU.test(unit) && !ROOT.test(unit));
  if (bad !== undefined) {
    throw new OrgConfigError(
      `organizationalUnits: "${bad}" is not an OU id (ou-ab12-cdef3456) or the root (r-ab12)`,
    );
  }
  return units;
}

export function accountId(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  return checked(name, [String(value).trim()], ACCOUNT, '111122223333')[0];
}

/**
 * Slack channels from `-c centralSlackChannels=T0123ABCD/C0123ABCD,…` (workspace/channel) or, in
 * cdk.json, an array of `{ workspaceId, channelId }`; the ids are checked by AlertChannels.
 */
export function slackChannelList(value: unknown): { workspaceId: string; channelId: string }[] {
  return channelList(value, 'centralSlackChannels', ['workspaceId', 'channelId'], 'T0123ABCD/C0123ABCD');
}

/** Teams channels from `-c centralTeamsChannels=<teamId>/<channelId>/<tenantId>,…` or an array of objects. */
export function teamsChannelList(value: unknown): { teamId: string; channelId: string; tenantId: string }[] {
  return channelList(
    value,
    'centralTeamsChannels',
    ['teamId', 'channelId', 'tenantId'],
    '<team GUID>/19:…@thread.tacv2/<tenant GUID>',
  );
}

function channelList<K extends string>(
  value: unknown,
  name: string,
  keys: readonly K[],
  example: string,
): Record<K, string>[] {
  const items = Array.isArray(value) ? value : list(value);
  return items.map((item) => {
    const parts =
      typeof item === 'string'
        ? item.split('/').map((part) => part.trim())
        : keys.map((key) => (item && typeof item === 'object' ? String((item as never)[key] ?? '') : ''));
    if (parts.length !== keys.length || parts.some((part) => part === '')) {
      throw new OrgConfigError(
        `${name}: "${String(typeof item === 'string' ? item : JSON.stringify(item)).slice(0, 80)}" is not a channel (expected ${example})`,
      );
    }
    return Object.fromEntries(keys.map((key, index) => [key, parts[index] as string])) as Record<K, string>;
  });
}
