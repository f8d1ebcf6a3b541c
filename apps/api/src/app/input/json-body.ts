import { isUtf8 } from 'node:buffer';
import {
  json,
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';
import { bodyShapeProblem } from './body-shape';
import { INVALID_UTF8, bodyReadAnswer } from './body-read-errors';
import { invalidInput, unsupportedMediaType } from './input-errors';

/** Express's default, which the routes never come near. */
export const JSON_BODY_LIMIT = '100kb';
const JSON_TYPES = ['application/json', 'application/*+json'];
const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

function hasBody(request: Request): boolean {
  const length = Number(request.headers['content-length'] ?? 0);
  return request.headers['transfer-encoding'] !== undefined || length > 0;
}

/** 415 for a body that is not JSON; an empty body is left to the route (no body means {}). */
export function requireJsonBody(): RequestHandler {
  return (request: Request, _response: Response, next: NextFunction) => {
    if (
      METHODS_WITH_BODY.has(request.method) &&
      hasBody(request) &&
      !request.is(JSON_TYPES)
    ) {
      next(unsupportedMediaType('send the body as application/json'));
      return;
    }
    next();
  };
}

/** Decoding would turn them into U+FFFD and store a title nobody sent. */
function refuseInvalidUtf8(
  _request: unknown,
  _response: unknown,
  body: Buffer,
  charset: string,
): void {
  if (/^utf-?8$/i.test(charset) && !isUtf8(body))
    throw Object.assign(new Error('the body is not valid UTF-8'), {
      type: INVALID_UTF8,
    });
}

/** body-parser's JSON parser, strict (objects and arrays only), its refusals in this api's shape. */
export function parseJsonBody(): RequestHandler {
  const parse = json({
    limit: JSON_BODY_LIMIT,
    strict: true,
    type: JSON_TYPES,
    verify: refuseInvalidUtf8,
  });
  return (request: Request, response: Response, next: NextFunction) =>
    parse(request, response, (error?: unknown) =>
      error === undefined || error === null
        ? next()
        : next(bodyReadAnswer(error, JSON_BODY_LIMIT)),
    );
}

/** 400 for a parsed body that is no object, too deep, or carries prototype keys. */
export function checkBodyShape(): RequestHandler {
  return (request: Request, _response: Response, next: NextFunction) => {
    const body: unknown = request.body;
    if (body === undefined) {
      next();
      return;
    }
    const problem = bodyShapeProblem(body);
    next(problem ? invalidInput([problem.message], problem.fields) : undefined);
  };
}
