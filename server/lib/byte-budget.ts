// Bytes the process has agreed to receive and not yet finished with. Reserved before a body is read, released when
// its response is done, so many uploads at once cannot add up past what the machine can hold.
export class ByteBudget {
  private used = 0;
  constructor(readonly max: number) {}

  get inFlight(): number {
    return this.used;
  }

  /** Reserves n bytes; returns the release function (idempotent), or null when n would not fit now. */
  tryReserve(n: number): (() => void) | null {
    if (this.used + n > this.max) return null;
    this.used += n;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.used -= n;
    };
  }
}
