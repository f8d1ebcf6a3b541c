import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';

interface Failing {
  readonly since: Date;
  attempts: number;
  reason: string;
}

/**
 * Which consumed messages are waiting out a transient failure (database or broker away). Health is
 * down while any is, so an orchestrator sees the worker is stuck, and why.
 */
@Injectable()
export class ProcessingHealth {
  private readonly failing = new Map<string, Failing>();

  constructor(private readonly health: HealthIndicatorService) {}

  failed(position: string, reason: string): number {
    const entry = this.failing.get(position) ?? {
      since: new Date(),
      attempts: 0,
      reason,
    };
    entry.attempts += 1;
    entry.reason = reason;
    this.failing.set(position, entry);
    return entry.attempts;
  }

  settled(position: string): void {
    this.failing.delete(position);
  }

  async isHealthy(key = 'processing') {
    const indicator = this.health.check(key);
    if (this.failing.size === 0) return indicator.up();
    const [position, oldest] = [...this.failing.entries()].sort(
      (a, b) => a[1].since.getTime() - b[1].since.getTime(),
    )[0] as [string, Failing];
    return indicator.down({
      waiting: this.failing.size,
      message: `${position}: ${oldest.reason}`,
      since: oldest.since.toISOString(),
      attempts: oldest.attempts,
    });
  }
}
