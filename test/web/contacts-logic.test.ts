import { describe, expect, it } from 'vitest';
import { metadataPatch, parseRows, rowsOf } from '../../web/src/contacts/metadata.ts';

describe("a contact's metadata as rows", () => {
  it('shows text as text and anything else as JSON', () => {
    expect(rowsOf({ plan: 'pro', seats: 5, tags: ['a'] })).toEqual([
      { key: 'plan', text: 'pro', json: false },
      { key: 'seats', text: '5', json: true },
      { key: 'tags', text: '["a"]', json: true },
    ]);
  });

  it('reads rows back, keeping "42" typed as text a text', () => {
    expect(parseRows([{ key: ' plan ', text: '42', json: false }, { key: 'seats', text: '8', json: true }, { key: '', text: '', json: false }])).toEqual({
      value: { plan: '42', seats: 8 },
    });
  });

  it('says in plain words what is wrong', () => {
    expect(parseRows([{ key: '', text: 'x', json: false }])).toEqual({ error: 'Every metadata value needs a name.' });
    expect(parseRows([{ key: 'a', text: '1', json: false }, { key: 'a', text: '2', json: false }])).toEqual({ error: '“a” is there twice: give each value its own name.' });
    expect(parseRows([{ key: 'seats', text: '{five', json: true }])).toMatchObject({ error: expect.stringMatching(/^The value of “seats” is structured data/) });
  });

  it('patches only what changed, removing keys with null and nested keys one by one', () => {
    const before = { plan: 'pro', seats: 5, address: { city: 'Paris', zip: '75001' }, old: 'x' };
    const after = { plan: 'enterprise', seats: 5, address: { city: 'Paris' }, region: 'EMEA' };
    expect(metadataPatch(before, after)).toEqual({ plan: 'enterprise', address: { zip: null }, old: null, region: 'EMEA' });
    expect(metadataPatch(before, before)).toBeUndefined();
  });
});
