import { INTENT_DELAY_SECONDS } from '../../functions/guard/intent';
import { MAX_RECHECK_DELAY_SECONDS } from '../../functions/ports';
import { FUNCTION_TIMEOUT } from '../../infra/guard-function';

/**
 * A remediation's record of intent (functions/guard/intent.ts) is delivered after the attempt that
 * queued it is over: its delay must outlast the function's timeout, and SQS must accept it.
 */
describe('the record of intent of a remediation', () => {
  it('arrives after the function timeout has ended the attempt that queued it', () => {
    // Act
    const margin = INTENT_DELAY_SECONDS - FUNCTION_TIMEOUT.toSeconds();

    // Assess
    expect(margin).toBeGreaterThanOrEqual(60);
  });

  it('asks SQS for a delay it allows', () => {
    // Assess
    expect(INTENT_DELAY_SECONDS).toBeLessThanOrEqual(MAX_RECHECK_DELAY_SECONDS);
  });
});
