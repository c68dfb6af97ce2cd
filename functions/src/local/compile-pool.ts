// The pool moved to adapters/compile (the content indexer Lambda uses it too); kept here for existing imports.
export { COMPILE_BUDGET, type CompileBudget, type CompilePool, compilePool } from '../adapters/compile/compile-pool.ts';
