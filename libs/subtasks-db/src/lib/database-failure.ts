/**
 * What a failed database call means for the caller:
 * - `unavailable`: the server is away, refusing, overloaded or too slow, or the transaction lost a
 *   race (deadlock, serialization): the same call may succeed later — retry, answer 503;
 * - `invalid-input`: the data cannot be stored (NUL byte, invalid text, out-of-range value): a
 *   permanent refusal of this input;
 * - `conflict`: a constraint refused it (unique, foreign key, check): permanent for this input;
 * - `undefined`: not recognised (a bug, or something new): neither retry forever nor blame the input.
 */
export type DatabaseFailureKind = 'unavailable' | 'invalid-input' | 'conflict';

const UNAVAILABLE_ADAPTER_KINDS = new Set([
  'DatabaseNotReachable',
  'DatabaseDoesNotExist',
  'DatabaseAccessDenied',
  'AuthenticationFailed',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
  'TransactionWriteConflict',
  'TransactionAlreadyClosed',
]);

const UNAVAILABLE_PRISMA_CODES = new Set([
  'P1001', // can't reach the server
  'P1002', // the server timed out
  'P1008', // operations timed out
  'P1017', // the server closed the connection
  'P2024', // timed out fetching a connection from the pool
  'P2028', // transaction API error (expired, closed under it)
  'P2034', // write conflict or deadlock: retry the transaction
]);

const UNAVAILABLE_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

// pg's "not queryable": a query (e.g. the rollback of a transaction) on a connection the server
// already closed; it carries no code.
const UNAVAILABLE_MESSAGE =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|not currently accepting connections|Can't reach database server|Server has closed the connection|connection error and is not queryable/i;

/** Prisma's JSON protocol refuses a string with a lone UTF-16 surrogate before it reaches PostgreSQL. */
const INVALID_TEXT_MESSAGE =
  /unexpected end of hex escape|lone (leading|trailing) surrogate/i;

interface Facts {
  sqlState?: string;
  adapterKind?: string;
  prismaCode?: string;
  nodeCode?: string;
  messages: string[];
}

function read(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null
    ? Reflect.get(value, key)
    : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Codes from Prisma's error, its driver-adapter cause and pg's error, wherever they sit. */
function factsOf(error: unknown): Facts {
  const facts: Facts = { messages: [] };
  const seen = new Set<unknown>();
  const visit = (value: unknown, depth: number): void => {
    if (
      typeof value !== 'object' ||
      value === null ||
      seen.has(value) ||
      depth > 6
    )
      return;
    seen.add(value);
    const code = text(read(value, 'code')) ?? text(read(value, 'originalCode'));
    if (code !== undefined) {
      if (/^P\d{4}$/.test(code)) facts.prismaCode ??= code;
      else if (/^[0-9A-Z]{5}$/.test(code)) facts.sqlState ??= code;
      else if (/^E[A-Z_]+$/.test(code)) facts.nodeCode ??= code;
    }
    const kind = text(read(value, 'kind'));
    if (kind !== undefined && kind !== 'postgres') facts.adapterKind ??= kind;
    const message = text(read(value, 'message'));
    if (message !== undefined) facts.messages.push(message);
    visit(read(value, 'cause'), depth + 1);
    visit(read(value, 'meta'), depth + 1);
    visit(read(read(value, 'meta'), 'driverAdapterError'), depth + 1);
    visit(read(value, 'driverAdapterError'), depth + 1);
  };
  visit(error, 0);
  return facts;
}

export function databaseFailureKind(
  error: unknown,
): DatabaseFailureKind | undefined {
  const facts = factsOf(error);
  const message = facts.messages.join('\n');
  const state = facts.sqlState;
  if (state !== undefined) {
    // A NUL in a query's text is a protocol violation: the input's fault, not an outage.
    if (state === '08P01' || state.startsWith('22')) return 'invalid-input';
    if (state.startsWith('23')) return 'conflict';
    if (
      state.startsWith('08') ||
      ['57P01', '57P02', '57P03', '53300', '57014', '40001', '40P01'].includes(
        state,
      ) ||
      (state === '55000' && UNAVAILABLE_MESSAGE.test(message))
    )
      return 'unavailable';
  }
  if (
    (facts.adapterKind !== undefined &&
      UNAVAILABLE_ADAPTER_KINDS.has(facts.adapterKind)) ||
    (facts.prismaCode !== undefined &&
      UNAVAILABLE_PRISMA_CODES.has(facts.prismaCode)) ||
    (facts.nodeCode !== undefined && UNAVAILABLE_NODE_CODES.has(facts.nodeCode))
  )
    return 'unavailable';
  if (INVALID_TEXT_MESSAGE.test(message)) return 'invalid-input';
  if (UNAVAILABLE_MESSAGE.test(message)) return 'unavailable';
  return undefined;
}

/**
 * The same, as a message handler's failure policy takes it: an unavailable database is waited out
 * (transient), input it refuses is final (permanent), anything else is for the caller to judge.
 */
export function databaseFailurePolicy(
  error: unknown,
): 'transient' | 'permanent' | undefined {
  switch (databaseFailureKind(error)) {
    case 'unavailable':
      return 'transient';
    case 'invalid-input':
    case 'conflict':
      return 'permanent';
    default:
      return undefined;
  }
}
