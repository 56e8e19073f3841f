import { describe, expect, it } from 'vitest';
import { queue } from '../../core/define.js';
import { adapt } from './adapt.js';
import { invocationContext } from './events/test-helpers.js';

describe('adapt', () => {
  it('names null and the type of anything that is no faasport function', () => {
    const message = 'faasport/azure: adapt() needs a function made by http(), queue(), topic(), storage(), schedule() or event(); got ';
    expect(() => adapt(null as never)).toThrow(new TypeError(`${message}null`));
    expect(() => adapt('fn' as never)).toThrow(new TypeError(`${message}string`));
  });

  it('refuses a function of a kind it does not know, naming the kind', () => {
    expect(() => adapt({ kind: 'weird', options: {}, handler: () => undefined } as never)).toThrow(
      new TypeError('faasport/azure: adapt() got a function of unknown kind "weird"'),
    );
  });

  it('reads a queue function\'s trigger as a Storage queue message (id from metadata "id")', async () => {
    const ids: string[] = [];
    const fn = queue({ queue: 'orders' }, (msg) => void ids.push(msg.id));
    await adapt(fn)(Buffer.from('hi') as never, invocationContext({ id: 'q-1', messageId: 'sb-1' }).context);
    expect(ids).toEqual(['q-1']);
  });
});
