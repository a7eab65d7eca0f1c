/**
 * A background job's progress as the API answers it (billing runs, payment imports, receipt
 * batches): whole percent, never above 100; with nothing to do, 100 once finished, 0 before.
 */
export function progressPercent(done: number, total: number, finished: boolean): number {
  if (total === 0) return finished ? 100 : 0;
  return Math.min(100, Math.floor((done * 100) / total));
}
