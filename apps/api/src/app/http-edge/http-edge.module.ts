import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import type { ApiEnvironment } from '../config/api-environment';
import { ApiTokens } from './api-tokens';
import { BearerAuthGuard } from './bearer-auth.guard';
import { ClientRateLimitGuard } from './client-rate-limit.guard';
import { rateLimitOptions } from './rate-limit.options';

/**
 * Global guards of the HTTP edge, in this order: rate limit, then authentication (Nest runs APP_GUARD
 * providers in the order they are listed).
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<ApiEnvironment, true>) =>
        rateLimitOptions({
          API_RATE_LIMIT: config.get('API_RATE_LIMIT', { infer: true }),
          API_RATE_LIMIT_WINDOW_MS: config.get('API_RATE_LIMIT_WINDOW_MS', {
            infer: true,
          }),
        }),
    }),
  ],
  providers: [
    {
      provide: ApiTokens,
      inject: [ConfigService],
      useFactory: (config: ConfigService<ApiEnvironment, true>) =>
        new ApiTokens(config.get('API_TOKENS', { infer: true }) ?? []),
    },
    { provide: APP_GUARD, useClass: ClientRateLimitGuard },
    { provide: APP_GUARD, useClass: BearerAuthGuard },
  ],
  exports: [ApiTokens],
})
export class HttpEdgeModule {}
