import { z } from 'zod';
import { GeneratorError, jsonPath, type Problem } from './problems';

export const COMPATIBILITY_LEVELS = [
  'BACKWARD',
  'BACKWARD_TRANSITIVE',
  'FORWARD',
  'FORWARD_TRANSITIVE',
  'FULL',
  'FULL_TRANSITIVE',
  'NONE',
] as const;

export type CompatibilityLevel = (typeof COMPATIBILITY_LEVELS)[number];
export type MessageRole = 'command' | 'reply' | 'event';

// Kafka's own limits for topic names.
const topicName = z
  .string()
  .regex(
    /^[A-Za-z0-9._-]{1,249}$/,
    'must be a Kafka topic name: 1-249 of A-Z a-z 0-9 . _ -',
  );

// An Nx application name: the process that sends or receives the message.
const appName = z
  .string()
  .regex(/^[a-z][a-z0-9-]*$/, 'must be the kebab-case name of an app');

const messageEntrySchema = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Z][A-Za-z0-9]*$/, 'must be a PascalCase identifier'),
  file: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9-]*\.avsc$/,
      'must be the kebab-case name of an .avsc file in the schemas folder',
    ),
  role: z.enum(['command', 'reply', 'event']),
  topic: topicName,
  subject: z.string().min(1),
  compatibility: z.enum(COMPATIBILITY_LEVELS).default('BACKWARD'),
  reply: z.string().optional(),
  deadLetterTopic: topicName.optional(),
  key: z.string().min(1).optional(),
  producer: appName.optional(),
  consumers: z.array(appName).min(1).optional(),
});

const catalogueSchema = z.strictObject({
  kafka: z.record(
    z
      .string()
      .regex(/^[a-z][A-Za-z0-9]*$/, 'keys must be camelCase identifiers'),
    z.string().min(1),
  ),
  messages: z.array(messageEntrySchema).min(1),
});

export interface MessageEntry {
  readonly name: string;
  readonly file: string;
  readonly role: MessageRole;
  readonly topic: string;
  readonly subject: string;
  readonly compatibility: CompatibilityLevel;
  /** Commands only: the name of the reply message. */
  readonly reply?: string;
  /** Commands only. */
  readonly deadLetterTopic?: string;
  /** A top-level string field of the record whose value becomes the Kafka message key. */
  readonly key?: string;
  /** The app that sends it; for a reply, the app that receives its command. */
  readonly producer: string;
  /** The apps that receive it, sorted; for a reply, the app that sent its command. */
  readonly consumers: readonly string[];
  /** Position in `messages`, for error paths. */
  readonly index: number;
}

export interface Catalogue {
  /** Kafka client and group ids, sorted by key. */
  readonly kafka: ReadonlyArray<readonly [string, string]>;
  /** Sorted by name. */
  readonly messages: readonly MessageEntry[];
}

/** Nest's request-reply transport answers on `<command topic>.reply`. */
export function replyTopicOf(commandTopic: string): string {
  return `${commandTopic}.reply`;
}

/** Confluent's TopicNameStrategy. */
export function subjectOf(topic: string): string {
  return `${topic}-value`;
}

/** Parses and checks `catalogue.json`; throws GeneratorError listing every problem. */
export function parseCatalogue(text: string, file: string): Catalogue {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new GeneratorError([
      {
        file,
        path: '',
        message: `not valid JSON: ${(error as Error).message}`,
      },
    ]);
  }
  const parsed = catalogueSchema.safeParse(json);
  if (!parsed.success) {
    throw new GeneratorError(
      parsed.error.issues.map((issue) => ({
        file,
        path: jsonPath(issue.path),
        message: issue.message,
      })),
    );
  }
  const declared = parsed.data.messages.map(
    (entry, index): DeclaredEntry => ({ ...entry, index }),
  );
  const problems = checkMessages(declared, file);
  if (problems.length > 0) {
    throw new GeneratorError(problems);
  }
  const messages = withParties(declared);
  return {
    kafka: Object.entries(parsed.data.kafka).sort(([a], [b]) =>
      a.localeCompare(b),
    ),
    messages: [...messages].sort((a, b) => a.name.localeCompare(b.name)),
  };
}

/** An entry as written: a reply names no parties, they are its command's, reversed. */
type DeclaredEntry = Omit<MessageEntry, 'producer' | 'consumers'> & {
  readonly producer?: string;
  readonly consumers?: readonly string[];
};

function withParties(entries: readonly DeclaredEntry[]): MessageEntry[] {
  const commandOfReply = new Map<string, DeclaredEntry>();
  for (const entry of entries) {
    if (entry.reply !== undefined) commandOfReply.set(entry.reply, entry);
  }
  return entries.map((entry) => {
    const command = commandOfReply.get(entry.name);
    const producer = command?.consumers?.[0] ?? entry.producer ?? '';
    const consumers =
      command?.producer === undefined
        ? [...(entry.consumers ?? [])].sort()
        : [command.producer];
    return { ...entry, producer, consumers };
  });
}

