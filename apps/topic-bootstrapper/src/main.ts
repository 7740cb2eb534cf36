import { processIo, run } from './run';

// Exit as soon as the command is done: a broker that never answered can leave a kafkajs socket and
// retry timers behind, which must not keep a finished CLI (or an ECS task) alive.
run(process.argv.slice(2), processIo()).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`error: ${(err as Error)?.message ?? String(err)}\n`);
    process.exit(1);
  },
);
