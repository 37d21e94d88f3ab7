import { badRequest } from '../errors/errors.js';

/** A name as stored: trimmed; one of nothing but spaces is refused (400), as an empty one is. */
export function cleanName(name: string): string {
  const trimmed = name.trim();
  if (!trimmed) throw badRequest('name cannot be blank', { name: ['cannot be blank'] });
  return trimmed;
}
