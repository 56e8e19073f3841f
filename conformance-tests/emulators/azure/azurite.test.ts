import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzurite, type AzuriteProcess } from './azurite.js';
import { StorageRequestError, StorageRest } from './storage-rest.js';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('Azurite through the storage REST client', () => {
  let azurite: AzuriteProcess;
  let rest: StorageRest;

  beforeAll(async () => {
    azurite = await startAzurite();
    rest = new StorageRest(azurite.endpoints);
  });
  afterAll(() => azurite?.stop());

  it('accepts our Shared Key signature and rejects a wrong key', async () => {
    await rest.createQueue('signed');
    const wrong = new StorageRest({ ...azurite.endpoints, key: Buffer.from('not the key').toString('base64') });
    const error = await wrong.createQueue('signed-2').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageRequestError);
    expect((error as StorageRequestError).status).toBe(403);
  });

  it('puts, receives (DequeueCount rising), releases and deletes a queue message', async () => {
    await rest.createQueue('work');
    const { id } = await rest.putMessage('work', 'aGVsbG8=');
    const [first] = await rest.getMessages('work', 16, 30);
    expect(first).toMatchObject({ id, dequeueCount: 1, text: 'aGVsbG8=' });
    expect(await rest.getMessages('work', 16, 30)).toEqual([]); // invisible while leased
    await rest.releaseMessage('work', id, first!.popReceipt, 0);
    const [second] = await rest.getMessages('work', 16, 30);
    expect(second).toMatchObject({ id, dequeueCount: 2 });
    expect(second!.insertionTime.getTime()).toBe(first!.insertionTime.getTime());
    await rest.deleteMessage('work', id, second!.popReceipt);
    await rest.releaseMessage('work', id, second!.popReceipt, 0).then(
      () => expect.unreachable(),
      (e: StorageRequestError) => expect(e.status).toBe(404),
    );
  });

  it('round-trips a blob whose key has spaces, unicode and "+" and deletes it', async () => {
    const key = 'in box/ü+1 (copy).txt';
    await rest.createContainer('uploads');
    await rest.putBlob('uploads', key, new TextEncoder().encode('hello'), 'text/plain');
    const { body, properties } = await rest.getBlob('uploads', key);
    expect(new TextDecoder().decode(body)).toBe('hello');
    expect(properties).toMatchObject({ contentLength: 5, contentType: 'text/plain' });
    expect(properties.etag).toMatch(/^"?0x/);
    expect(await rest.blobExists('uploads', key)).toBe(true);
    await rest.deleteBlob('uploads', key);
    expect(await rest.blobExists('uploads', key)).toBe(false);
  });

  it('stops without leaving the process behind', async () => {
    const other = await startAzurite();
    const pid = other.pid!;
    expect(alive(pid)).toBe(true);
    await other.stop();
    expect(alive(pid)).toBe(false);
  });
});
