// A case's place on a doclist (ords ascend), shared by the kill-log catch-ups and the relaxed rescoring.

/** Where `ord` is among the first `len` entries of an ascending list, or −1 (binary search). */
export function findOrd(ords: Int32Array, len: number, ord: number): number {
  let lo = 0,
    hi = len - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const at = ords[mid];
    if (at < ord) lo = mid + 1;
    else if (at > ord) hi = mid - 1;
    else return mid;
  }
  return -1;
}
