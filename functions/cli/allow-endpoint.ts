import { parseAllowedEndpoint } from './endpoint-policy';

/**
 * The `--allow-endpoint URL` option of the commands that write, as commander's `.option()` takes
 * it: repeatable, each value an https URL kept as its origin. Loaded with --help: no SDK here.
 */
export function allowEndpointOption(): [string, string, (value: string, previous?: string[]) => string[]] {
  return [
    '--allow-endpoint <url>',
    'write to this https endpoint although it is neither AWS nor a loopback emulator (repeat for several)',
    (value, previous) => [...(previous ?? []), parseAllowedEndpoint(value)],
  ];
}
