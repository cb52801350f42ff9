// Placeholder: the real handler lands with the guard.
export const handler = async (event: unknown) => ({ results: [], batchItemFailures: [], event });
