import type { SubtaskRecord } from '@subtasks/subtasks-db';
import { SubtaskView } from './subtask.view';

const record = (overrides: Partial<SubtaskRecord>): SubtaskRecord => ({
  id: 's-1',
  title: 't',
  submitted: false,
  uploading: false,
  uploadRequestId: 'r-1',
  uploadStartedAt: null,
  lastOutcome: null,
  lastError: null,
  resultVersion: null,
  createdAt: new Date(0),
  updatedAt: new Date(0),
  ...overrides,
});

describe('SubtaskView', () => {
  it("shows a fixed text for a PUBLISH_FAILED's error, never the broker's reason", () => {
    const view = SubtaskView.of(
      record({
        lastOutcome: 'PUBLISH_FAILED',
        lastError: 'KafkaJSConnectionError: connect ECONNREFUSED 10.0.0.7:9094',
      }),
    );
    expect(view.lastError).toBe('the upload command could not be published');
  });

  it("shows the worker's reason and the reconciler's as stored", () => {
    expect(
      SubtaskView.of(
        record({
          lastOutcome: 'REJECTED',
          lastError: 'subtask s-1 does not exist',
        }),
      ).lastError,
    ).toBe('subtask s-1 does not exist');
    expect(
      SubtaskView.of(record({ lastOutcome: 'STORED' })).lastError,
    ).toBeNull();
  });
});
