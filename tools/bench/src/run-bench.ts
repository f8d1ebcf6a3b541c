import { mkdirSync } from 'node:fs';
import { stackUp } from '@subtasks/tool-stack';
import { type BenchContext, benchContext } from './context';
import {
  type BenchOptions,
  PATH_GROUPS,
  PATH_IDS,
  type PathId,
} from './options';
import { type FullPathFigures, measureFullPath } from './phases/full-path';
import { measureMessagingPaths } from './phases/messaging-paths';
import { measureSerde } from './paths/serde';
import type {
  BenchReport,
  CpuPerUpload,
  PathFigures,
  Problem,
  RssFigures,
} from './report/figures';
import { describeProfiles } from './report/cpu-profile';
import { withRatios } from './report/ratios';
import { buildApps } from './system/build-apps';
import { ForeignApps } from './system/foreign-apps';
import { describeMachine, loadAverage } from './system/machine';
import { stackPids } from './system/process-groups';
import { strayFailures } from './system/stray-failures';

const messageOf = (error: unknown) =>
  error instanceof Error ? error.message : String(error);

/**
 * One run: the stack (started if needed, never stopped), then the in-process serde loops, the paths
 * on the run's own topics, and the full path against the built apps. A phase that fails is reported
 * and the others still run.
 */
export async function runBench(
  options: BenchOptions,
  log: (line: string) => void,
): Promise<BenchReport> {
  const began = new Date();
  const context = benchContext(options, log);
  const machine = describeMachine();
  const selected = options.only;
  const paths: PathFigures[] = [];
  const failures: Problem[] = [];
  const skipped: Problem[] = [];
  const warnings: string[] = [];
  let cpu: CpuPerUpload[] = [];
  let rss: RssFigures | null = null;
  const wants = (group: string) =>
    (PATH_GROUPS[group] ?? []).some((id) => selected.has(id));
  const phase = async (name: string, work: () => Promise<void>) => {
    log(`${name}…`);
    try {
      await work();
    } catch (error) {
      failures.push({ phase: name, message: messageOf(error) });
      log(`  FAILED: ${messageOf(error)}`);
    }
  };

  log(
    `bench ${context.runId} on ${machine.cores} cores (${machine.cpuLimit}), Node ${machine.node}, load average ${machine.loadAverageAtStart.join(' ')}`,
  );
  const { started } = await stackUp({ log: (line) => log(`  ${line}`) });
  const brokerAtStart = (await stackPids()).broker;
  if (started.length > 0)
    log(
      `  started ${started.join(', ')}; left running for others (npm run stack:down stops it)`,
    );

  let httpReady = wants('http');
  if (options.profileDir !== undefined)
    mkdirSync(options.profileDir, { recursive: true });
  if (httpReady && options.build)
    await phase('building the apps', async () => {
      try {
        await buildApps();
      } catch (error) {
        httpReady = false;
        throw error;
      }
    });

  if (wants('serde'))
    await phase('serde (in process)', async () => {
      paths.push(...(await measureSerde(context, selected)));
    });
  if (wants('anchors') || wants('typed') || wants('emit'))
    await phase(
      'anchors, typed request-reply and emit (own topics)',
      async () => {
        paths.push(...(await measureMessagingPaths(context, selected)));
      },
    );
  if (httpReady)
    await phase(
      'the full HTTP path (real api and worker processes)',
      async () => {
        const full = await fullPath(context);
        paths.push(...full.paths);
        cpu = full.cpu;
        rss = full.rss;
        skipped.push(...full.skipped);
        warnings.push(...full.warnings);
      },
    );
  const { profileDir } = options;
  if (httpReady && profileDir !== undefined)
    await phase(`CPU profiles of the apps (${profileDir})`, async () => {
      describeProfiles(profileDir).forEach((line) => log(`  ${line}`));
    });

  warnings.push(...strayFailures());
  const brokerAtEnd = (await stackPids()).broker;
  if (brokerAtStart !== brokerAtEnd)
    warnings.push(
      `the broker was restarted during the run (pid ${String(brokerAtStart)} → ${String(brokerAtEnd)}): figures measured around it are disturbed`,
    );
  const order = (id: PathId) => PATH_IDS.indexOf(id);
  const finished = new Date();
  return {
    startedAt: began.toISOString(),
    finishedAt: finished.toISOString(),
    runSeconds: (finished.getTime() - began.getTime()) / 1000,
    runId: context.runId,
    machine: { ...machine, loadAverageAtEnd: loadAverage() },
    options: {
      inFlight: options.inFlight,
      durationS: options.durationMs / 1000,
      warmupS: options.warmupMs / 1000,
      rounds: options.rounds,
      uploads: options.uploads,
      workers: options.workers,
      only: PATH_IDS.filter((id) => selected.has(id)),
    },
    paths: withRatios([...paths].sort((a, b) => order(a.id) - order(b.id))),
    cpu,
    rss,
    skipped,
    failures,
    warnings,
  };
}

/** The full path uses the apps' real topics and groups: not while other people's apps do. */
async function fullPath(context: BenchContext): Promise<FullPathFigures> {
  const { options, log } = context;
  const foreign = await ForeignApps.connect(context);
  try {
    const idle = await foreign.waitUntilGone(options.idleWaitMs, log);
    if (idle.idle) return await measureFullPath(context, options.only, foreign);
    const message = `other api/worker processes stayed in the apps' consumer groups: ${idle.running.join('; ')}`;
    return {
      paths: [],
      cpu: [],
      rss: null,
      skipped: (PATH_GROUPS['http'] ?? [])
        .filter((id) => options.only.has(id))
        .map((id) => ({ phase: id, message })),
      warnings: [],
    };
  } finally {
    await foreign.close();
  }
}
