import { processIo, run } from './cli';

run(process.argv.slice(2), processIo()).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`cdc-monitor: ${(err as Error)?.message ?? String(err)}\n`);
    process.exitCode = 1;
  },
);
