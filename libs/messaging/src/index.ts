export * from './lib/health/kafka.health';
export * from './lib/health/schema-registry.health';
export * from './lib/health/messaging-health.module';
export * from './lib/health/messaging-readiness';

export * from './lib/errors/messaging-error';
export * from './lib/wire/confluent-wire-format';
export * from './lib/registry/schema-lookup';
export * from './lib/registry/contract-registry';
export * from './lib/serde/contract-serde';
export * from './lib/kafka/consumed-record';
export * from './lib/kafka/contract-catalogue';
export { isContract } from './lib/kafka/contract-guards';
export * from './lib/kafka/contract-deserializers';
export * from './lib/kafka/contract-serializers';
export * from './lib/kafka/ensure-topics';
export * from './lib/kafka/kafka-client';
export * from './lib/kafka/kafka-failure';
export * from './lib/kafka/kafka-options';
export * from './lib/kafka/message-key';
export * from './lib/kafka/undecodable-message';
export * from './lib/nest/contract-client';
export * from './lib/nest/contract-payload.pipe';
export * from './lib/nest/handler-decorators';
export * from './lib/nest/messaging.module';
export * from './lib/nest/messaging.tokens';
export * from './lib/nest/undecodable-message.error';
export * from './lib/nest/undecodable-message.filters';
export * from './lib/nest/messaging-options';
export * from './lib/kafka/outgoing-message';
export { ContractClientKafka } from './lib/nest/contract-client-kafka';
export * from './lib/failure/dead-letters';
export * from './lib/failure/failure-kind';
export {
  type FailurePolicySettings,
  type MessageScope,
  FailurePolicyInterceptor,
} from './lib/failure/failure-policy.interceptor';
export * from './lib/failure/processing-health';
export * from './lib/failure/undecodable-dead-letter';
export * from './lib/nest/contract-server';
export * from './lib/kafka/encoded-record';
export * from './lib/outbox/outbox-relay';
export * from './lib/outbox/outbox-payload';
export {
  annotateActiveSpan,
  currentTraceHeaders,
} from './lib/tracing/trace-context';
