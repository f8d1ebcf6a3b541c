import {
  Global,
  Injectable,
  Module,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { stopTracing } from '../../tracing/start-tracing';

@Injectable()
class FlushTracesOnShutdown implements OnApplicationShutdown {
  onApplicationShutdown(): Promise<void> {
    return stopTracing();
  }
}

/**
 * Exports the spans still buffered when the app stops. Global, so Nest runs its hook after the
 * app's own modules have stopped (their last spans included).
 */
@Global()
@Module({ providers: [FlushTracesOnShutdown] })
export class FlushTracesModule {}
