import { onTestFinished } from 'vitest';

/**
 * Rejections nobody handled, recorded from this call until the running test ends: a test that
 * injects a fault asserts the list stays empty (an unhandled rejection ends a real process).
 */
export function recordUnhandledRejections(): unknown[] {
  const reasons: unknown[] = [];
  const record = (reason: unknown) => reasons.push(reason);
  process.on('unhandledRejection', record);
  onTestFinished(() => {
    process.off('unhandledRejection', record);
  });
  return reasons;
}
