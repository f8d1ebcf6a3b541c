import {
  Inject,
  Injectable,
  Logger,
  Module,
  type DynamicModule,
  type FactoryProvider,
  type ModuleMetadata,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import {
  type KafkaConnection,
  Metrics,
  MetricsModule,
  type RegistryConnection,
} from '@subtasks/config';
import type { ContractClass } from '@subtasks/contracts';
import { ContractCatalogue } from '../kafka/contract-catalogue';
import { contractClientOptions } from './kafka-options';
import { diagnoseReplyPartitions } from '../kafka/reply-partitions';
import {
  ContractRegistry,
  type RegistryMode,
} from '../registry/contract-registry';
import { ContractSerde } from '../serde/contract-serde';
import { DeadLetterPublisher } from '../failure/dead-letters';
import {
  FAILURE_POLICY_SETTINGS,
  FailurePolicyInterceptor,
  type FailurePolicySettings,
  type MessageScope,
  ProcessingHealth,
} from '../failure/failure-policy.interceptor';
import { ShutdownSignal } from '../failure/shutdown-signal';
import { describeCause } from '../errors/messaging-error';
import { MessagingReadiness } from '../health/messaging-readiness';
import { deadLetterOfUndecodable } from '../failure/undecodable-dead-letter';
import { ConsumerLagMetrics } from '../metrics/consumer-lag.metrics';
import { MessagingMetrics } from '../metrics/messaging-metrics';
import { ContractClient, ContractClientKafka } from './contract-client';
import {
  KAFKA_CONNECTION,
  MESSAGING_OPTIONS,
  UNDECODABLE_MESSAGE_HOOK,
  type UndecodableMessageHook,
} from './messaging.tokens';

export interface MessagingModuleOptions {
  /** Brokers, TLS, SASL and timeouts: every Kafka client of the app is built from this. */
  readonly kafka: KafkaConnection;
  /** Kafka client id; Nest appends `-client` for the ContractClient. */
  readonly clientId: string;
  /** Group of the ContractClient's reply consumer; Nest appends `-client`. */
  readonly groupId: string;
  /** The registry's Confluent-compatible API, credentials and CA. */
  readonly registry: RegistryConnection;
  readonly mode: RegistryMode;
  /** Topic ↔ class bindings; the generated catalogue by default. */
  readonly contracts?: readonly ContractClass[];
  /** Default reply timeout of `ContractClient.send`. Default 10 s. */
  readonly requestTimeoutMs?: number;
  /** The app only emits: no reply consumer. */
  readonly producerOnly?: boolean;
  /**
   * For consumed messages that cannot be decoded; by default they are parked in the dead-letter
   * topic the catalogue declares for their topic (and only logged where it declares none).
   */
  readonly onUndecodable?: UndecodableMessageHook;
  /** Retries and classification of handler failures (see FailurePolicyInterceptor). */
  readonly failurePolicy?: Partial<FailurePolicySettings>;
  /** The app's context around each consumed message's handling (e.g. logs bound to its request id). */
  readonly messageScope?: MessageScope;
  /** At bootstrap, register/verify every contract's schema and connect the client. Default true. */
  readonly connectOnBootstrap?: boolean;
  /**
   * Connect the client (join the reply group) in the background instead of holding the boot: the app
   * serves HTTP at once and health reports the reply consumer until it is ready. Sends wait for it.
   */
  readonly connectInBackground?: boolean;
  /** Consumer groups whose lag `GET /metrics` reports: the app's own. Default none. */
  readonly lagGroups?: readonly string[];
}

export interface MessagingModuleAsyncOptions {
  readonly imports?: ModuleMetadata['imports'];
  readonly inject?: FactoryProvider['inject'];
  readonly useFactory: (
    ...deps: never[]
  ) => MessagingModuleOptions | Promise<MessagingModuleOptions>;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

const RECONNECT_AFTER_MS = 2_000;

/**
 * Fails the boot early on what configuration can fix (a missing schema in verify mode, refused
 * registry credentials); connects the client then, or in the background (see `connectInBackground`).
 */
@Injectable()
class MessagingBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger('MessagingBootstrap');

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingModuleOptions,
    private readonly registry: ContractRegistry,
    private readonly catalogue: ContractCatalogue,
    private readonly client: ContractClient,
    private readonly readiness: MessagingReadiness,
    private readonly shutdown: ShutdownSignal,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.options.connectOnBootstrap === false) {
      return;
    }
    await this.registry.prepare(this.catalogue.contracts);
    if (this.options.connectInBackground) {
      void this.connectUntilReady();
      return;
    }
    await this.client.connect();
  }

  private async connectUntilReady(): Promise<void> {
    const part = 'reply consumer';
    this.readiness.joining(part);
    while (!this.shutdown.signal.aborted) {
      try {
        await this.client.connect();
        this.readiness.ready(part);
        return;
      } catch (error) {
        const reason = describeCause(error);
        this.readiness.failing(part, reason);
        this.logger.warn(
          `connecting the Kafka client failed; retrying: ${reason}`,
        );
        await new Promise((resolve) => setTimeout(resolve, RECONNECT_AFTER_MS));
      }
    }
  }
}

