// Runs a refresh at most once at a time: calls made while one runs fold into a single rerun, so a
// burst of bus events costs two server round trips, not one per event.
export function coalesce(task: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null;
  let rerun = false;
  return () => {
    if (running) {
      rerun = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          rerun = false;
          await task();
        } while (rerun);
      } finally {
        running = null;
      }
    })();
    return running;
  };
}
