import { down } from '../src/index';

/** Stops the suite's own PostgreSQL (its data is kept: the next run skips initdb). */
export default async function globalTeardown(): Promise<void> {
  await down();
}
