import { unprocessable } from '../errors/errors.js';
import { jsonDepth, type JsonObject } from './json.js';

export const MAX_METADATA_BYTES = 16 * 1024;
export const MAX_METADATA_DEPTH = 8;

/** Metadata stays small and shallow enough to merge, store and index cheaply; beyond that, 422. */
export function assertMetadataFits(metadata: JsonObject, field = 'metadata'): void {
  if (jsonDepth(metadata) > MAX_METADATA_DEPTH) {
    throw unprocessable(`${field} nests too deeply`, { [field]: [`must nest at most ${MAX_METADATA_DEPTH} levels`] });
  }
  if (Buffer.byteLength(JSON.stringify(metadata)) > MAX_METADATA_BYTES) {
    throw unprocessable(`${field} is too large`, { [field]: [`must be at most ${MAX_METADATA_BYTES} bytes as JSON`] });
  }
}
