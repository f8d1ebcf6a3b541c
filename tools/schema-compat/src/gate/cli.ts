import { formatGateHuman } from './format-human';
import { formatGateJson } from './format-json';
import {
  DEFAULT_REGISTRY_URL,
  REGISTRY_MODES,
  type RegistryMode,
} from './registry';
import { GateInputError } from './errors';
import { registryAccessFromEnv, type RegistryAccess } from './registry-access';
import { EXIT_BAD_INPUT, EXIT_PASS } from './report';
import { runGate } from './run-gate';

export interface GateCliContext {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
}

export const GATE_USAGE = `usage: npm run schema:gate -- [--base <ref>] [--registry auto|off|required] [--json]
  --base <ref>    compare with this commit (default: the merge base of HEAD and main,
                  then origin/main; on main with a clean tree, HEAD~1)
  --registry      auto (default): also ask the registry when a quick probe reaches it;
                  off: offline only; required: fail (exit 2) when it is unreachable.
                  URL: $SCHEMA_REGISTRY_URL, default ${DEFAULT_REGISTRY_URL};
                  credentials and CA as for the apps: SCHEMA_REGISTRY_USERNAME and
                  SCHEMA_REGISTRY_PASSWORD, or SCHEMA_REGISTRY_TOKEN; SCHEMA_REGISTRY_CA_FILE
  --json          print one JSON object instead of the human report
  exit: 0 every subject passes, 1 a change breaks compatibility (or the registry
  disagrees with the offline checker), 2 bad input (invalid schema or catalogue,
  unknown base, registry required but unreachable)`;

interface GateArgs {
  readonly base?: string;
  readonly registry: RegistryMode;
  readonly json: boolean;
}

class UsageError extends Error {}

/** Runs `schema:gate` and returns its exit code. */
export async function runGateCli(
  args: readonly string[],
  context: GateCliContext,
): Promise<number> {
  let parsed: GateArgs | 'help';
  try {
    parsed = parseGateArgs(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    context.stderr(`schema:gate: ${error.message}\n${GATE_USAGE}\n`);
    return EXIT_BAD_INPUT;
  }
  if (parsed === 'help') {
    context.stdout(`${GATE_USAGE}\n`);
    return EXIT_PASS;
  }
  let access: RegistryAccess;
  try {
    access = registryAccessFromEnv(context.env);
  } catch (error) {
    if (!(error instanceof GateInputError)) throw error;
    context.stderr(`schema:gate: ${error.message}\n`);
    return EXIT_BAD_INPUT;
  }
  const { url, ...registryAccess } = access;
  const report = await runGate({
    cwd: context.cwd,
    ...(parsed.base === undefined ? {} : { base: parsed.base }),
    registry: parsed.registry,
    registryUrl: url,
    registryAccess,
    env: context.env,
  });
  if (parsed.json) {
    context.stdout(`${formatGateJson(report)}\n`);
  } else if (report.outcome === 'bad-input') {
    context.stderr(formatGateHuman(report));
  } else {
    context.stdout(formatGateHuman(report));
  }
  return report.exitCode;
}

function parseGateArgs(args: readonly string[]): GateArgs | 'help' {
  let base: string | undefined;
  let registry: RegistryMode = 'auto';
  let json = false;
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] as string;
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg === '--json') {
      json = true;
      continue;
    }
    const match = /^--(base|registry)(?:=(.*))?$/.exec(arg);
    if (match === null) throw new UsageError(`unknown argument "${arg}"`);
    const value = match[2] ?? args[(index += 1)];
    if (value === undefined || value === '')
      throw new UsageError(`--${match[1]} needs a value`);
    if (match[1] === 'base') {
      base = value;
    } else if ((REGISTRY_MODES as readonly string[]).includes(value)) {
      registry = value as RegistryMode;
    } else {
      throw new UsageError(
        `--registry must be one of ${REGISTRY_MODES.join(', ')}, not "${value}"`,
      );
    }
  }
  return { ...(base === undefined ? {} : { base }), registry, json };
}
