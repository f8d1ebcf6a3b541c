import document from './generated/asyncapi.json';

/**
 * The AsyncAPI 3 document of every topic, message and app operation, generated from schemas/ with
 * the contracts (so the stale check keeps it current). An entry of its own: only what serves or
 * checks the document pays for loading it.
 */
export const ASYNCAPI_DOCUMENT: Readonly<Record<string, unknown>> = document;
