import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { UploadSubtaskResult } from '@subtasks/contracts';
import { ContractRegistry, ContractSerde } from '@subtasks/messaging';
import type { BenchContext } from '../context';
import type { PathId } from '../options';
import type { PathFigures } from '../report/figures';
import { progressLine } from '../report/progress';

type Round = () => unknown;

const BATCH = 256;

/**
 * Encode + decode of the upload command, in process: the product's ContractSerde (validation, schema
 * id, Confluent framing, resolver) against JSON.stringify/parse, and raw avsc as the floor.
 */
export async function measureSerde(
  context: BenchContext,
  selected: ReadonlySet<PathId>,
): Promise<PathFigures[]> {
  const registry = new ContractRegistry({
    connection: context.registry,
    mode: 'register',
  });
  try {
    const serde = new ContractSerde(registry);
    const command = new UploadSubtaskResult({
      subtaskId: randomUUID(),
      isWorkerComplete: true,
      requestId: randomUUID(),
      requestedAt: new Date(),
    });
    const schema = UploadSubtaskResult.schema;
    const loops: { id: PathId; title: string; round: Round }[] = [
      {
        id: 'serde-json',
        title: 'JSON.stringify + JSON.parse of the command',
        round: () => JSON.parse(JSON.stringify(command)),
      },
      {
        id: 'serde-contract',
        title: 'ContractSerde encode + decode of the command',
        round: async () =>
          serde.decode(UploadSubtaskResult, await serde.encode(command)),
      },
      {
        id: 'serde-avsc',
        title: 'raw avsc toBuffer + fromBuffer (no header, no checks)',
        round: () => schema.fromBuffer(schema.toBuffer(command.toAvro())),
      },
    ];
    const figures: PathFigures[] = [];
    for (const loop of loops) {
      if (!selected.has(loop.id)) continue;
      await loop.round(); // the first contract round fetches the schema id
      await opsFor(loop.round, context.options.warmupMs);
      const { ops, seconds } = await opsFor(
        loop.round,
        context.options.durationMs,
      );
      const path: PathFigures = {
        id: loop.id,
        title: loop.title,
        inFlight: null,
        calls: ops,
        errors: 0,
        seconds,
        throughput: ops / seconds,
        unit: 'ops/s',
        latencyMs: null,
      };
      figures.push(path);
      context.log(`  ${progressLine(path)}`);
    }
    return figures;
  } finally {
    await registry.close();
  }
}

/** Rounds one after another for `durationMs`, checking the clock once per batch. */
async function opsFor(
  round: Round,
  durationMs: number,
): Promise<{ ops: number; seconds: number }> {
  const began = performance.now();
  const end = began + durationMs;
  let ops = 0;
  while (performance.now() < end) {
    for (let i = 0; i < BATCH; i++) {
      // Awaiting only real promises: a synchronous round pays no microtask turn.
      const pending = round();
      if (pending instanceof Promise) await pending;
    }
    ops += BATCH;
  }
  return { ops, seconds: (performance.now() - began) / 1000 };
}
