import { http } from 'faasport';

export const health = http({ route: '/health', methods: ['GET'] }, (_req, ctx) =>
  Response.json({ ok: true, provider: ctx.provider, function: ctx.functionName }),
);
