import { run } from './run';

// Exit as soon as the run is done: nothing (a pg socket, an SDK timer) may keep a finished ECS task alive.
run(process.argv.slice(2), { env: process.env, stderr: (s) => process.stderr.write(s) }).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`source-setup: ${(err as Error)?.message ?? String(err)}\n`);
    process.exit(1);
  },
);
