/** `true` when A and B are the same type, `never` otherwise: a declared value of it fails typecheck when two lists drift apart. */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
