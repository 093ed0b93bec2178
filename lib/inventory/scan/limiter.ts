/**
 * How many Graph reads the scan keeps in flight: at most `max`, halved whenever Graph answers 429 and
 * grown back one at a time after a run of unthrottled calls (additive increase, multiplicative
 * decrease). Graph's identity and access throttling counts per app and tenant, so a scan that slows
 * down on the first 429 leaves room for the portal's own reads and the admins' changes.
 */
export class AdaptiveLimiter {
  #limit: number;
  #active = 0;
  #calm = 0;
  #waiting: (() => void)[] = [];

  constructor(
    readonly max: number,
    /** unthrottled calls before the limit grows by one */
    private readonly growAfter = 20,
  ) {
    this.#limit = Math.max(1, max);
  }

  get limit(): number {
    return this.#limit;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    while (this.#active >= this.#limit) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    this.#active += 1;
    try {
      return await work();
    } finally {
      this.#active -= 1;
      this.#wake();
    }
  }

  /** Graph throttled a call: halve the limit (never below one). */
  throttled(): void {
    this.#calm = 0;
    this.#limit = Math.max(1, Math.floor(this.#limit / 2));
  }

  /** A call went through unthrottled. */
  succeeded(): void {
    this.#calm += 1;
    if (this.#calm >= this.growAfter && this.#limit < this.max) {
      this.#calm = 0;
      this.#limit += 1;
      this.#wake();
    }
  }

  /** Every waiter checks again; those that do not fit wait once more. */
  #wake(): void {
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const resolve of waiting) resolve();
  }
}
