// The baseline: a bare Fastify server whose routes return a constant JSON body, sized like the
// response of the Parley route it stands for. `PUT /__body/NAME` (body: the JSON text) sets the
// body of `/b/NAME`, which then answers any method with it. Prints its URL on stdout.
import Fastify from 'fastify';

const app = Fastify({ logger: false, bodyLimit: 10 * 1024 * 1024 });
const bodies = new Map();
app.addContentTypeParser('text/plain', { parseAs: 'string' }, (_req, body, done) => done(null, body));
app.put('/__body/:name', async (req) => {
  bodies.set(req.params.name, { text: String(req.body), status: Number(req.query.status ?? 200) });
  return { ok: true };
});
app.route({
  method: ['GET', 'POST'],
  url: '/b/:name',
  handler: async (req, reply) => {
    const b = bodies.get(req.params.name);
    return reply.code(b?.status ?? 404).type('application/json; charset=utf-8').send(b?.text ?? '{}');
  },
});
const url = await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`baseline listening at ${url}\n`);
