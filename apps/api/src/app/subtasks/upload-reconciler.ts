import {
  Injectable,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import type { ApiEnvironment } from '../config/api-environment';
import { SubtasksService } from './subtasks.service';

/**
 * The last line of defence for the flag: when neither the reply nor the completion event arrived
 * (worker crashed, reply lost, broker outage), uploads older than the deadline are timed out.
 */
@Injectable()
export class UploadReconciler
  implements OnApplicationBootstrap, OnApplicationShutdown
{
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly subtasks: SubtasksService,
    private readonly config: ConfigService<ApiEnvironment, true>,
    @InjectPinoLogger(UploadReconciler.name)
    private readonly logger: PinoLogger,
  ) {}

  onApplicationBootstrap(): void {
    const everyMs = this.config.get('RECONCILE_INTERVAL_MS', { infer: true });
    this.timer = setInterval(() => {
      this.running ??= this.sweep().finally(() => (this.running = undefined));
    }, everyMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private async sweep(): Promise<void> {
    try {
      await this.subtasks.expireStaleUploads();
    } catch (error) {
      this.logger.error({ err: error }, 'reconciler sweep failed; will retry');
    }
  }
}
