// Bit layout of ColumnStore.packed: provider, category, status, liveness and the overdue flag of a case in one
// 32-bit word, so every categorical filter together is one AND and one compare.
export const PROVIDER_BITS = 16;
export const CATEGORY_SHIFT = 16;
export const CATEGORY_BITS = 6;
export const STATUS_SHIFT = 22;
export const STATUS_BITS = 5;
export const ALIVE = 1 << 27;
export const OVERDUE = 1 << 28;
export const PROVIDER_MASK = (1 << PROVIDER_BITS) - 1;
export const CATEGORY_MASK = ((1 << CATEGORY_BITS) - 1) << CATEGORY_SHIFT;
export const STATUS_MASK = ((1 << STATUS_BITS) - 1) << STATUS_SHIFT;
/** The bits that identify a (provider, category, status) cell of the count cube. */
export const CELL_MASK = PROVIDER_MASK | CATEGORY_MASK | STATUS_MASK;
/** Flags beside each ord of a doclist: the case has the term (always set in a list), and has it in the title. */
export const PRESENT = 1;
export const IN_TITLE = 2;
export const LIMITS = { provider: 1 << PROVIDER_BITS, category: 1 << CATEGORY_BITS, status: 1 << STATUS_BITS } as const;

/** A case's liveness, provider and category from the packed words (ColumnStore's, or the similar-cases thread's view
 *  of the same shared array); `size` is one past the highest ord in use. */
export const aliveIn = (packed: Uint32Array, size: number, ord: number): boolean =>
  ord < size && (packed[ord] & ALIVE) !== 0;
export const providerIn = (packed: Uint32Array, ord: number): number => packed[ord] & PROVIDER_MASK;
export const categoryIn = (packed: Uint32Array, ord: number): number =>
  (packed[ord] & CATEGORY_MASK) >>> CATEGORY_SHIFT;
