import type { Language } from './phrase-book';

/** How the alert text is written: shared by the alert and its e-mail body. */
export interface AlertOptions {
  /** null: the policy turned tag exemptions off. */
  exemptionTag: string | null;
  policyParameter: string;
  /** The policy's `alertLanguage`: the subject and text in English (default) or Japanese. */
  language?: Language;
}
