import {
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type FactoryProvider,
  type ModuleMetadata,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { ClientKafka } from '@nestjs/microservices';
import type { KafkaConnection, RegistryConnection } from '@subtasks/config';
import type { ContractClass } from '@subtasks/contracts';
import { ContractCatalogue } from '../kafka/contract-catalogue';
import { contractClientOptions } from '../kafka/kafka-options';
import { diagnoseReplyPartitions } from '../kafka/reply-partitions';
import {
  ContractRegistry,
  type RegistryMode,
} from '../registry/contract-registry';
import { ContractSerde } from '../serde/contract-serde';
import { ContractClient } from './contract-client';
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
  /** Dead-letter seam for consumed messages that cannot be decoded. */
  readonly onUndecodable?: UndecodableMessageHook;
  /** At bootstrap, register/verify every contract's schema and connect the client. Default true. */
  readonly connectOnBootstrap?: boolean;
}

export interface MessagingModuleAsyncOptions {
  readonly imports?: ModuleMetadata['imports'];
  readonly inject?: FactoryProvider['inject'];
  readonly useFactory: (
    ...deps: never[]
  ) => MessagingModuleOptions | Promise<MessagingModuleOptions>;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

/** Fails the boot early: a missing schema (verify mode) or an unreachable broker shows at start. */
@Injectable()
class MessagingBootstrap implements OnApplicationBootstrap {
  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingModuleOptions,
    private readonly registry: ContractRegistry,
    private readonly catalogue: ContractCatalogue,
    private readonly client: ContractClient,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.options.connectOnBootstrap === false) {
      return;
    }
    await this.registry.prepare(this.catalogue.contracts);
    await this.client.connect();
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
      imports: options.imports ?? [],
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
              new ClientKafka(
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
        {
          provide: UNDECODABLE_MESSAGE_HOOK,
          inject: [MESSAGING_OPTIONS],
          useFactory: (o: MessagingModuleOptions): UndecodableMessageHook =>
            o.onUndecodable ?? (() => undefined),
        },
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
      ],
    };
  }
}
