/** A benchmark worker process with a request/reply channel over IPC (one request at a time). */
import { fork } from 'node:child_process';

export async function startWorker(file, args, { execArgv = [] } = {}) {
  const child = fork(file, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv });
  let pending;
  child.on('message', (m) => {
    const p = pending;
    pending = undefined;
    if (!p) return;
    if (m && m.error) p.reject(new Error(m.error));
    else p.resolve(m);
  });
  child.on('exit', (code) => pending?.reject(new Error(`worker ${args[0]} exited with ${code}`)));
  const ready = await new Promise((resolve, reject) => (pending = { resolve, reject }));
  return {
    ...ready,
    request: (message) =>
      new Promise((resolve, reject) => {
        pending = { resolve, reject };
        child.send(message);
      }),
    stop: () => child.kill(),
  };
}
