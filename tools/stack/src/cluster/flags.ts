import type { ClusterPorts, ClusterSelection } from './profile';

export const stackCommands = [
  'up',
  'down',
  'status',
  'reset',
  'prepare',
] as const;
export type StackCommand = (typeof stackCommands)[number];

export interface StackCommandLine {
  command: StackCommand;
  /** `{ brokers: 1, secure: false }` (no flags) is the default stack. */
  selection: ClusterSelection;
  ports: Partial<ClusterPorts>;
  yes: boolean;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const valueFlags = {
  '--brokers': 'brokers',
  '--kafka-port': 'kafka',
  '--registry-port': 'registry',
} as const;
type ValueFlag = keyof typeof valueFlags;

function isValueFlag(name: string): name is ValueFlag {
  return name in valueFlags;
}

function wholeNumber(flag: string, text: string | undefined): number {
  if (text === undefined || !/^\d+$/.test(text))
    throw new UsageError(
      `${flag} needs a whole number${text === undefined ? '' : ` (got "${text}")`}`,
    );
  return Number(text);
}

/**
 * `<command> [--brokers N] [--secure] [--kafka-port P] [--registry-port P] [--yes]`; the same
 * flags select the same profile for every command. `--flag=value` works too.
 */
export function parseStackArguments(argv: readonly string[]): StackCommandLine {
  const [command, ...rest] = argv;
  if (!(stackCommands as readonly string[]).includes(command ?? '')) {
    throw new UsageError(
      command === undefined
        ? 'no command given'
        : `unknown command "${command}"`,
    );
  }
  const selection: ClusterSelection = { brokers: 1, secure: false };
  const ports: Partial<ClusterPorts> = {};
  let yes = false;
  for (let index = 0; index < rest.length; index++) {
    const argument = rest[index];
    const equals = argument.indexOf('=');
    const name = equals === -1 ? argument : argument.slice(0, equals);
    if (name === '--secure' && equals === -1) {
      selection.secure = true;
    } else if (name === '--yes' && equals === -1) {
      yes = true;
    } else if (isValueFlag(name)) {
      const text = equals === -1 ? rest[++index] : argument.slice(equals + 1);
      const value = wholeNumber(name, text);
      const target = valueFlags[name];
      if (target === 'brokers') selection.brokers = value;
      else ports[target] = value;
    } else {
      throw new UsageError(`unknown flag "${argument}"`);
    }
  }
  if (yes && command !== 'reset')
    throw new UsageError('--yes is for reset only');
  return { command: command as StackCommand, selection, ports, yes };
}
