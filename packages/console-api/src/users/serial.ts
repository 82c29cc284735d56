/**
 * Runs async sections one at a time, in call order. The invariant "at least one enabled
 * installation admin" spans several user records, so a revision check on the one record being
 * changed cannot hold it: two admins demoting each other at once would each see the other still
 * an admin. Checking and writing inside one section closes that window for this process (the
 * server is the only writer of users; a PostgreSQL deployment with several API processes would
 * need the check in the same transaction as the write).
 */
export interface Serial {
  run<T>(section: () => Promise<T>): Promise<T>;
}

export function createSerial(): Serial {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run<T>(section: () => Promise<T>): Promise<T> {
      // A failed section must not poison the ones queued after it.
      const result = tail.then(section, section);
      tail = result.catch(() => undefined);
      return result;
    },
  };
}
