// Checks registered by what they look at, in the manner of Langium's validation registry: the
// analyser walks once and hands each node (or each effective block) to the checks for its kind,
// so adding a rule means registering one function, not editing the walk.

export type Check<Node, Scope> = (node: Node, scope: Scope) => void;

export class CheckRegistry<Kinds extends Record<string, unknown>, Scope> {
  private readonly checks = new Map<keyof Kinds, Check<never, Scope>[]>();

  register<K extends keyof Kinds>(kind: K, ...checks: Check<Kinds[K], Scope>[]): this {
    const list = this.checks.get(kind) ?? [];
    list.push(...(checks as Check<never, Scope>[]));
    this.checks.set(kind, list);
    return this;
  }

  run<K extends keyof Kinds>(kind: K, node: Kinds[K], scope: Scope): void {
    for (const check of this.checks.get(kind) ?? []) (check as Check<Kinds[K], Scope>)(node, scope);
  }

  has(kind: keyof Kinds): boolean {
    return (this.checks.get(kind)?.length ?? 0) > 0;
  }
}
