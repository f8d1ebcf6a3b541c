import { Logger } from '@nestjs/common';
import {
  ContractClient,
  ContractClientKafka,
} from '../lib/nest/contract-client';
import { ContractCatalogue } from '../lib/kafka/contract-catalogue';
import { ensureTopics } from '../lib/kafka/ensure-topics';
import { contractClientOptions } from '../lib/nest/kafka-options';
import { diagnoseReplyPartitions } from '../lib/kafka/reply-partitions';
import { InMemorySchemaLookup } from '../testing/in-memory-schema-lookup';
import {
  deleteTopics,
  KAFKA,
  ONE_PARTITION_TOPICS,
  runId,
} from '../testing/local-stack';
import { retargetedContracts } from '../testing/retargeted-contracts';

/*
 * Several instances of one app share the reply group; Nest sends each reply to a partition the caller
 * owns, so an instance that gets no reply partition could never see a reply. It must fail at boot,
 * saying how many partitions the reply topic needs.
 */
describe('reply partitions shared by several instances (real broker)', () => {
  const run = runId();
  const contracts = retargetedContracts(run);
  const groupId = `${run}-api`;
  const clients: ContractClient[] = [];

  function instance(): ContractClient {
    const client = new ContractClient(
      new ContractClientKafka(
        contractClientOptions({
          connection: KAFKA,
          clientId: run,
          groupId,
          registry: new InMemorySchemaLookup(),
          contracts: contracts.all,
        }).options,
      ),
      new ContractCatalogue(contracts.all),
      {
        requestTimeoutMs: 5_000,
        connectTimeoutMs: 8_000,
        diagnoseReplyPartitions: (topics) =>
          diagnoseReplyPartitions(KAFKA, run, `${groupId}-client`, topics),
      },
    );
    clients.push(client);
    return client;
  }

  beforeAll(async () => {
    Logger.overrideLogger(false);
    await ensureTopics(KAFKA, contracts.topics, ONE_PARTITION_TOPICS);
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await deleteTopics(contracts.topics);
  });

  it('gives the first instance the only partition, and fails the second at connect with the count it needs', async () => {
    await instance().connect();

    const second = instance().connect();

    await expect(second).rejects.toMatchObject({
      code: 'REPLY_PARTITION_UNAVAILABLE',
    });
    await expect(second).rejects.toThrow(
      `${contracts.Command.topic}.reply has 1 partition(s) and the reply group ${groupId}-client has 2 member(s); every instance needs one of its own: give the topic at least 2 partitions`,
    );
  }, 60_000);
});
