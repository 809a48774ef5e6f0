// Turns a failed call into the sentence staff read in a notification.

/** The message a person should read for a failed call: the server's own words, never a traceback. */
export function describeError(error: unknown): string {
  const data = (error as { data?: { message?: unknown } } | null)?.data;
  if (data && typeof data.message === "string" && data.message) return data.message;
  if (error instanceof Error && error.message) return error.message;
  return String(error);
}
