// Relevance model (BM25 with binary term frequency, which is what detail=column keeps): for each query term a case
// contains, idf(term) × field weight, where the weight is TITLE_WEIGHT for a title hit, ALIAS_WEIGHT when the term
// names the case's provider, and otherwise BM25's length-normalised body weight (at most k1 + 1 = 2.2, about 1 for
// a body of average length). So a title match outranks a body-only match, and a case with more of the query's
// terms outranks one with fewer. Ties go to the newer case.

export const TITLE_WEIGHT = 3;
export const ALIAS_WEIGHT = 2.4;
export const K1 = 1.2;
export const B = 0.75;

/** BM25's inverse document frequency. */
export const idf = (df: number, n: number): number => Math.log(1 + (n - df + 0.5) / (df + 0.5));
