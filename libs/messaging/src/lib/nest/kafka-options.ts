import { Transport, type KafkaOptions } from '@nestjs/microservices';
import { ContractServerKafka } from './contract-server';
import type { KafkaConnection } from '@subtasks/config';
import type { ContractClass } from '@subtasks/contracts';
import { Partitioners } from 'kafkajs';
import type { SchemaLookup } from '../registry/schema-lookup';
import { ContractSerde } from '../serde/contract-serde';
import { ContractCatalogue } from '../kafka/contract-catalogue';
import {
  ContractRequestDeserializer,
  ContractResponseDeserializer,
  ContractReplySerializer,
  ContractSerializer,
} from '../kafka/contract-codecs';
import { kafkaClientConfig } from '../kafka/kafka-client';

export interface ContractTransportOptions {
  readonly connection: KafkaConnection;
  /** The catalogue's client id (KAFKA_CLIENT_ID in the connection replaces it); Nest appends -server/-client. */
  readonly clientId: string;
  /** The consumer group; used exactly as given on the server, with `-client` appended on the client. */
  readonly groupId: string;
  /** Ids and writer schemas; a `ContractRegistry` (share one per process to share its caches). */
  readonly registry: SchemaLookup;
  /** Topic ↔ class bindings; the generated catalogue by default. */
  readonly contracts?: readonly ContractClass[];
}

export interface ContractServerOptions extends ContractTransportOptions {
  /** Where a group without committed offsets starts; Nest's default is the end of the topic. */
  readonly fromBeginning?: boolean;
  /**
   * Partitions whose messages are handled at the same time (kafkajs's partitionsConsumedConcurrently;
   * default 1). Each partition's messages stay in order, so a key's messages never overlap.
   */
  readonly partitionsConsumedConcurrently?: number;
}

export interface ContractClientKafkaOptions extends ContractTransportOptions {
  /** Emit only: no reply consumer, so `send()` is unavailable. */
  readonly producerOnly?: boolean;
}

export type ContractKafkaOptions = Required<Pick<KafkaOptions, 'options'>> & {
  transport: Transport.KAFKA;
};

/**
 * A member that died without leaving its group (kill -9) holds its partitions until its session
 * expires: with kafkajs's default 30 s, a restarted instance waited ~25 s; the connection's setting
 * (KAFKA_SESSION_TIMEOUT_MS, default 6 s, the broker's minimum) bounds that wait.
 */
function consumerSession(connection: KafkaConnection) {
  return {
    sessionTimeout: connection.sessionTimeoutMs ?? 6_000,
    heartbeatInterval: connection.heartbeatIntervalMs ?? 1_000,
  };
}

/** What `connectMicroservice` / `createMicroservice` take: Nest's Kafka server, with our reply seam. */
export interface ContractMicroserviceOptions {
  readonly strategy: ContractServerKafka;
}

/**
 * How long an idle fetch waits at the broker. A stopping consumer waits for its fetch in flight, so
 * this bounds how long SIGTERM takes; data still returns as soon as it arrives.
 */
const IDLE_FETCH_WAIT_MS = 1_000;

/** What the server and the client set alike: connection, consumer group and session, producer, parser. */
function sharedTransportOptions(options: ContractTransportOptions) {
  return {
    client: kafkaClientConfig(options.connection, {
      clientId: options.clientId,
    }),
    consumer: {
      groupId: options.groupId,
      maxWaitTimeInMs: IDLE_FETCH_WAIT_MS,
      ...consumerSession(options.connection),
    },
    producer: { createPartitioner: Partitioners.DefaultPartitioner },
    // Without keepBinary Nest turns values that do not start with byte 0 into text or JSON, and
    // the raw bytes of an undecodable message would be lost.
    parser: { keepBinary: true },
  };
}

/** Options for `connectMicroservice` / `createMicroservice`: Avro in, Avro replies out. */
export function contractMicroserviceOptions(
  options: ContractServerOptions,
): ContractMicroserviceOptions {
  const serde = new ContractSerde(options.registry);
  const catalogue = new ContractCatalogue(options.contracts);
  return {
    strategy: new ContractServerKafka({
      // Nest appends "-server" otherwise: the group must be exactly e.g. `subtask-consumer`.
      postfixId: '',
      ...sharedTransportOptions(options),
      subscribe: { fromBeginning: options.fromBeginning ?? false },
      run: {
        partitionsConsumedConcurrently:
          options.partitionsConsumedConcurrently ?? 1,
      },
      serializer: new ContractReplySerializer(serde),
      deserializer: new ContractRequestDeserializer(serde, catalogue),
    }),
  };
}

/** Options for a `ClientKafka` (directly, or spread into `ClientsModule.register`). */
export function contractClientOptions(
  options: ContractClientKafkaOptions,
): ContractKafkaOptions {
  const serde = new ContractSerde(options.registry);
  const catalogue = new ContractCatalogue(options.contracts);
  return {
    transport: Transport.KAFKA,
    options: {
      ...sharedTransportOptions(options),
      producerOnlyMode: options.producerOnly ?? false,
      serializer: new ContractSerializer(serde),
      deserializer: new ContractResponseDeserializer(serde, catalogue),
    },
  };
}
