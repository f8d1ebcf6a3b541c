import {
  ContractValidationError,
  SubtaskResultUploaded,
} from '@subtasks/contracts';
import { contractFromOutboxPayload, outboxPayloadOf } from './outbox-relay';

const event = new SubtaskResultUploaded({
  requestId: 'request-1',
  subtaskId: 'subtask-1',
  outcome: 'STORED',
  resultVersion: 3,
  reason: null,
  isWorkerComplete: true,
  uploadedAt: new Date('2026-11-30T12:00:00.123Z'),
});

describe('outbox payload', () => {
  it('survives JSON (a jsonb column) and comes back as the same message', () => {
    const payload = outboxPayloadOf(event);
    const stored: unknown = JSON.parse(JSON.stringify(payload));

    const back = contractFromOutboxPayload(SubtaskResultUploaded, stored);
    expect(back).toBeInstanceOf(SubtaskResultUploaded);
    expect(back).toEqual(event);
    expect(payload).toMatchObject({
      resultVersion: { int: 3 },
      uploadedAt: Date.parse('2026-11-30T12:00:00.123Z'),
    });
  });

  it('refuses a payload that is not the contract', () => {
    expect(() =>
      contractFromOutboxPayload(SubtaskResultUploaded, {
        ...outboxPayloadOf(event),
        outcome: 'MAYBE',
      }),
    ).toThrow();
    expect(() =>
      outboxPayloadOf(
        new SubtaskResultUploaded({
          ...event,
          subtaskId: 42 as unknown as string,
        }),
      ),
    ).toThrow(ContractValidationError);
  });
});
