//! Reloading a screen after every sync without disturbing it: an answer that arrives
//! after a newer reload started is dropped, and data that did not change is not drawn
//! again (an open select or a drag in progress stays as it is) unless forced.

/** What a load found: `shown` is compared (as JSON) with the last one drawn. */
export type Loaded = { shown: unknown; show: () => void };

export class Reloader {
  private generation = 0;
  private shown = '';

  /** `fail` shows why the newest load failed. */
  constructor(private readonly fail: (reason: unknown) => void) {}

  /** Runs `load`, and draws its result when it is the newest and new (or `force`). */
  async run(force: boolean, load: () => Promise<Loaded>): Promise<void> {
    const generation = ++this.generation;
    try {
      const loaded = await load();
      if (generation !== this.generation) return;
      const shown = JSON.stringify(loaded.shown);
      if (!force && shown === this.shown) return;
      this.shown = shown;
      loaded.show();
    } catch (reason) {
      if (generation !== this.generation) return;
      this.fail(reason);
    }
  }
}
