import { Injectable, type OnModuleDestroy } from '@nestjs/common';

/**
 * Aborted when the app starts to shut down (Nest's first hook, before the consumers are closed), so a
 * handler waiting out a transient failure gives its message back instead of holding the shutdown.
 */
@Injectable()
export class ShutdownSignal implements OnModuleDestroy {
  private readonly controller = new AbortController();

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  onModuleDestroy(): void {
    this.controller.abort();
  }
}
