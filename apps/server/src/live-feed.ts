import type { SampleRow } from '@watershed/store';

/** Fans ingested rows out to in-process listeners (the console's SSE stream). */
export class LiveFeedHub {
  readonly #listeners = new Set<(rows: readonly SampleRow[]) => void>();

  subscribe(listener: (rows: readonly SampleRow[]) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(rows: readonly SampleRow[]): void {
    for (const l of this.#listeners) l(rows);
  }
}
