import type { FastifyInstance } from 'fastify';
import secureJsonParse from 'secure-json-parse';
import { badRequest } from '../errors/errors.js';
import { jsonDepth } from '../json/json.js';

export const MAX_JSON_DEPTH = 32;

/**
 * Parses JSON bodies: an empty body is no body (so `POST …/end` with a JSON content type works),
 * prototype-poisoning keys are refused, nesting is bounded and NUL characters and lone surrogates
 * are refused (PostgreSQL cannot store them). Every refusal is a 400 in the envelope.
 */
export function registerJsonBodyParser(app: FastifyInstance): void {
  // JSON only: any other content type (text/plain included) is a 415.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(/^application\/([\w.+-]+\+)?json$/, { parseAs: 'string' }, (_req, body, done) => {
    const text = body as string;
    if (text.trim() === '') return done(null, undefined);
    let parsed: unknown;
    try {
      parsed = secureJsonParse.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
    } catch {
      return done(badRequest('Malformed JSON in request body'), undefined);
    }
    if (jsonDepth(parsed) > MAX_JSON_DEPTH) {
      return done(badRequest(`JSON body nests deeper than ${MAX_JSON_DEPTH} levels`), undefined);
    }
    if (text.includes('\\u0000') && containsNul(parsed)) {
      return done(badRequest('Strings must not contain the NUL character (\\u0000)'), undefined);
    }
    // An escaped lone surrogate ("\ud800" with no partner) is not Unicode text: PostgreSQL's jsonb
    // refuses it (a 500 otherwise), and UTF-8 cannot carry it.
    if (/\\u[dD][89a-fA-F]/.test(text) && containsLoneSurrogate(parsed)) {
      return done(badRequest('Strings must be valid Unicode: a lone surrogate (\\uD800-\\uDFFF) is not a character'), undefined);
    }
    done(null, parsed);
  });
  // A POST or PATCH with no body at all is an empty object, so `POST /contacts` makes a guest and
  // a body-less PATCH changes nothing, instead of failing as "body must be object".
  app.addHook('preValidation', async (request) => {
    if (request.body === undefined && (request.method === 'POST' || request.method === 'PATCH')) {
      request.body = {};
    }
  });
}

/** Whether any string (key or value) in a parsed JSON value holds U+0000. Iterative. */
export function containsNul(value: unknown): boolean {
  return someString(value, (s) => s.includes('\u0000'));
}

/** Whether any string (key or value) holds a UTF-16 surrogate that is not half of a pair. */
export function containsLoneSurrogate(value: unknown): boolean {
  return someString(value, (s) => /\p{Cs}/u.test(s));
}

function someString(value: unknown, test: (s: string) => boolean): boolean {
  const stack: unknown[] = [value];
  while (stack.length) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (test(v)) return true;
    } else if (typeof v === 'object' && v !== null) {
      for (const [k, child] of Object.entries(v)) {
        if (test(k)) return true;
        stack.push(child);
      }
    }
  }
  return false;
}
