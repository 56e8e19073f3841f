import { describe, expect, it } from 'vitest';
import { http, queue } from '../../core/define.js';
import { adaptBufferedHttpFor, adaptEvent, adaptHttp, adaptHttpFor, adaptQueue, adaptSchedule, adaptStorage, adaptStreamingHttpFor, adaptTopic } from './adapt.js';
import { apiGatewayV2Events } from './http/apigw-v2.js';

const web = http({ route: '/' }, () => new Response('x'));

describe('adapt*For() with no event readers', () => {
  it('says which readers to pass, naming the function called', () => {
    expect(() => adaptStreamingHttpFor([], web)).toThrow(
      'faasport/aws: adaptStreamingHttpFor() needs one or more of apiGatewayV2Events, apiGatewayV1Events, albEvents',
    );
    expect(() => adaptHttpFor([], web)).toThrow('faasport/aws: adaptHttpFor() needs one or more of apiGatewayV2Events, apiGatewayV1Events, albEvents');
    expect(() => adaptBufferedHttpFor([], web)).toThrow(
      'faasport/aws: adaptBufferedHttpFor() needs one or more of apiGatewayV2Events, apiGatewayV1Events, albEvents',
    );
  });
});

describe('adapt<Kind>() given another kind, or no function', () => {
  it('names the function called and the kind it got', () => {
    const got = (caller: string, kind: string) => `faasport/aws: ${caller}() takes only ${kind} functions; got a http function (adapt() takes any kind)`;
    expect(() => adaptQueue(web as never)).toThrow(got('adaptQueue', 'queue'));
    expect(() => adaptTopic(web as never)).toThrow(got('adaptTopic', 'topic'));
    expect(() => adaptStorage(web as never)).toThrow(got('adaptStorage', 'storage'));
    expect(() => adaptSchedule(web as never)).toThrow(got('adaptSchedule', 'schedule'));
    expect(() => adaptEvent(web as never)).toThrow(got('adaptEvent', 'event'));
  });

  it('adaptHttp and the adapt*HttpFor adapters, given a function of another kind, name themselves and the kind it is', () => {
    const job = queue({ queue: 'q' }, () => {});
    const got = (caller: string) => `faasport/aws: ${caller}() takes only http functions; got a queue function (adapt() takes any kind)`;
    expect(() => adaptStreamingHttpFor([apiGatewayV2Events], job as never)).toThrow(got('adaptStreamingHttpFor'));
    expect(() => adaptHttpFor([apiGatewayV2Events], job as never)).toThrow(got('adaptHttpFor'));
    expect(() => adaptBufferedHttpFor([apiGatewayV2Events], job as never)).toThrow(got('adaptBufferedHttpFor'));
    expect(() => adaptHttp(job as never)).toThrow(got('adaptHttp'));
  });

  it('names the type of what is not a function', () => {
    expect(() => adaptQueue(5 as never)).toThrow(
      'faasport/aws: adaptQueue() needs a function made by http(), queue(), topic(), storage(), schedule() or event(); got number',
    );
  });
});
