import type { ThrottlerModuleOptions } from '@nestjs/throttler';
import type { ApiEnvironment } from '../config/api-environment';

export type RateLimitEnvironment = Pick<
  ApiEnvironment,
  'API_RATE_LIMIT' | 'API_RATE_LIMIT_WINDOW_MS'
>;

/**
 * A sliding window (blockDuration 0): at most API_RATE_LIMIT requests in any API_RATE_LIMIT_WINDOW_MS,
 * and a refused request does not count, so Retry-After is when the oldest request leaves the window.
 */
export function rateLimitOptions(
  env: RateLimitEnvironment,
): ThrottlerModuleOptions {
  const disabled = env.API_RATE_LIMIT === 0;
  return {
    throttlers: [
      {
        limit: env.API_RATE_LIMIT,
        ttl: env.API_RATE_LIMIT_WINDOW_MS,
        blockDuration: 0,
      },
    ],
    // Kept as a skipped throttler rather than none, which the guard reports as a misconfiguration.
    skipIf: () => disabled,
  };
}
