/**
 * Conformance fixture: access control and per-method routes. `authLevel: 'function'` makes a function
 * private on every provider; two functions share `/things/:id` by method.
 */
import { http } from 'faasport';

/** Private: only a caller with the platform's credentials gets here. */
export const privateReport = http({ route: '/private/report', methods: ['GET', 'POST'], authLevel: 'function' }, async (req) =>
  Response.json({ reached: true, method: req.method, body: await req.text() }),
);

export const getThing = http({ route: '/things/:id', methods: ['GET'] }, (_req, ctx) => Response.json({ id: ctx.params.id }));

export const deleteThing = http({ route: '/things/:id', methods: ['DELETE'] }, () => new Response(null, { status: 204 }));
