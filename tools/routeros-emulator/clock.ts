/**
 * The router's clock. The manual (System/Time, "Clock and Time zone configuration") says: the
 * startup date and time is 1970-01-02 00:00:00, unless the router has a battery. Most
 * RouterBOARDs have none, so a router counts from there until NTP sets it. The NTP client is
 * `/system/ntp/client set enabled=yes servers=...` (manual "NTP"; the 7.12.2, 7.19.6 and 7.24
 * command trees). While it is enabled with servers, and they answer, the clock is the host's.
 */
/** Where the clock of a router without a battery starts (manual, System/Time). */
export const BATTERYLESS_STARTUP = new Date(Date.UTC(1970, 0, 2));

export class RouterClock {
  /** Router time minus host time, while NTP does not keep it. */
  private offsetMs: number;
  private synchronized = false;

  /**
   * `start`: the time the router boots with (default BATTERYLESS_STARTUP). `ntpAnswers`: false emulates
   * NTP servers the router cannot reach, so enabling NTP leaves the clock where it is.
   */
  constructor(
    start: Date = BATTERYLESS_STARTUP,
    private readonly ntpAnswers = true,
  ) {
    this.offsetMs = start.getTime() - Date.now();
  }

  now(): Date {
    return new Date(this.synchronized ? Date.now() : Date.now() + this.offsetMs);
  }

  /** Sets the time by hand (`/system/clock set`, or a test); NTP, while it runs, takes it back. */
  set(date: Date): void {
    this.offsetMs = date.getTime() - Date.now();
  }

  /** Called on every configuration change with whether the NTP client is enabled with servers. */
  ntpConfigured(active: boolean): void {
    const now = this.now();
    this.synchronized = active && this.ntpAnswers;
    if (this.synchronized) this.offsetMs = 0;
    else this.offsetMs = now.getTime() - Date.now();
  }

  get ntpSynchronized(): boolean {
    return this.synchronized;
  }
}

/** `YYYY-MM-DD HH:MM:SS`, as RouterOS 7 prints a moment (the emulated router runs on UTC). */
export function routerTimestamp(date: Date): string {
  return date.toISOString().slice(0, 19).replace("T", " ");
}
