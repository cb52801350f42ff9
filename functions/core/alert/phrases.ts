import type { Language, Phrases } from './phrase-book';
import { en } from './phrases-en';
import { ja } from './phrases-ja';

export { LANGUAGES, type Labels, type Language, type Phrases } from './phrase-book';

/** Every language's phrase book. */
export const PHRASES: Record<Language, Phrases> = { en, ja };
