/**
 * The two kinds of index the model's lookups are made of. Each list stays in model order as entities
 * are filed and taken out one at a time, so an answer is the one a model rebuilt at once gives.
 */
export type Order = (e: object) => number;

/** An index an entity can be filed under and taken out of. */
export interface Filing {
  add(key: string, e: object): void;
  remove(key: string, e: object): void;
}

/** Entities under keys, each list in model order, so that every answer is the one a rebuilt model gives. */
export class MultiIndex<E extends object> implements Filing {
  private readonly lists = new Map<string, E[]>();
  constructor(private readonly orderOf: Order) {}

  get(key: string): E[] | undefined {
    return this.lists.get(key);
  }

  has(key: string): boolean {
    return this.lists.has(key);
  }

  add(key: string, entity: object): void {
    const e = entity as E;
    const list = this.lists.get(key);
    if (!list) {
      this.lists.set(key, [e]);
      return;
    }
    const order = this.orderOf(e);
    let at = list.length;
    while (at > 0 && this.orderOf(list[at - 1]!) > order) at--;
    list.splice(at, 0, e);
  }

  remove(key: string, e: object): void {
    const list = this.lists.get(key);
    if (!list) return;
    const at = list.indexOf(e as E);
    if (at >= 0) list.splice(at, 1);
    if (list.length === 0) this.lists.delete(key);
  }
}

/** One entity per key: the first in model order (`last`: the last), as a map filled in model order keeps it. */
export class PickIndex<E extends object> implements Filing {
  private readonly all: MultiIndex<E>;
  constructor(orderOf: Order, private readonly pick: "first" | "last" = "first") {
    this.all = new MultiIndex<E>(orderOf);
  }

  get(key: string): E | undefined {
    const list = this.all.get(key);
    return list && (this.pick === "first" ? list[0] : list[list.length - 1]);
  }

  has(key: string): boolean {
    return this.all.has(key);
  }

  add(key: string, e: object): void {
    this.all.add(key, e as E);
  }

  remove(key: string, e: object): void {
    this.all.remove(key, e as E);
  }
}
