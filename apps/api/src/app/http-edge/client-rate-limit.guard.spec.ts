import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ThrottlerStorageService } from '@nestjs/throttler';
import { ApiTokens } from './api-tokens';
import { ClientRateLimitGuard } from './client-rate-limit.guard';
import { rateLimitOptions } from './rate-limit.options';

const TOKEN = 'token-a-0123456789abcdef';

class SubtasksLike {
  list(): void {
    return;
  }
}

function context(
  type: 'http' | 'rpc',
  request: { ip: string; headers: Record<string, string> },
): ExecutionContext {
  return {
    getType: () => type,
    getClass: () => SubtasksLike,
    getHandler: () => SubtasksLike.prototype.list,
    switchToHttp: () => ({
      getRequest: () => request,
      getResponse: () => ({ header: jest.fn() }),
    }),
  } as unknown as ExecutionContext;
}

async function guardWith(limit: number) {
  const storage = new ThrottlerStorageService();
  const guard = new ClientRateLimitGuard(
    rateLimitOptions({
      API_RATE_LIMIT: limit,
      API_RATE_LIMIT_WINDOW_MS: 60_000,
    }),
    storage,
    new Reflector(),
    new ApiTokens([TOKEN]),
  );
  await guard.onModuleInit();
  return { guard, storage };
}

describe('ClientRateLimitGuard', () => {
  let storage: ThrottlerStorageService | undefined;
  afterEach(() => storage?.onApplicationShutdown());

  it('keys an authenticated client by its token digest and anyone else by IP', async () => {
    const built = await guardWith(10);
    storage = built.storage;
    const fromIp = { ip: '10.0.0.7', headers: {} };
    const withToken = {
      ip: '10.0.0.7',
      headers: { authorization: `Bearer ${TOKEN}` },
    };
    await built.guard.canActivate(context('http', fromIp));
    await built.guard.canActivate(context('http', withToken));
    const keys = [...storage.storage.keys()];
    expect(keys).toEqual([
      'default:ip:10.0.0.7',
      expect.stringMatching(/^default:token:[0-9a-f]{64}$/),
    ]);
    expect(keys.join()).not.toContain(TOKEN);
  });

  it('does not limit the Kafka handlers of the hybrid app', async () => {
    const built = await guardWith(1);
    storage = built.storage;
    const request = { ip: '10.0.0.7', headers: {} };
    for (let i = 0; i < 3; i++) {
      await expect(
        built.guard.canActivate(context('rpc', request)),
      ).resolves.toBe(true);
    }
    expect(storage.storage.size).toBe(0);
  });

  it('counts nothing with API_RATE_LIMIT=0', async () => {
    const built = await guardWith(0);
    storage = built.storage;
    await expect(
      built.guard.canActivate(context('http', { ip: '10.0.0.7', headers: {} })),
    ).resolves.toBe(true);
    expect(storage.storage.size).toBe(0);
  });
});
