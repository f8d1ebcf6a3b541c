import type { BenchContext } from '../context';
import type { Call } from '../measure/closed-loop';
import {
  type InterleavedPath,
  measureInterleaved,
} from '../measure/interleaved';
import type { PathId } from '../options';
import { startBareProducer } from '../paths/bare-producer';
import { startBareRequestReply } from '../paths/bare-request-reply';
import { startNestJsonRequestReply } from '../paths/nest-json-request-reply';
import { startTypedMessaging } from '../paths/typed-messaging';
import type { PathFigures } from '../report/figures';
import { progressLine } from '../report/progress';
import {
  type BenchTopics,
  benchTopics,
  createBenchTopics,
  removeBenchTopics,
} from '../system/bench-topics';
import { cleanedUpOnInterrupt } from '../system/interrupt-cleanup';

interface Measured {
  readonly id: PathId;
  readonly title: string;
  /** 1 in flight instead of `--in-flight`. */
  readonly sequential?: boolean;
}

/** What a group started: the call of each of its paths, and how to stop it. */
interface StartedGroup {
  readonly calls: Partial<Record<PathId, Call>>;
  close(): Promise<void>;
}

/** Paths sharing one started system (a responder, a Nest app), measured one after another. */
interface PathGroup {
  readonly paths: readonly Measured[];
  start(context: BenchContext, topics: BenchTopics): Promise<StartedGroup>;
}

const GROUPS: readonly PathGroup[] = [
  {
    paths: [
      { id: 'anchor-a', title: 'anchor A: bare kafkajs request-reply' },
      {
        id: 'anchor-a-seq',
        title: 'anchor A, one at a time',
        sequential: true,
      },
    ],
    start: async (context, topics) => {
      const bare = await startBareRequestReply(context, topics);
      return {
        calls: { 'anchor-a': bare.call, 'anchor-a-seq': bare.call },
        close: () => bare.close(),
      };
    },
  },
  {
    paths: [
      {
        id: 'anchor-b',
        title: 'anchor B: stock Nest JSON send/@MessagePattern',
      },
    ],
    start: async (context, topics) => {
      const nest = await startNestJsonRequestReply(context, topics);
      return { calls: { 'anchor-b': nest.call }, close: () => nest.close() };
    },
  },
  {
    paths: [{ id: 'produce', title: 'bare kafkajs producer.send (JSON)' }],
    start: async (context, topics) => {
      const producer = await startBareProducer(context, topics);
      return {
        calls: { produce: producer.call },
        close: () => producer.close(),
      };
    },
  },
  {
    paths: [
      {
        id: 'typed-send',
        title: 'ContractClient.send (Avro), @CommandHandler answers at once',
      },
      {
        id: 'typed-dispatch',
        title: 'ContractClient.dispatch + reply, as the api publishes',
      },
      {
        id: 'typed-dispatch-seq',
        title: 'ContractClient.dispatch + reply, one at a time',
        sequential: true,
      },
      { id: 'emit', title: 'ContractClient.emit of SubtaskResultUploaded' },
    ],
    start: async (context, topics) => {
      const typed = await startTypedMessaging(context, topics);
      return {
        calls: {
          'typed-send': typed.send,
          'typed-dispatch': typed.dispatch,
          'typed-dispatch-seq': typed.dispatch,
          emit: typed.emit,
        },
        close: () => typed.close(),
      };
    },
  },
];

/** The anchors, the typed request-reply and the emit path, on the run's own topics, in rounds. */
export async function measureMessagingPaths(
  context: BenchContext,
  selected: ReadonlySet<PathId>,
): Promise<PathFigures[]> {
  const groups = GROUPS.filter((group) =>
    group.paths.some((path) => selected.has(path.id)),
  );
  if (groups.length === 0) return [];
  const topics = benchTopics(context.runId);
  await createBenchTopics(context, topics);
  return cleanedUpOnInterrupt(
    () => removeBenchTopics(context, topics),
    () => measureGroups(context, selected, groups, topics),
  );
}

async function measureGroups(
  context: BenchContext,
  selected: ReadonlySet<PathId>,
  groups: readonly PathGroup[],
  topics: BenchTopics,
): Promise<PathFigures[]> {
  const { options } = context;
  const started: StartedGroup[] = [];
  try {
    // All at once, idle between their slices: the rounds interleave every path.
    for (const group of groups)
      started.push(await group.start(context, topics));
    const paths: InterleavedPath[] = groups.flatMap((group, i) =>
      group.paths.flatMap((path) => {
        const call = started[i]?.calls[path.id];
        if (!selected.has(path.id) || call === undefined) return [];
        return [
          {
            call,
            load: {
              id: path.id,
              title: path.title,
              unit: 'msg/s' as const,
              inFlight: path.sequential ? 1 : options.inFlight,
            },
          },
        ];
      }),
    );
    context.log(
      `  ${paths.length} paths, ${options.rounds} rounds of ${(options.durationMs / options.rounds / 1000).toFixed(1)} s each`,
    );
    return await measureInterleaved(paths, options, (measured) =>
      context.log(`  ${progressLine(measured)}`),
    );
  } finally {
    await Promise.all(started.map((group) => group.close()));
    await removeBenchTopics(context, topics).catch((error: unknown) =>
      context.log(
        `  could not remove the run's topics: ${error instanceof Error ? error.message : String(error)}`,
      ),
    );
  }
}
