import {
  ClientKafka,
  KafkaHeaders,
  type ReadPacket,
  type WritePacket,
} from '@nestjs/microservices';
import type { RecordMetadata } from 'kafkajs';
import type { OutgoingKafkaMessage } from '../kafka/contract-codecs';
import { OutgoingMessage } from '../kafka/outgoing-message';

/**
 * Nest's `ClientKafka`, telling each OutgoingMessage when Kafka acknowledged or refused its record:
 * Nest keeps the producer's answer inside `publish` and `dispatchEvent`, so these two are Nest 11's
 * own, with that one addition. They use only ClientKafka's protected API; contract-client-kafka.spec
 * fails if a Nest upgrade changes what they rely on (the reply headers, the reply routing).
 */
export class ContractClientKafka extends ClientKafka {
  protected override publish(
    partialPacket: ReadPacket,
    callback: (packet: WritePacket) => void,
  ): () => void {
    const packet = this.assignPacketId(partialPacket);
    this.routingMap.set(packet.id, callback);
    const cleanup = (): void => void this.routingMap.delete(packet.id);
    const fail = (err: unknown): void => {
      cleanup();
      settle(packet.data, err);
      callback({ err });
    };
    try {
      const pattern = this.normalizePattern(partialPacket.pattern);
      const replyTopic = this.getResponsePatternName(pattern);
      const replyPartition = this.getReplyTopicPartition(replyTopic);
      Promise.resolve(
        this.serializer.serialize(packet.data, {
          pattern,
        }) as Promise<OutgoingKafkaMessage>,
      )
        .then((record) => {
          record.headers[KafkaHeaders.CORRELATION_ID] = packet.id;
          record.headers[KafkaHeaders.REPLY_TOPIC] = replyTopic;
          record.headers[KafkaHeaders.REPLY_PARTITION] = replyPartition;
          return this.sendRecord(pattern, record, packet.data);
        })
        .catch(fail);
      return cleanup;
    } catch (err) {
      fail(err);
      return () => undefined;
    }
  }

  protected override async dispatchEvent(
    packet: ReadPacket,
  ): Promise<RecordMetadata[]> {
    const pattern = this.normalizePattern(packet.pattern);
    try {
      const record = (await this.serializer.serialize(packet.data, {
        pattern,
      })) as OutgoingKafkaMessage;
      return await this.sendRecord(pattern, record, packet.data);
    } catch (error) {
      settle(packet.data, error);
      throw error;
    }
  }

  private async sendRecord(
    topic: string,
    record: OutgoingKafkaMessage,
    data: unknown,
  ): Promise<RecordMetadata[]> {
    const metadata = await this.producer.send({
      topic,
      messages: [record],
      ...this.options.send,
    });
    settle(data);
    return metadata;
  }
}

function settle(data: unknown, error?: unknown): void {
  if (data instanceof OutgoingMessage) data.settled(error);
}
