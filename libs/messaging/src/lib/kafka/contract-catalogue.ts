import {
  CONTRACT_CLASSES,
  type CommandClass,
  type Contract,
  type ContractClass,
} from '@subtasks/contracts';
import { MessagingError } from '../errors/messaging-error';

/** Which contract class travels on which topic: the generated catalogue unless told otherwise. */
export class ContractCatalogue {
  private readonly byTopicName: ReadonlyMap<string, ContractClass>;

  constructor(readonly contracts: readonly ContractClass[] = CONTRACT_CLASSES) {
    const byTopic = new Map<string, ContractClass>();
    for (const contract of contracts) {
      const taken = byTopic.get(contract.topic);
      if (taken !== undefined && taken !== contract) {
        throw new Error(
          `Topic ${contract.topic} is bound to both ${taken.messageName} and ${contract.messageName}`,
        );
      }
      byTopic.set(contract.topic, contract);
    }
    this.byTopicName = byTopic;
  }

  /** The contract class of a topic; UNKNOWN_TOPIC when none is bound to it. */
  forTopic(topic: string): ContractClass {
    const contract = this.byTopicName.get(topic);
    if (contract === undefined) {
      throw new MessagingError(
        'UNKNOWN_TOPIC',
        `No contract is bound to topic ${topic} (known: ${[...this.byTopicName.keys()].join(', ')})`,
        { topic },
      );
    }
    return contract;
  }

  /** The commands, whose reply topics a client must subscribe to before it connects. */
  commands(): CommandClass[] {
    return this.contracts.filter(isCommandClass);
  }

  /** Every topic of every contract. */
  topics(): string[] {
    return [...this.byTopicName.keys()];
  }
}

export function isCommandClass(
  contract: ContractClass,
): contract is CommandClass {
  return contract.role === 'command' && 'reply' in contract;
}

/** True for instances of generated contract classes (anything with a `contract` and `toAvro`). */
export function isContract(value: unknown): value is Contract {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const contract: unknown = Reflect.get(value, 'contract');
  return (
    typeof Reflect.get(value, 'toAvro') === 'function' &&
    typeof Reflect.get(value, 'validate') === 'function' &&
    (typeof contract === 'function' || typeof contract === 'object') &&
    contract !== null &&
    typeof Reflect.get(contract, 'topic') === 'string'
  );
}

export function requireContract(value: unknown, where: string): Contract {
  if (!isContract(value)) {
    throw new MessagingError(
      'NOT_A_CONTRACT',
      `${where} needs an instance of a generated contract class, got ${describeValue(value)}`,
    );
  }
  return value;
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined) {
    return String(value);
  }
  if (Buffer.isBuffer(value)) {
    return `a Buffer of ${value.length} bytes`;
  }
  if (typeof value === 'object') {
    return `an object of class ${value.constructor?.name ?? 'Object'}`;
  }
  return `a ${typeof value}`;
}