function checkMessages(
  messages: readonly DeclaredEntry[],
  file: string,
): Problem[] {
  const problems: Problem[] = [];
  const at = (entry: DeclaredEntry, key: string, message: string): void => {
    problems.push({
      file,
      path: jsonPath(['messages', entry.index, key]),
      message,
    });
  };
  const byName = new Map<string, DeclaredEntry>();
  const fileOwner = new Map<string, DeclaredEntry>();
  const topicOwner = new Map<string, string>();
  const claimTopic = (
    entry: DeclaredEntry,
    key: string,
    topic: string,
  ): void => {
    const owner = topicOwner.get(topic);
    if (owner !== undefined) {
      at(entry, key, `topic ${topic} is already used by ${owner}`);
    } else {
      topicOwner.set(topic, `${entry.name}.${key}`);
    }
  };

  for (const entry of messages) {
    if (byName.has(entry.name)) {
      at(entry, 'name', `duplicate message name ${entry.name}`);
    }
    byName.set(entry.name, entry);
    const sameFile = fileOwner.get(entry.file);
    if (sameFile !== undefined) {
      at(
        entry,
        'file',
        `${entry.file} is already the schema of ${sameFile.name}`,
      );
    }
    fileOwner.set(entry.file, entry);
    claimTopic(entry, 'topic', entry.topic);
    if (entry.subject !== subjectOf(entry.topic)) {
      at(
        entry,
        'subject',
        `must be "${subjectOf(entry.topic)}" (TopicNameStrategy: <topic>-value), found "${entry.subject}"`,
      );
    }
    if (entry.role === 'command') {
      if (entry.deadLetterTopic === undefined) {
        at(
          entry,
          'deadLetterTopic',
          'a command must name its dead-letter topic',
        );
      } else {
        claimTopic(entry, 'deadLetterTopic', entry.deadLetterTopic);
      }
      if (entry.reply === undefined) {
        at(entry, 'reply', 'a command must name its reply message');
      }
    } else {
      if (entry.reply !== undefined) {
        at(
          entry,
          'reply',
          `only a command has a reply; this is a ${entry.role}`,
        );
      }
      if (entry.deadLetterTopic !== undefined) {
        at(
          entry,
          'deadLetterTopic',
          `only a command has a dead-letter topic; this is a ${entry.role}`,
        );
      }
    }
  }

  for (const entry of messages) {
    checkParties(entry, at);
  }

  const answeredBy = new Map<string, DeclaredEntry>();
  for (const command of messages) {
    if (command.role !== 'command' || command.reply === undefined) {
      continue;
    }
    const reply = byName.get(command.reply);
    if (reply === undefined) {
      at(command, 'reply', `unknown message ${command.reply}`);
      continue;
    }
    if (reply.role !== 'reply') {
      at(
        command,
        'reply',
        `${command.reply} has role ${reply.role}, not reply`,
      );
      continue;
    }
    const other = answeredBy.get(reply.name);
    if (other !== undefined) {
      at(
        command,
        'reply',
        `${reply.name} already answers ${other.name}; each command needs its own reply`,
      );
      continue;
    }
    answeredBy.set(reply.name, command);
    if (reply.topic !== replyTopicOf(command.topic)) {
      at(
        reply,
        'topic',
        `must be "${replyTopicOf(command.topic)}": Nest replies to ${command.name} on <command topic>.reply`,
      );
    }
  }
  for (const entry of messages) {
    if (entry.role === 'reply' && !answeredBy.has(entry.name)) {
      at(entry, 'role', `no command names ${entry.name} as its reply`);
    }
  }
  return problems;
}

/** Who sends and who receives: the AsyncAPI operations and the contract tests' consumers. */
function checkParties(
  entry: DeclaredEntry,
  at: (entry: DeclaredEntry, key: string, message: string) => void,
): void {
  if (entry.role === 'reply') {
    for (const key of ['producer', 'consumers'] as const) {
      if (entry[key] !== undefined) {
        at(
          entry,
          key,
          "a reply names no parties: its command's consumer sends it to its command's producer",
        );
      }
    }
    return;
  }
  const kind = entry.role === 'event' ? 'an event' : 'a command';
  if (entry.producer === undefined) {
    at(entry, 'producer', `${kind} must name the app that sends it`);
  }
  if (entry.consumers === undefined) {
    at(entry, 'consumers', `${kind} must name the apps that receive it`);
  } else if (entry.role === 'command' && entry.consumers.length !== 1) {
    at(
      entry,
      'consumers',
      `a command has exactly one consumer, the app that answers it; found ${entry.consumers.length}`,
    );
  } else if (new Set(entry.consumers).size !== entry.consumers.length) {
    at(entry, 'consumers', 'an app is listed twice');
  }
}