/**
 * Global: provides {@link ContractClient}, {@link ContractRegistry} (one per app, so ids and writer
 * schemas are fetched once), {@link ContractSerde}, {@link ContractCatalogue} and the undecodable
 * message hook that the handler decorators' filters use.
 */
@Module({})
export class MessagingModule {
  static forRootAsync(options: MessagingModuleAsyncOptions): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      imports: [TerminusModule, MetricsModule, ...(options.imports ?? [])],
      providers: [
        {
          provide: MESSAGING_OPTIONS,
          inject: options.inject ?? [],
          useFactory: options.useFactory,
        },
        {
          provide: KAFKA_CONNECTION,
          inject: [MESSAGING_OPTIONS],
          useFactory: (o: MessagingModuleOptions) => o.kafka,
        },
        {
          provide: ContractCatalogue,
          inject: [MESSAGING_OPTIONS],
          useFactory: (o: MessagingModuleOptions) =>
            new ContractCatalogue(o.contracts),
        },
        {
          provide: ContractRegistry,
          inject: [MESSAGING_OPTIONS],
          useFactory: (o: MessagingModuleOptions) =>
            new ContractRegistry({ connection: o.registry, mode: o.mode }),
        },
        {
          provide: ContractSerde,
          inject: [ContractRegistry],
          useFactory: (registry: ContractRegistry) =>
            new ContractSerde(registry),
        },
        {
          provide: ContractClient,
          inject: [MESSAGING_OPTIONS, ContractRegistry, ContractCatalogue],
          useFactory: (
            o: MessagingModuleOptions,
            registry: ContractRegistry,
            catalogue: ContractCatalogue,
          ) =>
            new ContractClient(
              new ContractClientKafka(
                contractClientOptions({
                  connection: o.kafka,
                  clientId: o.clientId,
                  groupId: o.groupId,
                  registry,
                  contracts: catalogue.contracts,
                  producerOnly: o.producerOnly,
                }).options,
              ),
              catalogue,
              {
                requestTimeoutMs:
                  o.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
                producerOnly: o.producerOnly,
                diagnoseReplyPartitions: (topics) =>
                  diagnoseReplyPartitions(
                    o.kafka,
                    o.clientId,
                    `${o.groupId}-client`,
                    topics,
                  ),
              },
            ),
        },
        MessagingMetrics,
        {
          provide: ConsumerLagMetrics,
          inject: [Metrics, MESSAGING_OPTIONS],
          useFactory: (metrics: Metrics, o: MessagingModuleOptions) =>
            new ConsumerLagMetrics(metrics, {
              connection: o.kafka,
              clientId: o.clientId,
              groups: o.lagGroups ?? [],
            }),
        },
        {
          provide: DeadLetterPublisher,
          inject: [MESSAGING_OPTIONS, ContractCatalogue, MessagingMetrics],
          useFactory: (
            o: MessagingModuleOptions,
            catalogue: ContractCatalogue,
            metrics: MessagingMetrics,
          ) =>
            new DeadLetterPublisher({
              connection: o.kafka,
              clientId: o.clientId,
              contracts: catalogue.contracts,
              metrics,
            }),
        },
        {
          provide: UNDECODABLE_MESSAGE_HOOK,
          inject: [MESSAGING_OPTIONS, DeadLetterPublisher],
          useFactory: (
            o: MessagingModuleOptions,
            deadLetters: DeadLetterPublisher,
          ): UndecodableMessageHook =>
            o.onUndecodable ??
            ((message) =>
              deadLetters.topicFor(message.topic) === undefined
                ? undefined
                : deadLetters.publish(deadLetterOfUndecodable(message))),
        },
        {
          provide: FAILURE_POLICY_SETTINGS,
          inject: [MESSAGING_OPTIONS],
          useFactory: (o: MessagingModuleOptions): FailurePolicySettings => ({
            baseDelayMs: 250,
            maxDelayMs: 5_000,
            unknownAttempts: 6,
            ...o.failurePolicy,
            scope: o.messageScope ?? o.failurePolicy?.scope,
          }),
        },
        ProcessingHealth,
        ShutdownSignal,
        FailurePolicyInterceptor,
        MessagingReadiness,
        MessagingBootstrap,
      ],
      exports: [
        KAFKA_CONNECTION,
        MESSAGING_OPTIONS,
        ContractCatalogue,
        ContractRegistry,
        ContractSerde,
        ContractClient,
        UNDECODABLE_MESSAGE_HOOK,
        DeadLetterPublisher,
        ProcessingHealth,
        ShutdownSignal,
        FAILURE_POLICY_SETTINGS,
        FailurePolicyInterceptor,
        MessagingReadiness,
        MessagingMetrics,
      ],
    };
  }
}
