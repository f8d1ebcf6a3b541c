import { Client } from 'pg';
import type { ReadRecord } from '../../support/kafka';
import { type CompletionEvent, decodeEvents } from './completion-events';
import { type Offsets, TOPICS, readSince } from './topics';

export interface StoredRow {
  readonly subtaskId: string;
  readonly version: number;
  readonly requestId: string;
  /** Epoch ms (the storing transaction's start). */
  readonly storedAt: number;
}

export interface SubtaskState {
  readonly id: string;
  readonly uploading: boolean;
  readonly uploadRequestId: string | null;
  readonly lastOutcome: string | null;
  readonly lastError: string | null;
}

/** What the system left behind: its database, and what it wrote to Kafka during the scenario. */
export interface Aftermath {
  readonly rows: readonly StoredRow[];
  readonly subtasks: ReadonlyMap<string, SubtaskState>;
  /** Completion events of this scenario's subtasks. */
  readonly events: readonly CompletionEvent[];
  /** Everything parked during the scenario (other users of the stack may have parked some too). */
  readonly deadLetters: readonly ReadRecord[];
}

async function database(
  databaseUrl: string,
): Promise<Pick<Aftermath, 'rows' | 'subtasks'>> {
  const sql = new Client({ connectionString: databaseUrl });
  await sql.connect();
  try {
    const results = await sql.query<{
      subtask_id: string;
      version: number;
      request_id: string;
      stored_at: Date;
    }>(
      'SELECT subtask_id, version, request_id, created_at AS stored_at FROM subtask_results',
    );
    const subtasks = await sql.query<{
      id: string;
      uploading: boolean;
      upload_request_id: string | null;
      last_outcome: string | null;
      last_error: string | null;
    }>(
      'SELECT id, uploading, upload_request_id, last_outcome, last_error FROM subtasks',
    );
    return {
      rows: results.rows.map((r) => ({
        subtaskId: r.subtask_id,
        version: r.version,
        requestId: r.request_id,
        storedAt: r.stored_at.getTime(),
      })),
      subtasks: new Map(
        subtasks.rows.map((s) => [
          s.id,
          {
            id: s.id,
            uploading: s.uploading,
            uploadRequestId: s.upload_request_id,
            lastOutcome: s.last_outcome,
            lastError: s.last_error,
          },
        ]),
      ),
    };
  } finally {
    await sql.end();
  }
}

export async function collectAftermath(
  databaseUrl: string,
  from: { events: Offsets; deadLetters: Offsets },
): Promise<Aftermath> {
  const [state, eventRecords, deadLetters] = await Promise.all([
    database(databaseUrl),
    readSince(TOPICS.events, from.events),
    readSince(TOPICS.deadLetters, from.deadLetters),
  ]);
  const events = (await decodeEvents(eventRecords)).filter((e) =>
    state.subtasks.has(e.subtaskId),
  );
  return { ...state, events, deadLetters };
}
