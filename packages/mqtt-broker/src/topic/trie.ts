/**
 * Our own topic-filter trie: one node per filter level, with '+' and '#' stored as ordinary
 * child keys. Matching a topic walks at most three children per level ('+', '#', the literal),
 * so the cost grows with the topic's depth, not with the number of subscriptions.
 *
 * Values are keyed per filter (a client id, an in-process subscriber id), because a
 * subscription to a filter the owner already holds replaces the old one [MQTT-3.8.4-3].
 * Shared subscriptions (`$share/{group}/…`) live beside ordinary ones as groups, from which the
 * caller picks one member per message.
 */

/** Members of one share group on one filter; `next()` picks them round-robin. */
export class ShareGroup<V> {
  readonly name: string;
  readonly #members = new Map<unknown, V>();
  #order: V[] = [];
  #cursor = 0;

  constructor(name: string) {
    this.name = name;
  }

  get size(): number {
    return this.#members.size;
  }

  /**
   * Picks the next member round-robin: the first from the cursor on that `preferred` accepts
   * (say, an online client), else the member at the cursor. Advances the cursor past the pick.
   */
  pick(preferred: (v: V) => boolean): V | undefined {
    const n = this.#order.length;
    if (n === 0) return undefined;
    const start = this.#cursor % n;
    for (let i = 0; i < n; i++) {
      const idx = (start + i) % n;
      const v = this.#order[idx]!;
      if (preferred(v)) {
        this.#cursor = idx + 1;
        return v;
      }
    }
    this.#cursor = start + 1;
    return this.#order[start];
  }

  set(key: unknown, value: V): boolean {
    const isNew = !this.#members.has(key);
    this.#members.set(key, value);
    this.#order = [...this.#members.values()];
    return isNew;
  }

  delete(key: unknown): boolean {
    if (!this.#members.delete(key)) return false;
    this.#order = [...this.#members.values()];
    return true;
  }
}

interface TrieNode<V> {
  readonly children: Map<string, TrieNode<V>>;
  entries: Map<unknown, V> | undefined;
  groups: Map<string, ShareGroup<V>> | undefined;
}

function newNode<V>(): TrieNode<V> {
  return { children: new Map(), entries: undefined, groups: undefined };
}

export type MatchVisitor<V> = (value: V) => void;
export type GroupVisitor<V> = (group: ShareGroup<V>) => void;

export class TopicTrie<V> {
  readonly #root: TrieNode<V> = newNode();
  #size = 0;

  /** Number of (filter, key) entries, shared members included. */
  get size(): number {
    return this.#size;
  }

  /** Adds or replaces the value of `key` on `filter`; returns true when it is new. */
  add(filter: string, key: unknown, value: V, group?: string): boolean {
    let node = this.#root;
    for (const level of filter.split('/')) {
      let child = node.children.get(level);
      if (!child) {
        child = newNode();
        node.children.set(level, child);
      }
      node = child;
    }
    let isNew: boolean;
    if (group === undefined) {
      node.entries ??= new Map();
      isNew = !node.entries.has(key);
      node.entries.set(key, value);
    } else {
      node.groups ??= new Map();
      let g = node.groups.get(group);
      if (!g) {
        g = new ShareGroup<V>(group);
        node.groups.set(group, g);
      }
      isNew = g.set(key, value);
    }
    if (isNew) this.#size++;
    return isNew;
  }

  /** Removes `key` from `filter`; returns true when something was removed. Prunes empty nodes. */
  remove(filter: string, key: unknown, group?: string): boolean {
    const levels = filter.split('/');
    const path: TrieNode<V>[] = [this.#root];
    let node = this.#root;
    for (const level of levels) {
      const child = node.children.get(level);
      if (!child) return false;
      path.push(child);
      node = child;
    }
    let removed: boolean;
    if (group === undefined) {
      removed = node.entries?.delete(key) ?? false;
      if (node.entries?.size === 0) node.entries = undefined;
    } else {
      const g = node.groups?.get(group);
      removed = g?.delete(key) ?? false;
      if (g && g.size === 0) node.groups!.delete(group);
      if (node.groups?.size === 0) node.groups = undefined;
    }
    if (!removed) return false;
    this.#size--;
    for (let i = levels.length; i > 0; i--) {
      const n = path[i]!;
      if (n.entries || n.groups || n.children.size > 0) break;
      path[i - 1]!.children.delete(levels[i - 1]!);
    }
    return true;
  }

  /**
   * Calls `visit` for every ordinary entry whose filter matches `topic`, and `visitGroup` for
   * every matching share group. A value is visited once per matching filter, so an owner with
   * overlapping subscriptions is seen more than once; the caller merges.
   */
  match(topic: string, visit: MatchVisitor<V>, visitGroup?: GroupVisitor<V>): void {
    const levels = topic.split('/');
    // [MQTT-4.7.2-1] a filter starting with a wildcard does not match a topic starting with '$'.
    const dollar = topic.charCodeAt(0) === 36;
    this.#match(this.#root, levels, 0, dollar, visit, visitGroup);
  }

  #match(
    node: TrieNode<V>,
    levels: readonly string[],
    i: number,
    dollar: boolean,
    visit: MatchVisitor<V>,
    visitGroup: GroupVisitor<V> | undefined,
  ): void {
    const wild = !(dollar && i === 0);
    if (wild) {
      // '#' matches this level and all below, including the parent level itself [MQTT-4.7.1-2].
      const hash = node.children.get('#');
      if (hash) emit(hash, visit, visitGroup);
    }
    if (i === levels.length) {
      emit(node, visit, visitGroup);
      return;
    }
    if (wild) {
      const plus = node.children.get('+');
      if (plus) this.#match(plus, levels, i + 1, dollar, visit, visitGroup);
    }
    const exact = node.children.get(levels[i]!);
    if (exact) this.#match(exact, levels, i + 1, dollar, visit, visitGroup);
  }
}

function emit<V>(node: TrieNode<V>, visit: MatchVisitor<V>, visitGroup: GroupVisitor<V> | undefined): void {
  if (node.entries) for (const v of node.entries.values()) visit(v);
  if (node.groups && visitGroup) for (const g of node.groups.values()) visitGroup(g);
}
