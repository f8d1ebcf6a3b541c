import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';

type State =
  | { readonly state: 'joining'; readonly since: Date }
  | { readonly state: 'ready' }
  | {
      readonly state: 'failing';
      readonly since: Date;
      readonly reason: string;
    };

/**
 * Whether the app's Kafka consumers (the reply consumer, the handlers' group) have joined their
 * groups. The api serves HTTP while they join, so health says what is not ready yet instead of the
 * port staying closed.
 */
@Injectable()
export class MessagingReadiness {
  private readonly parts = new Map<string, State>();

  constructor(private readonly health: HealthIndicatorService) {}

  joining(part: string): void {
    this.parts.set(part, { state: 'joining', since: new Date() });
  }

  ready(part: string): void {
    this.parts.set(part, { state: 'ready' });
  }

  failing(part: string, reason: string): void {
    const current = this.parts.get(part);
    this.parts.set(part, {
      state: 'failing',
      since:
        current !== undefined && 'since' in current
          ? current.since
          : new Date(),
      reason,
    });
  }

  async isHealthy(key = 'consumers') {
    const indicator = this.health.check(key);
    const waiting = [...this.parts.entries()].filter(
      ([, part]) => part.state !== 'ready',
    );
    if (waiting.length === 0)
      return indicator.up({ ready: [...this.parts.keys()] });
    return indicator.down(
      Object.fromEntries(
        waiting.map(([name, part]) => [
          name,
          part.state === 'failing'
            ? `failing since ${part.since.toISOString()}: ${part.reason}`
            : `joining since ${'since' in part ? part.since.toISOString() : ''}`,
        ]),
      ),
    );
  }
}
