import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { WorkerEnvironment } from '../config/worker-environment';

/**
 * Fault injection for the fault suite, inert unless WORKER_FAULT_CRASH_AFTER_COMMITS is set: the
 * process dies (as by kill -9) right after the Nth stored result commits, before its event is
 * published and before the reply, to prove the outbox announces it anyway.
 */
@Injectable()
export class CommitFault {
  private readonly crashAfter: number | undefined;
  private commits = 0;

  constructor(config: ConfigService<WorkerEnvironment, true>) {
    this.crashAfter = config.get('WORKER_FAULT_CRASH_AFTER_COMMITS', {
      infer: true,
    });
  }

  afterCommit(): void {
    if (this.crashAfter === undefined) return;
    this.commits += 1;
    if (this.commits >= this.crashAfter) {
      new Logger(CommitFault.name).error(
        `fault injection: crashing after commit ${this.commits} (WORKER_FAULT_CRASH_AFTER_COMMITS)`,
      );
      process.kill(process.pid, 'SIGKILL');
    }
  }
}
