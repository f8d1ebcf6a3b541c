/**
 * The messaging library's public surface: what an app or tool declares and calls. Transport internals
 * (serializers, deserializers, filters, the interceptor, Nest's client and server subclasses) stay
 * inside; test helpers are in `@subtasks/messaging/testing`.
 */

// Nest wiring: the module, handlers, the client and health
export {
  KafkaHealthIndicator,
  type KafkaHealthOptions,
} from './lib/health/kafka.health';
export { MessagingHealthModule } from './lib/nest/messaging-health.module';
export { MessagingReadiness } from './lib/health/messaging-readiness';
export { SchemaRegistryHealthIndicator } from './lib/health/schema-registry.health';
export {
  ContractClient,
  type DispatchedCommand,
  type PublishOptions,
  type SendOptions,
} from './lib/nest/contract-client';
export {
  ContractPayload,
  CommandHandler,
  EventHandler,
  type CommandHandlerOptions,
} from './lib/nest/handler-decorators';
export {
  messagingEnvironment,
  messagingOptionsFrom,
  type MessagingEnvironment,
} from './lib/nest/messaging-options';
export {
  MessagingModule,
  type MessagingModuleAsyncOptions,
  type MessagingModuleOptions,
} from './lib/nest/messaging.module';
export {
  KAFKA_CONNECTION,
  type UndecodableMessageHook,
} from './lib/nest/messaging.tokens';

// Failure policy, dead letters and the outbox relay
export { DEAD_LETTER_HEADERS } from './lib/failure/dead-letters';
export {
  PermanentFailure,
  type FailureClassifier,
  type FailureKind,
} from './lib/failure/failure-kind';
export {
  type FailurePolicySettings,
  type MessageScope,
  ProcessingHealth,
} from './lib/failure/failure-policy.interceptor';
export {
  contractFromOutboxPayload,
  outboxPayloadOf,
  OutboxRelay,
  type OutboxRelayOptions,
  type OutboxStore,
  type PendingRecord,
} from './lib/outbox/outbox-relay';

// Kafka clients, topics, keys and correlation
export {
  ensureTopics,
  type EnsureTopicsOptions,
} from './lib/kafka/ensure-topics';
export {
  createKafka,
  kafkaClientConfig,
  type KafkaClientOptions,
} from './lib/kafka/kafka-client';
export {
  contractMicroserviceOptions,
  type ContractMicroserviceOptions,
} from './lib/nest/kafka-options';
export { correlationHeadersOf } from './lib/kafka/outgoing-message';
export { UndecodableMessage } from './lib/kafka/contract-codecs';
export {
  annotateActiveSpan,
  currentTraceHeaders,
} from './lib/tracing/trace-context';

// Contracts on the wire: registry, serde, Confluent framing, errors
export {
  MessagingError,
  type MessagingErrorDetails,
  type MessagingErrorCode,
} from './lib/errors/messaging-error';
export {
  ContractRegistry,
  type ContractRegistryOptions,
  type RegisteredContract,
  type RegistryMode,
} from './lib/registry/contract-registry';
export {
  ContractSerde,
  encodeFramed,
  frame,
  unframe,
} from './lib/serde/contract-serde';
