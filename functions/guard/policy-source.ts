import { type LoadedPolicy, parsePolicy } from '../core/policy/policy';
import type { PolicyPort } from '../ports';

/**
 * A PolicyPort over a given policy text: the guard decides as if the text were in the parameter
 * (`policy what-if`). The text is parsed once; an invalid one fails every load with its PolicyError.
 */
export function policySource(text: string, source: string): PolicyPort {
  let loaded: LoadedPolicy | undefined;
  let fault: unknown;
  try {
    loaded = parsePolicy(text, source);
  } catch (error) {
    fault = error;
  }
  return {
    parameterName: source,
    async load(): Promise<LoadedPolicy> {
      if (loaded) return loaded;
      throw fault;
    },
    // A text has no parameter history, and nothing cached to drop.
    history: async () => [],
    invalidate: () => undefined,
  };
}
